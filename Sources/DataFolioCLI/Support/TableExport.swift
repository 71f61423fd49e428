import DataFolio
import Foundation

/// Tables as JSON for `export` and `head --json`: a list of row objects (nested cells as
/// JSON objects and arrays).
enum TableExport {
    static func json(_ table: Table, rows: Range<Int>? = nil) -> JSONValue {
        let range = rows ?? 0..<table.rowCount
        return .array(range.map { row in
            .object(JSONObject(table.columns.map { ($0.name, $0.jsonValue(at: row)) }))
        })
    }
}
