/// Finding the first byte of a kind in text eight bytes at a time: each test sets the high
/// bit of the bytes that match. A test may also flag bytes after a real match (a borrow
/// runs upward), never before one, so the lowest flagged byte is always a real match.
enum ByteWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The bytes of `word` equal to `byte`.
    @inline(__always)
    static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (UInt64(byte) &* ones)
        return (difference &- ones) & ~difference & highBits
    }

    /// The bytes of `word` below `bound` (at most 0x80).
    @inline(__always)
    static func below(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        (word &- UInt64(bound) &* ones) & ~word & highBits
    }

    /// The offset of the first byte at or after `start` that `byte` accepts (`bytes.count`
    /// when none does): `word` flags them eight at a time (a word in memory order, the
    /// first byte lowest), `byte` tests the last few one by one.
    @inline(__always)
    static func firstMatch(
        in bytes: UnsafeRawBufferPointer, from start: Int, word: (UInt64) -> UInt64, byte: (UInt8) -> Bool
    ) -> Int {
        var offset = start
        let count = bytes.count
        while offset + 8 <= count {
            let flagged = word(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            if flagged != 0 { return offset + flagged.trailingZeroBitCount / 8 }
            offset += 8
        }
        while offset < count, !byte(bytes[offset]) { offset += 1 }
        return offset
    }
}
