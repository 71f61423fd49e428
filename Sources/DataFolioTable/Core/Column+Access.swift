import DataFolioSupport
import Foundation

extension Column {
    /// The cell at `row`, ``TableValue/null`` for nulls. An index out of range traps, like `Array`.
    ///
    /// ```swift
    /// let column = Column(name: "n", [1, nil] as [Int8?])
    /// column[0]   // .int(1)
    /// column[1]   // .null
    /// ```
    public subscript(row: Int) -> TableValue {
        precondition(row >= 0 && row < count, "Column row \(row) out of range 0..<\(count)")
        if let validity, !validity[row] { return .null }
        return value(at: row)
    }

    /// The value at `row` ignoring validity.
    private func value(at row: Int) -> TableValue {
        switch data {
        case .bool(let v): return .bool(v[row])
        case .int8(let v): return .int(Int64(v[row]))
        case .int16(let v): return .int(Int64(v[row]))
        case .int32(let v):
            if case .date = type { return .date(daysSinceEpoch: v[row]) }
            return .int(Int64(v[row]))
        case .int64(let v):
            if case .timestamp(let unit, let timeZone) = type { return .timestamp(v[row], unit, timeZone: timeZone) }
            return .int(v[row])
        case .uint8(let v): return .uint(UInt64(v[row]))
        case .uint16(let v): return .uint(UInt64(v[row]))
        case .uint32(let v): return .uint(UInt64(v[row]))
        case .uint64(let v): return .uint(v[row])
        case .float16(let v): return .double(Double(HalfPrecision.float(fromFloat16: v[row])))
        case .float32(let v): return .double(Double(v[row]))
        case .float64(let v): return .double(v[row])
        case .bytes(let offsets, let values):
            let slice = values[Int(offsets[row])..<Int(offsets[row + 1])]
            if case .string = type { return .string(String(decoding: slice, as: UTF8.self)) }
            return .binary(Array(slice))
        case .fixedBytes(let width, let values):
            if case .decimal(_, let scale) = type {
                return .decimal(values.withUnsafeBufferPointer { Decimal128.text($0, at: row * 16, scale: scale) })
            }
            return .binary(Array(values[row * width..<(row + 1) * width]))
        case .dictionary(let indices, let dictionary):
            return dictionary[Int(indices[row])]
        case .list(let offsets, let values):
            let range = Int(offsets[row])..<Int(offsets[row + 1])
            if case .map = type, case .struct(let parts) = values.data, parts.count == 2 {
                return .map(range.map { (parts[0][$0], parts[1][$0]) })
            }
            return .list(range.map { values[$0] })
        case .struct(let children):
            return .struct(children.map { ($0.name, $0[row]) })
        }
    }

    /// All cells, in row order.
    public var values: [TableValue] {
        (0..<count).map { self[$0] }
    }

    /// The values as an array of `T`, `nil` for nulls.
    ///
    /// A column stored as exactly `T` is read directly; other columns are converted
    /// cell by cell when that loses nothing (an `int32` column as `Int64`, an `int64`
    /// column as `Double` when each value is exact).
    ///
    /// ```swift
    /// let ids = try table["id"]?.values(as: Int64.self)
    /// ```
    /// - Throws: `typeMismatch` naming the first value that does not convert.
    public func values<T: ColumnScalar>(as _: T.Type) throws(DataFolioError) -> [T?] {
        if let plain = T.values(in: data), T.columnType == type || (T.self == Int.self && type == .int64) {
            guard let validity else { return plain.map { $0 } }
            return plain.enumerated().map { i, value in validity[i] ? value : nil }
        }
        var result = [T?]()
        result.reserveCapacity(count)
        for row in 0..<count {
            let cell = self[row]
            if case .null = cell {
                result.append(nil)
                continue
            }
            guard let converted = T(exactly: cell) else {
                throw DataFolioError(
                    .typeMismatch,
                    "Column '\(name)' (\(type.arrowName)), row \(row): \(cell) cannot be read as \(T.self) without loss.")
            }
            result.append(converted)
        }
        return result
    }

    /// The values as `Int64`, converting from any integer type (and from exact doubles).
    /// - Throws: `typeMismatch` when a value is not an integer that fits.
    public func int64s() throws(DataFolioError) -> [Int64?] { try values(as: Int64.self) }

    /// The values as `Double`, converting from any numeric type (large integers may round).
    /// - Throws: `typeMismatch` when the column is not numeric.
    public func doubles() throws(DataFolioError) -> [Double?] {
        if case .float64 = type { return try values(as: Double.self) }
        guard type.isNumeric else {
            throw DataFolioError(.typeMismatch, "Column '\(name)' is \(type.arrowName), not numeric; it cannot be read as doubles.")
        }
        return values.map { cell -> Double? in
            switch cell {
            case .double(let v): v
            case .int(let v): Double(v)
            case .uint(let v): Double(v)
            case .decimal(let text): Double(text)
            default: nil
            }
        }
    }

    /// The values as `Bool`.
    /// - Throws: `typeMismatch` when the column is not `bool`.
    public func bools() throws(DataFolioError) -> [Bool?] {
        guard case .bool = type else {
            throw DataFolioError(.typeMismatch, "Column '\(name)' is \(type.arrowName), not bool.")
        }
        return try values(as: Bool.self)
    }

    /// The values as text: strings and categories as they are, other types as their
    /// ``TableValue/description`` (so this never fails); `nil` for nulls.
    ///
    /// ```swift
    /// let names = table["name"]?.strings() ?? []
    /// ```
    public func strings() -> [String?] {
        if case .bytes(let offsets, let bytes) = data, case .string = type {
            return bytes.withUnsafeBufferPointer { buffer in
                (0..<count).map { row -> String? in
                    if let validity, !validity[row] { return nil }
                    let slice = UnsafeBufferPointer(rebasing: buffer[Int(offsets[row])..<Int(offsets[row + 1])])
                    return String(decoding: slice, as: UTF8.self)
                }
            }
        }
        if case .dictionary(let indices, let dictionary) = data {
            let distinct = dictionary.strings()
            return (0..<count).map { row -> String? in
                if let validity, !validity[row] { return nil }
                return distinct[Int(indices[row])]
            }
        }
        return values.map { cell -> String? in
            if case .null = cell { return nil }
            return cell.description
        }
    }

    /// The values as bytes: binary and fixed-size binary as they are, strings as UTF-8.
    /// - Throws: `typeMismatch` for other types.
    public func binaries() throws(DataFolioError) -> [[UInt8]?] {
        switch type {
        case .binary, .string, .fixedSizeBinary: break
        default: throw DataFolioError(.typeMismatch, "Column '\(name)' is \(type.arrowName), not binary.")
        }
        return values.map { cell -> [UInt8]? in
            switch cell {
            case .binary(let v): v
            case .string(let v): Array(v.utf8)
            default: nil
            }
        }
    }

    /// The values of a date or timestamp column as `Date`.
    /// - Throws: `typeMismatch` for other types.
    public func dates() throws(DataFolioError) -> [Date?] {
        switch type {
        case .date, .timestamp: return values.map(\.dateValue)
        default: throw DataFolioError(.typeMismatch, "Column '\(name)' is \(type.arrowName), not a date or timestamp.")
        }
    }

    /// The values of a decimal column as exact text such as `"-12.50"`.
    /// - Throws: `typeMismatch` for other types.
    public func decimalStrings() throws(DataFolioError) -> [String?] {
        guard case .decimal = type else {
            throw DataFolioError(.typeMismatch, "Column '\(name)' is \(type.arrowName), not a decimal.")
        }
        return strings()
    }

    /// A copy of the rows in `range`. A range outside `0..<count` traps, like `Array`.
    public func rows(_ range: Range<Int>) -> Column {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "Column rows \(range) out of range 0..<\(count)")
        let sliced: ColumnData
        switch data {
        case .bool(let v): sliced = .bool(Array(v[range]))
        case .int8(let v): sliced = .int8(Array(v[range]))
        case .int16(let v): sliced = .int16(Array(v[range]))
        case .int32(let v): sliced = .int32(Array(v[range]))
        case .int64(let v): sliced = .int64(Array(v[range]))
        case .uint8(let v): sliced = .uint8(Array(v[range]))
        case .uint16(let v): sliced = .uint16(Array(v[range]))
        case .uint32(let v): sliced = .uint32(Array(v[range]))
        case .uint64(let v): sliced = .uint64(Array(v[range]))
        case .float16(let v): sliced = .float16(Array(v[range]))
        case .float32(let v): sliced = .float32(Array(v[range]))
        case .float64(let v): sliced = .float64(Array(v[range]))
        case .bytes(let offsets, let values):
            let start = offsets[range.lowerBound]
            let end = offsets[range.upperBound]
            sliced = .bytes(
                offsets: offsets[range.lowerBound...range.upperBound].map { $0 - start },
                values: Array(values[Int(start)..<Int(end)]))
        case .fixedBytes(let width, let values):
            sliced = .fixedBytes(width: width, values: Array(values[range.lowerBound * width..<range.upperBound * width]))
        case .dictionary(let indices, let dictionary):
            sliced = .dictionary(indices: Array(indices[range]), dictionary: dictionary)
        case .list(let offsets, let values):
            let start = offsets[range.lowerBound]
            let end = offsets[range.upperBound]
            sliced = .list(
                offsets: offsets[range.lowerBound...range.upperBound].map { $0 - start },
                values: values.rows(Int(start)..<Int(end)))
        case .struct(let children):
            sliced = .struct(children.map { $0.rows(range) })
        }
        return Column(unchecked: name, type: type, count: range.count, data: sliced, validity: validity?.slice(range))
    }
}

extension Column: Equatable {
    /// Columns are equal when their names, types, nulls and the values at non-null rows
    /// are equal; values stored at null positions are ignored and NaN equals NaN.
    public static func == (lhs: Column, rhs: Column) -> Bool {
        guard lhs.name == rhs.name, lhs.type == rhs.type, lhs.count == rhs.count,
            lhs.nullCount == rhs.nullCount, lhs.validity == rhs.validity
        else { return false }
        return lhs.sameValues(as: rhs)
    }

    /// Whether the non-null values equal those of a column with the same validity.
    private func sameValues(as other: Column) -> Bool {
        func same<T>(_ a: [T], _ b: [T], _ equal: (T, T) -> Bool) -> Bool {
            for i in 0..<count where !isNull(i) && !equal(a[i], b[i]) { return false }
            return true
        }
        switch (data, other.data) {
        case (.bool(let a), .bool(let b)): return same(a, b, ==)
        case (.int8(let a), .int8(let b)): return same(a, b, ==)
        case (.int16(let a), .int16(let b)): return same(a, b, ==)
        case (.int32(let a), .int32(let b)): return validity == nil ? a == b : same(a, b, ==)
        case (.int64(let a), .int64(let b)): return validity == nil ? a == b : same(a, b, ==)
        case (.uint8(let a), .uint8(let b)): return same(a, b, ==)
        case (.uint16(let a), .uint16(let b)): return same(a, b, ==)
        case (.uint32(let a), .uint32(let b)): return same(a, b, ==)
        case (.uint64(let a), .uint64(let b)): return same(a, b, ==)
        case (.float16(let a), .float16(let b)):
            return same(a, b) { x, y in
                x == y || (HalfPrecision.float(fromFloat16: x).isNaN && HalfPrecision.float(fromFloat16: y).isNaN)
            }
        case (.float32(let a), .float32(let b)): return same(a, b) { $0 == $1 || ($0.isNaN && $1.isNaN) }
        case (.float64(let a), .float64(let b)): return same(a, b) { $0 == $1 || ($0.isNaN && $1.isNaN) }
        case (.bytes(let ao, let av), .bytes(let bo, let bv)):
            if ao == bo && av == bv { return true }
            for i in 0..<count where !isNull(i) {
                if av[Int(ao[i])..<Int(ao[i + 1])] != bv[Int(bo[i])..<Int(bo[i + 1])] { return false }
            }
            return true
        case (.fixedBytes(let aw, let av), .fixedBytes(let bw, let bv)):
            guard aw == bw else { return false }
            if av == bv { return true }
            for i in 0..<count where !isNull(i) {
                if av[i * aw..<(i + 1) * aw] != bv[i * bw..<(i + 1) * bw] { return false }
            }
            return true
        default:
            // Dictionaries and lists compare by their decoded cells.
            for i in 0..<count where self[i] != other[i] { return false }
            return true
        }
    }
}
