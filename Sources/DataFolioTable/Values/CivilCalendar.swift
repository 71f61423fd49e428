/// Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01, used for
/// dates and timestamps without going through Foundation's calendars (faster, and
/// independent of the process's time zone).
enum CivilCalendar {
    /// The day count of a calendar date; `month` is 1…12, `day` 1…31.
    static func days(year: Int, month: Int, day: Int) -> Int {
        // Shift the year so it starts in March; then leap days fall at the end of a year.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day count.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The number of days in a month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
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
