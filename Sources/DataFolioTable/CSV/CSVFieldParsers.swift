/// Parsers for the text of one CSV field, working on bytes without creating strings.
enum CSVFieldParsers {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    static let zero = UInt8(ascii: "0")

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

    /// The text without leading and trailing spaces and tabs, which pandas ignores
    /// around numbers.
    @inline(__always)
    static func trimmed(_ text: Bytes) -> Bytes {
        guard let first = text.first, let last = text.last,
            first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
        else { return text }
        var start = 0
        var end = text.count
        while start < end && (text[start] == 0x20 || text[start] == 0x09) { start += 1 }
        while end > start && (text[end - 1] == 0x20 || text[end - 1] == 0x09) { end -= 1 }
        return UnsafeBufferPointer(rebasing: text[start..<end])
    }

    /// Whether the text is an optional sign followed by one or more digits (an integer,
    /// whatever its size).
    static func isIntegerText(_ text: Bytes) -> Bool {
        var i = 0
        if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { i = 1 }
        guard i < text.count else { return false }
        while i < text.count {
            guard isDigit(text[i]) else { return false }
            i += 1
        }
        return true
    }

    /// A base-10 integer with an optional sign, or `nil` (also on overflow).
    static func int64(_ text: Bytes) -> Int64? {
        let n = text.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        let first = text[0]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
            guard n > 1 else { return nil }
        }
        // Accumulate as a negative number so Int64.min parses.
        var value: Int64 = 0
        if n - i <= 18 {
            while i < n {
                let digit = text[i] &- zero
                guard digit < 10 else { return nil }
                value = value &* 10 &- Int64(digit)
                i += 1
            }
        } else {
            while i < n {
                let digit = text[i] &- zero
                guard digit < 10 else { return nil }
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(Int64(digit))
                guard !o1, !o2 else { return nil }
                value = next
                i += 1
            }
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// A base-10 unsigned integer (an optional `+`), or `nil`.
    static func uint64(_ text: Bytes) -> UInt64? {
        var i = 0
        if text.count > 0 && text[0] == UInt8(ascii: "+") { i = 1 }
        guard i < text.count else { return nil }
        var value: UInt64 = 0
        while i < text.count {
            let digit = text[i] &- zero
            guard digit < 10 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        return value
    }

    private static let powersOf10: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A floating-point number: decimal notation with optional fraction and exponent,
    /// or `nan`, `inf`, `infinity` in any case with an optional sign; `nil` otherwise.
    static func double(_ text: Bytes) -> Double? {
        let n = text.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if text[0] == UInt8(ascii: "-") || text[0] == UInt8(ascii: "+") {
            negative = text[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < n else { return nil }
        if !isDigit(text[i]) && text[i] != UInt8(ascii: ".") {
            return special(text, from: i, negative: negative)
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        while i < n && isDigit(text[i]) {
            digits += 1
            if mantissa != 0 || text[i] != zero { significant += 1 }
            if significant <= 19 {
                mantissa = mantissa &* 10 &+ UInt64(text[i] &- zero)
            } else {
                exponent += 1
            }
            i += 1
        }
        if i < n && text[i] == UInt8(ascii: ".") {
            i += 1
            while i < n && isDigit(text[i]) {
                digits += 1
                if mantissa != 0 || text[i] != zero { significant += 1 }
                if significant <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(text[i] &- zero)
                    exponent -= 1
                }
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n && (text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentNegative = false
            if i < n && (text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+")) {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n else { return nil }
            var explicit = 0
            while i < n && isDigit(text[i]) {
                if explicit < 100_000 { explicit = explicit * 10 + Int(text[i] &- zero) }
                i += 1
            }
            exponent += exponentNegative ? -explicit : explicit
        }
        guard i == n else { return nil }
        // Exact when the mantissa and the power of ten are both exact doubles (Clinger's fast path).
        if significant <= 19 && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powersOf10[-exponent] : value * powersOf10[exponent]
            return negative ? -value : value
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if significant <= 19 && exponent >= -19 && exponent <= 19 {
            let value = exactDouble(mantissa, exponent)
            return negative ? -value : value
        }
        return slowDouble(text)
    }

    private static let powersOf10Integer: [UInt64] = (0...19).map { k in
        var value: UInt64 = 1
        for _ in 0..<k { value *= 10 }
        return value
    }

    /// `mantissa × 10^exponent` correctly rounded, for a non-zero mantissa and
    /// `-19 ≤ exponent ≤ 19`, using exact 128-bit products and quotients.
    static func exactDouble(_ mantissa: UInt64, _ exponent: Int) -> Double {
        if exponent >= 0 {
            let (high, low) = mantissa.multipliedFullWidth(by: powersOf10Integer[exponent])
            if high == 0 {
                let shift = low.leadingZeroBitCount
                return rounded(low << UInt64(shift), sticky: false, binaryExponent: -shift)
            }
            let shift = high.leadingZeroBitCount
            let top = shift == 0 ? high : (high << UInt64(shift)) | (low >> UInt64(64 - shift))
            let rest = low << UInt64(shift)
            return rounded(top, sticky: rest != 0, binaryExponent: 64 - shift)
        }
        // Divide mantissa × 2^s by 10^k with s chosen so the quotient has 63 or 64 bits.
        let divisor = powersOf10Integer[-exponent]
        let mantissaBits = 64 - mantissa.leadingZeroBitCount
        let divisorBits = 64 - divisor.leadingZeroBitCount
        let s = 63 + divisorBits - mantissaBits
        let high: UInt64, low: UInt64
        if s == 0 {
            (high, low) = (0, mantissa)
        } else if s < 64 {
            (high, low) = (mantissa >> UInt64(64 - s), mantissa << UInt64(s))
        } else {
            (high, low) = (mantissa << UInt64(s - 64), 0)
        }
        let (quotient, remainder) = divisor.dividingFullWidth((high, low))
        let shift = quotient.leadingZeroBitCount
        return rounded(quotient << UInt64(shift), sticky: remainder != 0, binaryExponent: -s - shift)
    }

    /// The double nearest to `top × 2^binaryExponent` (ties to even), where `top` has its
    /// highest bit set and `sticky` says whether non-zero bits were cut below it.
    @inline(__always)
    private static func rounded(_ top: UInt64, sticky: Bool, binaryExponent: Int) -> Double {
        var significand = top >> 11
        let roundBit = (top >> 10) & 1 == 1
        let below = top & 0x3FF != 0 || sticky
        var exponent = binaryExponent + 11
        if roundBit && (below || significand & 1 == 1) {
            significand += 1
            if significand == 1 << 53 {
                significand >>= 1
                exponent += 1
            }
        }
        return Double(sign: .plus, exponent: exponent, significand: Double(significand))
    }

    /// `nan`, `inf` or `infinity`, case-insensitive.
    private static func special(_ text: Bytes, from start: Int, negative: Bool) -> Double? {
        let length = text.count - start
        guard length == 3 || length == 8 else { return nil }
        var lowered: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &lowered) { buffer in
            for k in 0..<length { buffer[k] = text[start + k] | 0x20 }
        }
        let word = withUnsafeBytes(of: lowered) { Array($0.prefix(length)) }
        if word == Array("nan".utf8) { return .nan }
        if word == Array("inf".utf8) || word == Array("infinity".utf8) { return negative ? -.infinity : .infinity }
        return nil
    }

    /// Correctly rounded conversion of validated decimal text the fast path cannot do
    /// exactly (more than 15–16 significant digits or a large exponent). The standard
    /// library's parser is locale-independent; texts up to 15 bytes make no allocation.
    private static func slowDouble(_ text: Bytes) -> Double? {
        Double(String(decoding: text, as: UTF8.self))
    }

    /// `true`, `false`, `True`, `False`, `TRUE` or `FALSE`.
    static func bool(_ text: Bytes) -> Bool? {
        switch text.count {
        case 4: matches(text, "true") || matches(text, "True") || matches(text, "TRUE") ? true : nil
        case 5: matches(text, "false") || matches(text, "False") || matches(text, "FALSE") ? false : nil
        default: nil
        }
    }

    @inline(__always)
    static func matches(_ text: Bytes, _ literal: StaticString) -> Bool {
        guard text.count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for k in 0..<text.count where text[k] != expected[k] { return false }
        return true
    }

    @inline(__always)
    private static func twoDigits(_ text: Bytes, _ at: Int) -> Int? {
        let a = text[at] &- zero, b = text[at + 1] &- zero
        guard a < 10, b < 10 else { return nil }
        return Int(a) * 10 + Int(b)
    }

    /// `YYYY-MM-DD` as days since 1970-01-01.
    static func date(_ text: Bytes) -> Int32? {
        guard text.count == 10 else { return nil }
        return datePrefix(text)
    }

    private static func datePrefix(_ text: Bytes) -> Int32? {
        guard text.count >= 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            let y1 = twoDigits(text, 0), let y2 = twoDigits(text, 2),
            let month = twoDigits(text, 5), let day = twoDigits(text, 8),
            month >= 1, month <= 12, day >= 1
        else { return nil }
        let year = y1 * 100 + y2
        guard day <= CivilCalendar.daysInMonth(year: year, month: month) else { return nil }
        return Int32(CivilCalendar.days(year: year, month: month, day: day))
    }

    /// A parsed ISO 8601 timestamp.
    struct Timestamp {
        /// Seconds since the epoch (UTC when `hasOffset`, else the naive wall time).
        var seconds: Int64
        var nanoseconds: Int64
        var fractionDigits: Int
        var hasOffset: Bool

        /// The value in `unit`, or nil when it does not fit in `Int64`.
        func value(in unit: ColumnType.TimeUnit) -> Int64? {
            let (scaled, o1) = seconds.multipliedReportingOverflow(by: unit.perSecond)
            let (total, o2) = scaled.addingReportingOverflow(nanoseconds / (1_000_000_000 / unit.perSecond))
            return o1 || o2 ? nil : total
        }
    }

    /// `YYYY-MM-DD` optionally followed by `T` or a space and `HH:MM[:SS[.fraction]]`, and
    /// then optionally `Z` or an offset `±HH[:MM]` / `±HHMM`.
    static func timestamp(_ text: Bytes) -> Timestamp? {
        guard let days = datePrefix(text) else { return nil }
        var seconds = Int64(days) * 86_400
        let n = text.count
        if n == 10 { return Timestamp(seconds: seconds, nanoseconds: 0, fractionDigits: 0, hasOffset: false) }
        guard n >= 16, text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: " "),
            let hour = twoDigits(text, 11), text[13] == UInt8(ascii: ":"), let minute = twoDigits(text, 14),
            hour <= 23, minute <= 59
        else { return nil }
        seconds += Int64(hour * 3600 + minute * 60)
        var i = 16
        var nanoseconds: Int64 = 0
        var fractionDigits = 0
        if i < n && text[i] == UInt8(ascii: ":") {
            guard i + 3 <= n, let second = twoDigits(text, i + 1), second <= 60 else { return nil }
            seconds += Int64(second)
            i += 3
            if i < n && (text[i] == UInt8(ascii: ".") || text[i] == UInt8(ascii: ",")) {
                i += 1
                while i < n && isDigit(text[i]) {
                    guard fractionDigits < 9 else { return nil }
                    nanoseconds = nanoseconds * 10 + Int64(text[i] &- zero)
                    fractionDigits += 1
                    i += 1
                }
                guard fractionDigits > 0 else { return nil }
                for _ in fractionDigits..<9 { nanoseconds *= 10 }
            }
        }
        var hasOffset = false
        if i < n {
            let sign = text[i]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                hasOffset = true
                i += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard i + 3 <= n, let offsetHours = twoDigits(text, i + 1), offsetHours <= 23 else { return nil }
                var offsetMinutes = 0
                i += 3
                if i < n {
                    if text[i] == UInt8(ascii: ":") { i += 1 }
                    guard i + 2 <= n, let m = twoDigits(text, i), m <= 59 else { return nil }
                    offsetMinutes = m
                    i += 2
                }
                let offset = Int64(offsetHours * 3600 + offsetMinutes * 60)
                seconds += sign == UInt8(ascii: "+") ? -offset : offset
                hasOffset = true
            }
        }
        guard i == n else { return nil }
        return Timestamp(seconds: seconds, nanoseconds: nanoseconds, fractionDigits: fractionDigits, hasOffset: hasOffset)
    }
}

