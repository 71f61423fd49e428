import DataFolioSupport

/// Reads a Zstandard backward bitstream (Huffman streams, FSE streams, the sequences
/// bitstream): the writer appended bits little-endian and closed the stream with a `1` bit,
/// so the reader starts below that marker in the last byte and walks toward the first byte.
///
/// The 64-bit `container` holds the bytes at `position ..< position + 8`; `consumed` counts
/// the bits already taken from its top. Reading past the start of the stream never touches
/// memory outside the stream: it yields meaningless bits, and ``isOverflowed`` reports it, so
/// callers check once at the end instead of on every read.
struct ZstdBackwardBitReader {
    private let start: UnsafeRawPointer
    private var position: Int
    private var container: UInt64
    private var consumed: Int

    /// Prepares to read `stream`, which must be non-empty and end with a non-zero byte.
    init(_ stream: UnsafeRawBufferPointer, what: @autoclosure () -> String) throws(DataFolioError) {
        guard let base = stream.baseAddress, stream.count > 0 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "\(what()) is empty")
        }
        let last = stream[stream.count - 1]
        guard last != 0 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "\(what()) does not end with a marker bit")
        }
        start = base
        let padding = last.leadingZeroBitCount + 1
        if stream.count >= 8 {
            position = stream.count - 8
            container = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            consumed = padding
        } else {
            // Short streams: the missing high bytes count as already consumed, so the
            // end-of-stream arithmetic is the same as for long streams.
            var value: UInt64 = 0
            for index in 0..<stream.count {
                value |= UInt64(stream[index]) << UInt64(8 * index)
            }
            position = 0
            container = value
            consumed = padding + 8 * (8 - stream.count)
        }
    }

    /// Refills the container so that at least 57 unread bits are available, or all that remain.
    ///
    /// A stream shorter than 8 bytes starts with `consumed >= 9` and stays at position 0, so
    /// it always takes the `return` branch and never loads 8 bytes from its short buffer.
    @inline(__always)
    mutating func reload() {
        let bytes = consumed &>> 3
        if position >= bytes {
            position &-= bytes
            consumed &= 7
        } else if position > 0 {
            consumed &-= position &<< 3
            position = 0
        } else {
            return
        }
        container = UInt64(littleEndian: start.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// Reads `count` bits (0...57 after a reload), most significant first.
    @inline(__always)
    mutating func read(_ count: Int) -> Int {
        let value = ((container &<< UInt64(truncatingIfNeeded: consumed)) &>> 1) &>> UInt64(truncatingIfNeeded: 63 &- count)
        consumed &+= count
        return Int(truncatingIfNeeded: value)
    }

    /// Returns the next `count` bits (1...57) without consuming them.
    @inline(__always)
    func peek(_ count: Int) -> Int {
        Int(truncatingIfNeeded: (container &<< UInt64(truncatingIfNeeded: consumed)) &>> UInt64(truncatingIfNeeded: 64 &- count))
    }

    @inline(__always)
    mutating func skip(_ count: Int) {
        consumed &+= count
    }

    /// Whether more bits were read than the stream holds.
    var isOverflowed: Bool { position == 0 && consumed > 64 }

    /// Whether every bit of the stream has been read, and no more.
    var isFullyConsumed: Bool { position == 0 && consumed == 64 }
}

/// Reads the forward, little-endian bitstream of an FSE table description.
struct ZstdForwardBitReader {
    private let bytes: UnsafeRawBufferPointer
    /// The number of bits read so far.
    private(set) var bitPosition = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Returns the next `count` bits (at most 32) without consuming them; bits past the end
    /// read as zero (``byteCount`` tells whether they were needed).
    func peek(_ count: Int) -> Int {
        var value: UInt64 = 0
        let firstByte = bitPosition >> 3
        for index in 0..<5 {
            let at = firstByte + index
            if at < bytes.count {
                value |= UInt64(bytes[at]) << UInt64(8 * index)
            }
        }
        value >>= UInt64(bitPosition & 7)
        return Int(value & ((UInt64(1) << UInt64(count)) - 1))
    }

    mutating func skip(_ count: Int) {
        bitPosition += count
    }

    mutating func read(_ count: Int) -> Int {
        let value = peek(count)
        bitPosition += count
        return value
    }

    /// Bytes used so far, counting a partly used byte as whole.
    var byteCount: Int { (bitPosition + 7) >> 3 }
}
