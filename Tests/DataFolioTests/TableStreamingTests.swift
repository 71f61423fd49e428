import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Tables added and read batch by batch: memory bounded by a batch is checked by
/// construction (one row group per batch written, one row group read per batch).
@Suite("Streaming tables in a folio")
struct TableStreamingTests {
    /// A CSV of `rows` rows: id, a double, a city (with missing values), a flag.
    static func csv(rows: Int) -> String {
        var text = "id,x,city,flag\n"
        let cities = ["Oslo", "Lima", "", "Pune"]
        for row in 0..<rows {
            text += "\(row),\(Double(row) / 4),\(cities[row % cities.count]),\(row % 3 == 0 ? "True" : "False")\n"
        }
        return text
    }

    @Test func addingBatchesWritesOneRowGroupPerBatch() throws {
        let temp = TemporaryFolder("stream-add")
        let path = temp.path("big.csv")
        try Self.csv(rows: 1000).write(toFile: path, atomically: true, encoding: .utf8)
        var options = CSVReadOptions()
        options.batchRowCount = 128
        let reader = try CSVReader(path: path, options: options)
        let folio = try DataFolio(at: temp.path("folio"))
        var reports: [Int] = []
        let item = try folio.add("big", batches: reader, description: "streamed") { reports.append($0) }

        #expect(item.fields["num_rows"]?.intValue == 1000)
        #expect(item.fields["columns"]?.arrayValue?.compactMap(\.stringValue) == ["id", "x", "city", "flag"])
        // 1000 rows in batches of 128: eight batches, each its own row group.
        #expect(reports == [128, 256, 384, 512, 640, 768, 896, 1000])
        #expect(try folio.parquetReader(of: "big").rowGroupCount == 8)
        let back = try folio.get("big", as: Table.self)
        #expect(back == (try Table(csvFile: path)))
        #expect(try folio.tableSchema("big").rowCount == 1000)
    }

    @Test func aFailedImportLeavesNothingBehind() throws {
        let temp = TemporaryFolder("stream-fail")
        let folio = try DataFolio(at: temp.path("folio"))
        var options = CSVReadOptions()
        options.columnTypes = ["id": .int64]
        let reader = try CSVReader(input: MemoryBytes(Array("id\n1\n2\nthree\n".utf8)), options: options)
        #expect(throws: DataFolioError.self) { try folio.add("broken", batches: reader) }
        #expect(!folio.contains("broken"))
        let files = try FileManager.default.subpathsOfDirectory(atPath: temp.path("folio")).filter { $0.hasSuffix(".parquet") }
        #expect(files.isEmpty)
    }

    @Test func anEmptyInputMakesAnEmptyTableWithItsColumns() throws {
        let temp = TemporaryFolder("stream-empty")
        let folio = try DataFolio(at: temp.path("folio"))
        let reader = try CSVReader(input: MemoryBytes(Array("a,b\n".utf8)))
        try folio.add("empty", batches: reader)
        let back = try folio.get("empty", as: Table.self)
        #expect(back.rowCount == 0)
        #expect(back.columnNames == ["a", "b"])
    }

    @Test func scanningReadsRowGroupsWithProjectionAndSkipsByStatistics() async throws {
        let temp = TemporaryFolder("stream-scan")
        let folio = try DataFolio(at: temp.path("folio"))
        let table = try Table([
            Column(name: "id", (0..<1000).map(Int64.init)),
            Column(name: "x", (0..<1000).map { Double($0) * 0.5 }),
            Column(name: "city", strings: (0..<1000).map { $0 % 2 == 0 ? "Oslo" : nil }),
        ])
        _ = try await folio.add("t", table, options: ParquetWriteOptions(rowGroupSize: 100))

        // All of it: ten batches, one per row group, the columns asked for.
        var batches = 0
        var rows = 0
        for try await batch in try folio.scanTable("t", columns: ["x", "id"]) {
            #expect(batch.columnNames == ["x", "id"])
            #expect(batch.rowCount == 100)
            batches += 1
            rows += batch.rowCount
        }
        #expect(batches == 10 && rows == 1000)

        // A filter on id: the statistics rule out seven of the ten row groups (200…499 are read).
        var scan = try folio.tableBatches("t", columns: ["id"], where: TableRowFilter("id >= 250 and id < 420"))
        let kept = try scan.readAll()
        #expect(kept.columnNames == ["id"])
        #expect(try kept["id"]?.values(as: Int64.self) == (250..<420).map { Optional(Int64($0)) })
        #expect(scan.skippedRowGroups == 7)

        // An unknown column names the ones there are.
        #expect(throws: DataFolioError.self) { _ = try folio.scanTable("t", columns: ["nope"]) }
        _ = try await folio.add("config", ["a": 1] as JSONValue)
        #expect(throws: DataFolioError.self) { _ = try folio.scanTable("config") }
    }

    @Test func aPrefixOfAScanReadsOnlyTheFirstRowGroup() throws {
        let temp = TemporaryFolder("stream-prefix")
        let folio = try DataFolio(at: temp.path("folio"))
        let table = try Table([Column(name: "id", (0..<1000).map(Int64.init))])
        try folio.add("t", table, options: ParquetWriteOptions(rowGroupSize: 100))
        var scan = try folio.tableBatches("t")
        let first = try scan.next()
        #expect(first?.rowCount == 100)
        #expect(scan.nextRowGroup == 1)
        var head = try folio.tableBatches("t").prefix(5)
        #expect(try head.readAll()["id"]?.values(as: Int64.self) == [0, 1, 2, 3, 4])
    }
}

/// CSV bytes in memory, read once.
final class MemoryBytes: ByteInput {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        bytes[position..<position + count].withUnsafeBytes { buffer.copyMemory(from: $0) }
        position += count
        return count
    }

    var canRewind: Bool { true }
    func rewind() throws(DataFolioError) { position = 0 }
    var size: Int? { bytes.count }
    var name: String { "memory" }
}
