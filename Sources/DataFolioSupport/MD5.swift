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
package struct MD5: Sendable {
    private typealias State = (UInt32, UInt32, UInt32, UInt32)
    /// 64 bytes, held inline so that creating and copying a digest never allocates.
    private typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private var state: State = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    /// Input that does not yet fill a 64-byte block.
    private var pending: Block = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var totalBytes: UInt64 = 0

    /// Creates a digest with no input yet.
    package init() {}

    /// Adds bytes to the digest.
    package mutating func update(_ data: UnsafeRawBufferPointer) {
        guard var input = data.baseAddress, data.count > 0 else { return }
        var count = data.count
        totalBytes &+= UInt64(count)
        var state = self.state
        if pendingCount > 0 {
            let take = min(64 - pendingCount, count)
            let filled = pendingCount
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress.map { ($0 + filled).copyMemory(from: input, byteCount: take) }
            }
            pendingCount += take
            input += take
            count -= take
            if pendingCount == 64 {
                withUnsafeBytes(of: pending) { buffer in
                    buffer.baseAddress.map { Self.compress(&state, blocks: $0, count: 1) }
                }
                pendingCount = 0
            }
        }
        let blocks = count / 64
        if blocks > 0 {
            Self.compress(&state, blocks: input, count: blocks)
            input += blocks * 64
            count -= blocks * 64
        }
        if count > 0 {
            let rest = count
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress.map { $0.copyMemory(from: input, byteCount: rest) }
            }
            pendingCount = count
        }
        self.state = state
    }

    /// Adds bytes to the digest.
    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes the digest and returns its 16 bytes.
    package consuming func finalize() -> [UInt8] {
        let bitLength = totalBytes &* 8
        // A 0x80 byte, zeros up to 56 bytes past a block boundary, then the length in bits.
        let tailCount = pendingCount < 56 ? 64 - pendingCount : 128 - pendingCount
        var tail: (Block, Block) = ((0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0))
        withUnsafeMutableBytes(of: &tail) { buffer in
            buffer[0] = 0x80
            buffer.storeBytes(of: bitLength.littleEndian, toByteOffset: tailCount - 8, as: UInt64.self)
            update(UnsafeRawBufferPointer(rebasing: buffer[..<tailCount]))
        }
        let words = [state.0.littleEndian, state.1.littleEndian, state.2.littleEndian, state.3.littleEndian]
        return words.withUnsafeBytes { [UInt8]($0) }
    }

    /// The MD5 of `bytes`, as 32 lowercase hex digits.
    package static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize().hexString
    }

    /// The MD5 of `bytes`, as 32 lowercase hex digits.
    package static func hex(of bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex(of: $0) }
    }

    // MARK: The compression function

    // MD5 cannot be parallelised within one message: every step needs the result of the
    // one before, so its speed is the length of that chain of dependent operations. The
    // code below keeps the chain as short as the algorithm allows (four or five
    // operations per step, as in hand-written assembly):
    // - each step adds `a + word + constant` (known early) to the round function last,
    //   so only the round function, one add, the rotation and the final add wait for `b`;
    // - G uses `(b & d) + (c & ~d)`: the two halves never share a bit, so `+` may replace
    //   `|`, and `c & ~d` is added early, leaving one AND and one add after `b`;
    // - F and I put `b` in one operation only (`d ^ (b & (c ^ d))`, `c ^ (b | ~d)`).
    // The compiler moves literal constants to the end of a sum (to fold them), which
    // would put an extra add on the chain of every step; reading the constants from a
    // table it cannot see into keeps each one next to its message word. Together these
    // make hashing about a third faster than the textbook formulation.

    @inline(__always)
    private static func rotl(_ x: UInt32, _ s: UInt32) -> UInt32 { (x << s) | (x >> (32 &- s)) }

    /// The 64 additive constants, `floor(abs(sin(i + 1)) * 2^32)`, in memory allocated at
    /// run time (see above). Written once, then only read.
    nonisolated(unsafe) private static let roundConstants: UnsafePointer<UInt32> = {
        let table: [UInt32] = [
            0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
            0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
            0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
            0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
            0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
            0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
            0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
            0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
        ]
        let pointer = UnsafeMutablePointer<UInt32>.allocate(capacity: table.count)
        pointer.initialize(from: table, count: table.count)
        return UnsafePointer(pointer)
    }()

    @inline(__always)
    private static func f(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) {
        a = b &+ rotl(a &+ x &+ k &+ (d ^ (b & (c ^ d))), s)
    }

    @inline(__always)
    private static func g(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) {
        a = b &+ rotl(a &+ x &+ k &+ (c & ~d) &+ (b & d), s)
    }

    @inline(__always)
    private static func h(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) {
        a = b &+ rotl(a &+ x &+ k &+ (b ^ (c ^ d)), s)
    }

    @inline(__always)
    private static func i(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) {
        a = b &+ rotl(a &+ x &+ k &+ (c ^ (b | ~d)), s)
    }

    /// Runs the compression function over `count` consecutive 64-byte blocks.
    private static func compress(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        let k = roundConstants
        var (a, b, c, d) = state
        var block = blocks
        for _ in 0..<count {
            let p = block
            @inline(__always) func word(_ index: Int) -> UInt32 {
                UInt32(littleEndian: p.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
            }
            let (aa, bb, cc, dd) = (a, b, c, d)

            f(&a, b, c, d, word(0), k[0], 7); f(&d, a, b, c, word(1), k[1], 12)
            f(&c, d, a, b, word(2), k[2], 17); f(&b, c, d, a, word(3), k[3], 22)
            f(&a, b, c, d, word(4), k[4], 7); f(&d, a, b, c, word(5), k[5], 12)
            f(&c, d, a, b, word(6), k[6], 17); f(&b, c, d, a, word(7), k[7], 22)
            f(&a, b, c, d, word(8), k[8], 7); f(&d, a, b, c, word(9), k[9], 12)
            f(&c, d, a, b, word(10), k[10], 17); f(&b, c, d, a, word(11), k[11], 22)
            f(&a, b, c, d, word(12), k[12], 7); f(&d, a, b, c, word(13), k[13], 12)
            f(&c, d, a, b, word(14), k[14], 17); f(&b, c, d, a, word(15), k[15], 22)

            g(&a, b, c, d, word(1), k[16], 5); g(&d, a, b, c, word(6), k[17], 9)
            g(&c, d, a, b, word(11), k[18], 14); g(&b, c, d, a, word(0), k[19], 20)
            g(&a, b, c, d, word(5), k[20], 5); g(&d, a, b, c, word(10), k[21], 9)
            g(&c, d, a, b, word(15), k[22], 14); g(&b, c, d, a, word(4), k[23], 20)
            g(&a, b, c, d, word(9), k[24], 5); g(&d, a, b, c, word(14), k[25], 9)
            g(&c, d, a, b, word(3), k[26], 14); g(&b, c, d, a, word(8), k[27], 20)
            g(&a, b, c, d, word(13), k[28], 5); g(&d, a, b, c, word(2), k[29], 9)
            g(&c, d, a, b, word(7), k[30], 14); g(&b, c, d, a, word(12), k[31], 20)

            h(&a, b, c, d, word(5), k[32], 4); h(&d, a, b, c, word(8), k[33], 11)
            h(&c, d, a, b, word(11), k[34], 16); h(&b, c, d, a, word(14), k[35], 23)
            h(&a, b, c, d, word(1), k[36], 4); h(&d, a, b, c, word(4), k[37], 11)
            h(&c, d, a, b, word(7), k[38], 16); h(&b, c, d, a, word(10), k[39], 23)
            h(&a, b, c, d, word(13), k[40], 4); h(&d, a, b, c, word(0), k[41], 11)
            h(&c, d, a, b, word(3), k[42], 16); h(&b, c, d, a, word(6), k[43], 23)
            h(&a, b, c, d, word(9), k[44], 4); h(&d, a, b, c, word(12), k[45], 11)
            h(&c, d, a, b, word(15), k[46], 16); h(&b, c, d, a, word(2), k[47], 23)

            i(&a, b, c, d, word(0), k[48], 6); i(&d, a, b, c, word(7), k[49], 10)
            i(&c, d, a, b, word(14), k[50], 15); i(&b, c, d, a, word(5), k[51], 21)
            i(&a, b, c, d, word(12), k[52], 6); i(&d, a, b, c, word(3), k[53], 10)
            i(&c, d, a, b, word(10), k[54], 15); i(&b, c, d, a, word(1), k[55], 21)
            i(&a, b, c, d, word(8), k[56], 6); i(&d, a, b, c, word(15), k[57], 10)
            i(&c, d, a, b, word(6), k[58], 15); i(&b, c, d, a, word(13), k[59], 21)
            i(&a, b, c, d, word(4), k[60], 6); i(&d, a, b, c, word(11), k[61], 10)
            i(&c, d, a, b, word(2), k[62], 15); i(&b, c, d, a, word(9), k[63], 21)

            a &+= aa; b &+= bb; c &+= cc; d &+= dd
            block += 64
        }
        state = (a, b, c, d)
    }
}

extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal digits, two per byte.
    package var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
