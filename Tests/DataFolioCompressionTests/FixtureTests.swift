import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Streams made by Python's zlib, gzip, cramjam and lz4 (see Fixtures/make_fixtures.py),
/// read without Python.
@Suite("Compression fixtures from Python")
struct FixtureTests {
    func fixture(_ name: String) throws -> [UInt8] {
        try LocalFile.read(fixturesFolder().appendingPathComponent(name).path)
    }

    @Test func readsEveryFormat() throws {
        let source = try fixture("source.txt")
        #expect(source.count > 10_000)
        #expect(try Zlib.decompress(fixture("source.zlib"), maximumOutputSize: source.count) == source)
        #expect(try Deflate.decompress(fixture("source.deflate"), maximumOutputSize: source.count) == source)
        #expect(try Gzip.decompress(fixture("source.gz"), maximumOutputSize: source.count) == source)
        let snappy = try fixture("source.snappy")
        #expect(try Snappy.uncompressedLength(of: snappy) == source.count)
        #expect(try Snappy.decompress(snappy, maximumOutputSize: source.count) == source)
        #expect(try LZ4.decompress(fixture("source.lz4"), maximumOutputSize: source.count) == source)
        #expect(try LZ4.decompressHadoop(fixture("source.hadoop.lz4"), uncompressedSize: source.count) == source)
        #expect(try LZ4.decompressHadoop(fixture("source.lz4"), uncompressedSize: source.count) == source)
    }

    @Test func limitsApplyToFixtures() throws {
        let source = try fixture("source.txt")
        for (name, decode) in [
            ("source.zlib", { (b: [UInt8]) throws(DataFolioError) in _ = try Zlib.decompress(b, maximumOutputSize: 1000) }),
            ("source.gz", { (b: [UInt8]) throws(DataFolioError) in _ = try Gzip.decompress(b, maximumOutputSize: 1000) }),
            ("source.snappy", { (b: [UInt8]) throws(DataFolioError) in _ = try Snappy.decompress(b, maximumOutputSize: 1000) }),
            ("source.lz4", { (b: [UInt8]) throws(DataFolioError) in _ = try LZ4.decompress(b, maximumOutputSize: 1000) }),
        ] {
            let bytes = try fixture(name)
            do {
                try decode(bytes)
                Issue.record("\(name) decoded \(source.count) bytes past a 1000-byte limit")
            } catch {
                #expect(error.code == .limitExceeded, "\(name)")
            }
        }
    }
}
