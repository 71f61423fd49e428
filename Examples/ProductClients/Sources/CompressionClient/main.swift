import DataFolioCompression
import Foundation

// Each codec round-trips the same bytes.
do {
    var generator = SplitMix64(seed: 42)
    let input = (0..<50_000).map { _ in UInt8(truncatingIfNeeded: generator.next() % 16) }
    let snappy = try Snappy.decompress(Snappy.compress(input), maximumOutputSize: input.count)
    let zstd = try Zstandard.decompress(Zstandard.compress(input), maximumOutputSize: input.count)
    guard snappy == input, zstd == input else {
        print("CompressionClient: a codec changed the bytes")
        exit(1)
    }
    print("CompressionClient: ok")
} catch {
    print("CompressionClient: \(error.localizedDescription)")
    exit(1)
}

/// A small seeded generator, so the input is the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
