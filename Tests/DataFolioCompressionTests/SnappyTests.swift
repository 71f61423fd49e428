import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Snappy")
struct SnappyTests {
    @Test func roundTrips() throws {
        for (name, input) in TestData.roundTripCases + [("large", TestData.int64Column(1_500_000) + TestData.text(2_000_000))] {
            let packed = Snappy.compress(input)
            #expect(packed.count <= Snappy.maximumCompressedLength(input.count))
            #expect(try Snappy.uncompressedLength(of: packed) == input.count)
            #expect(try Snappy.decompress(packed, maximumOutputSize: input.count) == input, "\(name)")
            var output = [UInt8](repeating: 0xEE, count: input.count + 10)
            let written = try packed.withUnsafeBytes { raw in
                try output.withUnsafeMutableBytes { try Snappy.decompress(raw, into: $0) }
            }
            #expect(written == input.count)
            #expect(output.prefix(written).elementsEqual(input), "\(name) into a buffer")
            #expect(output.suffix(10).allSatisfy { $0 == 0xEE }, "\(name) wrote past its length")
        }
    }

    @Test func compressesRedundantData() throws {
        #expect(Snappy.compress(TestData.text(100_000)).count < 50_000)
        #expect(Snappy.compress([UInt8](repeating: 0, count: 100_000)).count < 5_000)
        // Short periods (1 to 7 bytes) exercise the overlapping copy paths.
        for period in 1...9 {
            let input = (0..<5000).map { UInt8(truncatingIfNeeded: $0 % period) } + TestData.random(20)
            #expect(try Snappy.decompress(Snappy.compress(input), maximumOutputSize: input.count) == input)
        }
    }

    @Test func decodesHandWrittenBlocks() throws {
        // Length 10: literal "ab", then a copy of length 8 at offset 2 (tag 01, length 4 + 4).
        let block: [UInt8] = [10, 0x04, 0x61, 0x62, 0x01 | (4 << 2), 2]
        #expect(try Snappy.decompress(block, maximumOutputSize: 100) == Array("ababababab".utf8))
        // A 4-byte-offset copy (tag 11).
        let wide: [UInt8] = [6, 0x08, 0x78, 0x79, 0x7A, 0x03 | (2 << 2), 3, 0, 0, 0]
        #expect(try Snappy.decompress(wide, maximumOutputSize: 100) == Array("xyzxyz".utf8))
        #expect(try Snappy.decompress([0], maximumOutputSize: 0) == [])
    }

    @Test func rejectsBadBlocks() {
        let cases: [[UInt8]] = [
            [],
            [0x80],  // unterminated length
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // length too long
            [5, 0x04, 0x61],  // literal cut off
            [3, 0x01 | (0 << 2), 1],  // copy before any data
            [4, 0x00, 0x61, 0x02 | (2 << 2), 0, 0],  // offset 0
            [2, 0x04, 0x61, 0x62, 0x00, 0x63],  // more data than declared
            [9, 0x04, 0x61, 0x62],  // less data than declared
            [0x05, 0xF4],  // literal length bytes cut off
        ]
        for bytes in cases {
            #expect(throws: DataFolioError.self, "\(bytes)") { try Snappy.decompress(bytes, maximumOutputSize: 1000) }
        }
        // A header that claims far more than the block could hold.
        #expect(throws: DataFolioError.self) { try Snappy.decompress([0xFF, 0xFF, 0xFF, 0x7F, 0x00], maximumOutputSize: .max) }
        #expect(throws: DataFolioError.self) { try Snappy.decompress(Snappy.compress(TestData.text(1000)), maximumOutputSize: 999) }
    }

    @Test func survivesCorruption() {
        let packed = Snappy.compress(CorruptInputTests.sample)
        _ = CorruptInputTests.hammer(packed, limit: CorruptInputTests.sample.count * 2, seed: 11) { bytes, limit throws(DataFolioError) in
            try Snappy.decompress(bytes, maximumOutputSize: limit)
        }
    }

    @Test(.interop) func interopWithCramjam() throws {
        let folder = TemporaryFolder("snappy")
        let inputs = [("text", TestData.text(300_000)), ("column", TestData.int64Column(60_000)), ("random", TestData.random(70_000)), ("empty", [])]
        for (name, input) in inputs {
            try LocalFile.writeAtomically(input, to: folder.path(name + ".raw"), sync: false)
            try LocalFile.writeAtomically(Snappy.compress(input), to: folder.path(name + ".swift.snappy"), sync: false)
        }
        try InteropPython.run(
            """
            import sys, os, cramjam
            folder = sys.argv[1]
            for name in sys.argv[2:]:
                raw = open(os.path.join(folder, name + '.raw'), 'rb').read()
                ours = open(os.path.join(folder, name + '.swift.snappy'), 'rb').read()
                assert bytes(cramjam.snappy.decompress_raw(ours)) == raw, name
                open(os.path.join(folder, name + '.py.snappy'), 'wb').write(bytes(cramjam.snappy.compress_raw(raw)))
            """, arguments: [folder.path] + inputs.map(\.0))
        for (name, input) in inputs {
            let theirs = try LocalFile.read(folder.path(name + ".py.snappy"))
            #expect(try Snappy.decompress(theirs, maximumOutputSize: input.count) == input, "\(name)")
        }
    }
}
