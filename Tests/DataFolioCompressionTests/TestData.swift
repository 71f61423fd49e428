import DataFolioTestSupport
import Foundation

typealias SeededGenerator = SeededRandom

enum TestData {
    static func random(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        var bytes = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            let word = generator.next()
            for k in 0..<8 where i + k < count { bytes[i + k] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(k))) }
            i += 8
        }
        return bytes
    }

    /// English-like text built from a small vocabulary: compressible but not trivial.
    static func text(_ count: Int, seed: UInt64 = 2) -> [UInt8] {
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "data", "folio",
                     "parquet", "column", "value", "ünïcødé", "snappy", "zip", "archive", "\n", "42", "3.14159"]
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 16)
        while bytes.count < count {
            bytes += Array(words[Int(generator.next() % UInt64(words.count))].utf8)
            bytes.append(0x20)
        }
        return Array(bytes.prefix(count))
    }

    /// Little-endian int64s that grow slowly, like a sorted id column.
    static func int64Column(_ count: Int, seed: UInt64 = 3) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * 8)
        var value: Int64 = 1_000_000
        for _ in 0..<count {
            value += Int64(generator.next() % 16)
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
        return bytes
    }

    static func repetitive(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 / 7) % 3) }
    }

    /// The classic inputs every codec test walks through.
    static var roundTripCases: [(String, [UInt8])] {
        [
            ("empty", []),
            ("one byte", [0x41]),
            ("two bytes", [0, 255]),
            ("zeros 100k", [UInt8](repeating: 0, count: 100_000)),
            ("repetitive", repetitive(70_000)),
            ("random 100k", random(100_000)),
            ("text 300k", text(300_000)),
            ("int64 column", int64Column(40_000)),
            ("mixed", text(50_000) + random(20_000, seed: 9) + [UInt8](repeating: 7, count: 5000) + text(50_000, seed: 5)),
        ]
    }
}
