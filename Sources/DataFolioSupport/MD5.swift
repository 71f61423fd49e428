/// An incremental MD5 digest (RFC 1321).
///
/// The folio catalog records the MD5 of every stored payload, as the Python datafolio
/// does, so files can be verified after a copy or a crash. MD5 is used here as a
/// checksum, not for security.
///
/// ```swift
/// var md5 = MD5()
/// md5.update(Array("hello".utf8))
/// print(md5.finalize().hexString)   // 5d41402abc4b2a76b9719d911017c592
/// ```
public struct MD5: Sendable {
    private var a: UInt32 = 0x6745_2301
    private var b: UInt32 = 0xefcd_ab89
    private var c: UInt32 = 0x98ba_dcfe
    private var d: UInt32 = 0x1032_5476
    private var pending = [UInt8](repeating: 0, count: 64)
    private var pendingCount = 0
    private var totalBytes: UInt64 = 0

    /// Creates a digest with no input yet.
    public init() {}

    /// Adds bytes to the digest.
    public mutating func update(_ data: UnsafeRawBufferPointer) {
        guard var base = data.baseAddress, data.count > 0 else { return }
        var count = data.count
        totalBytes &+= UInt64(count)
        if pendingCount > 0 {
            let take = min(64 - pendingCount, count)
            pending.withUnsafeMutableBytes { dst in
                (dst.baseAddress! + pendingCount).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            base += take
            count -= take
            if pendingCount == 64 {
                pending.withUnsafeBytes { compress(blocks: $0.baseAddress!, count: 1) }
                pendingCount = 0
            }
        }
        let blocks = count / 64
        if blocks > 0 {
            compress(blocks: base, count: blocks)
            base += blocks * 64
            count -= blocks * 64
        }
        if count > 0 {
            pending.withUnsafeMutableBytes { dst in
                dst.baseAddress!.copyMemory(from: base, byteCount: count)
            }
            pendingCount = count
        }
    }

    /// Adds bytes to the digest.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes the digest and returns its 16 bytes.
    public consuming func finalize() -> [UInt8] {
        let bitLength = totalBytes &* 8
        var tail: [UInt8] = [0x80]
        let padding = (56 - (pendingCount + 1) % 64 + 64) % 64
        tail.append(contentsOf: repeatElement(0, count: padding))
        withUnsafeBytes(of: bitLength.littleEndian) { tail.append(contentsOf: $0) }
        let saved = totalBytes
        tail.withUnsafeBytes { update($0) }
        totalBytes = saved
        var out = [UInt8]()
        out.reserveCapacity(16)
        for word in [a, b, c, d] {
            withUnsafeBytes(of: word.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The MD5 of `bytes`, as 32 lowercase hex digits.
    public static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize().hexString
    }

    /// The MD5 of `bytes`, as 32 lowercase hex digits.
    public static func hex(of bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex(of: $0) }
    }

    @inline(__always)
    private static func rotl(_ x: UInt32, _ s: UInt32) -> UInt32 { (x << s) | (x >> (32 &- s)) }

    private mutating func compress(blocks: UnsafeRawPointer, count: Int) {
        var a = self.a, b = self.b, c = self.c, d = self.d
        var p = blocks
        for _ in 0..<count {
            let x0 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let x1 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let x2 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            let x3 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
            let x4 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
            let x5 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 20, as: UInt32.self))
            let x6 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
            let x7 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
            let x8 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 32, as: UInt32.self))
            let x9 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 36, as: UInt32.self))
            let x10 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 40, as: UInt32.self))
            let x11 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 44, as: UInt32.self))
            let x12 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 48, as: UInt32.self))
            let x13 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 52, as: UInt32.self))
            let x14 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 56, as: UInt32.self))
            let x15 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 60, as: UInt32.self))
            let aa = a, bb = b, cc = c, dd = d

            @inline(__always) func f(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ t: UInt32) {
                a = b &+ MD5.rotl(a &+ (d ^ (b & (c ^ d))) &+ x &+ t, s)
            }
            @inline(__always) func g(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ t: UInt32) {
                a = b &+ MD5.rotl(a &+ (c ^ (d & (b ^ c))) &+ x &+ t, s)
            }
            @inline(__always) func h(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ t: UInt32) {
                a = b &+ MD5.rotl(a &+ (b ^ c ^ d) &+ x &+ t, s)
            }
            @inline(__always) func i(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ t: UInt32) {
                a = b &+ MD5.rotl(a &+ (c ^ (b | ~d)) &+ x &+ t, s)
            }

            f(&a, b, c, d, x0, 7, 0xd76a_a478); f(&d, a, b, c, x1, 12, 0xe8c7_b756)
            f(&c, d, a, b, x2, 17, 0x2420_70db); f(&b, c, d, a, x3, 22, 0xc1bd_ceee)
            f(&a, b, c, d, x4, 7, 0xf57c_0faf); f(&d, a, b, c, x5, 12, 0x4787_c62a)
            f(&c, d, a, b, x6, 17, 0xa830_4613); f(&b, c, d, a, x7, 22, 0xfd46_9501)
            f(&a, b, c, d, x8, 7, 0x6980_98d8); f(&d, a, b, c, x9, 12, 0x8b44_f7af)
            f(&c, d, a, b, x10, 17, 0xffff_5bb1); f(&b, c, d, a, x11, 22, 0x895c_d7be)
            f(&a, b, c, d, x12, 7, 0x6b90_1122); f(&d, a, b, c, x13, 12, 0xfd98_7193)
            f(&c, d, a, b, x14, 17, 0xa679_438e); f(&b, c, d, a, x15, 22, 0x49b4_0821)

            g(&a, b, c, d, x1, 5, 0xf61e_2562); g(&d, a, b, c, x6, 9, 0xc040_b340)
            g(&c, d, a, b, x11, 14, 0x265e_5a51); g(&b, c, d, a, x0, 20, 0xe9b6_c7aa)
            g(&a, b, c, d, x5, 5, 0xd62f_105d); g(&d, a, b, c, x10, 9, 0x0244_1453)
            g(&c, d, a, b, x15, 14, 0xd8a1_e681); g(&b, c, d, a, x4, 20, 0xe7d3_fbc8)
            g(&a, b, c, d, x9, 5, 0x21e1_cde6); g(&d, a, b, c, x14, 9, 0xc337_07d6)
            g(&c, d, a, b, x3, 14, 0xf4d5_0d87); g(&b, c, d, a, x8, 20, 0x455a_14ed)
            g(&a, b, c, d, x13, 5, 0xa9e3_e905); g(&d, a, b, c, x2, 9, 0xfcef_a3f8)
            g(&c, d, a, b, x7, 14, 0x676f_02d9); g(&b, c, d, a, x12, 20, 0x8d2a_4c8a)

            h(&a, b, c, d, x5, 4, 0xfffa_3942); h(&d, a, b, c, x8, 11, 0x8771_f681)
            h(&c, d, a, b, x11, 16, 0x6d9d_6122); h(&b, c, d, a, x14, 23, 0xfde5_380c)
            h(&a, b, c, d, x1, 4, 0xa4be_ea44); h(&d, a, b, c, x4, 11, 0x4bde_cfa9)
            h(&c, d, a, b, x7, 16, 0xf6bb_4b60); h(&b, c, d, a, x10, 23, 0xbebf_bc70)
            h(&a, b, c, d, x13, 4, 0x289b_7ec6); h(&d, a, b, c, x0, 11, 0xeaa1_27fa)
            h(&c, d, a, b, x3, 16, 0xd4ef_3085); h(&b, c, d, a, x6, 23, 0x0488_1d05)
            h(&a, b, c, d, x9, 4, 0xd9d4_d039); h(&d, a, b, c, x12, 11, 0xe6db_99e5)
            h(&c, d, a, b, x15, 16, 0x1fa2_7cf8); h(&b, c, d, a, x2, 23, 0xc4ac_5665)

            i(&a, b, c, d, x0, 6, 0xf429_2244); i(&d, a, b, c, x7, 10, 0x432a_ff97)
            i(&c, d, a, b, x14, 15, 0xab94_23a7); i(&b, c, d, a, x5, 21, 0xfc93_a039)
            i(&a, b, c, d, x12, 6, 0x655b_59c3); i(&d, a, b, c, x3, 10, 0x8f0c_cc92)
            i(&c, d, a, b, x10, 15, 0xffef_f47d); i(&b, c, d, a, x1, 21, 0x8584_5dd1)
            i(&a, b, c, d, x8, 6, 0x6fa8_7e4f); i(&d, a, b, c, x15, 10, 0xfe2c_e6e0)
            i(&c, d, a, b, x6, 15, 0xa301_4314); i(&b, c, d, a, x13, 21, 0x4e08_11a1)
            i(&a, b, c, d, x4, 6, 0xf753_7e82); i(&d, a, b, c, x11, 10, 0xbd3a_f235)
            i(&c, d, a, b, x2, 15, 0x2ad7_d2bb); i(&b, c, d, a, x9, 21, 0xeb86_d391)

            a = a &+ aa; b = b &+ bb; c = c &+ cc; d = d &+ dd
            p += 64
        }
        self.a = a; self.b = b; self.c = c; self.d = d
    }
}

extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal digits, two per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
