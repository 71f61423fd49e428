import DataFolioSupport

/// Decodes LZ4 block sequences with every length and offset checked.
enum LZ4Decoder {
    /// Reads an LZ4 length extension: bytes of 255 continue, any other byte ends it.
    @inline(__always)
    private static func readExtension(
        _ ip: inout UnsafeRawPointer, _ end: UnsafeRawPointer
    ) throws(DataFolioError) -> Int {
        var total = 0
        while true {
            guard ip < end else { throw DataFolioError.truncated(LZ4.format, "a length extension is cut off") }
            let byte = ip.load(as: UInt8.self)
            ip += 1
            total += Int(byte)
            if byte != 255 { return total }
            // No real block is this long; stop before the sum could overflow.
            guard total < 1 << 40 else { throw DataFolioError.corrupt(LZ4.format, "a length is absurdly long") }
        }
    }

    /// The number of bytes a block decodes to, checking its structure and offsets.
    static func decompressedSize(_ input: UnsafeRawBufferPointer) throws(DataFolioError) -> Int {
        guard let start = input.baseAddress, input.count > 0 else {
            throw DataFolioError.truncated(LZ4.format, "the block is empty")
        }
        let end = start + input.count
        var ip = start
        var size = 0
        while true {
            guard ip < end else { throw DataFolioError.truncated(LZ4.format, "the block ends before a sequence") }
            let token = ip.load(as: UInt8.self)
            ip += 1
            var literals = Int(token >> 4)
            if literals == 15 { literals += try readExtension(&ip, end) }
            guard literals <= end - ip else {
                throw DataFolioError.truncated(LZ4.format, "literals run past the end of the block")
            }
            ip += literals
            size += literals
            if ip == end { return size }
            guard end - ip >= 2 else { throw DataFolioError.truncated(LZ4.format, "a match offset is cut off") }
            let offset = Int(UInt16(littleEndian: ip.loadUnaligned(as: UInt16.self)))
            ip += 2
            guard offset > 0, offset <= size else {
                throw DataFolioError.corrupt(LZ4.format, "a match refers to offset \(offset), outside the data decoded so far")
            }
            var length = Int(token & 15) + 4
            if length == 19 { length += try readExtension(&ip, end) }
            size += length
        }
    }

    /// Decodes a block into `output` from byte `start` on, returning the number of bytes
    /// produced. Matches may reach back before `start` into what `output` already holds
    /// (the earlier blocks of a linked LZ4 frame).
    static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, startingAt start: Int = 0
    ) throws(DataFolioError) -> Int {
        guard let inStart = input.baseAddress, input.count > 0 else {
            throw DataFolioError.truncated(LZ4.format, "the block is empty")
        }
        let outStart = output.baseAddress ?? UnsafeMutableRawPointer(mutating: inStart)
        let outCapacity = output.baseAddress == nil ? 0 : output.count
        guard start >= 0, start <= outCapacity else {
            throw DataFolioError(.invalidArgument, "LZ4: a block cannot start at \(start) of a \(outCapacity)-byte output.")
        }
        let inEnd = inStart + input.count
        let outEnd = outStart + outCapacity
        var ip = inStart
        var op = outStart + start

        while true {
            guard ip < inEnd else { throw DataFolioError.truncated(LZ4.format, "the block ends before a sequence") }
            let token = ip.load(as: UInt8.self)
            ip += 1
            var literals = Int(token >> 4)
            if literals != 15 && inEnd - ip >= 16 && outEnd - op >= 16 {
                // Short literals: copy a fixed 16 bytes, keep what counts.
                op.storeBytes(of: ip.loadUnaligned(as: UInt64.self), as: UInt64.self)
                (op + 8).storeBytes(of: (ip + 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
            } else {
                if literals == 15 { literals += try readExtension(&ip, inEnd) }
                guard literals <= inEnd - ip else {
                    throw DataFolioError.truncated(LZ4.format, "literals run past the end of the block")
                }
                guard literals <= outEnd - op else {
                    throw DataFolioError.corrupt(LZ4.format, "the block decompresses to more than the \(outCapacity) bytes expected")
                }
                op.copyMemory(from: ip, byteCount: literals)
            }
            ip += literals
            op += literals
            if ip == inEnd { return op - outStart - start }

            guard inEnd - ip >= 2 else { throw DataFolioError.truncated(LZ4.format, "a match offset is cut off") }
            let offset = Int(UInt16(littleEndian: ip.loadUnaligned(as: UInt16.self)))
            ip += 2
            guard offset > 0, offset <= op - outStart else {
                throw DataFolioError.corrupt(LZ4.format, "a match refers to offset \(offset), outside the data decoded so far")
            }
            var length = Int(token & 15) + 4
            if length == 19 { length += try readExtension(&ip, inEnd) }
            guard length <= outEnd - op else {
                throw DataFolioError.corrupt(LZ4.format, "the block decompresses to more than the \(outCapacity) bytes expected")
            }
            SnappyDecoder.copyMatch(to: op, offset: offset, length: length, outEnd: outEnd)
            op += length
        }
    }
}
