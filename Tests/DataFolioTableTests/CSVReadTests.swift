import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

@Suite("CSV reading")
struct CSVReadTests {
    @Test func infersTypes() throws {
        let csv = """
            int,double,bool,date,stamp,text,mixed,exp
            1,1.5,true,2024-01-31,2024-01-31T10:20:30,hello,1,1e3
            -2,2,False,1970-01-01,2024-01-31 10:20,world,x,-2.5E-3
            ,,,,,,,
            9223372036854775807,-inf,TRUE,2000-02-29,2024-01-31T10:20:30.123456,"",2.5,NaN

            """
        let table = try Table(csvText: csv)
        #expect(table.rowCount == 4)
        #expect(table.schema.map(\.type) == [
            .int64, .float64, .bool, .date, .timestamp(.microsecond, timeZone: nil), .string, .string, .float64,
        ])
        #expect(table["int"]?.values == [1, -2, nil, .int(Int64.max)])
        #expect(try table["double"]?.doubles() == [1.5, 2, nil, -.infinity])
        #expect(try table["bool"]?.bools() == [true, false, nil, true])
        #expect(table["date"]?.strings() == ["2024-01-31", "1970-01-01", nil, "2000-02-29"])
        #expect(table["stamp"]?.strings() == [
            "2024-01-31T10:20:30", "2024-01-31T10:20:00", nil, "2024-01-31T10:20:30.123456",
        ])
        // An unquoted empty field is null; a quoted empty field is an empty string.
        #expect(table["text"]?.strings() == ["hello", "world", nil, ""])
        #expect(table["mixed"]?.strings() == ["1", "x", nil, "2.5"])
        // "NaN" is one of pandas' spellings of a missing value.
        let exp = try #require(try table["exp"]?.doubles())
        #expect(exp == [1000, -0.0025, nil, nil])
    }

    @Test func numbersNeverBecomeBoolsOrDates() throws {
        let table = try Table(csvText: "a,b,c\n1,2024-01-01,true\ntrue,1,false\n")
        #expect(table.schema.map(\.type) == [.string, .string, .bool])
    }

    @Test func integersWidenToDoubles() throws {
        let table = try Table(csvText: "x\n1\n2\n3.5\n99999999999999999999\n")
        #expect(try table["x"]?.doubles() == [1, 2, 3.5, 1e20])
    }

    @Test func timestampsWithOffsetsBecomeUTC() throws {
        let table = try Table(csvText: "t\n2024-01-01T12:00:00+02:00\n2024-01-01T12:00:00Z\n2024-01-01 12:00:00.5-0130\n")
        #expect(table["t"]?.type == .timestamp(.microsecond, timeZone: "UTC"))
        #expect(table["t"]?.strings() == ["2024-01-01T10:00:00Z", "2024-01-01T12:00:00Z", "2024-01-01T13:30:00.500000Z"])
        // Nine fraction digits keep nanoseconds.
        let nanos = try Table(csvText: "t\n2024-01-01T00:00:00.123456789\n")
        #expect(nanos["t"]?.type == .timestamp(.nanosecond, timeZone: nil))
        // Mixing naive and offset times is ambiguous: text.
        let mixed = try Table(csvText: "t\n2024-01-01T00:00:00Z\n2024-01-01T00:00:00\n")
        #expect(mixed["t"]?.type == .string)
        // Dates mixed with timestamps are timestamps at midnight.
        let dates = try Table(csvText: "t\n2024-01-01\n2024-01-02T06:00\n")
        #expect(dates["t"]?.strings() == ["2024-01-01T00:00:00", "2024-01-02T06:00:00"])
    }

    @Test(arguments: ["2024-13-01", "2024-02-30", "2023-02-29", "2024-1-01", "24-01-01", "2024-01-01T25:00", "2024-01-01T10:00+2"])
    func invalidDatesAreText(text: String) throws {
        let table = try Table(csvText: "d\n\(text)\n")
        #expect(table["d"]?.type == .string)
    }

    @Test func quoting() throws {
        let csv = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"line1\nline2\",\"\"\"\"\r\n\"\",plain\"quote\r\n"
        let table = try Table(csvText: csv)
        #expect(table.rowCount == 3)
        #expect(table["a"]?.strings() == ["x, y", "line1\nline2", ""])
        #expect(table["b"]?.strings() == ["say \"hi\"", "\"", "plain\"quote"])
    }

    @Test func lineEndings() throws {
        let expected = try Table([Column(name: "a", [1, 3]), Column(name: "b", [2, 4])])
        for csv in ["a,b\n1,2\n3,4\n", "a,b\n1,2\n3,4", "a,b\r\n1,2\r\n3,4\r\n", "a,b\r1,2\r3,4", "a,b\n\n1,2\n\n\n3,4\n\n"] {
            #expect(try Table(csvText: csv) == expected, "\(csv.debugDescription)")
        }
    }

    @Test func trailingEmptyFieldsAreNulls() throws {
        let table = try Table(csvText: "a,b,c\n1,,\n,2,\n")
        #expect(table["a"]?.values == [1, nil])
        #expect(table["b"]?.values == [nil, 2])
        // A column with rows but no value is double, as in pandas.
        #expect(table["c"]?.type == .float64)
        #expect(table["c"]?.nullCount == 2)
    }

    @Test func emptyInputs() throws {
        #expect(try Table(csvText: "") == Table())
        #expect(try Table(csvText: "\n\n") == Table())
        let headerOnly = try Table(csvText: "a,b,c\n")
        #expect(headerOnly.columnNames == ["a", "b", "c"])
        #expect(headerOnly.rowCount == 0)
        #expect(try Table(csvText: "a,b,c") == headerOnly)
        // A byte order mark is not part of the first name.
        let bom = try Table(csv: [0xEF, 0xBB, 0xBF] + Array("名前,x\n値,1\n".utf8))
        #expect(bom.columnNames == ["名前", "x"])
        #expect(bom["名前"]?.strings() == ["値"])
    }

    @Test func raggedRowsAreClearErrors() throws {
        // A short row gets nulls for its missing fields, as in pandas.
        let short = try Table(csvText: "a,b\n1,2\n3\n4,5\n")
        #expect(short["b"]?.values == [2, nil, 5])
        do {
            _ = try Table(csvText: "a,b\n1,2\n\"multi\nline\",2\n4,5,6\n")
            Issue.record("long row accepted")
        } catch {
            #expect(error.message.contains("line 5 has more than 2 fields"))
        }
        do {
            _ = try Table(csvText: "a,b\n1,\"never closed\n2,3\n")
            Issue.record("unclosed quote accepted")
        } catch {
            #expect(error.code == .corruptData)
            #expect(error.message.contains("line 2"))
            #expect(error.message.contains("never closed"))
        }
    }

    @Test func headerNames() throws {
        let table = try Table(csvText: ",a,a,,a.1\n1,2,3,4,5\n")
        #expect(table.columnNames == ["Unnamed: 0", "a", "a.1", "Unnamed: 3", "a.1.1"])
        let noHeader = try Table(csvText: "1,x\n2,y\n", options: CSVReadOptions(hasHeader: false))
        #expect(noHeader.columnNames == ["column_1", "column_2"])
        #expect(noHeader["column_1"]?.values == [1, 2])
    }

    @Test func options() throws {
        var options = CSVReadOptions(delimiter: ";")
        options.nullSpellings = ["NA", "-"]
        options.columnTypes = [
            "zip": .string, "small": .int8, "price": .decimal(precision: 6, scale: 2),
            "colour": .dictionary(.string, ordered: false), "when": .timestamp(.millisecond, timeZone: "UTC"),
            "ratio": .float32, "u": .uint16, "flag": .bool, "day": .date, "raw": .binary,
        ]
        let csv = """
            zip;small;price;colour;when;ratio;u;flag;day;raw;other
            00123;-5;12.5;red;2024-01-01T00:00:00.001Z;0.5;65535;True;2024-02-29;abc;NA
            NA;;-;blue;-;-;0;false;-;;x

            """
        let table = try Table(csvText: csv, options: options)
        #expect(table["zip"]?.strings() == ["00123", nil])
        #expect(table["small"]?.values == [-5, nil])
        #expect(try table["price"]?.decimalStrings() == ["12.50", nil])
        #expect(table["colour"]?.type == .dictionary(.string, ordered: false))
        #expect(table["colour"]?.strings() == ["red", "blue"])
        #expect(table["when"]?.values == [.timestamp(1_704_067_200_001, .millisecond, timeZone: "UTC"), .null])
        #expect(table["ratio"]?.type == .float32)
        #expect(table["u"]?.values == [.uint(65535), .uint(0)])
        #expect(try table["flag"]?.bools() == [true, false])
        #expect(table["day"]?.type == .date)
        #expect(try table["raw"]?.binaries() == [Array("abc".utf8), nil])
        #expect(table["other"]?.strings() == [nil, "x"])

        #expect(throws: DataFolioError.self) {
            try Table(csvText: "a\n300\n", options: CSVReadOptions(columnTypes: ["a": .int8]))
        }
        do {
            _ = try Table(csvText: "a\n1\nx\n", options: CSVReadOptions(columnTypes: ["a": .int64]))
            Issue.record("text accepted as int64")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("line 3"))
            #expect(error.message.contains("'x'"))
        }
        #expect(throws: DataFolioError.self) {
            try Table(csvText: "a\n1\n", options: CSVReadOptions(columnTypes: ["b": .int8]))
        }
        #expect(throws: DataFolioError.self) {
            try Table(csvText: "a\n1\n", options: CSVReadOptions(columnTypes: ["a": .list(.int8)]))
        }
        #expect(throws: DataFolioError.self) { try Table(csvText: "a\n1\n", options: CSVReadOptions(delimiter: "\"")) }
        #expect(throws: DataFolioError.self) { try Table(csvText: "a\n1\n", options: CSVReadOptions(delimiter: "é")) }

        var noInference = CSVReadOptions()
        noInference.inferTypes = false
        let strings = try Table(csvText: "a,b\n1,\n", options: noInference)
        #expect(strings.schema.map(\.type) == [.string, .string])
        #expect(strings["b"]?.strings() == [nil])
    }

    @Test func tabsAndUnicode() throws {
        let table = try Table(csvText: "名前\tscore\n日本語 🎉\t1.25\n", options: CSVReadOptions(delimiter: "\t"))
        #expect(table["名前"]?.strings() == ["日本語 🎉"])
        #expect(try table["score"]?.doubles() == [1.25])
    }

    @Test func hugeField() throws {
        let big = String(repeating: "abc\"def,\n", count: 200_000)
        let quoted = "\"" + big.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let table = try Table(csvText: "a,b\n\(quoted),1\n")
        #expect(table["a"]?.strings() == [big])
        #expect(table["b"]?.values == [1])
    }

    @Test func doublesParseExactly() throws {
        // Each text with the double it must read as (correctly rounded).
        let cases: [(String, Double)] = [
            ("0.1", 0.1), ("0.30000000000000004", 0.30000000000000004), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("5e-324", .leastNonzeroMagnitude), ("2.2250738585072014e-308", .leastNormalMagnitude),
            ("123456789012345678", 1.2345678901234568e17), ("-0.0", -0.0), ("1e22", 1e22), ("1e23", 1e23),
            ("9007199254740993", 9_007_199_254_740_992), ("0.000001", 0.000001), ("3.141592653589793", .pi),
            ("0.1000000000000000055511151231257827", 0.1),
            // Exactly halfway between 1 and the next double: ties to even; just above: rounds up.
            ("1.00000000000000011102230246251565404236316680908203125", 1),
            ("1.00000000000000011102230246251565404236316680908203126", 1.0000000000000002),
            ("1e400", .infinity), ("1e-400", 0), (".5", 0.5), ("5.", 5), ("+2.5", 2.5),
        ]
        let csv = "x\n" + cases.map(\.0).joined(separator: "\n") + "\n"
        let parsed = try #require(try Table(csvText: csv)["x"]?.doubles())
        for ((text, expected), actual) in zip(cases, parsed) {
            #expect(actual?.bitPattern == expected.bitPattern, "\(text) read as \(String(describing: actual))")
        }
        for text in ["1e", "1.2.3", "--1", "1e+", ".", "+", "0x10", "1_000", "infinite", "nana"] {
            #expect(try Table(csvText: "x\n\(text)\n")["x"]?.type == .string, "\(text)")
        }
    }

    @Test func randomDoublesMatchTheStandardLibrary() throws {
        // Random digit strings of every length, with and without fraction and exponent,
        // must read exactly as Swift's own (correctly rounded) parser reads them.
        var generator = SeededRandom(seed: 0xC5F0_0002)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...21, using: &generator)
            var text = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            if Bool.random(using: &generator) {
                let point = Int.random(in: 0...digits, using: &generator)
                text.insert(".", at: text.index(text.startIndex, offsetBy: point))
                if text.hasSuffix(".") || text.hasPrefix(".") { text = "0" + text + "0" }
            }
            if Int.random(in: 0..<4, using: &generator) == 0 { text += "e\(Int.random(in: -30...30, using: &generator))" }
            if Bool.random(using: &generator) { text = "-" + text }
            texts.append(text)
        }
        texts.append(contentsOf: ["9007199254740993", "18446744073709551615", "18446744073709551616", "0.1e-19", "99999999999999999999e19"])
        let column = try #require(try Table(csvText: "x\n1.5\n" + texts.joined(separator: "\n"))["x"])
        let parsed = try column.doubles().dropFirst()
        for (text, value) in zip(texts, parsed) {
            let expected = try #require(Double(text))
            if value?.bitPattern != expected.bitPattern {
                Issue.record("\(text) read as \(String(describing: value)), expected \(expected)")
                return
            }
        }
    }

    @Test func readsFiles() throws {
        let folder = TemporaryFolder("csv")
        let path = folder.path("data.csv")
        try Array("a,b\n1,x\n".utf8).write(to: path)
        let table = try Table(csvFile: path)
        #expect(table["b"]?.strings() == ["x"])
        do {
            _ = try Table(csvFile: folder.path("missing.csv"))
            Issue.record("missing file read")
        } catch {
            #expect(error.code == .fileNotFound)
        }
        let empty = folder.path("empty.csv")
        try [UInt8]().write(to: empty)
        #expect(try Table(csvFile: empty) == Table())
        let bad = folder.path("bad.csv")
        try Array("a,b\n1\n".utf8).write(to: bad)
        do {
            _ = try Table(csvFile: bad)
        } catch {
            #expect(error.path == bad)
            #expect(error.message.hasPrefix(bad))
        }
    }
}

extension Array where Element == UInt8 {
    func write(to path: String) throws {
        try LocalFile.writeAtomically(self, to: path, sync: false)
    }
}
