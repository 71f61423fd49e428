import DataFolioJSON
import DataFolioSupport
import DataFolioTensors
import Foundation

/// A model as ``DataFolio/model(_:)`` returns it when no Swift type is named.
public enum ModelValue: Sendable {
    /// A Swift `Codable` model: its JSON encoding and the Swift type name recorded.
    case codable(JSONValue, typeName: String)
    /// A PyTorch state dict with its class, module and init arguments.
    case pytorch(PyTorchModel)
    /// A model saved by Python (scikit-learn via joblib or skops): only Python can
    /// load it; the file is at `path`.
    case python(format: String, modelType: String, path: URL)
}

extension DataFolio {
    /// Adds any `Codable` model (a linear model's coefficients, a decision tree, a
    /// tokenizer's vocabulary…) as a `model` item: its JSON encoding in
    /// `models/<name>--rN.json`, the Swift type name as `model_type`, and optional
    /// hyperparameters.
    ///
    /// ```swift
    /// struct LinearModel: Codable { var weights: [Double]; var bias: Double }
    /// try folio.addModel("classifier", LinearModel(weights: [0.5, -1], bias: 0.1),
    ///                    hyperparameters: ["l2": 0.01], inputs: ["clean"])
    /// let model: LinearModel = try folio.model("classifier")
    /// ```
    @discardableResult
    public func addModel<Model: Encodable>(
        _ name: String, _ model: Model, hyperparameters: JSONObject? = nil, description: String? = nil, inputs: [String] = [],
        overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let bytes = try JSONValueEncoder().encode(model).formattedBytes()
        let typeName = String(describing: Model.self)
        let new = NewItem(name: name, kind: .model, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".json")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.writePayload(at: path) { writer throws(DataFolioError) in try writer.write(bytes) }
            var extras: JSONObject = [:]
            if let hyperparameters { extras["hyperparameters"] = .object(hyperparameters) }
            return KindFields(
                fields: [
                    "checksum": .string(written.md5),
                    "model_type": .string(typeName),
                    "serialization_format": "json",
                    "created_at": .string(ISOTimestamp.now()),
                ],
                extras: extras)
        }
    }

    /// Adds a PyTorch model given as a state dict (see ``addPyTorch(_:stateDict:modelClass:modelModule:initArguments:hyperparameters:description:inputs:overwrite:)``).
    @discardableResult
    public func addModel(
        _ name: String, _ model: PyTorchModel, hyperparameters: JSONObject? = nil, description: String? = nil, inputs: [String] = [],
        overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        try addPyTorch(
            name, stateDict: model.stateDict, modelClass: model.modelClass, modelModule: model.modelModule,
            initArguments: model.initArguments, hyperparameters: hyperparameters, description: description, inputs: inputs,
            overwrite: overwrite)
    }

    /// A `Codable` model decoded as `Model`.
    ///
    /// - Throws: `wrongItemType` for items that are not models; `unsupportedFeature` for
    ///   a scikit-learn model saved by Python (the message gives the file to load in
    ///   Python).
    public func model<Model: Decodable>(_ name: String, as type: Model.Type = Model.self) throws(DataFolioError) -> Model {
        let item = try requireItem(name, kinds: [.model], wanted: "a model")
        return try ModelItem.decode(item, as: Model.self, in: self)
    }

    /// Any model item, as whatever it holds.
    public func model(_ name: String) throws(DataFolioError) -> ModelValue {
        let item = try requireItem(name, kinds: [.model, .pytorchModel], wanted: "a model")
        if item.kind == .pytorchModel { return .pytorch(try PyTorchItem.model(of: item, in: self)) }
        return try ModelItem.value(of: item, in: self)
    }
}

/// `model` items: Swift `Codable` models (JSON) and Python scikit-learn models
/// (joblib or skops files that only Python can load).
enum ModelItem: ItemKind {
    static let name = ItemKindName.model

    static func format(of item: CatalogItem) -> String {
        if let format = item.fields["serialization_format"]?.stringValue { return format }
        return item.filename?.hasSuffix(".skops") == true ? "skops" : "joblib"
    }

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue {
        .model(try value(of: item, in: folio))
    }

    static func value(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> ModelValue {
        let format = format(of: item)
        let modelType = item.fields["model_type"]?.stringValue ?? "unknown"
        guard format == "json" else {
            return .python(format: format, modelType: modelType, path: try folio.payloadFile(of: item))
        }
        let bytes = try folio.payloadBytes(of: item)
        let json = try JSONValue(parsing: bytes, options: JSONParsingOptions(sourceName: "The model '\(item.name)'"))
        return .codable(json, typeName: modelType)
    }

    static func decode<Value: Decodable>(_ item: CatalogItem, as type: Value.Type, in folio: DataFolio) throws(DataFolioError) -> Value {
        switch try value(of: item, in: folio) {
        case .codable(let json, _):
            return try JSONValueDecoder().decode(Value.self, from: json)
        case .python(let format, let modelType, let path):
            throw DataFolioError(
                .unsupportedFeature,
                "'\(item.name)' is a \(modelType) model saved by Python with \(format); only Python can load it (datafolio's get_model('\(item.name)') or \(format == "skops" ? "skops.io.load" : "joblib.load")). The file is \(path.path).",
                path: path.path)
        case .pytorch:
            throw DataFolioError.wrongType(item.name, is: "PyTorch model", wanted: "a Codable model")
        }
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        var lines = context.sizeAndInputs(item)
        if let hyperparameters = item.fields["hyperparameters"]?.objectValue, !hyperparameters.isEmpty {
            lines.append("hyperparameters: " + DescribeContext.keyValues(hyperparameters))
        }
        return lines
    }
}
