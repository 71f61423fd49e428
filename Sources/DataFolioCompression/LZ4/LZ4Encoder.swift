/// A greedy LZ4 compressor with a 4K-entry hash table of 4-byte sequences over a
/// 64 KiB window, probing more sparsely over incompressible stretches.
enum LZ4Encoder {
    private static let hashBits = 12
    private static let maxOffset = 65535
    // Format rules: the last 5 bytes are literals, and no match starts in the last 12.
    private static let lastLiterals = 5
    private static let matchStartLimit = 12
    private static let minMatch = 4

    static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        guard let outBase = output.baseAddress else { return 0 }
        guard let base = input.baseAddress, input.count > 0 else {
            outBase.storeBytes(of: 0, as: UInt8.self)  // one empty literal run
            return 1
        }
        let end = base + input.count
        var op = outBase
        var anchor = base
        if input.count > matchStartLimit {
            // Positions are kept modulo 2^32; a candidate counts only if it lies within the
            // window, and its bytes are compared anyway, so wrapped entries are harmless.
            let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << hashBits)
            defer { table.deallocate() }
            table.initialize(repeating: 0, count: 1 << hashBits)
            let matchLimit = end - lastLiterals
            let searchLimit = end - matchStartLimit
            var ip = base
            search: while true {
                var attempts = 1 << 6
                var candidate: UnsafeRawPointer
                // Find a position whose 4 bytes were seen within the window.
                while true {
                    guard ip < searchLimit else { break search }
                    let value = ip.loadUnaligned(as: UInt32.self)
                    let h = hash(value)
                    let position = UInt32(truncatingIfNeeded: ip - base)
                    let distance = Int(position &- table[h])
                    table[h] = position
                    if distance > 0 && distance <= min(maxOffset, ip - base) {
                        candidate = ip - distance
                        if candidate.loadUnaligned(as: UInt32.self) == value { break }
                    }
                    ip += attempts >> 6
                    attempts += 1
                }
                // Extend backwards over literals that also match.
                while ip > anchor && candidate > base
                    && (ip - 1).load(as: UInt8.self) == (candidate - 1).load(as: UInt8.self) {
                    ip -= 1
                    candidate -= 1
                }
                let length = minMatch + matchLength(candidate + minMatch, ip + minMatch, matchLimit)
                op = emitSequence(literals: anchor, literalCount: ip - anchor, offset: ip - candidate, matchLength: length, to: op)
                ip += length
                anchor = ip
                if ip >= searchLimit { break }
                // Remember a position inside the match so nearby repeats are found.
                table[hash((ip - 2).loadUnaligned(as: UInt32.self))] = UInt32(truncatingIfNeeded: ip - 2 - base)
            }
        }
        op = emitLastLiterals(anchor, count: end - anchor, to: op)
        return op - outBase
    }

    @inline(__always)
    private static func hash(_ value: UInt32) -> Int {
        Int((value &* 2_654_435_761) >> UInt32(32 - hashBits))
    }

    @inline(__always)
    private static func matchLength(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ limit: UnsafeRawPointer) -> Int {
        var length = 0
        while b + length + 8 <= limit {
            let diff = a.loadUnaligned(fromByteOffset: length, as: UInt64.self)
                ^ b.loadUnaligned(fromByteOffset: length, as: UInt64.self)
            if diff != 0 { return length + UInt64(littleEndian: diff).trailingZeroBitCount >> 3 }
            length += 8
        }
        while b + length < limit && a.load(fromByteOffset: length, as: UInt8.self) == b.load(fromByteOffset: length, as: UInt8.self) {
            length += 1
        }
        return length
    }

    @inline(__always)
    private static func writeLengthExtension(_ value: Int, to output: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var op = output
        var rest = value
        while rest >= 255 {
            op.storeBytes(of: 255, as: UInt8.self)
            op += 1
            rest -= 255
        }
        op.storeBytes(of: UInt8(rest), as: UInt8.self)
        return op + 1
    }

    @inline(__always)
    private static func emitSequence(
        literals: UnsafeRawPointer, literalCount: Int, offset: Int, matchLength: Int, to output: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        let token = output
        var op = output + 1
        let literalNibble = min(literalCount, 15)
        let matchNibble = min(matchLength - minMatch, 15)
        token.storeBytes(of: UInt8(literalNibble << 4 | matchNibble), as: UInt8.self)
        if literalCount >= 15 { op = writeLengthExtension(literalCount - 15, to: op) }
        op.copyMemory(from: literals, byteCount: literalCount)
        op += literalCount
        op.storeBytes(of: UInt8(truncatingIfNeeded: offset), as: UInt8.self)
        op.storeBytes(of: UInt8(truncatingIfNeeded: offset >> 8), toByteOffset: 1, as: UInt8.self)
        op += 2
        if matchLength - minMatch >= 15 { op = writeLengthExtension(matchLength - minMatch - 15, to: op) }
        return op
    }

    private static func emitLastLiterals(
        _ literals: UnsafeRawPointer, count: Int, to output: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        var op = output + 1
        output.storeBytes(of: UInt8(min(count, 15) << 4), as: UInt8.self)
        if count >= 15 { op = writeLengthExtension(count - 15, to: op) }
        op.copyMemory(from: literals, byteCount: count)
        return op + count
    }
}
