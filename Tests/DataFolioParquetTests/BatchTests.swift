import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Parquet files as batch sources and sinks, row-group statistics and filtered scans.
@Suite("Parquet batches")
struct ParquetBatchTests {
    /// 10,000 rows sorted by `id`, so each row group covers its own range of ids and days.
    static func sortedTable() throws -> Table {
        let rows = 10_000
        var generator = SeededRandom(seed: 0xBA7C_0001)
        let ids: [Int64] = (0..<rows).map { Int64($0) }
        let scores: [Double?] = (0..<rows).map { i -> Double? in
            if i % 97 == 0 { return nil }
            return i % 101 == 0 ? Double.nan : Double(i) / 10
        }
        let cities: [String?] = (0..<rows).map { i -> String? in i % 13 == 0 ? nil : ["Bergen", "Oslo", "Tromsø"][i / 4000] }
        let small: [UInt16] = (0..<rows).map { _ in UInt16.random(in: 0...500, using: &generator) }
        let days: [Int32?] = (0..<rows).map { Int32($0 / 10) }
        let times: [Int64?] = (0..<rows).map { Int64($0) * 60 }
        let flags: [Bool] = (0..<rows).map { $0 % 2 == 0 }
        let colours: [String?] = (0..<rows).map { ["red", "green"][$0 % 2] }
        return try Table([
            Column(name: "id", ids),
            Column(name: "score", scores),
            Column(name: "city", strings: cities),
            Column(name: "small", small),
            Column(name: "day", daysSinceEpoch: days),
            Column(name: "at", timestamps: times, unit: .second, timeZone: "UTC"),
            Column(name: "ok", flags),
            Column(name: "colour", categories: colours),
        ])
    }

    static func write(_ table: Table, rowGroupSize: Int = 1000) throws -> ParquetReader {
        let memory = MemoryOutput()
        var batches = TableBatches(table, batchRowCount: rowGroupSize)
        let rows = try batches.copy(to: try ParquetWriter(output: memory))
        #expect(rows == table.rowCount)
        return try ParquetReader(bytes: memory.bytes)
    }

    @Test func writerAndIteratorAreBatchEnds() throws {
        let table = try ParquetBatchTests.sortedTable()
        let reader = try ParquetBatchTests.write(table)
        #expect(reader.rowGroupCount == 10)
        var groups = reader.rowGroupTables()
        #expect(groups.schema == TableSchema(of: table))
        #expect(try groups.readAll() == table)
        var projected = reader.rowGroupTables(columns: ["city", "id"])
        #expect(projected.schema.names == ["city", "id"])
        #expect(try projected.readAll() == table.selecting(["city", "id"]))
        // No batch at all still gives a file with the columns.
        let empty = try ParquetBatchTests.write(Table(schema: TableSchema(of: table)))
        #expect(empty.rowCount == 0)
        #expect(empty.tableSchema() == TableSchema(of: table))
    }

    @Test func rowGroupStatistics() throws {
        let table = try ParquetBatchTests.sortedTable()
        let reader = try ParquetBatchTests.write(table)
        let stats = try reader.rowGroupStatistics(4)
        #expect(stats.rowCount == 1000)
        #expect(stats["id"] == ColumnStatistics(rowCount: 1000, nullCount: 0, minimum: .int(4000), maximum: .int(4999)))
        #expect(stats["city"]?.minimum == .string("Oslo") && stats["city"]?.maximum == .string("Oslo"))
        let last = try reader.rowGroupStatistics(9)
        #expect(last["city"]?.maximum == .string("Tromsø"))
        #expect(stats["city"]?.nullCount == 77)
        #expect(stats["score"]?.mayContainNaN == true)
        #expect(stats["score"]?.minimum == .double(400) && stats["score"]?.maximum == .double(499.9))
        #expect(stats["day"]?.minimum == .date(daysSinceEpoch: 400))
        #expect(stats["at"]?.minimum == .timestamp(240_000_000, .millisecond, timeZone: "UTC"))
        #expect(stats["ok"]?.minimum == .bool(false) && stats["ok"]?.maximum == .bool(true))
        #expect(stats["colour"]?.minimum == .string("green"))
        let small = try #require(stats["small"])
        #expect(small.minimum.map { if case .uint = $0 { true } else { false } } == true)
        #expect(throws: DataFolioError.self) { try reader.rowGroupStatistics(10) }
    }

    @Test(arguments: [
        "id >= 4500 and id < 4510", "city == 'Bergen'", "day > '1972-06-19'", "at < '1970-01-01T01:00:00Z'", "score > 990",
        "id < 0", "city is null", "not (id > 100)", "colour == 'red' and id > 9990", "small == 7", "ok == true and id < 3",
    ])
    func scansSkipRowGroupsAndAgreeWithFilters(text: String) throws {
        let table = try ParquetBatchTests.sortedTable()
        let reader = try ParquetBatchTests.write(table)
        let filter = try TableRowFilter(text)
        var scan = try reader.scan(columns: ["id", "city"], where: filter)
        let result = try scan.readAll()
        let expected = try filter.apply(to: table).selecting(["id", "city"])
        #expect(result == expected, "\(text)")
        #expect(scan.schema.names == ["id", "city"])
        if ["id >= 4500 and id < 4510", "day > '1972-06-19'", "id < 0", "not (id > 100)", "city == 'Bergen'"].contains(text) {
            #expect(scan.skippedRowGroups > 0, "\(text)")
        }
    }

    @Test func scanErrors() throws {
        let reader = try ParquetBatchTests.write(try ParquetBatchTests.sortedTable())
        #expect(throws: DataFolioError.self) { try reader.scan(columns: ["nope"]) }
        #expect(throws: DataFolioError.self) { try reader.scan(where: TableRowFilter("nope > 1")) }
        #expect(throws: DataFolioError.self) { try reader.scan(where: TableRowFilter("city > 1")) }
    }

    @Test(.interop) func statisticsOfFilesWrittenByPyarrow() throws {
        let folder = TemporaryFolder("parquet-stats")
        let path = folder.path("py.parquet")
        try InteropPython.run(#"""
            import sys
            import pyarrow as pa, pyarrow.parquet as pq
            n = 30000
            t = pa.table({
                "id": pa.array(range(n), pa.int64()),
                "u": pa.array([2**63 + i for i in range(n)], pa.uint64()),
                "name": pa.array(["n%05d" % i for i in range(n)]),
                "x": pa.array([i / 3 for i in range(n)], pa.float32()),
                "t": pa.array(range(n), pa.timestamp("s")),
            })
            pq.write_table(t, sys.argv[1], row_group_size=10000)
            """#, arguments: [path])
        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroupCount == 3)
        let stats = try reader.rowGroupStatistics(1)
        #expect(stats["id"]?.minimum == .int(10_000) && stats["id"]?.maximum == .int(19_999))
        #expect(stats["u"]?.minimum == .uint(9_223_372_036_854_785_808))
        #expect(stats["name"]?.minimum == .string("n10000"))
        #expect(stats["x"]?.maximum == .double(Double(Float(19_999.0 / 3))))
        var scan = try reader.scan(where: TableRowFilter("id >= 25000 and name < 'n25010' and u > 9223372036854775807"))
        #expect(try scan.readAll()["id"]?.values == (25_000..<25_010).map { .int(Int64($0)) })
        #expect(scan.skippedRowGroups == 2)
        var byTime = try reader.scan(columns: ["id"], where: TableRowFilter("t >= '1970-01-01T08:00:00'"))
        #expect(try byTime.readAll().rowCount == 30_000 - 28_800)
        #expect(byTime.skippedRowGroups == 2)
    }
}

@Suite("Parquet batches in async loops")
struct ParquetAsyncBatchTests {
    @Test func scanAsAsyncSequence() async throws {
        let table = try ParquetBatchTests.sortedTable()
        let reader = try ParquetBatchTests.write(table)
        let scan = try reader.scan(columns: ["id"], where: TableRowFilter("id >= 9995 or id < 2"))
        var ids: [TableValue] = []
        for try await batch in TableBatchSequence(scan) {
            ids += batch["id"]?.values ?? []
        }
        #expect(ids == [0, 1, 9995, 9996, 9997, 9998, 9999])
    }
}
