import DataFolioJSON
import DataFolioSupport
import Foundation
import Testing

@Suite("ISO 8601 timestamps")
struct ISO8601TimestampTests {
    static func date(_ text: String) -> Date {
        (try? ISO8601Timestamp.date(from: text)) ?? .distantPast
    }

    @Test("written like Python's isoformat() for UTC datetimes")
    func formatting() throws {
        let cases: [(Double, String)] = [
            (1_705_314_600.123456, "2024-01-15T10:30:00.123456+00:00"),
            (1_705_332_600, "2024-01-15T15:30:00+00:00"),
            (0, "1970-01-01T00:00:00+00:00"),
            (-1, "1969-12-31T23:59:59+00:00"),
            (-0.5, "1969-12-31T23:59:59.500000+00:00"),
            (0.000001, "1970-01-01T00:00:00.000001+00:00"),
            (951_782_400, "2000-02-29T00:00:00+00:00"),
            (978_307_200, "2001-01-01T00:00:00+00:00"),
            (1_709_164_800, "2024-02-29T00:00:00+00:00"),
            (4_102_444_800, "2100-01-01T00:00:00+00:00"),
            (-62_135_596_800, "0001-01-01T00:00:00+00:00"),
            (253_402_300_799, "9999-12-31T23:59:59+00:00"),
            (-2_208_988_800, "1900-01-01T00:00:00+00:00"),
        ]
        for (seconds, text) in cases {
            #expect(try ISO8601Timestamp.string(from: Date(timeIntervalSince1970: seconds)) == text, "\(seconds)")
        }
        // Rounded to the nearest microsecond, carrying into the seconds.
        #expect(try ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 1_705_314_599.9999997)) == "2024-01-15T10:30:00+00:00")
        #expect(try ISO8601Timestamp.string(from: Date(timeIntervalSinceReferenceDate: 0.0000004)) == "2001-01-01T00:00:00+00:00")
        #expect(try ISO8601Timestamp.string(from: Date(timeIntervalSinceReferenceDate: 0.0000006)) == "2001-01-01T00:00:00.000001+00:00")
        // Foundation's distantPast is 0001-01-01 in the Julian calendar, two days before the proleptic
        // Gregorian 0001-01-01 that Python calls datetime.min.
        #expect(throws: DataFolioError.self) { try ISO8601Timestamp.string(from: .distantPast) }
        #expect(try ISO8601Timestamp.string(from: .distantFuture) == "4001-01-01T00:00:00+00:00")
    }

    @Test("dates outside years 1–9999 and non-finite dates are refused")
    func outOfRange() {
        for seconds in [-62_135_596_801.0, 253_402_300_800, 1e20, -1e20, .infinity, .nan] {
            #expect(throws: DataFolioError.self) { try ISO8601Timestamp.string(from: Date(timeIntervalSince1970: seconds)) }
        }
    }

    @Test("every day of four centuries round-trips")
    func calendar() throws {
        var day = Date(timeIntervalSince1970: -2_208_988_800)
        var previous = ""
        for _ in 0..<(146_097) {
            let text = try ISO8601Timestamp.string(from: day)
            #expect(text > previous)
            #expect(try ISO8601Timestamp.date(from: text) == day)
            previous = text
            day += 86_400
        }
        #expect(previous == "2299-12-31T00:00:00+00:00")
    }

    @Test("malformed text gives a typeMismatch error")
    func malformed() {
        do {
            _ = try ISO8601Timestamp.date(from: "yesterday")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("yesterday"))
        }
    }
}
