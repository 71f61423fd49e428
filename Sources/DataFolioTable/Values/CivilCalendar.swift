import DataFolioSupport

/// Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01, used for
/// dates and timestamps without going through Foundation's calendars (faster, and
/// independent of the process's time zone).
enum CivilCalendar {
    /// The day count of a calendar date; `month` is 1…12, `day` 1…31.
    static func days(year: Int, month: Int, day: Int) -> Int {
        Int(CivilDate.days(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    /// The calendar date of a day count.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let date = CivilDate.date(fromDays: Int64(days))
        return (Int(date.year), Int(date.month), Int(date.day))
    }

    /// The number of days in a month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        Int(CivilDate.daysInMonth(year: Int64(year), month: Int64(month)))
    }

    /// `YYYY-MM-DD` (years outside 0…9999 get a sign or more digits, as ISO 8601 allows).
    static func formatDate(days: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(10)
        appendDate(days: days, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendDate(days: Int, to out: inout [UInt8]) {
        let (year, month, day) = date(days: days)
        if year < 0 || year > 9999 {
            if year < 0 { out.append(UInt8(ascii: "-")) } else { out.append(UInt8(ascii: "+")) }
            appendDigits(year.magnitude, minimumWidth: 4, to: &out)
        } else {
            appendTwoDigits(year / 100, to: &out)
            appendTwoDigits(year % 100, to: &out)
        }
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(month, to: &out)
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(day, to: &out)
    }

    /// ISO 8601 text of a timestamp: `YYYY-MM-DDTHH:MM:SS` plus a fraction with the unit's
    /// digits when it is not zero, plus `Z` when `utcSuffix` is set.
    static func formatTimestamp(_ value: Int64, unit: ColumnType.TimeUnit, utcSuffix: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(32)
        appendTimestamp(value, unit: unit, utcSuffix: utcSuffix, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendTimestamp(_ value: Int64, unit: ColumnType.TimeUnit, utcSuffix: Bool, to out: inout [UInt8]) {
        let perSecond = unit.perSecond
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            fraction += perSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        appendDate(days: Int(days), to: &out)
        out.append(UInt8(ascii: "T"))
        appendTwoDigits(Int(secondOfDay / 3600), to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(secondOfDay / 60 % 60), to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(secondOfDay % 60), to: &out)
        if fraction != 0 {
            out.append(UInt8(ascii: "."))
            let width = unit == .millisecond ? 3 : unit == .microsecond ? 6 : 9
            appendDigits(UInt(fraction), minimumWidth: width, to: &out)
        }
        if utcSuffix { out.append(UInt8(ascii: "Z")) }
    }

    /// Appends a value below 100 as two digits.
    @inline(__always)
    static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10))
        out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
    }

    static func appendDigits(_ value: UInt, minimumWidth: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[n] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                n += 1
            } while rest > 0
            var width = n
            while width < minimumWidth {
                out.append(UInt8(ascii: "0"))
                width += 1
            }
            while n > 0 {
                n -= 1
                out.append(buffer[n])
            }
        }
    }
}
