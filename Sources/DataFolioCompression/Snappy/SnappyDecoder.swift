import DataFolioSupport

/// Decodes Snappy elements into a buffer of exactly the declared size.
///
/// The fast paths copy in 8- and 16-byte words and may write a few bytes past the
/// current element, but only when the buffer has room for them; later elements
/// overwrite that slack, and the last bytes are always written exactly.
enum SnappyDecoder {
    static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) {
        guard let outStart = output.baseAddress else {
            guard input.isEmpty else { throw DataFolioError.corrupt(Snappy.format, "an empty block carries data") }
            return
        }
        guard let inStart = input.baseAddress else {
            throw DataFolioError.truncated(Snappy.format, "the block ends before its \(output.count) bytes of data")
        }
        let inEnd = inStart + input.count
        let outEnd = outStart + output.count
        var ip = inStart
        var op = outStart

        while ip < inEnd {
            let tag = ip.load(as: UInt8.self)
            ip += 1
            if tag & 3 == 0 {
                var length = Int(tag >> 2) + 1
                if length <= 16 && inEnd - ip >= 16 && outEnd - op >= 16 {
                    op.storeBytes(of: ip.loadUnaligned(as: UInt64.self), as: UInt64.self)
                    (op + 8).storeBytes(of: (ip + 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    op += length
                    ip += length
                    continue
                }
                if length > 60 {
                    let extraBytes = length - 60
                    guard inEnd - ip >= extraBytes else {
                        throw DataFolioError.truncated(Snappy.format, "a literal's length is cut off")
                    }
                    var value = 0
                    for k in 0..<extraBytes { value |= Int(ip.load(fromByteOffset: k, as: UInt8.self)) << (8 * k) }
                    ip += extraBytes
                    length = value + 1
                }
                guard length <= inEnd - ip else {
                    throw DataFolioError.truncated(Snappy.format, "a literal of \(length) bytes is cut off")
                }
                guard length <= outEnd - op else {
                    throw DataFolioError.corrupt(Snappy.format, "the data is longer than the declared length")
                }
                op.copyMemory(from: ip, byteCount: length)
                op += length
                ip += length
                continue
            }

            let length: Int
            let offset: Int
            switch tag & 3 {
            case 1:
                guard ip < inEnd else { throw DataFolioError.truncated(Snappy.format, "a copy's offset is cut off") }
                length = 4 + Int((tag >> 2) & 7)
                offset = Int(tag >> 5) << 8 | Int(ip.load(as: UInt8.self))
                ip += 1
            case 2:
                guard inEnd - ip >= 2 else { throw DataFolioError.truncated(Snappy.format, "a copy's offset is cut off") }
                length = Int(tag >> 2) + 1
                offset = Int(UInt16(littleEndian: ip.loadUnaligned(as: UInt16.self)))
                ip += 2
            default:
                guard inEnd - ip >= 4 else { throw DataFolioError.truncated(Snappy.format, "a copy's offset is cut off") }
                length = Int(tag >> 2) + 1
                offset = Int(UInt32(littleEndian: ip.loadUnaligned(as: UInt32.self)))
                ip += 4
            }
            guard offset > 0, offset <= op - outStart else {
                throw DataFolioError.corrupt(Snappy.format, "a copy refers to offset \(offset), outside the data decoded so far")
            }
            guard length <= outEnd - op else {
                throw DataFolioError.corrupt(Snappy.format, "the data is longer than the declared length")
            }
            copyMatch(to: op, offset: offset, length: length, outEnd: outEnd)
            op += length
        }
        guard op == outEnd else {
            throw DataFolioError.truncated(Snappy.format, "the block holds \(op - outStart) bytes but declares \(output.count)")
        }
    }

    /// Copies `length` bytes from `offset` bytes back, which may overlap the target.
    @inline(__always)
    static func copyMatch(to target: UnsafeMutableRawPointer, offset: Int, length: Int, outEnd: UnsafeMutableRawPointer) {
        var op = target
        var source = UnsafeRawPointer(target - offset)
        let end = target + length
        if outEnd - end >= 16 {
            if offset >= 8 {
                repeat {
                    op.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                    op += 8
                    source += 8
                } while op < end
                return
            }
            // A short period: write the pattern word by word, then widen the distance to a
            // multiple of the period that is at least 8 so words no longer overlap.
            var distance = offset
            while distance < 8 {
                op.storeBytes(of: UnsafeRawPointer(op - distance).loadUnaligned(as: UInt64.self), as: UInt64.self)
                op += distance
                distance <<= 1
            }
            source = UnsafeRawPointer(op - distance)
            while op < end {
                op.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                op += 8
                source += 8
            }
            return
        }
        var dst = target.assumingMemoryBound(to: UInt8.self)
        var src = source.assumingMemoryBound(to: UInt8.self)
        let stop = end.assumingMemoryBound(to: UInt8.self)
        while dst < stop {
            dst.pointee = src.pointee
            dst += 1
            src += 1
        }
    }
}
