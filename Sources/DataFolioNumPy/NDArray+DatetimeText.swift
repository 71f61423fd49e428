import DataFolioSupport

extension NDArray {
    /// A `datetime64` count as numpy prints it (`str(np.datetime64(...))`): ISO 8601
    /// without a time zone (numpy datetimes have none), with the precision of the unit —
    /// `2024-01-15` for days, `2024-01-15T15:30:00.000000` for microseconds. `nil` for
    /// NaT, generic units and values whose year numpy would not print in four digits
    /// plus sign.
    ///
    /// ```swift
    /// NDArray.datetimeText(1_705_332_600, unit: .second)   // "2024-01-15T15:30:00"
    /// ```
    public static func datetimeText(_ raw: Int64, unit: DType.TimeUnit, multiplier: Int = 1) -> String? {
        guard raw != Int64.min else { return nil }
        let (value, overflow) = raw.multipliedReportingOverflow(by: Int64(max(1, multiplier)))
        guard !overflow else { return nil }
        func twoDigits(_ number: Int64) -> String { number < 10 ? "0\(number)" : "\(number)" }
        // numpy pads years to four digits, but not negative ones.
        func yearText(_ year: Int64) -> String {
            let text = String(year)
            return year < 0 || text.count >= 4 ? text : String(repeating: "0", count: 4 - text.count) + text
        }
        switch unit {
        case .year:
            let (year, overflowed) = Int64(1970).addingReportingOverflow(value)
            return overflowed ? nil : yearText(year)
        case .month:
            let (years, months) = CivilDate.floorDivide(value, 12)
            let (year, overflowed) = Int64(1970).addingReportingOverflow(years)
            return overflowed ? nil : yearText(year) + "-" + twoDigits(months + 1)
        case .week:
            let (days, overflowed) = value.multipliedReportingOverflow(by: 7)
            return overflowed ? nil : dayText(days, yearText: yearText, twoDigits: twoDigits)
        case .day:
            return dayText(value, yearText: yearText, twoDigits: twoDigits)
        case .generic:
            return nil
        default:
            break
        }
        // Units below a day: split into days and a remainder in the unit.
        let perSecond: Int64
        let perDay: Int64
        let fractionDigits: Int
        switch unit {
        case .hour: (perSecond, perDay, fractionDigits) = (0, 24, 0)
        case .minute: (perSecond, perDay, fractionDigits) = (0, 1440, 0)
        case .second: (perSecond, perDay, fractionDigits) = (1, 86_400, 0)
        case .millisecond: (perSecond, perDay, fractionDigits) = (1000, 86_400_000, 3)
        case .microsecond: (perSecond, perDay, fractionDigits) = (1_000_000, 86_400_000_000, 6)
        case .nanosecond: (perSecond, perDay, fractionDigits) = (1_000_000_000, 86_400_000_000_000, 9)
        default: return nil
        }
        let (days, remainder) = CivilDate.floorDivide(value, perDay)
        guard let date = dayText(days, yearText: yearText, twoDigits: twoDigits) else { return nil }
        switch unit {
        case .hour:
            return date + "T" + twoDigits(remainder)
        case .minute:
            return date + "T" + twoDigits(remainder / 60) + ":" + twoDigits(remainder % 60)
        default:
            let seconds = remainder / perSecond
            var text = date + "T" + twoDigits(seconds / 3600) + ":" + twoDigits(seconds / 60 % 60) + ":" + twoDigits(seconds % 60)
            if fractionDigits > 0 {
                let fraction = String(remainder % perSecond)
                text += "." + String(repeating: "0", count: fractionDigits - fraction.count) + fraction
            }
            return text
        }
    }

    private static func dayText(_ days: Int64, yearText: (Int64) -> String, twoDigits: (Int64) -> String) -> String? {
        // Keep the calendar arithmetic far from overflow.
        guard days.magnitude < 1 << 50 else { return nil }
        let (year, month, day) = CivilDate.date(fromDays: days)
        return yearText(year) + "-" + twoDigits(month) + "-" + twoDigits(day)
    }
}
