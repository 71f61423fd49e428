import DataFolioSupport

extension LZ4 {
    /// Decompresses data in the LZ4 frame format (the `.lz4` files of the `lz4` tool,
    /// and Arrow IPC's `LZ4_FRAME` body compression) into `output`, returning the number
    /// of bytes produced.
    ///
    /// Several frames in a row decode one after the other; skippable frames are skipped.
    /// Header, block and content checksums are verified when present. Frames that need
    /// an external dictionary are refused.
    ///
    /// ```swift
    /// var output = [UInt8](repeating: 0, count: expectedSize)
    /// let count = try frame.withUnsafeBytes { input in
    ///     try output.withUnsafeMutableBytes { try LZ4.decompressFrames(input, into: $0) }
    /// }
    /// ```
    /// - Throws: `corruptData`/`truncatedData` for damaged data or data that decompresses
    ///   to more than `output` holds.
    public static func decompressFrames(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        let format = "LZ4 frame"
        var reader = ByteReader(input, format: format)
        var produced = 0
        guard !reader.isAtEnd else { throw DataFolioError.truncated(format, "the data is empty") }
        while !reader.isAtEnd {
            let magic = try reader.readLE(UInt32.self)
            if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
                let size = try reader.readLE(UInt32.self)
                try reader.skip(Int(size))
                continue
            }
            guard magic == 0x184D_2204 else {
                throw DataFolioError.corrupt(format, "a frame starts with 0x\(String(magic, radix: 16)) instead of the magic number 0x184d2204")
            }
            let descriptorStart = reader.offset
            let flags = try reader.readUInt8()
            let blockDescriptor = try reader.readUInt8()
            guard flags >> 6 == 1 else {
                throw DataFolioError.unsupported(format, "frame version \(flags >> 6)")
            }
            guard flags & 0x02 == 0, blockDescriptor & 0x8F == 0 else {
                throw DataFolioError.corrupt(format, "reserved bits of the frame descriptor are set")
            }
            let blockChecksums = flags & 0x10 != 0
            let contentSizeGiven = flags & 0x08 != 0
            let contentChecksum = flags & 0x04 != 0
            guard flags & 0x01 == 0 else { throw DataFolioError.unsupported(format, "a frame that needs a dictionary") }
            let maximumBlock: Int
            switch blockDescriptor >> 4 & 0x07 {
            case 4: maximumBlock = 64 << 10
            case 5: maximumBlock = 256 << 10
            case 6: maximumBlock = 1 << 20
            case 7: maximumBlock = 4 << 20
            default: throw DataFolioError.corrupt(format, "the maximum block size code \(blockDescriptor >> 4 & 0x07) is not 4…7")
            }
            var contentSize: UInt64?
            if contentSizeGiven { contentSize = try reader.readLE(UInt64.self) }
            let descriptor = UnsafeRawBufferPointer(rebasing: input[descriptorStart..<reader.offset])
            let headerChecksum = try reader.readUInt8()
            guard UInt8(truncatingIfNeeded: XXH32.hash(descriptor) >> 8) == headerChecksum else {
                throw DataFolioError.corrupt(format, "the frame descriptor's checksum does not match")
            }
            let frameStart = produced
            while true {
                let word = try reader.readLE(UInt32.self)
                if word == 0 { break }
                let size = Int(word & 0x7FFF_FFFF)
                guard size <= maximumBlock else {
                    throw DataFolioError.corrupt(format, "a block of \(size) bytes exceeds the frame's maximum of \(maximumBlock)")
                }
                let block = try reader.readBytes(size)
                if blockChecksums {
                    let expected = try reader.readLE(UInt32.self)
                    guard XXH32.hash(block) == expected else { throw DataFolioError.corrupt(format, "a block checksum does not match") }
                }
                if word & 0x8000_0000 != 0 {
                    guard size <= output.count - produced, let target = output.baseAddress else {
                        throw DataFolioError.corrupt(format, "the data decompresses to more than the \(output.count) bytes expected")
                    }
                    if let source = block.baseAddress { (target + produced).copyMemory(from: source, byteCount: size) }
                    produced += size
                } else {
                    produced += try LZ4Decoder.decompress(block, into: output, startingAt: produced)
                }
            }
            if let contentSize, contentSize != UInt64(produced - frameStart) {
                throw DataFolioError.corrupt(format, "the frame declares \(contentSize) bytes but holds \(produced - frameStart)")
            }
            if contentChecksum {
                let expected = try reader.readLE(UInt32.self)
                let content = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(output)[frameStart..<produced])
                guard XXH32.hash(content) == expected else { throw DataFolioError.corrupt(format, "the content checksum does not match") }
            }
        }
        return produced
    }
}
