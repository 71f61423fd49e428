import DataFolioJSON
import DataFolioTable

/// Builds the `pandas` key-value metadata that lets pandas restore column dtypes.
enum PandasMetadataBuilder {
    /// The pandas version whose metadata layout is written.
    static let pandasVersion = "2.2.0"

    /// What the writer learned about a column across everything written.
    struct ColumnFacts {
        var name: String
        var type: ColumnType
        var hasNulls: Bool
        var categoryCount: Int
    }

    /// The JSON text for `columns`; `indexColumns` names the stored index columns.
    static func json(columns: [ColumnFacts], indexColumns: [String]) -> String {
        var entries: [JSONValue] = []
        // pandas lists data columns first and index columns last.
        let ordered = columns.filter { !indexColumns.contains($0.name) } + indexColumns.compactMap { name in
            columns.first { $0.name == name }
        }
        for column in ordered {
            let (pandasType, numpyType, metadata) = describe(column)
            entries.append(
                .object(
                    JSONObject([
                        ("name", .string(column.name)),
                        ("field_name", .string(column.name)),
                        ("pandas_type", .string(pandasType)),
                        ("numpy_type", .string(numpyType)),
                        ("metadata", metadata),
                    ])))
        }
        let root = JSONValue.object(
            JSONObject([
                ("index_columns", .array(indexColumns.map { .string($0) })),
                (
                    "column_indexes",
                    .array([
                        .object(
                            JSONObject([
                                ("name", .null),
                                ("field_name", .null),
                                ("pandas_type", "unicode"),
                                ("numpy_type", "object"),
                                ("metadata", .object(JSONObject([("encoding", "UTF-8")]))),
                            ]))
                    ])
                ),
                ("columns", .array(entries)),
                ("attributes", .object(JSONObject())),
                (
                    "creator",
                    .object(
                        JSONObject([
                            ("library", "datafolio-swift"), ("version", .string(ParquetWriteOptions.libraryVersion)),
                        ]))
                ),
                ("pandas_version", .string(pandasVersion)),
            ]))
        return root.formatted(indented: false)
    }

    /// pandas_type, numpy_type and metadata of one column.
    private static func describe(_ column: ColumnFacts) -> (String, String, JSONValue) {
        func integer(_ name: String) -> (String, String, JSONValue) {
            // Integers with nulls become pandas' nullable dtypes (Int64, UInt8, …).
            let nullable = name.hasPrefix("uint") ? "UInt" + name.dropFirst(4) : "Int" + name.dropFirst(3)
            return (name, column.hasNulls ? nullable : name, .null)
        }
        switch column.type {
        case .bool: return ("bool", column.hasNulls ? "boolean" : "bool", .null)
        case .int8: return integer("int8")
        case .int16: return integer("int16")
        case .int32: return integer("int32")
        case .int64: return integer("int64")
        case .uint8: return integer("uint8")
        case .uint16: return integer("uint16")
        case .uint32: return integer("uint32")
        case .uint64: return integer("uint64")
        case .float16: return ("float16", "float16", .null)
        case .float32: return ("float32", "float32", .null)
        case .float64: return ("float64", "float64", .null)
        case .string: return ("unicode", "object", .null)
        case .binary, .fixedSizeBinary: return ("bytes", "object", .null)
        case .date: return ("date", "object", .null)
        case .timestamp(let unit, let timeZone):
            let storedUnit = unit == .second ? "ms" : unit.rawValue
            if let timeZone {
                return ("datetimetz", "datetime64[\(storedUnit)]", .object(JSONObject([("timezone", .string(timeZone))])))
            }
            return ("datetime", "datetime64[\(storedUnit)]", .null)
        case .decimal(let precision, let scale):
            return ("decimal", "object", .object(JSONObject([("precision", .int(Int64(precision))), ("scale", .int(Int64(scale)))])))
        case .dictionary(_, let ordered):
            return (
                "categorical", "int32",
                .object(JSONObject([("num_categories", .int(Int64(column.categoryCount))), ("ordered", .bool(ordered))]))
            )
        case .list(let element):
            return ("list[\(pandasElementName(element))]", "object", .null)
        case .largeList, .fixedSizeList, .struct, .map:
            // What pyarrow writes for these: pandas holds them as Python objects.
            return ("object", "object", .null)
        }
    }

    private static func pandasElementName(_ type: ColumnType) -> String {
        switch type {
        case .bool: "bool"
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: type.arrowName
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case .string: "unicode"
        case .binary, .fixedSizeBinary: "bytes"
        case .date: "date"
        case .timestamp: "datetime"
        case .decimal: "decimal"
        case .dictionary: "categorical"
        case .list(let inner): "list[\(pandasElementName(inner))]"
        case .largeList, .fixedSizeList, .struct, .map: "object"
        }
    }
}
