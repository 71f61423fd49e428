/// The truth of a condition for one row, in SQL's three-valued logic, ordered so that
/// `and` is the minimum, `or` the maximum and `not` is `yes - x`.
enum FilterTruth {
    static let no: UInt8 = 0
    static let unknown: UInt8 = 1
    static let yes: UInt8 = 2
}

/// A decimal number held exactly as its digits.
struct DecimalDigits: Equatable {
    var negative: Bool
    /// Digits before the point, without leading zeros.
    var integer: [UInt8]
    /// Digits after the point, without trailing zeros.
    var fraction: [UInt8]

    /// Reads `[sign] digits [. digits] [e [sign] digits]`; `nil` for anything else.
    init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var mantissa: [UInt8] = []
        var pointAt: Int?
        var exponent = 0
        var sawDigit = false
        while let byte = bytes.first {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                mantissa.append(byte - UInt8(ascii: "0"))
                sawDigit = true
            } else if byte == UInt8(ascii: ".") && pointAt == nil {
                pointAt = mantissa.count
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit else { return nil }
        if let byte = bytes.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty else { return nil }
            for byte in bytes {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                // Exponents this large only move the point past every digit anyway.
                if exponent < 100_000 { exponent = exponent * 10 + Int(byte - UInt8(ascii: "0")) }
            }
            if exponentNegative { exponent = -exponent }
            bytes = bytes[bytes.endIndex...]
        }
        guard bytes.isEmpty else { return nil }
        // The point sits after `point` digits of the mantissa.
        let point = (pointAt ?? mantissa.count) + exponent
        guard point > -100_000, point < 100_000 else { return nil }
        var integer: [UInt8]
        var fraction: [UInt8]
        if point <= 0 {
            integer = []
            fraction = [UInt8](repeating: 0, count: -point) + mantissa
        } else if point >= mantissa.count {
            integer = mantissa + [UInt8](repeating: 0, count: point - mantissa.count)
            fraction = []
        } else {
            integer = Array(mantissa[..<point])
            fraction = Array(mantissa[point...])
        }
        while integer.first == 0 { integer.removeFirst() }
        while fraction.last == 0 { fraction.removeLast() }
        self.negative = negative && !(integer.isEmpty && fraction.isEmpty)
        self.integer = integer
        self.fraction = fraction
    }

    /// -1, 0 or 1 as `self` is below, equal to or above `other`.
    func compare(_ other: DecimalDigits) -> Int {
        if negative != other.negative { return negative ? -1 : 1 }
        let magnitude = DecimalDigits.compareMagnitudes(self, other)
        return negative ? -magnitude : magnitude
    }

    private static func compareMagnitudes(_ a: DecimalDigits, _ b: DecimalDigits) -> Int {
        if a.integer.count != b.integer.count { return a.integer.count < b.integer.count ? -1 : 1 }
        for (x, y) in zip(a.integer, b.integer) where x != y { return x < y ? -1 : 1 }
        for k in 0..<max(a.fraction.count, b.fraction.count) {
            let x = k < a.fraction.count ? a.fraction[k] : 0
            let y = k < b.fraction.count ? b.fraction[k] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// The integer value when there is no fraction and it fits `T`.
    func integer<T: FixedWidthInteger>(as _: T.Type) -> T? {
        guard fraction.isEmpty else { return nil }
        var value: T = 0
        for digit in integer {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(T(digit)) : times10.addingReportingOverflow(T(digit))
            guard !o1, !o2 else { return nil }
            value = next
        }
        return value
    }

    /// The largest integer not above the value, when it fits `T`; `nil` when it does
    /// not fit, with `tooHigh` telling which side it falls off.
    func floor<T: FixedWidthInteger>(as _: T.Type) -> (value: T?, tooHigh: Bool) {
        var whole = DecimalDigits(negative: negative, integer: integer, fraction: [])
        if negative && !fraction.isEmpty {
            // floor(-2.5) = -3: one more in magnitude.
            var digits = integer
            var k = digits.count - 1
            while k >= 0 && digits[k] == 9 {
                digits[k] = 0
                k -= 1
            }
            if k >= 0 { digits[k] += 1 } else { digits.insert(1, at: 0) }
            whole.integer = digits
        }
        if let value = whole.integer(as: T.self) { return (value, false) }
        return (nil, !negative)
    }

    private init(negative: Bool, integer: [UInt8], fraction: [UInt8]) {
        self.negative = negative
        self.integer = integer
        self.fraction = fraction
    }
}

/// A number of a filter, compared with integer columns of type `T` without rounding.
enum IntegerBound<T: FixedWidthInteger> {
    /// The number is this integer.
    case exact(T)
    /// The number lies strictly between this integer and the next.
    case above(T)
    /// Every value of `T` compares this way with the number (-1: all below, 1: all above).
    case always(Int)

    init(_ number: DecimalDigits) {
        if let value = number.integer(as: T.self) {
            self = .exact(value)
            return
        }
        let (floor, tooHigh) = number.floor(as: T.self)
        if let floor, !number.fraction.isEmpty {
            self = .above(floor)
        } else {
            self = .always(tooHigh ? -1 : 1)
        }
    }

    /// How `value` compares with the number.
    @inline(__always)
    func order(_ value: T) -> Int {
        switch self {
        case .exact(let bound): value < bound ? -1 : value == bound ? 0 : 1
        case .above(let floor): value <= floor ? -1 : 1
        case .always(let order): order
        }
    }
}

/// An instant as seconds since the epoch and nanoseconds, for comparing dates and
/// timestamps of any unit exactly.
struct FilterInstant: Comparable {
    var seconds: Int64
    var nanoseconds: Int64

    static func < (a: FilterInstant, b: FilterInstant) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    @inline(__always)
    init(days: Int32) {
        seconds = Int64(days) * 86_400
        nanoseconds = 0
    }

    @inline(__always)
    init(_ value: Int64, unit: ColumnType.TimeUnit) {
        let perSecond = unit.perSecond
        var whole = value / perSecond
        var rest = value % perSecond
        if rest < 0 {
            rest += perSecond
            whole -= 1
        }
        seconds = whole
        nanoseconds = rest * (1_000_000_000 / perSecond)
    }
}

/// A filter value made comparable with the values of one column.
enum FilterOperand {
    case signed(IntegerBound<Int64>)
    case unsigned(IntegerBound<UInt64>)
    case float(Double)
    case decimal(DecimalDigits)
    case text([UInt8])
    case bool(Bool)
    case instant(FilterInstant)

    /// How a cell compares with this operand; `nil` when they cannot be ordered (NaN,
    /// or a cell of another kind).
    func order(_ cell: TableValue) -> Int? {
        switch (self, cell) {
        case (.signed(let bound), .int(let v)): return bound.order(v)
        case (.signed(let bound), .uint(let v)):
            if let narrow = Int64(exactly: v) { return bound.order(narrow) }
            // Above Int64.max, so above every number the bound describes but "all above".
            if case .always(let order) = bound { return order }
            return 1
        case (.unsigned(let bound), .uint(let v)): return bound.order(v)
        case (.unsigned(let bound), .int(let v)):
            if v < 0 { return -1 }
            return bound.order(UInt64(v))
        case (.float(let literal), .double(let v)):
            if v.isNaN || literal.isNaN { return nil }
            return v < literal ? -1 : v == literal ? 0 : 1
        case (.float(let literal), .int(let v)):
            let d = Double(v)
            return d < literal ? -1 : d == literal ? 0 : 1
        case (.decimal(let literal), .decimal(let text)):
            return DecimalDigits(text).map { $0.compare(literal) }
        case (.text(let literal), .string(let v)):
            return FilterOrder.compareBytes(Array(v.utf8), literal)
        case (.bool(let literal), .bool(let v)):
            return v == literal ? 0 : (v ? 1 : -1)
        case (.instant(let literal), .date(let days)):
            let instant = FilterInstant(days: days)
            return instant < literal ? -1 : instant == literal ? 0 : 1
        case (.instant(let literal), .timestamp(let v, let unit, _)):
            let instant = FilterInstant(v, unit: unit)
            return instant < literal ? -1 : instant == literal ? 0 : 1
        default:
            return nil
        }
    }
}

/// Orderings shared by filters and statistics.
enum FilterOrder {
    /// Byte-wise order of UTF-8 text, which is the order of Unicode code points.
    @inline(__always)
    static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        for k in 0..<n where a[k] != b[k] { return a[k] < b[k] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in compareBytes(a, b) } }
    }

    /// The order of two cells of the same kind, or `nil` when they cannot be ordered.
    static func compare(_ a: TableValue, _ b: TableValue) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
        switch (a, b) {
        case (.int(let x), .int(let y)): return sign(x, y)
        case (.uint(let x), .uint(let y)): return sign(x, y)
        case (.int(let x), .uint(let y)): return x < 0 ? -1 : sign(UInt64(x), y)
        case (.uint(let x), .int(let y)): return y < 0 ? 1 : sign(x, UInt64(y))
        case (.double(let x), .double(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.string(let x), .string(let y)): return compareBytes(Array(x.utf8), Array(y.utf8))
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.timestamp(let x, let ux, _), .timestamp(let y, let uy, _)):
            return sign(FilterInstant(x, unit: ux), FilterInstant(y, unit: uy))
        case (.decimal(let x), .decimal(let y)):
            guard let dx = DecimalDigits(x), let dy = DecimalDigits(y) else { return nil }
            return dx.compare(dy)
        default: return nil
        }
    }
}
