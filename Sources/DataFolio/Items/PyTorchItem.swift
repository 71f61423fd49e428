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
/// try folio.addModel("net", net)
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

/// A Swift network that can be rebuilt from a folio's PyTorch item: created from the
/// init arguments, then given the weights.
///
/// ```swift
/// struct Net: PyTorchLoadable {
///     var weight: NDArray
///     init(initArguments: JSONObject) throws { weight = try .zeros(shape: [10], dtype: .float32) }
///     mutating func load(stateDict: TensorDictionary) throws {
///         guard let w = stateDict["fc.weight"] else { throw MyError.missing }
///         weight = w
///     }
/// }
/// let net = try folio.pyTorch("net", as: Net.self)
/// ```
public protocol PyTorchLoadable {
    /// Builds the network from the recorded init arguments.
    init(initArguments: JSONObject) throws
    /// Loads parameters and buffers.
    mutating func load(stateDict: TensorDictionary) throws
}

extension DataFolio {
    /// Adds a PyTorch state dict as a `pytorch_model` item: a `.pt` file that
    /// `torch.load(path, weights_only=True)` loads, holding
    /// `{"state_dict": OrderedDict, "metadata": {"model_class", "model_module", "init_args"}}`
    /// so Python can rebuild the module.
    ///
    /// ```swift
    /// try folio.addPyTorch("net", stateDict: weights, modelClass: "Net", modelModule: "models",
    ///                      initArguments: ["input_dim": 10], inputs: ["clean"])
    /// ```
    @discardableResult
    public func addPyTorch(
        _ name: String, stateDict: TensorDictionary, modelClass: String? = nil, modelModule: String? = nil,
        initArguments: JSONObject = [:], hyperparameters: JSONObject? = nil, description: String? = nil, inputs: [String] = [],
        overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let className = modelClass ?? "Module"
        let checkpoint = TorchModelCheckpoint(
            stateDictionary: stateDict, modelClass: className, modelModule: modelModule ?? "__main__",
            initArguments: .object(initArguments))
        let archive = name.split(separator: "/").last.map(String.init) ?? "archive"
        let new = NewItem(name: name, kind: .pytorchModel, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".pt")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.writePayload(at: path) { writer throws(DataFolioError) in
                try TorchFile.write(checkpoint.torchValue, to: writer, archiveName: PyTorchItem.archiveName(archive))
            }
            var extras: JSONObject = [:]
            if !initArguments.isEmpty { extras["init_args"] = .object(initArguments) }
            if let hyperparameters { extras["hyperparameters"] = .object(hyperparameters) }
            return KindFields(
                fields: [
                    "checksum": .string(written.md5),
                    "model_type": .string(className),
                    "torch_version": .string("datafolio-swift \(DataFolio.version)"),
                    "created_at": .string(ISOTimestamp.now()),
                ],
                extras: extras)
        }
    }

    /// A PyTorch item's state dict and metadata.
    public func pyTorch(_ name: String) throws(DataFolioError) -> PyTorchModel {
        let item = try requireItem(name, kinds: [.pytorchModel], wanted: "a PyTorch model")
        return try PyTorchItem.model(of: item, in: self)
    }

    /// A Swift network rebuilt from a PyTorch item: `Model(initArguments:)`, then
    /// `load(stateDict:)`.
    public func pyTorch<Model: PyTorchLoadable>(_ name: String, as type: Model.Type) throws(DataFolioError) -> Model {
        let stored = try pyTorch(name)
        do {
            var model = try Model(initArguments: stored.initArguments)
            try model.load(stateDict: stored.stateDict)
            return model
        } catch let error as DataFolioError {
            throw error
        } catch {
            throw DataFolioError(.typeMismatch, "\(Model.self) could not be rebuilt from '\(name)': \(error)")
        }
    }
}

/// `pytorch_model` items.
enum PyTorchItem: ItemKind {
    static let name = ItemKindName.pytorchModel

    /// Archive folder names inside the zip must be plain names.
    static func archiveName(_ itemName: String) -> String {
        let cleaned = String(itemName.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        return cleaned.isEmpty ? "archive" : cleaned
    }

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue {
        .model(.pytorch(try model(of: item, in: folio)))
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
