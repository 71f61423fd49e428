import DataFolioCompression
import DataFolioSupport
import Testing

/// Damaged input must produce an error or (for flips a format cannot detect) some
/// output — never a crash, a hang or an output beyond the limit.
@Suite("Corrupt and truncated input")
struct CorruptInputTests {
    typealias Decoder = ([UInt8], Int) throws(DataFolioError) -> [UInt8]

    static let sample = TestData.text(6000) + TestData.random(500) + TestData.int64Column(300)

    /// Flips bits and truncates `good` many times; every truncation must throw.
    static func hammer(_ good: [UInt8], limit: Int, seed: UInt64, decode: Decoder) -> (flipsDetected: Int, rounds: Int) {
        var generator = SeededGenerator(seed: seed)
        var detected = 0
        let rounds = 1500
        for round in 0..<rounds {
            var bytes = good
            for _ in 0..<(1 + round % 3) {
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] ^= UInt8(1 << (generator.next() % 8))
            }
            do {
                let output = try decode(bytes, limit)
                #expect(output.count <= limit)
            } catch {
                detected += 1
            }
        }
        for length in stride(from: 0, to: good.count, by: max(1, good.count / 300)) {
            #expect(throws: DataFolioError.self, "truncated to \(length)") { try decode(Array(good.prefix(length)), limit) }
        }
        return (detected, rounds)
    }

    @Test func deflate() {
        for level in [CompressionLevel.none, .fastest, .default] {
            let packed = Deflate.compress(Self.sample, level: level)
            _ = Self.hammer(packed, limit: Self.sample.count * 2, seed: 1) { bytes, limit throws(DataFolioError) in
                try Deflate.decompress(bytes, maximumOutputSize: limit)
            }
        }
    }

    @Test func zlibAndGzipDetectFlips() {
        let zlib = Self.hammer(Zlib.compress(Self.sample), limit: Self.sample.count * 2, seed: 2) { bytes, limit throws(DataFolioError) in
            try Zlib.decompress(bytes, maximumOutputSize: limit)
        }
        // Only flips in the padding bits after the last block go unnoticed.
        #expect(zlib.flipsDetected > zlib.rounds * 99 / 100)
        let gzip = Self.hammer(Gzip.compress(Self.sample), limit: Self.sample.count * 2, seed: 3) { bytes, limit throws(DataFolioError) in
            try Gzip.decompress(bytes, maximumOutputSize: limit)
        }
        // Flips in the modification time or OS byte are not detectable.
        #expect(gzip.flipsDetected > gzip.rounds * 9 / 10)
    }

    @Test func randomBytesAsDeflate() {
        var generator = SeededGenerator(seed: 4)
        for length in 0..<400 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? Deflate.decompress(bytes, maximumOutputSize: 100_000)
            _ = try? Zlib.decompress([0x78, 0x9C] + bytes, maximumOutputSize: 100_000)
        }
    }
}
