/// The physical buffers of a ``Column``, as typed Swift arrays so hot loops can use
/// `withUnsafeBufferPointer`.
///
/// Which case goes with which ``ColumnType``: `.date` → ``int32(_:)``,
/// `.timestamp` → ``int64(_:)``, `.decimal` → ``fixedBytes(width:values:)`` with width 16,
/// `.string` and `.binary` → ``bytes(offsets:values:)``, `.fixedSizeBinary(n)` →
/// ``fixedBytes(width:values:)`` with width `n`, `.dictionary` → ``dictionary(indices:dictionary:)``,
/// `.list`, `.largeList`, `.fixedSizeList` and `.map` → ``list(offsets:values:)`` (a map's
/// values are its `key`/`value` entry structs; a fixed-size list's offsets step by its
/// size), `.struct` → ``struct(_:)``, and the numeric types → the case of the same name.
/// Values at null positions are unspecified (usually zero or empty) and are ignored.
///
/// ```swift
/// let column = Column(name: "n", [1, 2, 3] as [Int64])
/// if case .int64(let values) = column.data { print(values.reduce(0, +)) }   // 6
/// ```
public enum ColumnData: Sendable, Equatable {
    case bool([Bool])
    case int8([Int8]), int16([Int16]), int32([Int32]), int64([Int64])
    case uint8([UInt8]), uint16([UInt16]), uint32([UInt32]), uint64([UInt64])
    /// IEEE binary16 bit patterns (`Float16` is missing on some platforms).
    case float16([UInt16])
    case float32([Float]), float64([Double])
    /// Strings and binary: value `i` is `values[offsets[i]..<offsets[i + 1]]`; `offsets` has `count + 1` entries.
    case bytes(offsets: [Int64], values: [UInt8])
    /// Fixed-width values (fixed-size binary, decimals): value `i` is `values[i * width..<(i + 1) * width]`.
    case fixedBytes(width: Int, values: [UInt8])
    /// Dictionary encoding: row `i` is row `indices[i]` of `dictionary`.
    indirect case dictionary(indices: [Int32], dictionary: Column)
    /// Lists: row `i` is rows `offsets[i]..<offsets[i + 1]` of `values`; `offsets` has `count + 1` entries.
    indirect case list(offsets: [Int64], values: Column)
    /// Structs: one child column per field, in field order, each with one row per row of
    /// the struct column and its own nulls.
    indirect case `struct`([Column])

    /// The number of rows these buffers describe (for fixed bytes of width 0 and structs
    /// without fields, zero).
    public var rowCount: Int {
        switch self {
        case .bool(let v): v.count
        case .int8(let v): v.count
        case .int16(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .uint8(let v): v.count
        case .uint16(let v): v.count
        case .uint32(let v): v.count
        case .uint64(let v): v.count
        case .float16(let v): v.count
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .bytes(let offsets, _): max(offsets.count - 1, 0)
        case .fixedBytes(let width, let values): width > 0 ? values.count / width : 0
        case .dictionary(let indices, _): indices.count
        case .list(let offsets, _): max(offsets.count - 1, 0)
        case .struct(let children): children.first?.count ?? 0
        }
    }

    /// A short name of the case, for error messages.
    var kindName: String {
        switch self {
        case .bool: "bool"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case .bytes: "bytes"
        case .fixedBytes(let width, _): "fixedBytes(width: \(width))"
        case .dictionary: "dictionary"
        case .list: "list"
        case .struct: "struct"
        }
    }
}
