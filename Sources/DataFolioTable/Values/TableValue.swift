import Foundation

/// One cell of a table, for previews, Codable and generic code (not for hot loops).
///
/// Integers are widened to `Int64` or `UInt64` and floating-point values to `Double`.
/// Floating-point values compare equal when both are NaN, so tables holding NaN
/// still equal themselves.
///
/// ```swift
/// let column = Column(name: "when", dates: [Date(timeIntervalSince1970: 86_400)])
/// print(column[0])   // 1970-01-02
/// ```
public enum TableValue: Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    /// Days since 1970-01-01.
    case date(daysSinceEpoch: Int32)
    /// A count of `unit` since the Unix epoch (a UTC instant), and the display time zone.
    case timestamp(Int64, ColumnType.TimeUnit, timeZone: String?)
    /// Exact decimal text, e.g. `"-12.50"`.
    case decimal(String)
    case list([TableValue])
    /// A struct's fields, in order (a null struct is ``null``, not a struct of nulls).
    case `struct`([(name: String, value: TableValue)])
    /// A map's entries, in stored order; keys are never null.
    case map([(key: TableValue, value: TableValue)])

    /// Whether this is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The text shown in previews and CSV: numbers as Swift prints them (shortest
    /// round-trip for doubles), dates as `YYYY-MM-DD`, timestamps as ISO 8601 (with `Z`
    /// when they have a time zone), binary as hex, `null` for null, and nested values in
    /// their compact JSON-like form (``compactText(maxWidth:)``): lists in brackets,
    /// structs and maps in braces.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .uint(let value): String(value)
        case .double(let value): TableValue.format(value)
        case .string(let value): value
        case .binary(let bytes): TableValue.hex(bytes)
        case .date(let days): CivilCalendar.formatDate(days: Int(days))
        case .timestamp(let value, let unit, let timeZone):
            CivilCalendar.formatTimestamp(value, unit: unit, utcSuffix: timeZone != nil)
        case .decimal(let text): text
        case .list, .struct, .map: compactText()
        }
    }

    /// Whether this is a list, struct or map.
    ///
    /// ```swift
    /// TableValue.struct([("x", 1)]).isNested   // true
    /// ```
    public var isNested: Bool {
        switch self {
        case .list, .struct, .map: true
        default: false
        }
    }

    /// A `Date` for date and timestamp values, `nil` otherwise.
    public var dateValue: Date? {
        switch self {
        case .date(let days): Date(timeIntervalSinceReferenceDate: (Double(days) - 11_323) * 86_400)
        case .timestamp(let value, let unit, _): TableValue.date(value, unit: unit)
        default: nil
        }
    }

    static func date(_ value: Int64, unit: ColumnType.TimeUnit) -> Date {
        // Split whole seconds from the fraction so large values keep their precision.
        let perSecond = unit.perSecond
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            fraction += perSecond
            seconds -= 1
        }
        return Date(timeIntervalSinceReferenceDate: (Double(seconds) - 978_307_200) + Double(fraction) / Double(perSecond))
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return "\(value)"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(2 + bytes.count * 2)
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: "x"))
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension TableValue: Hashable {
    public static func == (lhs: TableValue, rhs: TableValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): a == b
        case (.binary(let a), .binary(let b)): a == b
        case (.date(let a), .date(let b)): a == b
        case (.timestamp(let a, let unitA, let zoneA), .timestamp(let b, let unitB, let zoneB)):
            a == b && unitA == unitB && zoneA == zoneB
        case (.decimal(let a), .decimal(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.struct(let a), .struct(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        case (.map(let a), .map(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let v): hasher.combine(1); hasher.combine(v)
        case .int(let v): hasher.combine(2); hasher.combine(v)
        case .uint(let v): hasher.combine(3); hasher.combine(v)
        case .double(let v):
            hasher.combine(4)
            // All NaNs are equal, and 0.0 == -0.0, so hash them alike.
            if v.isNaN { hasher.combine(Double.nan.bitPattern) } else { hasher.combine(v == 0 ? 0 : v) }
        case .string(let v): hasher.combine(5); hasher.combine(v)
        case .binary(let v): hasher.combine(6); hasher.combine(v)
        case .date(let v): hasher.combine(7); hasher.combine(v)
        case .timestamp(let v, let unit, let zone): hasher.combine(8); hasher.combine(v); hasher.combine(unit); hasher.combine(zone)
        case .decimal(let v): hasher.combine(9); hasher.combine(v)
        case .list(let v): hasher.combine(10); hasher.combine(v)
        case .struct(let fields):
            hasher.combine(11)
            for field in fields { hasher.combine(field.name); hasher.combine(field.value) }
        case .map(let entries):
            hasher.combine(12)
            for entry in entries { hasher.combine(entry.key); hasher.combine(entry.value) }
        }
    }
}

extension TableValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: TableValue...) { self = .list(elements) }
}
