import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Frames made by the reference implementation (python `zstandard`, see
/// Fixtures/zstd/make_fixtures.py), checked against the size and MD5 in MANIFEST.
@Suite struct ZstandardFixtureTests {
    struct Fixture: CustomTestStringConvertible, Sendable {
        var name: String
        var size: Int
        var md5: String
        var testDescription: String { name }
    }

    static let folder = fixturesFolder().appendingPathComponent("zstd", isDirectory: true)

    static let fixtures: [Fixture] = {
        guard let manifest = try? String(contentsOf: folder.appendingPathComponent("MANIFEST"), encoding: .utf8) else {
            return []
        }
        return manifest.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, let size = Int(fields[1]) else { return nil }
            return Fixture(name: String(fields[0]), size: size, md5: String(fields[2]))
        }
    }()

    static func load(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func md5Hex(_ bytes: [UInt8]) -> String {
        MD5.hex(of: bytes)
    }

    @Test func manifestIsComplete() {
        #expect(Self.fixtures.count >= 24)
    }

    @Test(arguments: fixtures)
    func decompressesIntoArray(_ fixture: Fixture) throws {
        let frame = try Self.load(fixture.name)
        let output = try Zstandard.decompress(frame, maximumOutputSize: 1 << 24)
        #expect(output.count == fixture.size)
        #expect(Self.md5Hex(output) == fixture.md5)
    }

    @Test(arguments: fixtures)
    func decompressesIntoBufferOfKnownSize(_ fixture: Fixture) throws {
        let frame = try Self.load(fixture.name)
        var output = [UInt8](repeating: 0, count: fixture.size)
        let written = try output.withUnsafeMutableBytes { try Zstandard.decompress(frame, into: $0) }
        #expect(written == fixture.size)
        #expect(Self.md5Hex(output) == fixture.md5)
    }

    @Test(arguments: fixtures)
    func reportsDecompressedSize(_ fixture: Fixture) throws {
        let frame = try Self.load(fixture.name)
        let size = try Zstandard.decompressedSize(of: frame)
        if fixture.name.contains("no-content-size") || fixture.name == "multiple-frames.zst" {
            #expect(size == nil)
        } else {
            #expect(size == fixture.size)
        }
    }

    @Test func runsBecomeTheExpectedBytes() throws {
        let output = try Zstandard.decompress(try Self.load("runs.zst"), maximumOutputSize: 1 << 20)
        var expected = [UInt8](repeating: 0, count: 300_000) + Array("hello".utf8) + [UInt8](repeating: 0xAB, count: 200_000)
        for _ in 0..<4 { expected += (0...255).map { UInt8($0) } }
        expected += [UInt8](repeating: 7, count: 1_000)
        #expect(output == expected)
    }

    @Test func tooSmallBufferIsALimitError() throws {
        let frame = try Self.load("text-level3.zst")
        var output = [UInt8](repeating: 0, count: 1000)
        #expect {
            _ = try output.withUnsafeMutableBytes { try Zstandard.decompress(frame, into: $0) }
        } throws: { ($0 as? DataFolioError)?.code == .limitExceeded }
    }

    @Test func frameWithoutSizeStopsAtTheLimit() throws {
        let frame = try Self.load("text-no-content-size.zst")
        #expect {
            _ = try Zstandard.decompress(frame, maximumOutputSize: 10_000)
        } throws: { ($0 as? DataFolioError)?.code == .limitExceeded }
        #expect(try Zstandard.decompress(frame, maximumOutputSize: 60_000).count == 60_000)
    }

    @Test func frameWithSizeAboveTheLimitFailsBeforeDecoding() throws {
        let frame = try Self.load("runs.zst")
        #expect {
            _ = try Zstandard.decompress(frame, maximumOutputSize: 500_000)
        } throws: { ($0 as? DataFolioError)?.code == .limitExceeded }
    }

    @Test func handMadeFramesWithRareFeatures() throws {
        // RLE literals and no sequences.
        let rleLiterals: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x20, 10, 0x1D, 0, 0, 0x51, UInt8(ascii: "z"), 0x00]
        #expect(try Zstandard.decompress(rleLiterals, maximumOutputSize: 100) == Array("zzzzzzzzzz".utf8))
        // An empty raw block, then an RLE block.
        let emptyThenRLE: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x20, 5, 0x00, 0, 0, 0x2B, 0, 0, UInt8(ascii: "a")]
        #expect(try Zstandard.decompress(emptyThenRLE, maximumOutputSize: 100) == Array("aaaaa".utf8))
        // Only skippable frames: no output at all.
        let skippable: [UInt8] = [0x5F, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 1, 2]
        #expect(try Zstandard.decompress(skippable, maximumOutputSize: 100) == [])
        #expect(try Zstandard.decompressedSize(of: skippable) == 0)
    }
}
