#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Catalog timestamps in words, as `describe` shows them: "Today at 2:40 PM UTC",
/// "Yesterday at 9:05 AM EST", "January 05, 2024 at 4:05 AM EST".
struct HumanTime {
    let now: Date
    let timeZone: TimeZone

    private static let months = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    /// The text for an ISO timestamp, or the text itself when it cannot be parsed.
    func describe(_ iso: String) -> String {
        guard let micros = ISOTimestamp.parseMicroseconds(iso) else { return iso }
        let date = ISOTimestamp.date(microseconds: micros)
        let local = localParts(date)
        let today = localParts(now)
        let hour12 = local.hour % 12 == 0 ? 12 : local.hour % 12
        let time = "\(hour12):\(ISOTimestamp.pad(Int64(local.minute), 2)) \(local.hour < 12 ? "AM" : "PM") \(abbreviation(for: date))"
        let localDay = ISOTimestamp.days(fromCivil: Int64(local.year), Int64(local.month), Int64(local.day))
        let todayDay = ISOTimestamp.days(fromCivil: Int64(today.year), Int64(today.month), Int64(today.day))
        if localDay == todayDay { return "Today at \(time)" }
        if todayDay - localDay == 1 { return "Yesterday at \(time)" }
        return "\(HumanTime.months[local.month - 1]) \(ISOTimestamp.pad(Int64(local.day), 2)), \(local.year) at \(time)"
    }

    private func localParts(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let micros = ISOTimestamp.microseconds(of: date)
        let (seconds, _) = ISOTimestamp.floorDivide(micros, 1_000_000)
        let shifted = seconds + Int64(timeZone.secondsFromGMT(for: date))
        let (days, secondsOfDay) = ISOTimestamp.floorDivide(shifted, 86_400)
        let civil = ISOTimestamp.civil(fromDays: days)
        return (Int(civil.year), Int(civil.month), Int(civil.day), Int(secondsOfDay / 3600), Int(secondsOfDay / 60 % 60))
    }

    /// The zone's abbreviation at `date` ("UTC", "EST", "CEST"). Foundation on Linux
    /// answers "GMT-5" style names, so the process's own zone asks the C library, which
    /// reads the tz database like Python does.
    func abbreviation(for date: Date) -> String {
        let identifier = timeZone.identifier
        if identifier == TimeZone.current.identifier {
            var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
            var parts = tm()
            if localtime_r(&seconds, &parts) != nil, let zone = parts.tm_zone {
                return String(cString: zone)
            }
        }
        // Foundation names UTC "GMT" on Linux; Python's zone database says "UTC".
        let utcNames = ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu"]
        if utcNames.contains(identifier) && timeZone.secondsFromGMT(for: date) == 0 { return "UTC" }
        return timeZone.abbreviation(for: date) ?? identifier
    }
}
