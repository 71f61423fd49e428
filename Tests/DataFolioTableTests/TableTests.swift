import DataFolioSupport
import DataFolioTable
import Foundation
import Testing

@Suite("Table")
struct TableTests {
    func sample() throws -> Table {
        try Table([
            Column(name: "id", [1, 2, 3]),
            Column(name: "name", strings: ["Ada", nil, "Grace"]),
            Column(name: "score", [0.5, 0.25, nil] as [Double?]),
        ])
    }

    @Test func basics() throws {
        let table = try sample()
        #expect(table.rowCount == 3)
        #expect(table.columnCount == 3)
        #expect(table.columnNames == ["id", "name", "score"])
        #expect(table.schema.map(\.name) == ["id", "name", "score"])
        #expect(table.schema.map(\.type) == [.int64, .string, .float64])
        #expect(table["name"]?[2] == .string("Grace"))
        #expect(table["missing"] == nil)
        #expect(table[column: 2].name == "score")
        #expect(table[1, "name"] == .null)
        #expect(table.columnIndex(named: "score") == 2)
    }

    @Test func emptyTables() throws {
        let empty = Table()
        #expect(empty.rowCount == 0 && empty.columns.isEmpty && empty.isEmpty)
        #expect(try Table([]) == empty)
        let zeroRows = try Table([Column(name: "a", [Int64]()), Column(name: "b", strings: [])])
        #expect(zeroRows.rowCount == 0)
        #expect(zeroRows.columnNames == ["a", "b"])
        #expect(zeroRows != empty)
        #expect(zeroRows.rows(0..<0) == zeroRows)
    }

    @Test func rejectsUnequalLengthsAndDuplicateNames() throws {
        #expect(throws: DataFolioError.self) {
            try Table([Column(name: "a", [1, 2]), Column(name: "b", [1])])
        }
        #expect(throws: DataFolioError.self) {
            try Table([Column(name: "a", [1]), Column(name: "a", [2])])
        }
        var table = try sample()
        #expect(throws: DataFolioError.self) { try table.append(Column(name: "x", [1])) }
        #expect(throws: DataFolioError.self) { try table.append(Column(name: "id", [1, 2, 3])) }
        #expect(throws: DataFolioError.self) { try table.insert(Column(name: "y", [1, 2, 3]), at: 9) }
        do {
            try table.append(Column(name: "x", [1]))
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("'x'"))
        }
    }

    @Test func appendInsertRemoveReplace() throws {
        var table = Table()
        try table.append(Column(name: "a", [1, 2]))
        #expect(table.rowCount == 2)
        try table.insert(Column(name: "first", strings: ["x", "y"]), at: 0)
        #expect(table.columnNames == ["first", "a"])
        try table.replaceColumn(Column(name: "a", [5, 6] as [Int8]))
        #expect(table["a"]?.type == .int8)
        #expect(throws: DataFolioError.self) { try table.replaceColumn(Column(name: "a", [5] as [Int8])) }
        #expect(table.removeColumn(named: "first")?.name == "first")
        #expect(table.removeColumn(named: "first") == nil)
        #expect(table.columnNames == ["a"])
    }

    @Test func selecting() throws {
        var table = try sample()
        table.indexColumnNames = ["id"]
        let picked = try table.selecting(["score", "id"])
        #expect(picked.columnNames == ["score", "id"])
        #expect(picked.rowCount == 3)
        #expect(picked.indexColumnNames == ["id"])
        #expect(try table.selecting(["name"]).indexColumnNames == [])
        #expect(try table.selecting([]).rowCount == 3)
        #expect(throws: DataFolioError.self) { try table.selecting(["nope"]) }
    }

    @Test func rowSlices() throws {
        let table = try sample()
        let tail = table.rows(1..<3)
        #expect(tail.rowCount == 2)
        #expect(tail["id"]?.values == [2, 3])
        #expect(tail["name"]?.strings() == [nil, "Grace"])
        #expect(table.rows(0..<3) == table)
        #expect(table.rows(3..<3).rowCount == 0)
    }

    @Test func equality() throws {
        let table = try sample()
        #expect(table == (try sample()))
        var renamed = table
        try renamed.replaceColumn(Column(name: "id", [1, 2, 4]))
        #expect(renamed != table)
        var reordered = try table.selecting(["name", "id", "score"])
        #expect(reordered != table)
        reordered.indexColumnNames = ["id"]
        #expect(try reordered.selecting(["id", "name", "score"]) == table)
    }

    @Test func unicodeNames() throws {
        let table = try Table([
            Column(name: "日本語", strings: ["値"]),
            Column(name: "émoji 🎉", [1]),
        ])
        #expect(table["émoji 🎉"]?[0] == .int(1))
        #expect(table["日本語"]?.strings() == ["値"])
    }
}
