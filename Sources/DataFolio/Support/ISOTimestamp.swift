import DataFolioSupport
import Foundation

/// Microsecond timestamps in the exact text form the catalog uses: Python's
/// `datetime.isoformat()` of a UTC time — `2024-01-15T10:30:00.123456+00:00`, or
/// without the fraction when the microseconds are zero.
///
/// Dates are converted by arithmetic on the proleptic Gregorian calendar rather than
/// with formatters, which are slow and locale-dependent.
enum ISOTimestamp {
    /// Microseconds since 1970-01-01T00:00:00Z of `date`, rounded to the nearest microsecond.
    static func microseconds(of date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micros = ((seconds - whole) * 1_000_000).rounded()
        return Int64(whole) * 1_000_000 + Int64(micros)
    }

    /// The `Date` of a count of microseconds since the epoch.
    static func date(microseconds: Int64) -> Date {
        let seconds = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        var whole = seconds.quotient
        var fraction = seconds.remainder
        if fraction < 0 {
            whole -= 1
            fraction += 1_000_000
        }
        return Date(timeIntervalSince1970: Double(whole) + Double(fraction) / 1_000_000)
    }

    /// The current time in microseconds since the epoch, from the system clock.
    static func nowMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00` for a UTC instant.
    static func string(microseconds: Int64) -> String {
        let (days, microsOfDay) = floorDivide(microseconds, 86_400_000_000)
        let (year, month, day) = civil(fromDays: days)
        let secondsOfDay = microsOfDay / 1_000_000
        let fraction = microsOfDay % 1_000_000
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
        if fraction != 0 { text += "." + pad(fraction, 6) }
        return text + "+00:00"
    }

    /// The catalog text of `date`.
    static func string(from date: Date) -> String {
        string(microseconds: microseconds(of: date))
    }

    /// The catalog text of the current time.
    static func now() -> String {
        string(microseconds: nowMicroseconds())
    }

    /// Parses ISO 8601 text as Python's `fromisoformat` does, plus a trailing `Z`:
    /// `YYYY-MM-DD[THH:MM[:SS[.fraction]]][Z|±HH:MM[:SS]]`. Text without an offset is
    /// read as UTC. Returns microseconds since the epoch.
    static func parseMicroseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for k in 0..<digits {
                let byte = bytes[i + k]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            i += digits
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, micros: Int64 = 0
        if i < bytes.count && (bytes[i] == 0x54 || bytes[i] == 0x20) {
            i += 1
            guard let h = number(2), expect(0x3A), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if expect(0x3A) {
                guard let s = number(2), s < 60 else { return nil }
                second = s
                if expect(0x2E) || expect(0x2C) {
                    var digits = 0
                    var value: Int64 = 0
                    while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                        if digits < 6 { value = value * 10 + Int64(bytes[i] - 0x30) }
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    if digits < 6 { for _ in digits..<6 { value *= 10 } }
                    micros = value
                }
            }
        }
        var offsetSeconds: Int64 = 0
        if i < bytes.count {
            if bytes[i] == 0x5A || bytes[i] == 0x7A {
                i += 1
            } else if bytes[i] == 0x2B || bytes[i] == 0x2D {
                let sign: Int64 = bytes[i] == 0x2D ? -1 : 1
                i += 1
                guard let oh = number(2) else { return nil }
                _ = expect(0x3A)
                let om = number(2) ?? 0
                var os: Int64 = 0
                if expect(0x3A) { os = number(2) ?? 0 }
                offsetSeconds = sign * (oh * 3600 + om * 60 + os)
            }
        }
        guard i == bytes.count else { return nil }
        let days = self.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return seconds * 1_000_000 + micros
    }

    /// Parses ISO 8601 text into a `Date` (see ``parseMicroseconds(_:)``).
    static func parseDate(_ text: String) -> Date? {
        parseMicroseconds(text).map(date(microseconds:))
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        CivilDate.floorDivide(a, b)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        CivilDate.daysInMonth(year: year, month: month)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        CivilDate.days(year: year, month: month, day: day)
    }

    /// The proleptic Gregorian date of a count of days since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        CivilDate.date(fromDays: days)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
