import DataFolioSupport
import Foundation

extension ColumnType {
    /// Reads a type name the way people write them on a command line (`--dtype zip=string`):
    /// Arrow's names as ``arrowName`` prints them (`int64`, `double`, `string`,
    /// `date32[day]`, `timestamp[us, tz=UTC]`, `decimal128(10, 2)`), and the usual
    /// pandas and NumPy spellings (`str`, `object`, `Int64`, `float`, `float64`, `boolean`,
    /// `bool`, `date`, `datetime`, `datetime64[ns]`, `category`, `binary`, `bytes`).
    /// Case and spaces do not matter. `float` means `float64`, as in pandas and NumPy
    /// (Arrow prints `float32` as `float`); write `float32` for single precision.
    ///
    /// ```swift
    /// let zip = try ColumnType(parsing: "string")                 // .string
    /// let price = try ColumnType(parsing: "decimal(10,2)")        // .decimal(precision: 10, scale: 2)
    /// let at = try ColumnType(parsing: "timestamp[ms, tz=UTC]")   // .timestamp(.millisecond, timeZone: "UTC")
    /// ```
    /// - Throws: `invalidArgument` listing the names it knows.
    public init(parsing text: String) throws(DataFolioError) {
        let name = String(text.lowercased().filter { !$0.isWhitespace })
        func failure() -> DataFolioError {
            DataFolioError(
                .invalidArgument,
                "'\(text)' is not a column type. Use one of: string, int8…int64, uint8…uint64, float32, float64, bool, "
                    + "date, timestamp[s|ms|us|ns] (with , tz=ZONE), decimal(P,S), binary, category.")
        }
        switch name {
        case "string", "str", "utf8", "object", "text", "large_string": self = .string
        case "binary", "bytes", "large_binary": self = .binary
        case "bool", "boolean": self = .bool
        case "int8": self = .int8
        case "int16": self = .int16
        case "int32": self = .int32
        case "int64", "int", "integer", "long": self = .int64
        case "uint8": self = .uint8
        case "uint16": self = .uint16
        case "uint32": self = .uint32
        case "uint64": self = .uint64
        case "float16", "halffloat", "half": self = .float16
        case "float32": self = .float32
        case "float64", "double", "float": self = .float64
        case "date", "date32", "date32[day]": self = .date
        case "datetime", "timestamp", "datetime64": self = .timestamp(.microsecond, timeZone: nil)
        case "category", "categorical", "dictionary": self = .dictionary(.string, ordered: false)
        default:
            if let inside = ColumnType.bracketed(name, prefixes: ["timestamp[", "datetime64["]) {
                let parts = inside.split(separator: ",", maxSplits: 1).map(String.init)
                guard let unit = ColumnType.TimeUnit(rawValue: parts.first ?? "") else { throw failure() }
                var zone: String?
                if parts.count == 2 {
                    guard parts[1].hasPrefix("tz=") else { throw failure() }
                    // Keep the zone's own spelling (Europe/Oslo), not the lowered one.
                    let original = text.filter { !$0.isWhitespace }
                    guard let marker = original.range(of: "tz=", options: .caseInsensitive) else { throw failure() }
                    zone = String(original[marker.upperBound...].dropLast())
                }
                self = .timestamp(unit, timeZone: zone)
            } else if let inside = ColumnType.bracketed(name, prefixes: ["decimal(", "decimal128(", "numeric("]) {
                let parts = inside.split(separator: ",").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 1, parts[0] <= 38, parts[1] >= 0, parts[1] <= parts[0] else { throw failure() }
                self = .decimal(precision: parts[0], scale: parts[1])
            } else if name.hasPrefix("fixed_size_binary["), let width = Int(name.dropFirst(18).dropLast()), width >= 0 {
                self = .fixedSizeBinary(width)
            } else {
                throw failure()
            }
        }
    }

    /// The text between one of `prefixes` and the closing bracket that ends `name`.
    private static func bracketed(_ name: String, prefixes: [String]) -> String? {
        for prefix in prefixes where name.hasPrefix(prefix) && (name.hasSuffix("]") || name.hasSuffix(")")) {
            return String(name.dropFirst(prefix.count).dropLast())
        }
        return nil
    }
}
