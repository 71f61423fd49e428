/// A bounds-checked cursor over bytes that come from outside the process.
///
/// Every read checks the remaining length first and throws a ``DataFolioError`` with
/// code ``DataFolioError/Code/truncatedData`` instead of trapping, so a parser built on
/// it never crashes on hostile input.
///
/// The reader borrows its bytes: create it inside `withUnsafeBytes` and do not let it
/// escape that closure.
///
/// ```swift
/// try data.withUnsafeBytes { raw in
///     var reader = ByteReader(raw, format: "NPY")
///     let magic = try reader.readBytes(6)
///     let major = try reader.readUInt8()
/// }
/// ```
package struct ByteReader {
    /// All bytes the reader walks over.
    package let bytes: UnsafeRawBufferPointer
    /// The position of the next byte to read, from the start of ``bytes``.
    package var offset: Int
    /// The format name used in error messages (e.g. `"Parquet"`).
    package let format: String

    /// Creates a reader positioned at the first byte.
    package init(_ bytes: UnsafeRawBufferPointer, format: String) {
        self.bytes = bytes
        self.offset = 0
        self.format = format
    }

    /// The number of bytes not yet read.
    @inlinable public var remaining: Int { bytes.count - offset }

    /// Whether every byte has been read.
    @inlinable public var isAtEnd: Bool { offset >= bytes.count }

    @inlinable
    mutating func require(_ count: Int, _ what: @autoclosure () -> String) throws(DataFolioError) {
        guard count >= 0, count <= bytes.count - offset else {
            throw DataFolioError.truncated(
                format, "\(what()) needs \(count) bytes at offset \(offset) but only \(max(0, bytes.count - offset)) remain")
        }
    }

    /// Reads one byte.
    @inlinable
    package mutating func readUInt8() throws(DataFolioError) -> UInt8 {
        try require(1, "a byte")
        let value = bytes[offset]
        offset += 1
        return value
    }

    /// Reads a little-endian integer.
    @inlinable
    package mutating func readLE<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(DataFolioError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, "a \(size)-byte integer")
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    /// Reads a big-endian integer.
    @inlinable
    package mutating func readBE<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(DataFolioError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, "a \(size)-byte integer")
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(bigEndian: value)
    }

    /// Reads `count` bytes and returns them as a buffer that shares memory with ``bytes``.
    @inlinable
    package mutating func readBytes(_ count: Int) throws(DataFolioError) -> UnsafeRawBufferPointer {
        try require(count, "a block of \(count) bytes")
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Reads `count` bytes into a new array.
    @inlinable
    package mutating func readArray(_ count: Int) throws(DataFolioError) -> [UInt8] {
        [UInt8](try readBytes(count))
    }

    /// Skips `count` bytes.
    @inlinable
    package mutating func skip(_ count: Int) throws(DataFolioError) {
        try require(count, "skipping \(count) bytes")
        offset += count
    }

    /// Moves to an absolute position.
    @inlinable
    package mutating func seek(to position: Int) throws(DataFolioError) {
        guard position >= 0, position <= bytes.count else {
            throw DataFolioError.corrupt(format, "offset \(position) lies outside the \(bytes.count) bytes available")
        }
        offset = position
    }

    /// Reads an unsigned LEB128 varint (at most 10 bytes, as used by Thrift and protobuf).
    @inlinable
    package mutating func readULEB128() throws(DataFolioError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readUInt8()
            if shift == 63 && byte > 1 {
                throw DataFolioError.corrupt(format, "a variable-length integer overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 {
                throw DataFolioError.corrupt(format, "a variable-length integer is longer than 10 bytes")
            }
        }
    }

    /// Reads a zigzag-encoded signed LEB128 varint.
    @inlinable
    package mutating func readZigZag() throws(DataFolioError) -> Int64 {
        let raw = try readULEB128()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
