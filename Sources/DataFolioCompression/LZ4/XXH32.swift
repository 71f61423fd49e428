/// The 32-bit xxHash (XXH32), which the LZ4 frame format uses for its checksums.
///
/// ```swift
/// let hash = [UInt8]("abc".utf8).withUnsafeBytes { XXH32.hash($0) }
/// print(String(hash, radix: 16))   // 32d153ff
/// ```
public enum XXH32 {
    private static let prime1: UInt32 = 0x9E37_79B1
    private static let prime2: UInt32 = 0x85EB_CA77
    private static let prime3: UInt32 = 0xC2B2_AE3D
    private static let prime4: UInt32 = 0x27D4_EB2F
    private static let prime5: UInt32 = 0x1656_67B1

    /// Hashes `bytes` with the given seed.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        let count = bytes.count
        var hash: UInt32
        var offset = 0
        guard let base = bytes.baseAddress, count > 0 else {
            return avalanche(seed &+ prime5)
        }
        @inline(__always)
        func lane(_ at: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        @inline(__always)
        func round(_ accumulator: UInt32, _ input: UInt32) -> UInt32 {
            rotate(accumulator &+ input &* prime2, 13) &* prime1
        }
        if count >= 16 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset + 16 <= count {
                v1 = round(v1, lane(offset))
                v2 = round(v2, lane(offset + 4))
                v3 = round(v3, lane(offset + 8))
                v4 = round(v4, lane(offset + 12))
                offset += 16
            }
            hash = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
        } else {
            hash = seed &+ prime5
        }
        hash &+= UInt32(truncatingIfNeeded: count)
        while offset + 4 <= count {
            hash = rotate(hash &+ lane(offset) &* prime3, 17) &* prime4
            offset += 4
        }
        while offset < count {
            hash = rotate(hash &+ UInt32(base.load(fromByteOffset: offset, as: UInt8.self)) &* prime5, 11) &* prime1
            offset += 1
        }
        return avalanche(hash)
    }

    /// Hashes the bytes of an array.
    public static func hash(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inline(__always)
    private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }

    private static func avalanche(_ value: UInt32) -> UInt32 {
        var hash = value
        hash ^= hash >> 15
        hash &*= prime2
        hash ^= hash >> 13
        hash &*= prime3
        hash ^= hash >> 16
        return hash
    }
}
