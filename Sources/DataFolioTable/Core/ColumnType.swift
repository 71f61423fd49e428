/// The logical type of a ``Column``, modelled on Apache Arrow's types.
///
/// Each type names how values are stored in ``ColumnData``: dates are days since
/// 1970-01-01 in `Int32`, timestamps are `Int64` counts of a ``TimeUnit`` since the Unix
/// epoch (a UTC instant), decimals are 16-byte little-endian two's complement integers
/// scaled by `10^scale`.
///
/// ```swift
/// let type = ColumnType.timestamp(.microsecond, timeZone: "UTC")
/// print(type.arrowName)   // "timestamp[us, tz=UTC]"
/// ```
public indirect enum ColumnType: Hashable, Sendable {
    case bool
    case int8, int16, int32, int64, uint8, uint16, uint32, uint64
    case float16, float32, float64
    /// UTF-8 text.
    case string
    /// Variable-length bytes.
    case binary
    /// Bytes of one fixed width per value, e.g. a UUID (16).
    case fixedSizeBinary(Int)
    /// Days since 1970-01-01, stored as `Int32`.
    case date
    /// A UTC instant stored as an `Int64` count of `unit` since the Unix epoch.
    /// `timeZone` only says how to display it; `nil` means a naive timestamp.
    case timestamp(TimeUnit, timeZone: String?)
    /// An exact decimal: a 128-bit integer scaled by `10^-scale`.
    case decimal(precision: Int, scale: Int)
    /// Dictionary-encoded values (a pandas categorical); the value type is usually `.string`.
    case dictionary(ColumnType, ordered: Bool)
    /// A variable-length list of values of one type per row (32-bit offsets in Arrow).
    case list(ColumnType)
    /// A variable-length list with 64-bit offsets in Arrow; stored like ``list(_:)``.
    case largeList(ColumnType)
    /// A list of exactly `size` values per row; a null row still spans `size` (null) values.
    case fixedSizeList(ColumnType, size: Int)
    /// Named fields per row, each of its own type; the row itself may be null apart from
    /// its fields (a null struct is not a struct of nulls).
    case `struct`([Field])
    /// Key-value entries per row (Arrow's map): a list of `key`/`value` structs whose keys
    /// are never null.
    case map(key: ColumnType, value: ColumnType)

    /// One named field of a ``struct(_:)`` type.
    ///
    /// ```swift
    /// let point = ColumnType.struct([.init("x", .float64), .init("y", .float64)])
    /// print(point.arrowName)   // "struct<x: double, y: double>"
    /// ```
    public struct Field: Hashable, Sendable {
        /// The field's name.
        public var name: String
        /// The field's type.
        public var type: ColumnType
        /// Whether the field may hold nulls (Arrow prints `not null` otherwise).
        public var isNullable: Bool

        /// Creates a field; fields are nullable unless told otherwise.
        public init(_ name: String, _ type: ColumnType, isNullable: Bool = true) {
            self.name = name
            self.type = type
            self.isNullable = isNullable
        }
    }

    /// The unit of a timestamp.
    public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
        case second = "s", millisecond = "ms", microsecond = "us", nanosecond = "ns"

        /// How many units make one second.
        public var perSecond: Int64 {
            switch self {
            case .second: 1
            case .millisecond: 1_000
            case .microsecond: 1_000_000
            case .nanosecond: 1_000_000_000
            }
        }
    }

    /// The type's name as pyarrow prints it (`str(pa_type)`), e.g. `"int64"`,
    /// `"double"`, `"timestamp[ns, tz=UTC]"`, `"decimal128(10, 2)"`.
    public var arrowName: String {
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
        case .float16: "halffloat"
        case .float32: "float"
        case .float64: "double"
        case .string: "string"
        case .binary: "binary"
        case .fixedSizeBinary(let width): "fixed_size_binary[\(width)]"
        case .date: "date32[day]"
        case .timestamp(let unit, let timeZone):
            if let timeZone { "timestamp[\(unit.rawValue), tz=\(timeZone)]" } else { "timestamp[\(unit.rawValue)]" }
        case .decimal(let precision, let scale):
            precision > 38 ? "decimal256(\(precision), \(scale))" : "decimal128(\(precision), \(scale))"
        case .dictionary(let valueType, let ordered):
            "dictionary<values=\(valueType.arrowName), indices=int32, ordered=\(ordered ? 1 : 0)>"
        case .list(let element): "list<element: \(element.arrowName)>"
        case .largeList(let element): "large_list<element: \(element.arrowName)>"
        case .fixedSizeList(let element, let size): "fixed_size_list<element: \(element.arrowName)>[\(size)]"
        case .struct(let fields):
            "struct<" + fields.map { "\($0.name): \($0.type.arrowName)\($0.isNullable ? "" : " not null")" }.joined(separator: ", ")
                + ">"
        case .map(let key, let value): "map<\(key.arrowName), \(value.arrowName)>"
        }
    }

    /// Whether values nest other values: structs, maps and lists of any kind.
    ///
    /// ```swift
    /// ColumnType.list(.int64).isNested   // true
    /// ColumnType.string.isNested         // false
    /// ```
    public var isNested: Bool {
        switch self {
        case .list, .largeList, .fixedSizeList, .struct, .map: true
        default: false
        }
    }

    /// The element type of a list, large list or fixed-size list; `nil` for other types.
    ///
    /// ```swift
    /// ColumnType.fixedSizeList(.float32, size: 3).listElementType   // .float32
    /// ```
    public var listElementType: ColumnType? {
        switch self {
        case .list(let element), .largeList(let element), .fixedSizeList(let element, _): element
        default: nil
        }
    }

    /// The struct that holds each entry of a map of `key` and `value`: a non-null `key`
    /// field and a nullable `value` field, as in Arrow.
    ///
    /// ```swift
    /// ColumnType.mapEntry(key: .string, value: .int64).arrowName   // "struct<key: string not null, value: int64>"
    /// ```
    public static func mapEntry(key: ColumnType, value: ColumnType) -> ColumnType {
        .struct([Field("key", key, isNullable: false), Field("value", value)])
    }

    /// Whether values are signed or unsigned integers.
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }

    /// Whether values are floating-point numbers.
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .float32, .float64: true
        default: false
        }
    }

    /// Whether values are numbers (integers, floating point or decimals); previews align them right.
    public var isNumeric: Bool {
        if case .decimal = self { return true }
        return isInteger || isFloatingPoint
    }
}

extension ColumnType: CustomStringConvertible {
    public var description: String { arrowName }
}
