import DataFolioSupport

/// Walks the frames of a Zstandard stream: Zstandard frames, skippable frames, one after another.
enum ZstdFrameDecoding {
    /// Decompresses every frame of `input`, appending to `output`.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: inout ZstdOutput) throws(DataFolioError) {
        guard input.count > 0 else {
            throw DataFolioError.truncated(ZstdConstants.format, "the input is empty")
        }
        let decoder = ZstdBlockDecoder()
        var position = 0
        while position < input.count {
            let magic = try readMagic(input, at: position)
            if magic & ZstdConstants.skippableMagicMask == ZstdConstants.skippableMagic {
                position = try skipSkippableFrame(input, at: position)
                continue
            }
            guard magic == ZstdConstants.frameMagic else {
                throw DataFolioError.corrupt(
                    ZstdConstants.format, "bytes at offset \(position) do not start a Zstandard frame (magic number 0x\(String(magic, radix: 16)))")
            }
            position += 4
            position = try decodeFrame(input, at: position, decoder: decoder, output: &output)
        }
    }

    /// Decodes the frame whose header starts at `start`; returns the position after it.
    private static func decodeFrame(
        _ input: UnsafeRawBufferPointer, at start: Int, decoder: ZstdBlockDecoder, output: inout ZstdOutput
    ) throws(DataFolioError) -> Int {
        let header = try ZstdFrameHeader(parsing: UnsafeRawBufferPointer(rebasing: input[start...]))
        guard header.dictionaryID == 0 else {
            throw DataFolioError.unsupported(
                ZstdConstants.format, "data compressed with a dictionary (dictionary ID \(header.dictionaryID))")
        }
        var position = start + header.size
        let frameStart = output.count
        if let contentSize = header.contentSize {
            guard contentSize <= UInt64(output.limit - output.count) else { throw output.overflowError() }
            // A lying header must not make us allocate more than the input could produce.
            let possible = ((input.count - position) / 3 + 1) * ZstdConstants.maxBlockSize
            output.reserve(min(Int(contentSize), possible))
        }
        let blockMaximum = header.blockMaximum
        decoder.startFrame(blockMaximum: blockMaximum)
        var isLast = false
        while !isLast {
            guard input.count - position >= 3 else {
                throw DataFolioError.truncated(ZstdConstants.format, "a block header ends early")
            }
            let blockHeader = Int(input[position]) | Int(input[position + 1]) << 8 | Int(input[position + 2]) << 16
            position += 3
            isLast = blockHeader & 1 != 0
            let type = (blockHeader >> 1) & 3
            let blockSize = blockHeader >> 3
            guard type != 3 else {
                throw DataFolioError.corrupt(ZstdConstants.format, "a block has the reserved block type")
            }
            guard blockSize <= blockMaximum else {
                throw DataFolioError.corrupt(
                    ZstdConstants.format, "a block of \(blockSize) bytes exceeds the frame's block limit of \(blockMaximum) bytes")
            }
            let contentSize = type == 1 ? 1 : blockSize
            guard contentSize <= input.count - position else {
                throw DataFolioError.truncated(ZstdConstants.format, "a block runs past the end of the input")
            }
            let content = UnsafeRawBufferPointer(rebasing: input[position..<(position + contentSize)])
            switch type {
            case 0:
                try output.require(blockSize)
                if blockSize > 0, let source = content.baseAddress {
                    (output.base + output.count).update(from: source.assumingMemoryBound(to: UInt8.self), count: blockSize)
                }
                output.count += blockSize
            case 1:
                try output.require(blockSize)
                (output.base + output.count).update(repeating: content[0], count: blockSize)
                output.count += blockSize
            default:
                try decoder.decodeBlock(content, blockMaximum: blockMaximum, output: &output, frameStart: frameStart)
            }
            position += contentSize
        }
        let produced = output.count - frameStart
        if let contentSize = header.contentSize, UInt64(produced) != contentSize {
            throw DataFolioError.corrupt(
                ZstdConstants.format, "a frame holds \(produced) bytes but its header says \(contentSize)")
        }
        if header.hasChecksum {
            guard input.count - position >= 4 else {
                throw DataFolioError.truncated(ZstdConstants.format, "the content checksum ends early")
            }
            let stored = input.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian
            let actual = UInt32(truncatingIfNeeded: XXH64.hash(UnsafeRawBufferPointer(start: output.base + frameStart, count: produced)))
            guard stored == actual else {
                throw DataFolioError.corrupt(ZstdConstants.format, "the content checksum does not match the decompressed data")
            }
            position += 4
        }
        return position
    }

    private static func readMagic(_ input: UnsafeRawBufferPointer, at position: Int) throws(DataFolioError) -> UInt32 {
        guard input.count - position >= 4 else {
            throw DataFolioError.truncated(ZstdConstants.format, "a frame's magic number ends early")
        }
        return input.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian
    }

    private static func skipSkippableFrame(_ input: UnsafeRawBufferPointer, at position: Int) throws(DataFolioError) -> Int {
        guard input.count - position >= 8 else {
            throw DataFolioError.truncated(ZstdConstants.format, "a skippable frame header ends early")
        }
        let size = Int(input.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self).littleEndian)
        guard size <= input.count - position - 8 else {
            throw DataFolioError.truncated(ZstdConstants.format, "a skippable frame runs past the end of the input")
        }
        return position + 8 + size
    }

    /// The total decompressed size of all frames, or nil when a frame header omits it.
    /// Reads only frame and block headers.
    static func contentSize(of input: UnsafeRawBufferPointer) throws(DataFolioError) -> Int? {
        guard input.count > 0 else {
            throw DataFolioError.truncated(ZstdConstants.format, "the input is empty")
        }
        var total = 0
        var allKnown = true
        var position = 0
        while position < input.count {
            let magic = try readMagic(input, at: position)
            if magic & ZstdConstants.skippableMagicMask == ZstdConstants.skippableMagic {
                position = try skipSkippableFrame(input, at: position)
                continue
            }
            guard magic == ZstdConstants.frameMagic else {
                throw DataFolioError.corrupt(ZstdConstants.format, "bytes at offset \(position) do not start a Zstandard frame")
            }
            position += 4
            let header = try ZstdFrameHeader(parsing: UnsafeRawBufferPointer(rebasing: input[position...]))
            position += header.size
            if let size = header.contentSize {
                guard size <= UInt64(Int.max - total) else {
                    throw DataFolioError(.limitExceeded, "Zstandard: the decompressed size does not fit in memory.")
                }
                total += Int(size)
            } else {
                allKnown = false
            }
            var isLast = false
            while !isLast {
                guard input.count - position >= 3 else {
                    throw DataFolioError.truncated(ZstdConstants.format, "a block header ends early")
                }
                let blockHeader = Int(input[position]) | Int(input[position + 1]) << 8 | Int(input[position + 2]) << 16
                isLast = blockHeader & 1 != 0
                let type = (blockHeader >> 1) & 3
                guard type != 3 else {
                    throw DataFolioError.corrupt(ZstdConstants.format, "a block has the reserved block type")
                }
                let contentSize = type == 1 ? 1 : blockHeader >> 3
                guard contentSize <= input.count - position - 3 else {
                    throw DataFolioError.truncated(ZstdConstants.format, "a block runs past the end of the input")
                }
                position += 3 + contentSize
            }
            if header.hasChecksum {
                guard input.count - position >= 4 else {
                    throw DataFolioError.truncated(ZstdConstants.format, "the content checksum ends early")
                }
                position += 4
            }
        }
        return allKnown ? total : nil
    }
}
