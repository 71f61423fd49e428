import DataFolioJSON
import DataFolioSupport

/// What the `pandas` key-value metadata says about the stored columns, reduced to what
/// changes how a column is read.
struct PandasMetadata: Sendable {
    /// A column's entry in the metadata.
    struct ColumnInfo: Sendable {
        var name: String?
        var fieldName: String
        var pandasType: String
        var numpyType: String
        /// The time zone of a `datetimetz` column.
        var timeZone: String?
        /// Whether a `categorical` column is ordered.
        var ordered: Bool
    }

    /// Field names of stored index columns (RangeIndex descriptors are dropped).
    var indexColumns: [String] = []
    /// Column entries by field name.
    var columns: [String: ColumnInfo] = [:]

    /// Parses the JSON text; returns `nil` when it is not usable pandas metadata (a
    /// broken `pandas` key must not make the file unreadable).
    init?(json: String) {
        guard let value = try? JSONValue(parsing: json, options: JSONParsingOptions(maximumDepth: 64, sourceName: "pandas metadata")),
            let object = value.objectValue
        else { return nil }
        for entry in object["index_columns"]?.arrayValue ?? [] {
            if let name = entry.stringValue { indexColumns.append(name) }
        }
        for entry in object["columns"]?.arrayValue ?? [] {
            guard let column = entry.objectValue else { continue }
            let fieldName = column["field_name"]?.stringValue ?? column["name"]?.stringValue
            guard let fieldName else { continue }
            let metadata = column["metadata"]?.objectValue
            columns[fieldName] = ColumnInfo(
                name: column["name"]?.stringValue,
                fieldName: fieldName,
                pandasType: column["pandas_type"]?.stringValue ?? "",
                numpyType: column["numpy_type"]?.stringValue ?? "",
                timeZone: metadata?["timezone"]?.stringValue,
                ordered: metadata?["ordered"]?.boolValue ?? false)
        }
    }
}
