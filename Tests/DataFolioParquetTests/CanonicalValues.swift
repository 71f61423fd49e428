import DataFolioJSON
import DataFolioSupport
import DataFolioTable
import Foundation
import Testing

/// The canonical form of column values shared with `Fixtures/parquet_dump.py`, so that
/// values read by Swift compare exactly with values read by the Python tools.
enum CanonicalValues {
    static func float(_ value: Double) -> JSONValue {
        value.isNaN ? .string("nan") : .string("f:\(value.bitPattern)")
    }

    /// Canonical values of every row of `column`.
    static func values(of column: Column) -> [JSONValue] {
        (0..<column.count).map { value(of: column, at: $0) }
    }

    static func value(of column: Column, at row: Int) -> JSONValue {
        if column.isNull(row) { return .null }
        switch column.data {
        case .bool(let v): return .bool(v[row])
        case .int8(let v): return .int(Int64(v[row]))
        case .int16(let v): return .int(Int64(v[row]))
        case .int32(let v): return .int(Int64(v[row]))
        case .int64(let v):
            if case .timestamp(let unit, _) = column.type {
                let (nanoseconds, overflow) = v[row].multipliedReportingOverflow(by: 1_000_000_000 / unit.perSecond)
                return overflow ? .string("\(unit.rawValue):\(v[row])") : .int(nanoseconds)
            }
            return .int(v[row])
        case .uint8(let v): return .int(Int64(v[row]))
        case .uint16(let v): return .int(Int64(v[row]))
        case .uint32(let v): return .int(Int64(v[row]))
        case .uint64(let v): return .string(String(v[row]))
        case .float16(let v): return .string("h:\(v[row])")
        case .float32(let v): return float(Double(v[row]))
        case .float64(let v): return float(v[row])
        case .bytes(let offsets, let values):
            let slice = values[Int(offsets[row])..<Int(offsets[row + 1])]
            if column.type == .string { return .string(String(decoding: slice, as: UTF8.self)) }
            return .string(hex(slice))
        case .fixedBytes(let width, let values):
            if case .decimal = column.type, case .decimal(let text) = column[row] { return .string(text) }
            return .string(hex(values[(row * width)..<((row + 1) * width)]))
        case .dictionary(let indices, let dictionary):
            return value(of: dictionary, at: Int(indices[row]))
        case .list(let offsets, let values):
            let range = Int(offsets[row])..<Int(offsets[row + 1])
            if case .map = column.type, case .struct(let parts) = values.data, parts.count == 2 {
                return .array(range.map { .array([value(of: parts[0], at: $0), value(of: parts[1], at: $0)]) })
            }
            return .array(range.map { value(of: values, at: $0) })
        case .struct(let children):
            return .object(JSONObject(children.map { ($0.name, value(of: $0, at: row)) }))
        }
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Compares a table with the canonical JSON object `{column: [values]}` and records
    /// an issue naming the first difference of each column.
    static func expect(
        _ table: Table, equals expected: JSONValue, context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let object = expected.objectValue else {
            Issue.record("\(context): expected values are not a JSON object", sourceLocation: sourceLocation)
            return
        }
        #expect(table.columnNames == object.keys, "\(context): column names", sourceLocation: sourceLocation)
        for (name, values) in object {
            guard let column = table[name] else { continue }
            let actual = CanonicalValues.values(of: column)
            guard let wanted = values.arrayValue else { continue }
            if actual.count != wanted.count {
                Issue.record("\(context): column '\(name)' has \(actual.count) rows, expected \(wanted.count)", sourceLocation: sourceLocation)
                continue
            }
            if let index = actual.indices.first(where: { !same(actual[$0], wanted[$0]) }) {
                Issue.record(
                    "\(context): column '\(name)' (\(column.type.arrowName)) row \(index): \(actual[index]) ≠ expected \(wanted[index])",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// Equality that treats integral doubles from the JSON parser as integers.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.keys == y.keys && zip(x.members, y.members).allSatisfy { same($0.value, $1.value) }
        default: return a == b
        }
    }
}
