/// Writes bits little-endian into a caller's buffer: the layout of Zstandard's backward
/// bitstreams (closed with a `1` marker bit) and of FSE table descriptions (padded to a byte).
///
/// Bits gather in a 64-bit container that ``flush()`` stores 8 bytes at a time, so callers
/// add at most 56 bits between flushes. Writing past the buffer never happens: the writer
/// stops advancing and reports the overflow when the stream is finished.
struct ZstdBitWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private var out: UnsafeMutablePointer<UInt8>
    /// The last position where an 8-byte store still fits in the buffer.
    private let limit: UnsafeMutablePointer<UInt8>
    private var container: UInt64 = 0
    private var count = 0
    private var overflowed = false

    /// Prepares to write into `buffer`, which must hold at least 8 bytes.
    init(_ buffer: UnsafeMutablePointer<UInt8>, capacity: Int) {
        start = buffer
        out = buffer
        limit = buffer + max(0, capacity - 8)
        overflowed = capacity < 8
    }

    /// Adds the low `bits` bits of `value` (at most 56 between flushes).
    @inline(__always)
    mutating func add(_ value: Int, _ bits: Int) {
        let mask = (UInt64(1) &<< UInt64(truncatingIfNeeded: bits)) &- 1
        container |= (UInt64(truncatingIfNeeded: value) & mask) &<< UInt64(truncatingIfNeeded: count)
        count &+= bits
    }

    /// Adds `value`, which must already be smaller than `1 << bits`.
    @inline(__always)
    mutating func addClean(_ value: Int, _ bits: Int) {
        container |= UInt64(truncatingIfNeeded: value) &<< UInt64(truncatingIfNeeded: count)
        count &+= bits
    }

    /// Moves the whole bytes gathered so far into the buffer.
    @inline(__always)
    mutating func flush() {
        UnsafeMutableRawPointer(out).storeBytes(of: container.littleEndian, as: UInt64.self)
        let bytes = count &>> 3
        out += bytes
        container = container &>> UInt64(truncatingIfNeeded: bytes &<< 3)
        count &= 7
        if out > limit {
            out = limit
            overflowed = true
        }
    }

    /// Ends a backward bitstream with its marker bit; returns its size, or nil if it did not fit.
    mutating func close() -> Int? {
        add(1, 1)
        return finishBytes()
    }

    /// Pads the last byte with zeros; returns the size, or nil if the bits did not fit.
    mutating func finishBytes() -> Int? {
        flush()
        let size = out - start + (count > 0 ? 1 : 0)
        return overflowed ? nil : size
    }
}
