import DataFolioSupport

/// Deterministic pseudo-random bytes for archive tests.
enum ZipTestData {
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    static func text(_ count: Int) -> [UInt8] {
        let line = Array("The archive holds arrays, tensors and notes; ünïcødé too.\n".utf8)
        return (0..<count).map { line[$0 % line.count] }
    }

    static let entries: [(name: String, contents: [UInt8])] = [
        ("empty.bin", []),
        ("one.bin", [42]),
        ("text.txt", text(50_000)),
        ("random.bin", bytes(30_000, seed: 7)),
        ("folder/", []),
        ("folder/ünïcødé 名前 🎉.txt", Array("unicode name".utf8)),
    ]
}

extension Array where Element == UInt8 {
    func readLE32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}
