#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DataFolioSupport

/// Timestamps as ISO 8601 text in the form Python's `datetime.isoformat()` writes for
/// UTC datetimes — the form of every timestamp in a folio catalog.
///
/// Writing gives `2024-01-15T10:30:00.123456+00:00`: six fraction digits (the date
/// rounded to the microsecond, Python's resolution), or none at all when the
/// microseconds are zero, and the offset spelled `+00:00`. Reading accepts what
/// `datetime.fromisoformat` and other writers produce: `T`, `t` or a space between
/// date and time, seconds optional, any number of fraction digits (after `.` or `,`),
/// and `Z`, `+HH:MM`, `+HHMM`, `+HH` or no offset (read as UTC).
///
/// ```swift
/// let text = try ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 1705314600.123456))
/// // "2024-01-15T10:30:00.123456+00:00"
/// let date = try ISO8601Timestamp.date(from: "2024-01-15T10:30:00Z")
/// ```
public enum ISO8601Timestamp {
    /// Seconds from 1970-01-01 to 2001-01-01, `Date`'s reference date.
    private static let referenceOffset: Int64 = 978_307_200
    /// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in Unix seconds: the years Python's
    /// `datetime` can hold.
    private static let earliestSecond: Int64 = -62_135_596_800
    private static let endSecond: Int64 = 253_402_300_800

    /// The text of `date` in UTC, rounded to the microsecond.
    ///
    /// ```swift
    /// let text = try ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 0))
    /// // "1970-01-01T00:00:00+00:00"
    /// ```
    ///
    /// - Throws: `DataFolioError` (`invalidArgument`) when the date is not finite or
    ///   lies outside the years 1 to 9999.
    public static func string(from date: Date) throws(DataFolioError) -> String {
        let reference = date.timeIntervalSinceReferenceDate
        guard reference.isFinite,
              reference >= Double(earliestSecond - referenceOffset) - 1,
              reference < Double(endSecond - referenceOffset) + 1
        else {
            throw DataFolioError(
                .invalidArgument,
                "The date \(reference) seconds after 2001-01-01 lies outside the years 1 to 9999 that an ISO 8601 timestamp (and Python's datetime) can hold.")
        }
        // Split on the reference-date value itself, where the fraction is exact, and do
        // the rest in integers, so no rounding error creeps into the microseconds.
        var whole = reference.rounded(.down)
        var micros = Int64(((reference - whole) * 1_000_000).rounded())
        if micros == 1_000_000 {
            whole += 1
            micros = 0
        }
        let unix = Int64(whole) + referenceOffset
        guard unix >= earliestSecond && unix < endSecond else {
            throw DataFolioError(
                .invalidArgument,
                "The date \(reference) seconds after 2001-01-01 lies outside the years 1 to 9999 that an ISO 8601 timestamp (and Python's datetime) can hold.")
        }
        let days = floorDivide(unix, 86_400)
        let secondOfDay = unix - days * 86_400
        let (year, month, day) = civilDate(fromDays: days)
        var out = [UInt8]()
        out.reserveCapacity(32)
        appendDigits(year, count: 4, to: &out)
        out.append(0x2D)
        appendDigits(month, count: 2, to: &out)
        out.append(0x2D)
        appendDigits(day, count: 2, to: &out)
        out.append(0x54)
        appendDigits(secondOfDay / 3600, count: 2, to: &out)
        out.append(0x3A)
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &out)
        out.append(0x3A)
        appendDigits(secondOfDay % 60, count: 2, to: &out)
        if micros != 0 {
            out.append(0x2E)
            appendDigits(micros, count: 6, to: &out)
        }
        out.append(contentsOf: Array("+00:00".utf8))
        return String(decoding: out, as: UTF8.self)
    }

    /// The date that ISO 8601 `text` names.
    ///
    /// ```swift
    /// let date = try ISO8601Timestamp.date(from: "2024-01-15 10:30:00.5+01:00")
    /// ```
    ///
    /// - Throws: `DataFolioError` (`typeMismatch`) when the text is not a timestamp.
    public static func date(from text: String) throws(DataFolioError) -> Date {
        guard let date = parse(Array(text.utf8)) else {
            let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
            throw DataFolioError(
                .typeMismatch,
                "\"\(shown)\" is not an ISO 8601 timestamp; expected text like 2024-01-15T10:30:00.123456+00:00.")
        }
        return date
    }

    static func parse(_ bytes: [UInt8]) -> Date? {
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.digits(4), cursor.skip(0x2D),
              let month = cursor.digits(2), cursor.skip(0x2D),
              let day = cursor.digits(2),
              year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        var secondOfDay: Int64 = 0
        var fraction = 0.0
        var offsetSeconds: Int64 = 0
        if !cursor.isAtEnd {
            guard cursor.skip(0x54) || cursor.skip(0x74) || cursor.skip(0x20),
                  let hour = cursor.digits(2), hour < 24, cursor.skip(0x3A),
                  let minute = cursor.digits(2), minute < 60
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60
            if cursor.skip(0x3A) {
                guard let second = cursor.digits(2), second < 60 else { return nil }
                secondOfDay += second
                if cursor.skip(0x2E) || cursor.skip(0x2C) {
                    guard let value = cursor.fraction() else { return nil }
                    fraction = value
                }
            }
            if cursor.skip(0x5A) || cursor.skip(0x7A) {
                // UTC.
            } else if let sign = cursor.peek, sign == 0x2B || sign == 0x2D {
                cursor.position += 1
                guard let hours = cursor.digits(2), hours < 24 else { return nil }
                var minutes: Int64 = 0
                var seconds: Int64 = 0
                if cursor.skip(0x3A) {
                    guard let m = cursor.digits(2), m < 60 else { return nil }
                    minutes = m
                    if cursor.skip(0x3A) {
                        guard let s = cursor.digits(2), s < 60 else { return nil }
                        seconds = s
                    }
                } else if let m = cursor.digits(2) {
                    guard m < 60 else { return nil }
                    minutes = m
                }
                let magnitude = hours * 3600 + minutes * 60 + seconds
                offsetSeconds = sign == 0x2D ? -magnitude : magnitude
            }
        }
        guard cursor.isAtEnd else { return nil }
        let unix = days(fromYear: year, month: month, day: day) * 86_400 + secondOfDay - offsetSeconds
        return Date(timeIntervalSinceReferenceDate: Double(unix - referenceOffset) + fraction)
    }

    private struct Cursor {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position >= bytes.count }
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int64? {
            guard bytes.count - position >= count else { return nil }
            var value: Int64 = 0
            for i in position..<(position + count) {
                let byte = bytes[i]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            position += count
            return value
        }

        /// At least one digit; digits beyond nanoseconds cannot change a `Date` and are
        /// read but ignored.
        mutating func fraction() -> Double? {
            var numerator: Int64 = 0
            var scale: Int64 = 1
            let start = position
            while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39 {
                if scale < 1_000_000_000 {
                    numerator = numerator * 10 + Int64(bytes[position] - 0x30)
                    scale *= 10
                }
                position += 1
            }
            guard position > start else { return nil }
            return Double(numerator) / Double(scale)
        }
    }

    private static func appendDigits(_ value: Int64, count: Int, to out: inout [UInt8]) {
        var digits = [UInt8](repeating: 0x30, count: count)
        var rest = value
        var i = count - 1
        while i >= 0 {
            digits[i] = UInt8(rest % 10) + 0x30
            rest /= 10
            i -= 1
        }
        out.append(contentsOf: digits)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        CivilDate.floorDivide(a, b).quotient
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        CivilDate.daysInMonth(year: year, month: month)
    }

    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilDate.days(year: year, month: month, day: day)
    }

    static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        CivilDate.date(fromDays: days)
    }
}
