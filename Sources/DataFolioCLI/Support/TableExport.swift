import DataFolio
import Foundation

/// Tables as JSON for `export` and `head --json`: a list of row objects.
enum TableExport {
    static func json(_ table: Table, rows: Range<Int>? = nil) -> JSONValue {
        let range = rows ?? 0..<table.rowCount
        return .array(range.map { row in
            .object(JSONObject(table.rowValues(row).map { ($0.name, value($0.value.exportValue)) }))
        })
    }

    static func value(_ value: TableValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .uint(let number): return number <= UInt64(Int64.max) ? .int(Int64(number)) : .double(Double(number))
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .binary(let bytes): return .string(Data(bytes).base64EncodedString())
        case .decimal(let text): return .string(text)
        case .list(let values): return .array(values.map(self.value))
        default: return .string(value.description)
        }
    }
}
