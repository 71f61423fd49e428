/// A Swift type whose arrays are stored directly as the buffer of a ``Column``:
/// `Bool`, the fixed-width integers, `Int` (as `int64`), `Float` and `Double`.
///
/// ```swift
/// let column = Column(name: "score", [0.5, nil, 2.0] as [Double?])
/// let scores = try column.values(as: Double.self)   // [Optional(0.5), nil, Optional(2.0)]
/// ```
public protocol ColumnScalar: Sendable {
    /// The column type that stores arrays of this type.
    static var columnType: ColumnType { get }
    /// The buffer holding `values`.
    static func columnData(_ values: [Self]) -> ColumnData
    /// The values of a buffer of exactly this type, or `nil`.
    static func values(in data: ColumnData) -> [Self]?
    /// The value stored at null positions.
    static var placeholder: Self { get }
    /// Converts a cell when that loses nothing (e.g. `.int(3)` to `Double`), or returns `nil`.
    init?(exactly value: TableValue)
}

extension Bool: ColumnScalar {
    public static var columnType: ColumnType { .bool }
    public static func columnData(_ values: [Bool]) -> ColumnData { .bool(values) }
    public static func values(in data: ColumnData) -> [Bool]? {
        if case .bool(let v) = data { return v }
        return nil
    }
    public static var placeholder: Bool { false }
    public init?(exactly value: TableValue) {
        guard case .bool(let v) = value else { return nil }
        self = v
    }
}

extension Double: ColumnScalar {
    public static var columnType: ColumnType { .float64 }
    public static func columnData(_ values: [Double]) -> ColumnData { .float64(values) }
    public static func values(in data: ColumnData) -> [Double]? {
        if case .float64(let v) = data { return v }
        return nil
    }
    public static var placeholder: Double { 0 }
    public init?(exactly value: TableValue) {
        switch value {
        case .double(let v): self = v
        case .int(let v): self.init(exactly: v)
        case .uint(let v): self.init(exactly: v)
        case .decimal(let text):
            guard let v = Double(text) else { return nil }
            self = v
        default: return nil
        }
    }
}

extension Float: ColumnScalar {
    public static var columnType: ColumnType { .float32 }
    public static func columnData(_ values: [Float]) -> ColumnData { .float32(values) }
    public static func values(in data: ColumnData) -> [Float]? {
        if case .float32(let v) = data { return v }
        return nil
    }
    public static var placeholder: Float { 0 }
    public init?(exactly value: TableValue) {
        switch value {
        case .double(let v):
            // Narrowing keeps NaN and values a Float represents exactly.
            if v.isNaN { self = .nan; return }
            guard let f = Float(exactly: v) else { return nil }
            self = f
        case .int(let v): self.init(exactly: v)
        case .uint(let v): self.init(exactly: v)
        default: return nil
        }
    }
}

/// Integer conversions shared by the integer conformances.
private func integer<T: FixedWidthInteger>(_ value: TableValue) -> T? {
    switch value {
    case .int(let v): T(exactly: v)
    case .uint(let v): T(exactly: v)
    case .double(let v): v.isFinite ? T(exactly: v) : nil
    default: nil
    }
}

extension Int64: ColumnScalar {
    public static var columnType: ColumnType { .int64 }
    public static func columnData(_ values: [Int64]) -> ColumnData { .int64(values) }
    public static func values(in data: ColumnData) -> [Int64]? {
        if case .int64(let v) = data { return v }
        return nil
    }
    public static var placeholder: Int64 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: Int64 = integer(value) else { return nil }
        self = v
    }
}

extension Int: ColumnScalar {
    public static var columnType: ColumnType { .int64 }
    public static func columnData(_ values: [Int]) -> ColumnData { .int64(values.map { Int64($0) }) }
    public static func values(in data: ColumnData) -> [Int]? {
        if case .int64(let v) = data, Int.bitWidth == 64 { return v.map { Int($0) } }
        return nil
    }
    public static var placeholder: Int { 0 }
    public init?(exactly value: TableValue) {
        guard let v: Int = integer(value) else { return nil }
        self = v
    }
}

extension Int32: ColumnScalar {
    public static var columnType: ColumnType { .int32 }
    public static func columnData(_ values: [Int32]) -> ColumnData { .int32(values) }
    public static func values(in data: ColumnData) -> [Int32]? {
        if case .int32(let v) = data { return v }
        return nil
    }
    public static var placeholder: Int32 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: Int32 = integer(value) else { return nil }
        self = v
    }
}

extension Int16: ColumnScalar {
    public static var columnType: ColumnType { .int16 }
    public static func columnData(_ values: [Int16]) -> ColumnData { .int16(values) }
    public static func values(in data: ColumnData) -> [Int16]? {
        if case .int16(let v) = data { return v }
        return nil
    }
    public static var placeholder: Int16 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: Int16 = integer(value) else { return nil }
        self = v
    }
}

extension Int8: ColumnScalar {
    public static var columnType: ColumnType { .int8 }
    public static func columnData(_ values: [Int8]) -> ColumnData { .int8(values) }
    public static func values(in data: ColumnData) -> [Int8]? {
        if case .int8(let v) = data { return v }
        return nil
    }
    public static var placeholder: Int8 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: Int8 = integer(value) else { return nil }
        self = v
    }
}

extension UInt64: ColumnScalar {
    public static var columnType: ColumnType { .uint64 }
    public static func columnData(_ values: [UInt64]) -> ColumnData { .uint64(values) }
    public static func values(in data: ColumnData) -> [UInt64]? {
        if case .uint64(let v) = data { return v }
        return nil
    }
    public static var placeholder: UInt64 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: UInt64 = integer(value) else { return nil }
        self = v
    }
}

extension UInt32: ColumnScalar {
    public static var columnType: ColumnType { .uint32 }
    public static func columnData(_ values: [UInt32]) -> ColumnData { .uint32(values) }
    public static func values(in data: ColumnData) -> [UInt32]? {
        if case .uint32(let v) = data { return v }
        return nil
    }
    public static var placeholder: UInt32 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: UInt32 = integer(value) else { return nil }
        self = v
    }
}

extension UInt16: ColumnScalar {
    public static var columnType: ColumnType { .uint16 }
    public static func columnData(_ values: [UInt16]) -> ColumnData { .uint16(values) }
    public static func values(in data: ColumnData) -> [UInt16]? {
        if case .uint16(let v) = data { return v }
        return nil
    }
    public static var placeholder: UInt16 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: UInt16 = integer(value) else { return nil }
        self = v
    }
}

extension UInt8: ColumnScalar {
    public static var columnType: ColumnType { .uint8 }
    public static func columnData(_ values: [UInt8]) -> ColumnData { .uint8(values) }
    public static func values(in data: ColumnData) -> [UInt8]? {
        if case .uint8(let v) = data { return v }
        return nil
    }
    public static var placeholder: UInt8 { 0 }
    public init?(exactly value: TableValue) {
        guard let v: UInt8 = integer(value) else { return nil }
        self = v
    }
}
