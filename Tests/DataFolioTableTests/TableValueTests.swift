import DataFolioTable
import Foundation
import Testing

@Suite("TableValue")
struct TableValueTests {
    @Test func descriptions() {
        #expect(TableValue.null.description == "null")
        #expect(TableValue.bool(true).description == "true")
        #expect(TableValue.int(-5).description == "-5")
        #expect(TableValue.uint(UInt64.max).description == "18446744073709551615")
        #expect(TableValue.double(0.1).description == "0.1")
        #expect(TableValue.double(1e20).description == "1e+20")
        #expect(TableValue.double(.nan).description == "NaN")
        #expect(TableValue.double(-.infinity).description == "-inf")
        #expect(TableValue.date(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(TableValue.date(daysSinceEpoch: -719_528).description == "0000-01-01")
        #expect(TableValue.date(daysSinceEpoch: 2_932_896).description == "9999-12-31")
        #expect(TableValue.date(daysSinceEpoch: 2_932_897).description == "+10000-01-01")
        #expect(TableValue.timestamp(0, .second, timeZone: nil).description == "1970-01-01T00:00:00")
        #expect(TableValue.timestamp(-1, .nanosecond, timeZone: "UTC").description == "1969-12-31T23:59:59.999999999Z")
        #expect(TableValue.timestamp(Int64.min, .nanosecond, timeZone: nil).description == "1677-09-21T00:12:43.145224192")
        #expect(TableValue.decimal("-1.50").description == "-1.50")
        #expect(TableValue.list([1, "a", nil]).description == "[1, \"a\", null]")
    }

    @Test func equalityAndHashing() {
        #expect(TableValue.double(.nan) == .double(.nan))
        #expect(Set<TableValue>([.double(.nan), .double(.nan), .double(0), .double(-0.0)]).count == 2)
        #expect(TableValue.int(1) != .uint(1))
        #expect(TableValue.timestamp(1, .second, timeZone: nil) != .timestamp(1, .second, timeZone: "UTC"))
    }

    @Test func dateValues() {
        #expect(TableValue.date(daysSinceEpoch: 1).dateValue == Date(timeIntervalSince1970: 86_400))
        #expect(TableValue.timestamp(-1500, .millisecond, timeZone: nil).dateValue == Date(timeIntervalSince1970: -1.5))
        #expect(TableValue.string("x").dateValue == nil)
    }

    @Test func calendarRoundTripsEveryDayOfFourCenturies() {
        // Every date from 1600 to 2400 formats as the calendar day it is.
        var days = -135_140   // 1600-01-01
        for year in 1600..<2400 {
            for month in 1...12 {
                let length = month == 2 ? ((year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28)
                    : [4, 6, 9, 11].contains(month) ? 30 : 31
                for day in 1...length {
                    let expected = String(format: "%04d-%02d-%02d", year, month, day)
                    if TableValue.date(daysSinceEpoch: Int32(days)).description != expected {
                        Issue.record("day \(days) is not \(expected)")
                        return
                    }
                    days += 1
                }
            }
        }
    }
}
