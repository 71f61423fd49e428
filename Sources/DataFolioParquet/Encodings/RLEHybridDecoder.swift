import DataFolioSupport

/// Decodes the RLE/bit-packed hybrid encoding (levels, dictionary indices, RLE booleans).
///
/// The decoder walks a borrowed buffer; it never reads past `end` and reports a clear
/// error when the runs end before the requested number of values.
struct RLEHybridDecoder {
    private let base: UnsafePointer<UInt8>
    private var position: Int
    private let end: Int
    let bitWidth: Int
    private var repeatRemaining = 0
    private var repeatValue: UInt32 = 0
    private var literalRemaining = 0
    private var literalBit = 0          // bit offset of the next literal value, from `base`
    private var literalEndByte = 0      // first byte after the current literal run

    /// Creates a decoder over `bytes` for values of `bitWidth` bits (0…32).
    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(DataFolioError) {
        guard bitWidth >= 0, bitWidth <= 32 else {
            throw DataFolioError.corrupt("Parquet", "an RLE run uses a bit width of \(bitWidth) (at most 32 is allowed)")
        }
        // An empty buffer has no base address; point at a harmless static byte instead.
        if let address = bytes.baseAddress {
            base = address.assumingMemoryBound(to: UInt8.self)
        } else {
            base = RLEHybridDecoder.emptyByte
        }
        position = 0
        end = bytes.count
        self.bitWidth = bitWidth
    }

    // Never written after initialization, so sharing it across threads is safe.
    nonisolated(unsafe) private static let emptyByte: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    /// The number of bytes consumed so far (including a partially read literal run).
    var bytesConsumed: Int { literalRemaining > 0 ? literalEndByte : position }

    private func truncated(_ needed: Int) -> DataFolioError {
        DataFolioError.truncated("Parquet", "RLE-encoded data ends before \(needed) more values")
    }

    private mutating func readVarint() throws(DataFolioError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw DataFolioError.truncated("Parquet", "an RLE run header is cut off") }
            let byte = base[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 35 { throw DataFolioError.corrupt("Parquet", "an RLE run header is too long") }
        }
    }

    /// Reads the next run header. Returns false when the data is exhausted.
    private mutating func nextRun() throws(DataFolioError) -> Bool {
        guard position < end else { return false }
        let header = try readVarint()
        if header & 1 == 1 {
            guard header >> 1 <= UInt64(Int32.max / 8) else {
                throw DataFolioError.corrupt("Parquet", "an RLE literal run declares \(header >> 1) groups")
            }
            let groups = Int(header >> 1)
            let byteLength = groups * bitWidth
            let availableBytes = end - position
            // A final literal run may be cut short by writers; use what is there.
            let usableBytes = min(byteLength, availableBytes)
            literalRemaining = bitWidth == 0 ? groups * 8 : min(groups * 8, usableBytes * 8 / bitWidth)
            literalBit = position * 8
            literalEndByte = position + usableBytes
            position = literalEndByte
            if literalRemaining == 0 && groups > 0 && bitWidth > 0 { return false }
        } else {
            let count = header >> 1
            guard count <= UInt64(Int32.max) else {
                throw DataFolioError.corrupt("Parquet", "an RLE run declares \(count) repetitions")
            }
            let valueBytes = (bitWidth + 7) / 8
            guard end - position >= valueBytes else {
                throw DataFolioError.truncated("Parquet", "an RLE run value is cut off")
            }
            var value: UInt32 = 0
            for i in 0..<valueBytes {
                value |= UInt32(base[position + i]) << UInt32(8 * i)
            }
            position += valueBytes
            repeatValue = value
            repeatRemaining = Int(count)
        }
        return true
    }

    /// Decodes exactly `count` values into `destination`.
    mutating func decode(count: Int, into destination: UnsafeMutablePointer<UInt32>) throws(DataFolioError) {
        var filled = 0
        while filled < count {
            if repeatRemaining > 0 {
                let n = min(repeatRemaining, count - filled)
                (destination + filled).update(repeating: repeatValue, count: n)
                repeatRemaining -= n
                filled += n
            } else if literalRemaining > 0 {
                let n = min(literalRemaining, count - filled)
                BitPacking.unpack32(
                    base, available: literalEndByte, bitOffset: literalBit, width: bitWidth, count: n,
                    into: destination + filled)
                literalBit += n * bitWidth
                literalRemaining -= n
                filled += n
            } else {
                guard try nextRun() else { throw truncated(count - filled) }
            }
        }
    }

    /// Decodes `count` values, each checked to be below `limit` (dictionary indices).
    mutating func decodeIndices(
        count: Int, limit: Int, into destination: UnsafeMutablePointer<UInt32>
    ) throws(DataFolioError) {
        try decode(count: count, into: destination)
        var maximum: UInt32 = 0
        for i in 0..<count { maximum = max(maximum, destination[i]) }
        if count > 0 && Int(maximum) >= limit {
            throw DataFolioError.corrupt(
                "Parquet", "a dictionary index (\(maximum)) points past the dictionary's \(limit) entries")
        }
    }
}
