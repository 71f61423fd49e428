/// Writes one Zstandard frame: header with the content size, then 128 KB blocks (RLE when
/// the block is one repeated byte, compressed when that is smaller, raw otherwise), then the
/// optional checksum.
enum ZstdFrameEncoder {
    /// Matches never reach across segments, so positions fit the 32-bit hash tables.
    static let segmentSize = 1 << 30

    static func compress(_ input: UnsafeRawBufferPointer, level: Int, checksum: Bool) -> [UInt8] {
        let count = input.count
        let parameters = ZstdMatchParameters(level: level, inputSize: count)
        // Raw blocks bound the size: each block adds a 3-byte header.
        let capacity = count + (count / ZstdConstants.maxBlockSize + 1) * 3 + 32
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { output.deallocate() }
        var position = writeHeader(into: output, contentSize: count, windowLog: parameters.windowLog, checksum: checksum)

        if let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self), count > 0 {
            let finder = ZstdMatchFinder(parameters: parameters)
            let largestBlock = min(count, ZstdConstants.maxBlockSize)
            let blocks = ZstdBlockEncoder(blockCapacity: largestBlock)
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: largestBlock + 64)
            defer { scratch.deallocate() }
            var reps = (1, 4, 8)
            var segmentStart = 0
            while segmentStart < count {
                let segmentCount = min(segmentSize, count - segmentStart)
                let segment = base + segmentStart
                if segmentStart > 0 { finder.reset() }
                var blockStart = 0
                while blockStart < segmentCount {
                    let blockSize = min(ZstdConstants.maxBlockSize, segmentCount - blockStart)
                    let isLast = segmentStart + blockStart + blockSize == count
                    let block = segment + blockStart
                    if blockSize > 1, isSingleByte(block, count: blockSize) {
                        writeBlockHeader(into: output + position, isLast: isLast, type: 1, size: blockSize)
                        output[position + 3] = block[0]
                        position += 4
                    } else {
                        blocks.startBlock()
                        var blockReps = reps
                        finder.findSequences(
                            segment, blockStart: blockStart, blockEnd: blockStart + blockSize, sourceEnd: segmentCount,
                            reps: &blockReps, store: blocks)
                        if let size = blocks.encode(into: scratch, capacity: blockSize), size < blockSize {
                            writeBlockHeader(into: output + position, isLast: isLast, type: 2, size: size)
                            (output + position + 3).update(from: scratch, count: size)
                            position += 3 + size
                            blocks.commit()
                            reps = blockReps
                        } else {
                            writeBlockHeader(into: output + position, isLast: isLast, type: 0, size: blockSize)
                            (output + position + 3).update(from: block, count: blockSize)
                            position += 3 + blockSize
                        }
                    }
                    blockStart += blockSize
                }
                segmentStart += segmentCount
            }
        } else {
            writeBlockHeader(into: output + position, isLast: true, type: 0, size: 0)
            position += 3
        }
        if checksum {
            let hash = UInt32(truncatingIfNeeded: XXH64.hash(input))
            for index in 0..<4 {
                output[position + index] = UInt8(truncatingIfNeeded: hash >> (8 * index))
            }
            position += 4
        }
        return [UInt8](UnsafeBufferPointer(start: output, count: position))
    }

    /// Writes the magic number and frame header; returns their size.
    private static func writeHeader(
        into buffer: UnsafeMutablePointer<UInt8>, contentSize: Int, windowLog: Int, checksum: Bool
    ) -> Int {
        var position = 0
        func append(_ value: UInt64, bytes: Int) {
            for index in 0..<bytes {
                buffer[position] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))
                position += 1
            }
        }
        append(UInt64(ZstdConstants.frameMagic), bytes: 4)
        // A single segment (window = whole content) when the content fits in the window.
        let singleSegment = contentSize <= 1 << windowLog
        let size = UInt64(contentSize)
        let sizeFlag: Int
        if singleSegment && size < 256 {
            sizeFlag = 0
        } else if size >= 256 && size < 65536 + 256 {
            sizeFlag = 1
        } else if size <= UInt64(UInt32.max) {
            sizeFlag = 2
        } else {
            sizeFlag = 3
        }
        append(UInt64(sizeFlag << 6 | (singleSegment ? 0x20 : 0) | (checksum ? 0x04 : 0)), bytes: 1)
        if !singleSegment {
            append(UInt64((windowLog - 10) << 3), bytes: 1)
        }
        switch sizeFlag {
        case 0: append(size, bytes: 1)
        case 1: append(size - 256, bytes: 2)
        case 2: append(size, bytes: 4)
        default: append(size, bytes: 8)
        }
        return position
    }

    private static func writeBlockHeader(into buffer: UnsafeMutablePointer<UInt8>, isLast: Bool, type: Int, size: Int) {
        let header = (isLast ? 1 : 0) | type << 1 | size << 3
        buffer[0] = UInt8(truncatingIfNeeded: header)
        buffer[1] = UInt8(truncatingIfNeeded: header >> 8)
        buffer[2] = UInt8(truncatingIfNeeded: header >> 16)
    }

    private static func isSingleByte(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        let first = bytes[0]
        let pattern = UInt64(first) &* 0x0101_0101_0101_0101
        var index = 0
        while index + 8 <= count {
            if UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self) != pattern { return false }
            index += 8
        }
        while index < count {
            if bytes[index] != first { return false }
            index += 1
        }
        return true
    }
}
