import DataFolioJSON
import DataFolioSupport
import DataFolioTensors
import Foundation

/// A PyTorch model as a folio stores it: the state dict (parameters and buffers by
/// name), the class and module that define the network in Python, and the keyword
/// arguments that rebuild it.
///
/// ```swift
/// let net = PyTorchModel(stateDict: weights, modelClass: "Net", modelModule: "models",
///                        initArguments: ["input_dim": 10])
/// try folio.add("net", model: net)
/// ```
public struct PyTorchModel: Sendable, Equatable {
    /// Parameters and buffers by name, in order.
    public var stateDict: TensorDictionary
    /// The Python class name (`type(model).__name__`), if known.
    public var modelClass: String?
    /// The Python module defining the class, if known.
    public var modelModule: String?
    /// The keyword arguments of the class's initializer.
    public var initArguments: JSONObject
    /// Whether the file also holds a Python class serialized with `dill` (written by old
    /// Python versions); Swift ignores it.
    public var hasSerializedClass: Bool

    /// Creates a model description.
    ///
    /// ```swift
    /// let net = PyTorchModel(stateDict: weights, modelClass: "Net", modelModule: "models")
    /// ```
    public init(
        stateDict: TensorDictionary, modelClass: String? = nil, modelModule: String? = nil, initArguments: JSONObject = [:],
        hasSerializedClass: Bool = false
    ) {
        self.stateDict = stateDict
        self.modelClass = modelClass
        self.modelModule = modelModule
        self.initArguments = initArguments
        self.hasSerializedClass = hasSerializedClass
    }
}

extension DataFolio {
    /// Adds PyTorch weights as a `model` item (`serialization_format:
    /// "pytorch_state_dict"`): a `.pt` file that `torch.load(path, weights_only=True)`
    /// loads, holding `{"state_dict": OrderedDict, "metadata": {"model_class",
    /// "model_module", "init_args"}}` so Python can rebuild the module.
    ///
    /// ```swift
    /// let net = PyTorchModel(stateDict: weights, modelClass: "Net", modelModule: "models",
    ///                        initArguments: ["input_dim": 10])
    /// try folio.add("net", model: net, inputs: ["clean"])
    /// let back = try folio.get("net", as: PyTorchModel.self)
    /// ```
    @discardableResult
    public func add(
        _ name: String, model: PyTorchModel, hyperparameters: JSONObject? = nil, description: String? = nil, inputs: [String] = [],
        overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let className = model.modelClass ?? "Module"
        let checkpoint = TorchModelCheckpoint(
            stateDictionary: model.stateDict, modelClass: className, modelModule: model.modelModule ?? "__main__",
            initArguments: .object(model.initArguments))
        let archive = name.split(separator: "/").last.map(String.init) ?? "archive"
        let new = NewItem(name: name, kind: .model, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".pt")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.writePayload(at: path) { writer throws(DataFolioError) in
                try TorchFile.write(checkpoint.torchValue, to: writer, archiveName: PyTorchItem.archiveName(archive))
            }
            var extras: JSONObject = ["torch_version": .string("datafolio-swift \(DataFolio.version)")]
            if !model.initArguments.isEmpty { extras["init_args"] = .object(model.initArguments) }
            if let hyperparameters { extras["hyperparameters"] = .object(hyperparameters) }
            return KindFields(
                fields: [
                    "checksum": .string(written.md5),
                    "model_type": .string(className),
                    "serialization_format": .string(PyTorchItem.serializationFormat),
                    "created_at": .string(ISOTimestamp.now()),
                ],
                extras: extras)
        }
    }
}

/// PyTorch weights: `model` items with `serialization_format: "pytorch_state_dict"`, and
/// the `pytorch_model` items of older folios.
enum PyTorchItem: ItemHandler {
    static let kind = ItemKind.model
    static let describeSection = DescribeSection.models
    static let serializationFormat = "pytorch_state_dict"

    static func handles(_ item: CatalogItem) -> Bool {
        item.kind == .legacyPyTorchModel
            || (item.kind == .model && item.fields["serialization_format"]?.stringValue == serializationFormat)
    }
    /// Archive folder names inside the zip must be plain names.
    static func archiveName(_ itemName: String) -> String {
        let cleaned = String(itemName.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        return cleaned.isEmpty ? "archive" : cleaned
    }

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        let model = try model(of: item, in: folio)
        return .model(ModelValue(
            format: serializationFormat, modelType: item.fields["model_type"]?.stringValue ?? model.modelClass ?? "Module", pyTorch: model))
    }

    static func model(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> PyTorchModel {
        let value: TorchValue
        if let file = try folio.mappedPayload(of: item) {
            value = try TorchFile.read(mapping: file, path: item.relativePayloadPath ?? item.name)
        } else {
            value = try TorchFile.read(bytes: try folio.payloadBytes(of: item))
        }
        guard case .dict = value else {
            return PyTorchModel(stateDict: try value.stateDictionary())
        }
        if value["state_dict"] != nil, let metadata = value["metadata"] {
            var initArguments = JSONObject()
            if let args = metadata["init_args"], case .object(let object) = try args.jsonValue() { initArguments = object }
            return PyTorchModel(
                stateDict: try value["state_dict"].map { v throws(DataFolioError) in try v.stateDictionary() } ?? TensorDictionary(),
                modelClass: metadata["model_class"]?.stringValue, modelModule: metadata["model_module"]?.stringValue,
                initArguments: initArguments, hasSerializedClass: value["serialized_class"] != nil)
        }
        return PyTorchModel(stateDict: try value.stateDictionary())
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        var lines = context.sizeAndInputs(item)
        if let hyperparameters = item.fields["hyperparameters"]?.objectValue, !hyperparameters.isEmpty {
            lines.append("hyperparameters: " + DescribeContext.keyValues(hyperparameters))
        }
        if let initArguments = item.fields["init_args"]?.objectValue, !initArguments.isEmpty {
            lines.append("init_args: " + DescribeContext.keyValues(initArguments))
        }
        return lines
    }
}
