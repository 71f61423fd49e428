import DataFolioJSON
import DataFolioSupport
import Foundation

extension DataFolio {
    /// Adds any `Codable` model (a linear model's coefficients, a decision tree, a
    /// tokenizer's vocabulary…) as a `model` item: its JSON encoding in
    /// `models/<name>--rN.json`, the Swift type name as `model_type`, and optional
    /// hyperparameters.
    ///
    /// ```swift
    /// struct LinearModel: Codable { var weights: [Double]; var bias: Double }
    /// try folio.add("classifier", model: LinearModel(weights: [0.5, -1], bias: 0.1),
    ///               hyperparameters: ["l2": 0.01], inputs: ["clean"])
    /// let model = try folio.get("classifier", as: LinearModel.self)
    /// ```
    @discardableResult
    public func add<Model: Encodable>(
        _ name: String, model: Model, hyperparameters: JSONObject? = nil, description: String? = nil, inputs: [String] = [],
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
}

/// `model` items: Swift `Codable` models (JSON) and Python scikit-learn models
/// (joblib or skops files that only Python can load). PyTorch weights are models too;
/// ``PyTorchItem`` reads them.
enum ModelItem: ItemHandler {
    static let kind = ItemKind.model
    static let describeSection = DescribeSection.models

    static func format(of item: CatalogItem) -> String {
        if let format = item.fields["serialization_format"]?.stringValue { return format }
        return item.filename?.hasSuffix(".skops") == true ? "skops" : "joblib"
    }

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        let format = format(of: item)
        let modelType = item.fields["model_type"]?.stringValue ?? "unknown"
        guard format == "json" else {
            return .model(ModelValue(format: format, modelType: modelType, fileURL: try? folio.payloadFile(of: item)))
        }
        let bytes = try folio.payloadBytes(of: item)
        let json = try JSONValue(parsing: bytes, options: JSONParsingOptions(sourceName: "The model '\(item.name)'"))
        return .model(ModelValue(format: format, modelType: modelType, json: json))
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        var lines = context.sizeAndInputs(item)
        if let hyperparameters = item.fields["hyperparameters"]?.objectValue, !hyperparameters.isEmpty {
            lines.append("hyperparameters: " + DescribeContext.keyValues(hyperparameters))
        }
        return lines
    }
}
