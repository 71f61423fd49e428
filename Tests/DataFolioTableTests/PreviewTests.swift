import DataFolioTable
import Foundation
import Testing

@Suite("Preview and row values")
struct PreviewTests {
    @Test func alignsColumnsAndShowsTypes() throws {
        let table = try Table([
            Column(name: "id", [1, 22, 333]),
            Column(name: "name", strings: ["Ada", nil, "Grace"]),
            Column(name: "score", [0.5, 0.25, nil] as [Double?]),
        ])
        let expected = """
             id  name     score
          int64  string  double
          ─────  ──────  ──────
              1  Ada        0.5
             22  null      0.25
            333  Grace     null
          """
        #expect(table.preview() == expected)
        #expect(table.description.hasPrefix("3 rows × 3 columns\n"))
    }

    @Test func truncatesRowsCellsAndColumns() throws {
        let long = String(repeating: "x", count: 100)
        let table = try Table([
            Column(name: "text", strings: [long, "short\nline", "b"]),
            Column(name: "n", [1, 2, 3]),
        ])
        let preview = table.preview(maxRows: 2, maxCellWidth: 10)
        let lines = preview.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)
        #expect(lines[3] == "xxxxxxxxx…      1")
        #expect(lines[4] == "short\\nli…      2")
        #expect(lines[5] == "… 1 more row")

        let wide = try Table((0..<30).map { Column(name: "column\($0)", [$0]) })
        let narrow = wide.preview(maxWidth: 40)
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 40 })
        #expect(narrow.contains("column3  …\n"))
        #expect(narrow.contains("… 26 more columns: column4, column5"))
    }

    @Test func wideCharactersAndEmptyTables() throws {
        let table = try Table([Column(name: "名前", strings: ["日本", "a"]), Column(name: "x", [1, 2])])
        let lines = table.preview().split(separator: "\n")
        // "名前" and "日本" are four columns wide; "string" is six and "int64" five.
        #expect(lines[0] == "名前        x")
        #expect(lines[3] == "日本        1")
        #expect(Table().preview() == "(no columns)")
        let zeroRows = try Table([Column(name: "a", [Int64]())])
        #expect(zeroRows.preview() == "    a\nint64\n─────")
        #expect(try Table([Column(name: "c", categories: ["x"])]).preview().contains("category"))
    }

    @Test func descriptions() throws {
        let column = Column(name: "n", [1, 2, 3, 4, 5, 6])
        #expect(column.description == "n: int64 × 6 [1, 2, 3, 4, 5, …]")
        let table = try Table([column])
        #expect(table.description.hasPrefix("6 rows × 1 column\n"))
        #expect(table.description.contains("int64"))
        let big = try Table([Column(name: "x", Array(0..<50))])
        #expect(big.description.hasSuffix("… 40 more rows"))
        #expect(ColumnType.list(.dictionary(.string, ordered: true)).previewName == "list<category(ordered)>")
    }

    @Test func rowValuesForExport() throws {
        let table = try Table([
            Column(name: "d", daysSinceEpoch: [19_000]),
            Column(name: "t", timestamps: [1_700_000_000_123_456], unit: .microsecond, timeZone: "UTC"),
            try Column(name: "p", decimals: ["-1.50"], precision: 4, scale: 2),
            Column(name: "b", binary: [[0xFF, 0x00, 0x41]]),
            Column(name: "n", [nil] as [Double?]),
            try Column(name: "l", type: .list(.date), values: [[.date(daysSinceEpoch: 0)]]),
        ])
        let values = table.rowValues(0)
        #expect(values.map(\.name) == ["d", "t", "p", "b", "n", "l"])
        #expect(values.map(\.value.exportValue) == [
            .string("2022-01-08"), .string("2023-11-14T22:13:20.123456Z"), .string("-1.50"), .string("/wBB"), .null,
            .list([.string("1970-01-01")]),
        ])
    }
}
