import DataFolioJSON
import DataFolioSupport
import Foundation

extension DataFolio {
    /// Adds a JSON value: settings, metrics, small lists.
    ///
    /// The value is written as `artifacts/<name>--rN.json` in the same layout the Python
    /// datafolio uses. JSON has no NaN or infinity, so a value holding one is refused
    /// (Python would silently write `null`).
    ///
    /// ```swift
    /// try folio.add("config", ["lr": 0.01, "layers": [64, 32]], description: "Training settings")
    /// try folio.add("accuracy", 0.95, inputs: ["model"])
    /// ```
    ///
    /// - Parameters:
    ///   - name: The item name (`/` separates namespaces, e.g. `"runs/a/config"`).
    ///   - value: The value.
    ///   - description: One sentence about the item. On overwrite, `nil` keeps the old
    ///     description and `""` removes it.
    ///   - inputs: Names of the items this one was made from.
    ///   - overwrite: Whether to replace an existing item of that name.
    /// - Returns: The new catalog entry.
    @discardableResult
    public func add(
        _ name: String, _ value: JSONValue, description: String? = nil, inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        try addJSON(name, value, dataType: value.pythonTypeName, description: description, inputs: inputs, overwrite: overwrite)
    }

    /// Adds any `Encodable` value as JSON: a struct becomes an object of its fields (in
    /// declaration order; dictionaries with sorted keys), and the catalog records the
    /// Swift type name as `data_type`.
    ///
    /// The `json:` label is required so that values with a more natural form are not
    /// stored as JSON by accident: rows go to ``add(_:rows:description:inputs:overwrite:)-74d9p``
    /// (a table), numbers to an `NDArray`.
    ///
    /// ```swift
    /// struct RunSettings: Codable { var seed: Int; var epochs: Int }
    /// try folio.add("run", json: RunSettings(seed: 7, epochs: 20))
    /// let run = try folio.get("run", as: RunSettings.self)
    /// ```
    @discardableResult
    public func add<Value: Encodable>(
        _ name: String, json value: Value, description: String? = nil, inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let json = try JSONValueEncoder().encode(value)
        var dataType = json.pythonTypeName
        if case .object = json, !(value is [String: any Encodable]) {
            dataType = String(describing: Value.self)
        }
        return try addJSON(name, json, dataType: dataType, description: description, inputs: inputs, overwrite: overwrite)
    }

    func addJSON(
        _ name: String, _ value: JSONValue, dataType: String, description: String?, inputs: [String], overwrite: Bool
    ) throws(DataFolioError) -> CatalogItem {
        if let path = value.firstNonFiniteNumberPath {
            throw DataFolioError(
                .invalidArgument,
                "The value for '\(name)' holds NaN or infinity at \(path), which JSON cannot store. Replace it with null or a string (nothing was written).",
                path: name)
        }
        let bytes = value.formattedBytes()
        let new = NewItem(name: name, kind: .jsonData, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".json")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.writePayload(at: path) { writer throws(DataFolioError) in try writer.write(bytes) }
            return KindFields(fields: [
                "checksum": .string(written.md5),
                "data_type": .string(dataType),
                "created_at": .string(ISOTimestamp.now()),
            ])
        }
    }
}

/// `json_data` items: any JSON value.
enum JSONItem: ItemHandler {
    static let kind = ItemKind.jsonData
    static let describeSection = DescribeSection.json

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        .json(try value(of: item, in: folio))
    }

    static func value(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> JSONValue {
        let bytes = try folio.payloadBytes(of: item)
        return try JSONValue(parsing: bytes, options: JSONParsingOptions(sourceName: "The JSON of item '\(item.name)'"))
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        var lines = ["type: \(item.field("data_type")?.stringValue ?? "unknown")"]
        lines += context.sizeAndInputs(item)
        return lines
    }
}
