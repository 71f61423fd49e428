import DataFolioTestSupport
import Foundation

/// Deterministic sample data for the Zstandard tests.
struct ZstandardTestData {
    typealias Generator = SeededRandom

    static func random(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = Generator(seed: seed)
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var value = generator.next()
            for _ in 0..<8 where index < count {
                bytes[index] = UInt8(truncatingIfNeeded: value)
                value >>= 8
                index += 1
            }
        }
        return bytes
    }

    static let words = [
        "the", "of", "and", "to", "in", "is", "was", "for", "on", "that", "with", "as", "by", "at", "from",
        "parquet", "column", "page", "dictionary", "encoding", "offset", "literal", "sequence", "frame",
        "zstandard", "huffman", "entropy", "window", "block", "match", "ünïcødé", "数据", "🙂",
    ]

    static func text(_ count: Int, seed: UInt64 = 2) -> [UInt8] {
        var generator = Generator(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 32)
        while bytes.count < count {
            let word = words[Int(generator.next() % UInt64(words.count))]
            bytes.append(contentsOf: word.utf8)
            bytes.append(generator.next() % 12 == 0 ? UInt8(ascii: "\n") : UInt8(ascii: " "))
        }
        return Array(bytes.prefix(count))
    }

    /// PLAIN-encoded int64 values: slowly increasing ids with jitter.
    static func int64Column(_ count: Int, seed: UInt64 = 3) -> [UInt8] {
        var generator = Generator(seed: seed)
        var values = [Int64](repeating: 0, count: count)
        var current: Int64 = 1_700_000_000_000
        for index in 0..<count {
            current += Int64(generator.next() % 1000)
            values[index] = current
        }
        return values.withUnsafeBytes { [UInt8]($0) }
    }

    /// Small random int64 values (categories, counts): mostly zero bytes.
    static func smallInt64Column(_ count: Int, seed: UInt64 = 4) -> [UInt8] {
        var generator = Generator(seed: seed)
        let values = (0..<count).map { _ in Int64(generator.next() % 50) }
        return values.withUnsafeBytes { [UInt8]($0) }
    }

    /// float64 prices with two decimals.
    static func doubleColumn(_ count: Int, seed: UInt64 = 5) -> [UInt8] {
        var generator = Generator(seed: seed)
        let values = (0..<count).map { _ in Double(generator.next() % 100_000) / 100 }
        return values.withUnsafeBytes { [UInt8]($0) }
    }

    /// Dictionary indices as Parquet writes them: an RLE/bit-packed hybrid run of 7-bit codes.
    static func dictionaryIndices(_ count: Int, seed: UInt64 = 6) -> [UInt8] {
        var generator = Generator(seed: seed)
        var bytes: [UInt8] = [7]
        var bitBuffer: UInt64 = 0
        var bitCount = 0
        var previous: UInt64 = 0
        for _ in 0..<count {
            // Skewed toward a few popular values, often repeating the previous one.
            let roll = generator.next() % 100
            let value: UInt64 = roll < 30 ? previous : (roll < 80 ? generator.next() % 8 : generator.next() % 128)
            previous = value
            bitBuffer |= value << UInt64(bitCount)
            bitCount += 7
            while bitCount >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: bitBuffer))
                bitBuffer >>= 8
                bitCount -= 8
            }
        }
        return bytes
    }

    /// Long runs of a few byte values, as in all-null or constant columns.
    static func runs(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
        var generator = Generator(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let length = Int(generator.next() % 300_000) + 1
            bytes.append(contentsOf: repeatElement(UInt8(truncatingIfNeeded: generator.next() % 4), count: min(length, count - bytes.count)))
        }
        return bytes
    }

    /// A mix of the above in one buffer, like a file of several column chunks.
    static func mixed(_ count: Int) -> [UInt8] {
        let part = count / 6
        var bytes = int64Column(part / 8) + text(part) + smallInt64Column(part / 8)
        bytes += dictionaryIndices(part * 8 / 7) + doubleColumn(part / 8) + random(part / 4) + runs(part)
        return Array(bytes.prefix(count)) + [UInt8](repeating: 9, count: max(0, count - bytes.count))
    }

    /// Named samples of various sizes and kinds.
    static let samples: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [42]),
        ("two bytes", [1, 2]),
        ("tiny text", Array("hello, hello, hello world".utf8)),
        ("short run", [UInt8](repeating: 0xAB, count: 40)),
        ("text 1 KB", text(1_000)),
        ("text 200 KB", text(200_000)),
        ("random 100 KB", random(100_000)),
        ("zeros 1 MB", [UInt8](repeating: 0, count: 1 << 20)),
        ("runs 1 MB", runs(1 << 20)),
        ("int64 column", int64Column(50_000)),
        ("small int64 column", smallInt64Column(50_000)),
        ("double column", doubleColumn(50_000)),
        ("dictionary indices", dictionaryIndices(300_000)),
        ("mixed 3 MB", mixed(3 << 20)),
        ("block boundary", text(128 * 1024 + 1)),
        ("exactly one block", random(128 * 1024)),
    ]
}
