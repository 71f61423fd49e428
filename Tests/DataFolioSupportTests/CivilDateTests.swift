import DataFolioSupport
import Testing

@Suite("Civil dates")
struct CivilDateTests {
    @Test(arguments: [
        (1970, 1, 1, 0), (1969, 12, 31, -1), (2000, 3, 1, 11017), (2000, 2, 29, 11016), (2024, 1, 15, 19737),
        (1900, 1, 1, -25567), (1, 1, 1, -719_162), (0, 3, 1, -719_468), (2038, 1, 19, 24855),
        (9999, 12, 31, 2_932_896), (1600, 2, 29, -135_081),
    ] as [(Int64, Int64, Int64, Int64)])
    func knownDates(year: Int64, month: Int64, day: Int64, days: Int64) {
        #expect(CivilDate.days(year: year, month: month, day: day) == days)
        let date = CivilDate.date(fromDays: days)
        #expect(date.year == year && date.month == month && date.day == day)
    }

    /// Walks every day from 400 BC (year -399) to AD 2800 with an independent calendar
    /// counter, so both directions are checked on about 1.2 million consecutive days,
    /// half a million of them before 1970.
    @Test func everyDayOfThirtyTwoCenturiesRoundTrips() {
        var year: Int64 = -399, month: Int64 = 1, day: Int64 = 1
        var count = CivilDate.days(year: year, month: month, day: day)
        #expect(count == -865_259)
        while year <= 2800 {
            let date = CivilDate.date(fromDays: count)
            guard date.year == year, date.month == month, date.day == day,
                  CivilDate.days(year: year, month: month, day: day) == count
            else {
                Issue.record("day \(count): expected \(year)-\(month)-\(day), got \(date)")
                return
            }
            count += 1
            day += 1
            if day > CivilDate.daysInMonth(year: year, month: month) {
                day = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
        #expect(count == CivilDate.days(year: 2801, month: 1, day: 1))
    }

    @Test func leapYears() {
        for year: Int64 in [2000, 2024, 1600, 2400, 4, 0, -4, -400, 1996] { #expect(CivilDate.isLeapYear(year), "\(year)") }
        for year: Int64 in [1900, 2100, 2023, 1, -1, -100, 1800, 2001] { #expect(!CivilDate.isLeapYear(year), "\(year)") }
        #expect(CivilDate.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 1900, month: 2) == 28)
        #expect((1...12).map { CivilDate.daysInMonth(year: 2023, month: $0) } == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        // A 400-year era has 146,097 days wherever it starts.
        #expect(CivilDate.days(year: 2000, month: 1, day: 1) - CivilDate.days(year: 1600, month: 1, day: 1) == 146_097)
        #expect(CivilDate.days(year: -400, month: 7, day: 4) - CivilDate.days(year: -800, month: 7, day: 4) == 146_097)
    }

    @Test func floorDivision() {
        let cases: [(Int64, Int64, Int64, Int64)] = [
            (7, 2, 3, 1), (-7, 2, -4, 1), (-8, 2, -4, 0), (0, 5, 0, 0), (-1, 146_097, -1, 146_096),
            (7, -2, -4, -1), (-7, -2, 3, -1),
        ]
        for (value, divisor, quotient, remainder) in cases {
            let result = CivilDate.floorDivide(value, divisor)
            #expect(result.quotient == quotient && result.remainder == remainder, "\(value) / \(divisor)")
        }
    }
}
