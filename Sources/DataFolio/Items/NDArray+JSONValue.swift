import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import Foundation

extension NDArray {
    /// The array as nested JSON lists in row-major order: booleans, integers, numbers
    /// (float16/bfloat16 widened; NaN written as `null`), `[real, imaginary]` pairs for
    /// complex numbers, strings for text and bytes (UTF-8), and ISO 8601 strings for
    /// `datetime64` (raw counts for `timedelta64`). A 0-d array gives a single value.
    ///
    /// ```swift
    /// let matrix = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Int64])
    /// print(try matrix.jsonValue())   // [[1,2],[3,4]]
    /// ```
    public func jsonValue() throws(DataFolioError) -> JSONValue {
        let flat = try flatJSONValues()
        func nest(_ dimension: Int, _ offset: Int) -> (JSONValue, Int) {
            if dimension == shape.count { return (flat[offset], 1) }
            var elements = [JSONValue]()
            elements.reserveCapacity(shape[dimension])
            var consumed = 0
            for _ in 0..<shape[dimension] {
                let (value, used) = nest(dimension + 1, offset + consumed)
                elements.append(value)
                consumed += used
            }
            return (.array(elements), max(consumed, 0))
        }
        if shape.contains(0) {
            func empty(_ dimension: Int) -> JSONValue {
                if dimension == shape.count - 1 || shape[dimension] == 0 { return .array([]) }
                return .array(Array(repeating: empty(dimension + 1), count: shape[dimension]))
            }
            return empty(0)
        }
        return nest(0, 0).0
    }

    private func flatJSONValues() throws(DataFolioError) -> [JSONValue] {
        switch dtype.kind {
        case .bool:
            return try values(as: Bool.self).map(JSONValue.bool)
        case .signedInteger:
            return try doubleValuesAsIntegers()
        case .unsignedInteger:
            if dtype.itemSize == 8 {
                return try values(as: UInt64.self).map { $0 <= UInt64(Int64.max) ? .int(Int64($0)) : .double(Double($0)) }
            }
            return try doubleValuesAsIntegers()
        case .float, .bfloat16:
            return try doubleValues().map(JSONValue.double)
        case .complex:
            let parts: [JSONValue] = dtype.itemSize == 8
                ? try NDArray(shape: [count * 2], dtype: .float32, bytes: rowMajor().nativeByteOrder().withUnsafeBytes { Array($0) }).doubleValues().map(JSONValue.double)
                : try NDArray(shape: [count * 2], dtype: .float64, bytes: rowMajor().nativeByteOrder().withUnsafeBytes { Array($0) }).doubleValues().map(JSONValue.double)
            return stride(from: 0, to: parts.count, by: 2).map { .array([parts[$0], parts[$0 + 1]]) }
        case .unicode, .bytes:
            return try strings().map(JSONValue.string)
        case .datetime:
            let unit = dtype.timeUnit ?? .generic
            return try values(as: Int64.self).map { raw in
                if raw == Int64.min { return .null }
                if let text = NDArray.datetimeText(raw, unit: unit, multiplier: dtype.timeUnitCount) {
                    return .string(text)
                }
                return .int(raw)
            }
        case .timedelta:
            return try values(as: Int64.self).map { $0 == Int64.min ? .null : .int($0) }
        }
    }

    private func doubleValuesAsIntegers() throws(DataFolioError) -> [JSONValue] {
        switch dtype.itemSize {
        case 1 where dtype.kind == .signedInteger: return try values(as: Int8.self).map { .int(Int64($0)) }
        case 1: return try values(as: UInt8.self).map { .int(Int64($0)) }
        case 2 where dtype.kind == .signedInteger: return try values(as: Int16.self).map { .int(Int64($0)) }
        case 2: return try values(as: UInt16.self).map { .int(Int64($0)) }
        case 4 where dtype.kind == .signedInteger: return try values(as: Int32.self).map { .int(Int64($0)) }
        case 4: return try values(as: UInt32.self).map { .int(Int64($0)) }
        default: return try values(as: Int64.self).map(JSONValue.int)
        }
    }
}
