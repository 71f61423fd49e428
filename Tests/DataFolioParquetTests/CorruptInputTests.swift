@testable import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Damaged, truncated and hostile files must produce a clear error — never a crash, a
/// hang, or a huge allocation.
@Suite struct CorruptInputTests {
    static func fixture(_ name: String) throws(DataFolioError) -> [UInt8] {
        try LocalFile.read(fixturesFolder().appendingPathComponent(name).path)
    }

    /// Reads everything a caller could ask for; errors are the expected outcome.
    static func readAll(_ bytes: [UInt8]) -> DataFolioError? {
        do throws(DataFolioError) {
            let reader = try ParquetReader(bytes: bytes)
            _ = reader.schema
            let readable = reader.schema.fields.filter { $0.type != nil }.map(\.name)
            _ = try reader.readTable(columns: readable)
            var groups = reader.rowGroupTables(columns: readable)
            while try groups.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test func notParquetAtAll() {
        for bytes: [UInt8] in [[], Array("PAR1".utf8), Array("PAR1PAR1PAR1".utf8), Array("hello world, not parquet".utf8)] {
            let error = Self.readAll(bytes)
            #expect(error != nil)
            #expect(error?.code == .truncatedData || error?.code == .corruptData)
        }
    }

    @Test func encryptedFooterIsUnsupported() {
        let bytes = Array("PAR1".utf8) + [UInt8](repeating: 0, count: 20) + [10, 0, 0, 0] + Array("PARE".utf8)
        #expect(Self.readAll(bytes)?.code == .unsupportedFeature)
    }

    @Test func footerLengthThatLies() throws {
        var bytes = try Self.fixture("pyarrow_types.parquet")
        let n = bytes.count
        for length: UInt32 in [0, UInt32(n), UInt32(n - 11), .max, 3] {
            bytes[n - 8] = UInt8(length & 0xFF)
            bytes[n - 7] = UInt8((length >> 8) & 0xFF)
            bytes[n - 6] = UInt8((length >> 16) & 0xFF)
            bytes[n - 5] = UInt8(length >> 24)
            #expect(Self.readAll(bytes) != nil, "footer length \(length)")
        }
    }

    @Test func absurdBufferSizesAreRefusedBeforeAllocating() {
        #expect(throws: DataFolioError.self) { try ReadLimits.checkAffordable(1 << 62, stride: 16) }
        #expect(throws: DataFolioError.self) { try ReadLimits.checkAffordable(-1, stride: 1) }
        #expect(throws: DataFolioError.self) { try ReadLimits.checkAffordable(ReadLimits.maximumBufferBytes, stride: 2) }
        #expect(throws: Never.self) { try ReadLimits.checkAffordable(1 << 20, stride: 8) }
        var values: [UInt8] = [1, 2, 3]
        #expect(throws: DataFolioError.self) { _ = try ByteArrayDecoding.grow(&values, by: Int.max - 1) }
    }

    @Test func everyTruncationFailsCleanly() throws {
        let bytes = try Self.fixture("pyarrow_zstd.parquet")
        for length in stride(from: 0, to: bytes.count, by: 7) {
            var cut = Array(bytes[0..<length])
            if length > 8 {
                // Keep a valid-looking trailer so the reader goes further into the file.
                cut.replaceSubrange((cut.count - 8)..<cut.count, with: bytes[(bytes.count - 8)...])
            }
            #expect(Self.readAll(cut) != nil, "truncated to \(length)")
        }
    }

    /// A file written by this library whose column chunk metadata can be edited.
    static func editableFile(_ edit: (inout ParquetFileMetadata) -> Void) throws -> [UInt8] {
        let table = try Table([
            Column(name: "i", (0..<1000).map { Int64($0 % 17) }),
            Column(name: "s", strings: (0..<1000).map { $0 % 5 == 0 ? nil : "v\($0)" }),
            try Column(name: "l", type: .list(.int32), values: (0..<1000).map { .list([.int(Int64($0)), .null]) }),
        ])
        let bytes = try table.parquetData(options: ParquetWriteOptions(compression: .uncompressed, pageSize: 512))
        let reader = try ParquetReader(bytes: bytes)
        var metadata = reader.metadata
        edit(&metadata)
        let footer = metadata.serialized()
        var out = Array(bytes[0..<reader.dataEnd])
        out += footer
        let length = UInt32(footer.count)
        out += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
        out += Array("PAR1".utf8)
        return out
    }

    @Test func lyingMetadataIsCaught() throws {
        // The unedited file reads.
        #expect(Self.readAll(try Self.editableFile { _ in }) == nil)
        let edits: [(String, (inout ParquetFileMetadata) -> Void)] = [
            ("huge row count", { $0.rowCount = .max; $0.rowGroups[0].rowCount = .max }),
            ("row group with more rows than values", { $0.rowGroups[0].rowCount = 5000 }),
            ("negative rows", { $0.rowGroups[0].rowCount = -1 }),
            ("chunk past the end", {
                $0.rowGroups[0].columns[0].dataPageOffset = 1 << 40
                $0.rowGroups[0].columns[0].dictionaryPageOffset = 1 << 40
            }),
            ("chunk into the footer", { $0.rowGroups[0].columns[1].compressedSize += 100_000 }),
            ("negative chunk size", { $0.rowGroups[0].columns[1].compressedSize = -5 }),
            ("more values than pages", { $0.rowGroups[0].columns[0].valueCount = 1_000_000 }),
            ("fewer values", { $0.rowGroups[0].columns[2].valueCount = 10 }),
            ("wrong physical type", { $0.schema[1].type = .byteArray }),
            ("decimal too wide", {
                $0.schema[1].type = .fixedLenByteArray
                $0.schema[1].typeLength = 64
                $0.schema[1].logicalType = .decimal(scale: 2, precision: 80)
            }),
            ("schema child count lies", { $0.schema[0].numChildren = 99 }),
            ("missing columns", { $0.rowGroups[0].columns.removeLast() }),
            ("codec swapped", { $0.rowGroups[0].columns[0].compression = .snappy }),
            ("unknown codec", { $0.rowGroups[0].columns[0].compression = ParquetCompression(rawValue: 42) }),
            ("LZO", { $0.rowGroups[0].columns[1].compression = .lzo }),
        ]
        for (name, edit) in edits {
            let bytes = try Self.editableFile(edit)
            // Reading every column, including any the damaged schema made unreadable.
            #expect(throws: DataFolioError.self, "\(name) should be refused") { try ParquetReader(bytes: bytes).readTable() }
            _ = Self.readAll(bytes)
        }
    }

    @Test func pageHeadersThatLie() throws {
        // Rewrite the first page header of column 'i' with absurd sizes and counts.
        let table = try Table([Column(name: "i", (0..<100).map { Int64($0) })])
        let bytes = try table.parquetData(options: ParquetWriteOptions(compression: .uncompressed, dictionary: false))
        let reader = try ParquetReader(bytes: bytes)
        let chunk = reader.metadata.rowGroups[0].columns[0]
        let start = Int(chunk.dataPageOffset)
        let (header, headerLength) = try bytes.withRawBytes { (raw) throws(DataFolioError) -> (PageHeader, Int) in
            var thrift = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[start...]))
            let header = try PageHeader(from: &thrift)
            return (header, thrift.offset)
        }
        let body = Array(bytes[(start + headerLength)..<(start + headerLength + Int(header.compressedSize))])
        func rebuilt(_ change: (inout PageHeader) -> Void) throws -> [UInt8] {
            var edited = header
            change(&edited)
            let newHeader = edited.serialized()
            return try CorruptInputTests.editableBytes(
                prefix: Array(bytes[0..<start]) + newHeader + body, original: reader, headerDelta: newHeader.count - headerLength)
        }
        let cases: [(String, (inout PageHeader) -> Void)] = [
            ("value count larger than the chunk", { $0.dataPage?.valueCount = 1_000_000 }),
            ("negative value count", { $0.dataPage?.valueCount = -1 }),
            ("uncompressed size over the limit", { $0.uncompressedSize = .max }),
            ("uncompressed size that lies", { $0.uncompressedSize = 10 }),
            ("no data page header", { $0.dataPage = nil }),
            ("unknown value encoding", { $0.dataPage?.encoding = ParquetEncoding(rawValue: 77) }),
            ("dictionary encoding without a dictionary", { $0.dataPage?.encoding = .rleDictionary }),
            ("unknown level encoding", { $0.dataPage?.definitionLevelEncoding = .deltaBinaryPacked }),
        ]
        for (name, change) in cases {
            #expect(Self.readAll(try rebuilt(change)) != nil, "\(name) should be refused")
        }
    }

    /// Re-attaches the footer of `original` after a rewritten first chunk (single column).
    static func editableBytes(prefix: [UInt8], original: ParquetReader, headerDelta: Int) throws -> [UInt8] {
        var metadata = original.metadata
        metadata.rowGroups[0].columns[0].compressedSize += Int64(headerDelta)
        let footer = metadata.serialized()
        var out = prefix
        out += footer
        let length = UInt32(footer.count)
        out += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
        out += Array("PAR1".utf8)
        return out
    }

    /// Random truncations, bit flips and byte overwrites over every fixture: each read
    /// must either succeed or throw a DataFolioError.
    @Test(arguments: ["pyarrow_types", "pyarrow_rowgroups", "pyarrow_delta", "pyarrow_nodict_v2_gzip", "polars", "duckdb", "fastparquet"])
    func fuzzedFixturesNeverCrash(name: String) throws {
        let original = try Self.fixture(name + ".parquet")
        var generator = SeededGenerator(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var failures = 0
        let iterations = 600
        for _ in 0..<iterations {
            var bytes = original
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:
                bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &generator)...)
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let i = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
                }
            case 2:
                let i = Int.random(in: 0..<bytes.count, using: &generator)
                let n = min(Int.random(in: 1...16, using: &generator), bytes.count - i)
                for k in 0..<n { bytes[i + k] = UInt8.random(in: 0...255, using: &generator) }
            default:
                // Damage the footer specifically, where lengths and offsets live.
                let footerLength = Int(original[original.count - 8]) | Int(original[original.count - 7]) << 8
                let start = max(0, original.count - 8 - footerLength)
                let i = Int.random(in: start..<(original.count - 8), using: &generator)
                bytes[i] = UInt8.random(in: 0...255, using: &generator)
            }
            if Self.readAll(bytes) != nil { failures += 1 }
        }
        // Most damage is detected; some lands in values and reads "fine".
        #expect(failures > 0)
    }

    @Test func fuzzedSwiftFilesNeverCrash() throws {
        let table = try SampleTables.everyType(rows: 120, seed: 11)
        var generator = SeededGenerator(seed: 4242)
        for options in [
            ParquetWriteOptions(compression: .snappy, pageSize: 200), ParquetWriteOptions(compression: .uncompressed, dictionary: false),
        ] {
            let original = try table.parquetData(options: options)
            for _ in 0..<400 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let i = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[i] = UInt8.random(in: 0...255, using: &generator)
                }
                _ = Self.readAll(bytes)
            }
        }
    }
}
