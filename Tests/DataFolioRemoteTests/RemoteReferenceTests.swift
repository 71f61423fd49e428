import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Referenced tables in a bucket: Parquet read by byte range, one column without the
/// others; CSV read whole.
@Suite("Remote references", .seaweed)
struct RemoteReferenceTests {
    static func wideTable(rows: Int) throws -> Table {
        var random = SeededRandom(seed: 42)
        return try Table([
            Column(name: "id", (0..<rows).map { Int64($0) }),
            Column(name: "a", (0..<rows).map { _ in Double(random.next() % 1_000_000) / 7 }),
            Column(name: "b", (0..<rows).map { _ in Double(random.next() % 1_000_000) / 3 }),
            Column(name: "label", strings: (0..<rows).map { "row-\($0 * 7919 % 100_003)" }),
        ])
    }

    @Test func parquetColumnsAreReadByRangeAlone() throws {
        let server = try RemoteFixture.server()
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        let temp = TemporaryFolder("remote-ref")
        let table = try Self.wideTable(rows: 200_000)
        try table.writeParquet(to: temp.path("wide.parquet"), options: ParquetWriteOptions(dictionary: false))
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: temp.path("wide.parquet"))))
        let key = "refs/\(RemoteFixture.freshPrefix("wide"))/wide.parquet"
        let client = try RemoteFixture.client(endpoint: server.endpoint, server: server)
        try client.putObject(key, bytes: bytes)
        let reader = try ParquetReader(path: temp.path("wide.parquet"))
        let columnBytes = reader.metadata.rowGroups.reduce(0) { total, group in
            total + Int(group.columns.first { $0.path == ["b"] }?.compressedSize ?? 0)
        }
        let footer = Int(UInt32(bytes[bytes.count - 8]) | UInt32(bytes[bytes.count - 7]) << 8 | UInt32(bytes[bytes.count - 6]) << 16 | UInt32(bytes[bytes.count - 5]) << 24) + 8
        #expect(columnBytes > 0 && columnBytes < bytes.count / 3)

        let folio = try DataFolio(at: temp.path("folio"))
        let uri = "s3://\(proxy.endpoint)/\(RemoteFixture.bucket)/\(key)"
        try folio.add("wide", reference: uri, rowCount: 200_000)
        #expect(try folio.item("wide").fields["path"] == .string(uri))
        let before = proxy.responseBytes
        let requests = proxy.requestCount
        let column = try folio.get("wide", columns: ["b"])
        let transferred = proxy.responseBytes - before
        let headers = (proxy.requestCount - requests) * 1024
        #expect(column == (try table.selecting(["b"])))
        #expect(transferred <= Int(Double(columnBytes) * 1.2) + footer + headers, "\(transferred) bytes for a \(columnBytes)-byte column and a \(footer)-byte footer")
        #expect(transferred < bytes.count / 2)
        #expect(try folio.get("wide") as Table == table)
        #expect(folio.validate()["wide"]?.status == .unchecked)
    }

    @Test func csvAndShardFoldersAreRead() throws {
        let server = try RemoteFixture.server()
        let temp = TemporaryFolder("remote-ref")
        let client = try RemoteFixture.client(endpoint: server.endpoint, server: server)
        let base = "refs/\(RemoteFixture.freshPrefix("csv"))"
        try client.putObject("\(base)/plain.csv", bytes: Array("x,y,when\n1,a,2024-01-15\n2,,2024-01-16\n".utf8))
        let table = try Self.wideTable(rows: 10)
        try client.putObject("\(base)/shards/part-0.parquet", bytes: try table.rows(0..<6).parquetData())
        try client.putObject("\(base)/shards/part-1.parquet", bytes: try table.rows(6..<10).parquetData())
        try client.putObject("\(base)/shards/_SUCCESS", bytes: [])
        let folio = try DataFolio(at: temp.path("folio"))
        let root = "s3://\(server.endpoint)/\(RemoteFixture.bucket)/\(base)"
        try folio.add("csv", reference: root + "/plain.csv")
        try folio.add("shards", reference: root + "/shards/")
        let csv: Table = try folio.get("csv")
        #expect(csv.rowCount == 2)
        #expect(try csv["x"]?.int64s() == [1, 2])
        #expect(csv["y"]?.isNull(1) == true)
        #expect(csv["when"]?.type == .date)
        #expect(try folio.get("csv", columns: ["y"]).columnNames == ["y"])
        #expect(try folio.get("shards") as Table == table)
        let missing = #expect(throws: DataFolioError.self) {
            try folio.add("gone", reference: root + "/nothing.parquet")
            _ = try folio.get("gone") as Table
        }
        #expect(missing?.code == .fileNotFound)
    }
}
