/// A greedy Snappy compressor: 64 KiB fragments, a 16K-entry hash table of 4-byte
/// sequences, and a lookup stride that grows over incompressible stretches.
enum SnappyEncoder {
    private static let fragmentSize = 1 << 16
    private static let hashBits = 14
    // Matching stops this close to a fragment's end so 8-byte loads stay inside it.
    private static let inputMargin = 15

    /// Compresses `input` into `output` (sized by `Snappy.maximumCompressedLength`).
    static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        guard let outBase = output.baseAddress else { return 0 }
        var op = outBase
        var length = UInt32(input.count)
        while length >= 0x80 {
            op.storeBytes(of: UInt8(truncatingIfNeeded: length) | 0x80, as: UInt8.self)
            op += 1
            length >>= 7
        }
        op.storeBytes(of: UInt8(length), as: UInt8.self)
        op += 1
        guard let inBase = input.baseAddress, input.count > 0 else { return op - outBase }

        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 1 << hashBits)
        defer { table.deallocate() }
        var start = 0
        while start < input.count {
            let count = min(fragmentSize, input.count - start)
            op = compressFragment(inBase + start, count: count, to: op, table: table)
            start += count
        }
        return op - outBase
    }

    @inline(__always)
    private static func hash(_ value: UInt32) -> Int {
        Int((value &* 0x1E35_A7BD) >> UInt32(32 - hashBits))
    }

    @inline(__always)
    private static func load32(_ pointer: UnsafeRawPointer) -> UInt32 {
        pointer.loadUnaligned(as: UInt32.self)
    }

    private static func compressFragment(
        _ base: UnsafeRawPointer, count: Int, to output: UnsafeMutableRawPointer, table: UnsafeMutablePointer<UInt16>
    ) -> UnsafeMutableRawPointer {
        var op = output
        let end = base + count
        var nextEmit = base
        if count >= inputMargin + 1 {
            table.initialize(repeating: 0, count: 1 << hashBits)
            let ipLimit = end - inputMargin
            var ip = base + 1
            outer: while true {
                // Look for a 4-byte match, probing more sparsely the longer nothing is found.
                var skip = 32
                var nextIp = ip
                var candidate: UnsafeRawPointer
                repeat {
                    // The stride grows with the misses, so incompressible data is
                    // crossed quickly (it then costs little more than a copy).
                    ip = nextIp
                    let stride = skip >> 5
                    nextIp = ip + stride
                    skip += stride
                    if nextIp > ipLimit { break outer }
                    let h = hash(load32(ip))
                    candidate = base + Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip - base)
                } while load32(ip) != load32(candidate)

                op = emitLiteral(nextEmit, count: ip - nextEmit, to: op)
                // Emit copies for as long as the next position matches too.
                repeat {
                    let matched = 4 + matchLength(candidate + 4, ip + 4, end)
                    op = emitCopy(offset: ip - candidate, length: matched, to: op)
                    ip += matched
                    nextEmit = ip
                    if ip >= ipLimit { break outer }
                    table[hash(load32(ip - 1))] = UInt16(truncatingIfNeeded: ip - 1 - base)
                    let h = hash(load32(ip))
                    candidate = base + Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip - base)
                } while load32(ip) == load32(candidate)
                ip += 1
            }
        }
        if nextEmit < end { op = emitLiteral(nextEmit, count: end - nextEmit, to: op) }
        return op
    }

    @inline(__always)
    private static func matchLength(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ end: UnsafeRawPointer) -> Int {
        var length = 0
        while b + length + 8 <= end {
            let diff = a.loadUnaligned(fromByteOffset: length, as: UInt64.self)
                ^ b.loadUnaligned(fromByteOffset: length, as: UInt64.self)
            if diff != 0 { return length + UInt64(littleEndian: diff).trailingZeroBitCount >> 3 }
            length += 8
        }
        while b + length < end && a.load(fromByteOffset: length, as: UInt8.self) == b.load(fromByteOffset: length, as: UInt8.self) {
            length += 1
        }
        return length
    }

    @inline(__always)
    private static func emitLiteral(
        _ source: UnsafeRawPointer, count: Int, to output: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        var op = output
        let n = count - 1
        if n < 60 {
            op.storeBytes(of: UInt8(n << 2), as: UInt8.self)
            op += 1
        } else {
            var byteCount = 1
            while byteCount < 4 && n >> (8 * byteCount) != 0 { byteCount += 1 }
            op.storeBytes(of: UInt8((59 + byteCount) << 2), as: UInt8.self)
            op += 1
            for k in 0..<byteCount {
                op.storeBytes(of: UInt8(truncatingIfNeeded: n >> (8 * k)), as: UInt8.self)
                op += 1
            }
        }
        op.copyMemory(from: source, byteCount: count)
        return op + count
    }

    @inline(__always)
    private static func emitCopy(offset: Int, length: Int, to output: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var op = output
        var remaining = length
        // Long matches become 64-byte copies, leaving at least 4 bytes for the last one.
        while remaining >= 68 {
            op = emitCopyTwoByteOffset(offset: offset, length: 64, to: op)
            remaining -= 64
        }
        if remaining > 64 {
            op = emitCopyTwoByteOffset(offset: offset, length: 60, to: op)
            remaining -= 60
        }
        if remaining < 12 && offset < 2048 {
            op.storeBytes(of: UInt8(1 | ((remaining - 4) << 2) | ((offset >> 8) << 5)), as: UInt8.self)
            op.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: 1, as: UInt8.self)
            return op + 2
        }
        return emitCopyTwoByteOffset(offset: offset, length: remaining, to: op)
    }

    @inline(__always)
    private static func emitCopyTwoByteOffset(
        offset: Int, length: Int, to op: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        op.storeBytes(of: UInt8(2 | ((length - 1) << 2)), as: UInt8.self)
        op.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: 1, as: UInt8.self)
        op.storeBytes(of: UInt8(truncatingIfNeeded: offset >> 8), toByteOffset: 2, as: UInt8.self)
        return op + 3
    }
}
