import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("LZ4")
struct LZ4Tests {
    func decompress(_ packed: [UInt8], size: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0xEE, count: size + 10)
        let written = try packed.withUnsafeBytes { raw in
            try output.withUnsafeMutableBytes { try LZ4.decompress(raw, into: $0) }
        }
        #expect(written == size)
        #expect(output.suffix(10).allSatisfy { $0 == 0xEE }, "wrote past its length")
        return Array(output.prefix(written))
    }

    @Test func roundTrips() throws {
        for (name, input) in TestData.roundTripCases + [("large", TestData.int64Column(1_500_000) + TestData.text(2_000_000))] {
            let packed = LZ4.compress(input)
            #expect(packed.count <= LZ4.maximumCompressedLength(input.count))
            #expect(try decompress(packed, size: input.count) == input, "\(name)")
            #expect(try LZ4.decompress(packed, maximumOutputSize: input.count) == input, "\(name)")
            let hadoop = LZ4.compressHadoop(input)
            #expect(try LZ4.decompressHadoop(hadoop, uncompressedSize: input.count) == input, "\(name) hadoop")
            // A bare block under the Hadoop codec is still read.
            #expect(try LZ4.decompressHadoop(packed, uncompressedSize: input.count) == input, "\(name) hadoop fallback")
        }
        for period in 1...9 {
            let input = (0..<5000).map { UInt8(truncatingIfNeeded: $0 % period) } + TestData.random(20)
            #expect(try LZ4.decompress(LZ4.compress(input), maximumOutputSize: input.count) == input)
        }
    }

    @Test func compressesRedundantData() {
        #expect(LZ4.compress(TestData.text(100_000)).count < 50_000)
        #expect(LZ4.compress([UInt8](repeating: 0, count: 100_000)).count < 1_000)
    }

    @Test func hadoopFramesWithSeveralBlocks() throws {
        let a = TestData.text(10_000, seed: 1)
        let b = TestData.text(20_000, seed: 2)
        let framed = LZ4.compressHadoop(a) + LZ4.compressHadoop(b)
        #expect(try LZ4.decompressHadoop(framed, uncompressedSize: a.count + b.count) == a + b)
        #expect(throws: DataFolioError.self) { try LZ4.decompressHadoop(framed, uncompressedSize: a.count + b.count - 1) }
    }

    @Test func rejectsBadBlocks() {
        let cases: [[UInt8]] = [
            [],
            [0x50, 0x61],  // literals cut off
            [0x10, 0x61, 0x05],  // offset cut off
            [0x10, 0x61, 0x02, 0x00],  // offset beyond the data
            [0x10, 0x61, 0x00, 0x00],  // offset 0
            [0xF0, 0xFF, 0xFF],  // literal length extension cut off
            [0x1F, 0x61, 0x01, 0x00, 0xFF],  // match length extension cut off
        ]
        for bytes in cases {
            #expect(throws: DataFolioError.self, "\(bytes)") { try LZ4.decompress(bytes, maximumOutputSize: 1000) }
        }
        #expect(throws: DataFolioError.self) { try LZ4.decompress(LZ4.compress(TestData.text(1000)), maximumOutputSize: 999) }
        var small = [UInt8](repeating: 0, count: 999)
        #expect(throws: DataFolioError.self) {
            try LZ4.compress(TestData.text(1000)).withUnsafeBytes { raw in
                try small.withUnsafeMutableBytes { try LZ4.decompress(raw, into: $0) }
            }
        }
    }

    @Test func survivesCorruption() {
        let packed = LZ4.compress(CorruptInputTests.sample)
        var generator = SeededGenerator(seed: 12)
        for round in 0..<1500 {
            var bytes = packed
            for _ in 0..<(1 + round % 3) {
                bytes[Int(generator.next() % UInt64(bytes.count))] ^= UInt8(1 << (generator.next() % 8))
            }
            if let output = try? LZ4.decompress(bytes, maximumOutputSize: CorruptInputTests.sample.count * 2) {
                #expect(output.count <= CorruptInputTests.sample.count * 2)
            }
            _ = try? LZ4.decompressHadoop(bytes, uncompressedSize: CorruptInputTests.sample.count)
        }
        // A block only ends after literals, so cutting it anywhere else fails.
        for length in stride(from: 0, to: packed.count - 1, by: 7) {
            _ = try? LZ4.decompress(Array(packed.prefix(length)), maximumOutputSize: 1 << 20)
        }
    }

    @Test(.interop) func interopWithPython() throws {
        let folder = TemporaryFolder("lz4")
        let inputs = [("text", TestData.text(300_000)), ("column", TestData.int64Column(60_000)), ("random", TestData.random(70_000)), ("empty", [])]
        for (name, input) in inputs {
            try LocalFile.writeAtomically(input, to: folder.path(name + ".raw"), sync: false)
            try LocalFile.writeAtomically(LZ4.compress(input), to: folder.path(name + ".swift.lz4"), sync: false)
        }
        try InteropPython.run(
            """
            import sys, os, lz4.block, cramjam
            folder = sys.argv[1]
            for name in sys.argv[2:]:
                raw = open(os.path.join(folder, name + '.raw'), 'rb').read()
                ours = open(os.path.join(folder, name + '.swift.lz4'), 'rb').read()
                assert lz4.block.decompress(ours, uncompressed_size=len(raw)) == raw, name
                assert bytes(cramjam.lz4.decompress_block(ours, output_len=len(raw))) == raw, name
                open(os.path.join(folder, name + '.py.lz4'), 'wb').write(lz4.block.compress(raw, store_size=False))
                open(os.path.join(folder, name + '.hc.lz4'), 'wb').write(lz4.block.compress(raw, mode='high_compression', store_size=False))
                open(os.path.join(folder, name + '.cj.lz4'), 'wb').write(bytes(cramjam.lz4.compress_block(raw, store_size=False)))
            """, arguments: [folder.path] + inputs.map(\.0))
        for (name, input) in inputs {
            for kind in ["py", "hc", "cj"] {
                let theirs = try LocalFile.read(folder.path("\(name).\(kind).lz4"))
                #expect(try decompress(theirs, size: input.count) == input, "\(name) \(kind)")
            }
        }
    }
}
