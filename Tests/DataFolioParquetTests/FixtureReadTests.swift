import DataFolioJSON
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Reads the committed fixtures (made by `Fixtures/make_fixtures.py` with pyarrow, polars,
/// DuckDB and fastparquet) and compares every value with what pyarrow read.
@Suite struct FixtureReadTests {
    static func fixture(_ name: String) -> String {
        fixturesFolder().appendingPathComponent(name).path
    }

    static func expected(_ name: String) throws(DataFolioError) -> JSONValue {
        try JSONValue(parsing: try LocalFile.read(fixture(name + ".json")))
    }

    static let readable = [
        "pyarrow_types", "pyarrow_nodict_v2_gzip", "pyarrow_zstd", "pyarrow_lz4", "pyarrow_none", "pyarrow_rowgroups",
        "pyarrow_delta", "pyarrow_int96", "pyarrow_v1_legacy", "pyarrow_empty", "pyarrow_allnull", "polars", "duckdb",
        "fastparquet",
    ]

    @Test(arguments: readable)
    func readsEveryValue(name: String) throws {
        let table = try ParquetReader(path: Self.fixture(name + ".parquet")).readTable()
        CanonicalValues.expect(table, equals: try Self.expected(name), context: name)
    }

    @Test(arguments: readable)
    func readsFromEverySource(name: String) throws {
        let path = Self.fixture(name + ".parquet")
        let expected = try Self.expected(name)
        let bytes = try LocalFile.read(path)
        let sources: [any ParquetByteSource] = [
            ParquetMemorySource(bytes), try ParquetFileSource(path: path), ParquetMappedSource(try MappedFile(path: path)),
        ]
        for (index, source) in sources.enumerated() {
            // Alternate single-threaded and parallel decoding.
            let table = try ParquetReader(source: source).readTable(parallel: index % 2 == 0)
            CanonicalValues.expect(table, equals: expected, context: "\(name) via \(type(of: source))")
        }
    }

    @Test func pandasTypesAreRestored() throws {
        let reader = try ParquetReader(path: Self.fixture("pyarrow_types.parquet"))
        let table = try reader.readTable()
        #expect(reader.indexColumnNames == ["idx"])
        #expect(table.indexColumnNames == ["idx"])
        #expect(table["cat"]?.type == .dictionary(.string, ordered: false))
        #expect(table["ocat"]?.type == .dictionary(.string, ordered: true))
        #expect(table["tsz"]?.type == .timestamp(.microsecond, timeZone: "Europe/Paris"))
        #expect(table["tsu"]?.type == .timestamp(.millisecond, timeZone: "UTC"))
        #expect(table["ts"]?.type == .timestamp(.nanosecond, timeZone: nil))
        #expect(table["n"]?.type == .int64)
        #expect(table["n"]?.nullCount == 5)
        #expect(table["i8"]?.type == .int8)
        #expect(table["u64"]?.type == .uint64)
        #expect(table["f16"]?.type == .float16)
        #expect(table["d"]?.type == .date)
        #expect(table["dec"]?.type == .decimal(precision: 10, scale: 2))
        #expect(table["dec38"]?.type == .decimal(precision: 38, scale: 10))
        #expect(table["fsb"]?.type == .fixedSizeBinary(4))
        #expect(table["bin"]?.type == .binary)
        #expect(table["li"]?.type == .list(.int64))
        #expect(table["ls"]?.type == .list(.string))
        #expect(table["s"]?.strings()[3] == "日本語")
        // The categorical keeps pandas' categories, in order.
        if case .dictionary(_, let dictionary)? = table["cat"]?.data {
            #expect(dictionary.strings() == ["blue", "green", "red"])
        } else {
            Issue.record("'cat' is not dictionary-encoded")
        }
    }

    @Test func metadataIsExposed() throws {
        let reader = try ParquetReader(path: Self.fixture("pyarrow_rowgroups.parquet"))
        #expect(reader.rowCount == 240)
        #expect(reader.rowGroupCount == 4)
        #expect(reader.metadata.rowGroups.map(\.rowCount) == [70, 70, 70, 30])
        #expect(reader.metadata.createdBy?.hasPrefix("parquet-cpp-arrow") == true)
        #expect(reader.metadata.value(forKey: "pandas") != nil)
        #expect(reader.metadata.value(forKey: "ARROW:schema") != nil)
        let chunk = reader.metadata.rowGroups[0].columns[0]
        #expect(chunk.path == ["i"])
        #expect(chunk.physicalType == .int64)
        #expect(chunk.compression == .zstd)
        #expect(chunk.statistics?.nullCount == 0)
        #expect(chunk.statistics?.minimum?.count == 8)
        #expect(reader.schema.names == ["i", "n", "s", "cat", "f64", "tsz", "li", "ls", "b"])
        #expect(reader.schema["li"]?.type == .list(.int64))
        #expect(reader.schema["n"]?.isNullable == true)
    }

    @Test func projectionReadsOnlyNamedColumnsInOrder() throws {
        let reader = try ParquetReader(path: Self.fixture("pyarrow_rowgroups.parquet"))
        let table = try reader.readTable(columns: ["ls", "i"])
        #expect(table.columnNames == ["ls", "i"])
        let full = try reader.readTable()
        #expect(table["ls"] == full["ls"])
        #expect(table["i"] == full["i"])
        #expect(throws: DataFolioError.self) { try reader.readTable(columns: ["nope"]) }
    }

    @Test func projectionTouchesOnlyTheNeededByteRanges() throws {
        let bytes = try LocalFile.read(Self.fixture("pyarrow_rowgroups.parquet"))
        let recorder = RecordingSource(bytes: bytes)
        let reader = try ParquetReader(source: recorder)
        _ = try reader.readTable(columns: ["n"])
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
            | Int(bytes[bytes.count - 6]) << 16 | Int(bytes[bytes.count - 5]) << 24
        var allowed = reader.metadata.rowGroups.map { group in
            Int(group.columns[1].startOffset)..<Int(group.columns[1].startOffset + group.columns[1].compressedSize)
        }
        allowed.append(0..<4)
        allowed.append((bytes.count - 8 - footerLength)..<bytes.count)
        #expect(recorder.ranges.count == 3 + reader.rowGroupCount)
        for range in recorder.ranges {
            #expect(
                allowed.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound },
                "read \(range) outside column 'n' and the footer")
        }
    }

    @Test func rowGroupsStreamOneAtATime() throws {
        let reader = try ParquetReader(path: Self.fixture("pyarrow_rowgroups.parquet"))
        var iterator = reader.rowGroupTables(columns: ["i", "ls"])
        var counts: [Int] = []
        var ids: [Int64?] = []
        while let group = try iterator.next() {
            counts.append(group.rowCount)
            ids += try group["i"]?.int64s() ?? []
        }
        #expect(counts == [70, 70, 70, 30])
        #expect(ids == (try reader.readTable(columns: ["i"])["i"]?.int64s()))
        var seen = 0
        try reader.forEachRowGroup(columns: ["s"]) { group in seen += group.rowCount }
        #expect(seen == 240)
        #expect(try reader.readRowGroup(3).rowCount == 30)
        #expect(throws: DataFolioError.self) { try reader.readRowGroup(4) }
    }

    @Test func brotliIsRefusedClearly() throws {
        let reader = try ParquetReader(path: Self.fixture("pyarrow_brotli.parquet"))
        do {
            _ = try reader.readTable()
            Issue.record("BROTLI should be refused")
        } catch {
            #expect(error.code == .unsupportedFeature)
            #expect(error.message.contains("BROTLI"))
        }
    }

    @Test func lz4RawFilesRead() throws {
        let reader = try ParquetReader(path: Self.fixture("pyarrow_lz4.parquet"))
        #expect(reader.metadata.rowGroups[0].columns[0].compression == .lz4Raw)
        CanonicalValues.expect(try reader.readTable(), equals: try Self.expected("pyarrow_lz4"), context: "lz4")
    }

    @Test func int96TimestampsBecomeNanoseconds() throws {
        let table = try ParquetReader(path: Self.fixture("pyarrow_int96.parquet")).readTable()
        #expect(table["ts"]?.type == .timestamp(.nanosecond, timeZone: nil))
    }
}

/// A source that records every range read.
final class RecordingSource: ParquetByteSource, @unchecked Sendable {
    let bytes: [UInt8]
    private let lock = NSLock()
    private var recorded: [Range<Int>] = []
    var ranges: [Range<Int>] { lock.withLock { recorded } }
    var size: Int { bytes.count }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8] {
        lock.withLock { recorded.append(offset..<(offset + count)) }
        return Array(bytes[offset..<(offset + count)])
    }
}
