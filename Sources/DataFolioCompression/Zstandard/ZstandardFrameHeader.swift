import DataFolioSupport

/// The fields of a Zstandard frame header (RFC 8878 §3.1.1.1).
struct ZstdFrameHeader {
    /// The decompressed size, when the header gives it.
    var contentSize: UInt64?
    var windowSize: UInt64
    var hasChecksum: Bool
    var dictionaryID: UInt32
    /// Bytes of the header after the magic number.
    var size: Int

    /// Parses the header at the start of `bytes` (just after the magic number).
    init(parsing bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        guard bytes.count >= 1 else { throw Self.truncated() }
        let descriptor = Int(bytes[0])
        guard descriptor & 0x08 == 0 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the reserved bit of a frame header is set")
        }
        let contentSizeFlag = descriptor >> 6
        let singleSegment = descriptor & 0x20 != 0
        hasChecksum = descriptor & 0x04 != 0
        let dictionaryIDSize = [0, 1, 2, 4][descriptor & 3]
        let contentSizeSize = contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][contentSizeFlag]
        size = 1 + (singleSegment ? 0 : 1) + dictionaryIDSize + contentSizeSize
        guard bytes.count >= size else { throw Self.truncated() }
        var position = 1
        var window: UInt64 = 0
        if !singleSegment {
            let descriptor = UInt64(bytes[1])
            let windowLog = 10 + (descriptor >> 3)
            let windowBase = UInt64(1) << windowLog
            window = windowBase + (windowBase / 8) * (descriptor & 7)
            position += 1
        }
        dictionaryID = UInt32(truncatingIfNeeded: Self.readLE(bytes, at: position, count: dictionaryIDSize))
        position += dictionaryIDSize
        if contentSizeSize > 0 {
            var value = Self.readLE(bytes, at: position, count: contentSizeSize)
            if contentSizeSize == 2 { value += 256 }
            contentSize = value
            if singleSegment { window = value }
        } else {
            contentSize = nil
        }
        windowSize = window
    }

    /// The largest block of this frame, compressed or not.
    var blockMaximum: Int {
        Int(min(windowSize, UInt64(ZstdConstants.maxBlockSize)))
    }

    private static func readLE(_ bytes: UnsafeRawBufferPointer, at position: Int, count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<count {
            value |= UInt64(bytes[position + index]) << UInt64(8 * index)
        }
        return value
    }

    private static func truncated() -> DataFolioError {
        DataFolioError.truncated(ZstdConstants.format, "a frame header ends early")
    }
}
