/// Collects DEFLATE output: bits least significant first, into memory that the encoder
/// sizes before each block (a block's exact size is known before it is written).
struct BitWriter: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count = 0
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes sure `bytes` more bytes (plus the pending bits) fit without checks.
    mutating func reserve(_ bytes: Int) {
        let needed = count + bytes + 16
        if needed <= capacity { return }
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    /// Appends the low `length` bits of `value` (at most 32 bits). Room must be reserved.
    @inline(__always)
    mutating func write(_ value: UInt32, _ length: Int) {
        bitBuffer |= UInt64(value) &<< UInt64(bitCount)
        bitCount &+= length
        if bitCount >= 32 {
            UnsafeMutableRawPointer(base + count).storeBytes(
                of: UInt32(truncatingIfNeeded: bitBuffer).littleEndian, as: UInt32.self)
            count &+= 4
            bitBuffer &>>= 32
            bitCount &-= 32
        }
    }

    /// Pads with zero bits to the next byte boundary and moves whole bytes to memory.
    mutating func alignToByte() {
        while bitCount > 0 {
            base[count] = UInt8(truncatingIfNeeded: bitBuffer)
            count += 1
            bitBuffer >>= 8
            bitCount = max(0, bitCount - 8)
        }
        bitBuffer = 0
    }

    /// Appends raw bytes; the writer must be byte-aligned.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Returns the whole bytes written so far and forgets them; pending bits stay.
    mutating func takeBytes() -> [UInt8] {
        let result = [UInt8](UnsafeBufferPointer(start: base, count: count))
        count = 0
        return result
    }
}
