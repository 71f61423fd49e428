import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

@Suite("CSV writing")
struct CSVWriteTests {
    @Test func quotesOnlyWhenNeeded() throws {
        let table = try Table([
            Column(name: "text", strings: ["plain", "a,b", "say \"hi\"", "two\nlines", "", nil, "cr\r"]),
            Column(name: "n", [1, -2, nil, 4, 5, 6, 7] as [Int64?]),
        ])
        let text = try table.csvText()
        #expect(text == #"""
            text,n
            plain,1
            "a,b",-2
            "say ""hi""",
            "two
            lines",4
            "",5
            ,6
            "cr\#r",7

            """#)
        #expect(try Table(csvText: text) == table)
    }

    @Test func formatsEveryType() throws {
        let table = try Table([
            Column(name: "b", [true, false]),
            Column(name: "i8", [Int8.min, 0]),
            Column(name: "u64", [UInt64.max, 0]),
            Column(name: "f", [0.1, -0.0]),
            Column(name: "f32", [Float(0.1), 3]),
            Column(name: "whole", [3.0, 1e300]),
            Column(name: "special", [Double.nan, -.infinity]),
            Column(name: "half", float16: [0.5, nil]),
            Column(name: "d", daysSinceEpoch: [19_000, -1]),
            Column(name: "t", timestamps: [1_700_000_000_123_456, 0], unit: .microsecond, timeZone: "UTC"),
            Column(name: "naive", timestamps: [1_500, nil], unit: .millisecond),
            try Column(name: "dec", decimals: ["-1.50", "0.05"], precision: 4, scale: 2),
            Column(name: "cat", categories: ["x", nil]),
            Column(name: "bin", binary: [[0, 1, 2], []]),
            try Column(name: "list", type: .list(.int64), values: [[1, 2], []]),
        ])
        let lines = try table.csvText().split(separator: "\n").map(String.init)
        #expect(lines[1] == "true,-128,18446744073709551615,0.1,0.1,3.0,NaN,0.5,2022-01-08,2023-11-14T22:13:20.123456Z,1970-01-01T00:00:01.500,-1.50,x,AAEC,\"[1, 2]\"")
        #expect(lines[2] == "false,0,0,-0.0,3.0,1e+300,-inf,,1969-12-31,1970-01-01T00:00:00Z,,0.05,,\"\",[]")
    }

    @Test func roundTripsThroughInference() throws {
        let rows = 0..<500
        let ids: [Int64] = rows.map { Int64($0) * 7919 - 100_000 }
        let xs: [Double?] = rows.map { $0 % 7 == 0 ? nil : sin(Double($0)) * 1e6 }
        let oks: [Bool?] = rows.map { $0 % 3 == 0 ? nil : $0 % 2 == 0 }
        let days: [Int32?] = rows.map { $0 % 11 == 0 ? nil : Int32($0 * 97 - 20_000) }
        let stamps: [Int64?] = rows.map { Int64($0) * 3_600_000_123 }
        let names: [String?] = rows.map { (i: Int) -> String? in i % 5 == 0 ? nil : "név \(i), \"q\"\n" }
        let table = try Table([
            Column(name: "id", ids),
            Column(name: "x", xs),
            Column(name: "ok", oks),
            Column(name: "day", daysSinceEpoch: days),
            Column(name: "at", timestamps: stamps, unit: .microsecond, timeZone: "UTC"),
            Column(name: "name", strings: names),
        ])
        #expect(try Table(csv: try table.csvBytes()) == table)
    }

    @Test func options() throws {
        let table = try Table([Column(name: "a;b", strings: ["x;y", nil]), Column(name: "n", [1, 2])])
        var options = CSVWriteOptions(delimiter: ";", nullText: "NA", lineEnding: "\r\n")
        #expect(try table.csvText(options: options) == "\"a;b\";n\r\n\"x;y\";1\r\nNA;2\r\n")
        options.includeHeader = false
        #expect(try table.csvText(options: options) == "\"x;y\";1\r\nNA;2\r\n")
        #expect(throws: DataFolioError.self) { try table.csvText(options: CSVWriteOptions(delimiter: "\n")) }
        let back = try Table(csvText: try table.csvText(options: CSVWriteOptions(delimiter: ";", nullText: "NA")),
                             options: CSVReadOptions(delimiter: ";", nullSpellings: ["NA"]))
        #expect(back == table)
    }

    @Test func singleColumnNullsStayRows() throws {
        let numbers = try Table([Column(name: "n", [1, nil, 3] as [Int64?])])
        #expect(try numbers.csvText() == "n\n1\n\"\"\n3\n")
        #expect(try Table(csvText: try numbers.csvText()) == numbers)
        let dates = try Table([Column(name: "d", daysSinceEpoch: [nil, 1])])
        #expect(try Table(csvText: try dates.csvText()) == dates)
        // For text, a quoted empty field is the empty string.
        let text = try Table([Column(name: "s", strings: ["", "x"])])
        #expect(try Table(csvText: try text.csvText()) == text)
        // An explicit type reads a quoted empty field as null too.
        let typed = try Table(csvText: "n\n\"\"\n2\n", options: CSVReadOptions(columnTypes: ["n": .int32]))
        #expect(typed["n"]?.values == [nil, 2])
    }

    @Test func emptyTables() throws {
        #expect(try Table().csvText() == "")
        let zeroRows = try Table([Column(name: "a", [Int64]()), Column(name: "b", strings: [])])
        #expect(try zeroRows.csvText() == "a,b\n")
        let back = try Table(csvText: try zeroRows.csvText())
        #expect(back.columnNames == ["a", "b"] && back.rowCount == 0)
    }

    @Test func writesFiles() throws {
        let folder = TemporaryFolder("csv-write")
        let path = folder.path("out.csv")
        let table = try Table([Column(name: "名前", strings: ["値"])])
        try table.writeCSV(to: path)
        #expect(try Table(csvFile: path) == table)
        #expect(throws: DataFolioError.self) { try table.writeCSV(to: folder.path("no/such/folder/x.csv")) }
    }
}
