/// A growable byte buffer for building binary formats.
///
/// ```swift
/// var out = ByteWriter(capacity: 64)
/// out.append(contentsOf: [0x93] + Array("NUMPY".utf8))
/// out.appendLE(UInt16(118))
/// let bytes = out.bytes
/// ```
package struct ByteWriter: Sendable {
    /// The bytes written so far.
    package var bytes: [UInt8]

    /// Creates an empty writer that can hold `capacity` bytes before growing.
    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written.
    @inlinable public var count: Int { bytes.count }

    /// Appends one byte.
    @inlinable
    package mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends bytes.
    @inlinable
    package mutating func append(contentsOf other: some Sequence<UInt8>) {
        bytes.append(contentsOf: other)
    }

    /// Appends raw bytes.
    @inlinable
    package mutating func append(raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Appends the UTF-8 bytes of a string.
    @inlinable
    package mutating func append(utf8 string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    /// Appends an integer in little-endian byte order.
    @inlinable
    package mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an integer in big-endian byte order.
    @inlinable
    package mutating func appendBE<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an unsigned LEB128 varint.
    @inlinable
    package mutating func appendULEB128(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends a zigzag-encoded signed LEB128 varint.
    @inlinable
    package mutating func appendZigZag(_ value: Int64) {
        appendULEB128(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Overwrites a little-endian integer at an earlier position (for back-patched lengths).
    @inlinable
    package mutating func patchLE<T: FixedWidthInteger>(_ value: T, at position: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, byte) in raw.enumerated() { bytes[position + i] = byte }
        }
    }
}
