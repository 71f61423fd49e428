import DataFolioSupport

/// The gzip format (RFC 1952): DEFLATE data framed by a header and a CRC-32/size trailer.
/// This is what Parquet's GZIP codec and Python's `gzip` module use.
///
/// Decompression accepts every header option (extra field, file name, comment, header
/// CRC) and several members one after another, whose contents are concatenated, like
/// `gzip -d`. Zero bytes after the last member are ignored.
///
/// ```swift
/// let packed = Gzip.compress(bytes)
/// let unpacked = try Gzip.decompress(packed, maximumOutputSize: 1 << 30)
/// ```
public enum Gzip {
    private static let format = "gzip"

    /// Compresses `input` into a single gzip member.
    ///
    /// ```swift
    /// let packed = values.withUnsafeBytes { Gzip.compress($0, level: .fastest) }
    /// ```
    public static func compress(_ input: UnsafeRawBufferPointer, level: CompressionLevel = .default) -> [UInt8] {
        let extraFlags: UInt8 = level >= .best ? 2 : level <= .fastest ? 4 : 0
        var result: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, extraFlags, 255]
        result += Deflate.compress(input, level: level)
        appendLE(CRC32.checksum(input), to: &result)
        appendLE(UInt32(truncatingIfNeeded: input.count), to: &result)
        return result
    }

    /// Compresses `input` into a single gzip member.
    ///
    /// ```swift
    /// let packed = Gzip.compress(Array("hello hello hello".utf8), level: .best)
    /// ```
    public static func compress(_ input: [UInt8], level: CompressionLevel = .default) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }

    /// Decompresses all members of a gzip stream, verifying each one's CRC-32 and size.
    ///
    /// ```swift
    /// let bytes = try packed.withUnsafeBytes { try Gzip.decompress($0, maximumOutputSize: 64 << 20) }
    /// ```
    ///
    /// - Parameters:
    ///   - input: one or more gzip members.
    ///   - maximumOutputSize: the most bytes to produce before giving up.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, maximumOutputSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        // The last member's size field is a good first guess for a single-member stream.
        var guess = Deflate.initialCapacity(forInput: input.count)
        if input.count >= 18 {
            let size = Int(input.loadUnaligned(fromByteOffset: input.count - 4, as: UInt32.self).littleEndian)
            if size <= input.count * Deflate.maximumExpansionRatio { guess = max(size, 64) }
        }
        var output = InflateOutput(initialCapacity: guess, limit: maximumOutputSize, format: format)
        try decodeMembers(input, into: &output)
        return output.makeArray()
    }

    /// Decompresses all members of a gzip stream, verifying each one's CRC-32 and size.
    ///
    /// ```swift
    /// let bytes = try Gzip.decompress(packed, maximumOutputSize: 64 << 20)
    /// ```
    public static func decompress(_ input: [UInt8], maximumOutputSize: Int) throws(DataFolioError) -> [UInt8] {
        try input.withBytesTyped { raw throws(DataFolioError) in try decompress(raw, maximumOutputSize: maximumOutputSize) }
    }

    /// Decompresses a gzip stream into a buffer the caller sized, returning the number of
    /// bytes written.
    /// Bytes of `output` after the returned count may be overwritten (decoders copy in
    /// whole words where there is room).
    ///
    /// ```swift
    /// var output = [UInt8](repeating: 0, count: expectedSize)
    /// let count = try packed.withUnsafeBytes { input in
    ///     try output.withUnsafeMutableBytes { try Gzip.decompress(input, into: $0) }
    /// }
    /// ```
    public static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        var target = InflateOutput(fixed: output, format: format)
        try decodeMembers(input, into: &target)
        return target.count
    }

    private static func decodeMembers(
        _ input: UnsafeRawBufferPointer, into output: inout InflateOutput
    ) throws(DataFolioError) {
        var offset = 0
        repeat {
            let memberStart = output.count
            let dataStart = try headerEnd(input, from: offset)
            var inflater = Inflater(input: input, startingAt: dataStart)
            let end = try inflater.inflateStream(into: &output)
            guard end + 8 <= input.count else {
                throw DataFolioError.truncated(format, "the CRC-32 and size after the data are missing")
            }
            let storedCRC = input.loadUnaligned(fromByteOffset: end, as: UInt32.self).littleEndian
            let storedSize = input.loadUnaligned(fromByteOffset: end + 4, as: UInt32.self).littleEndian
            let produced = UnsafeRawBufferPointer(start: output.base + memberStart, count: output.count - memberStart)
            guard storedSize == UInt32(truncatingIfNeeded: produced.count) else {
                throw DataFolioError.corrupt(format, "the stored size does not match the decompressed size")
            }
            guard storedCRC == CRC32.checksum(produced) else {
                throw DataFolioError.corrupt(format, "the CRC-32 checksum does not match the data")
            }
            offset = end + 8
            var rest = offset
            while rest < input.count && input[rest] == 0 { rest += 1 }
            if rest == input.count { return }
        } while true
    }

    /// Parses a member header starting at `start` and returns where its DEFLATE data begins.
    private static func headerEnd(_ input: UnsafeRawBufferPointer, from start: Int) throws(DataFolioError) -> Int {
        var reader = ByteReader(input, format: format)
        try reader.seek(to: start)
        let magic = try reader.readLE(UInt16.self)
        guard magic == 0x8B1F else { throw DataFolioError.corrupt(format, "the data does not start with the gzip signature") }
        guard try reader.readUInt8() == 8 else {
            throw DataFolioError.unsupported(format, "a compression method other than DEFLATE")
        }
        let flags = try reader.readUInt8()
        guard flags & 0xE0 == 0 else { throw DataFolioError.corrupt(format, "the header sets reserved flag bits") }
        try reader.skip(6)  // modification time, extra flags, operating system
        if flags & 0x04 != 0 {
            let length = Int(try reader.readLE(UInt16.self))
            try reader.skip(length)
        }
        if flags & 0x08 != 0 { try skipZeroTerminated(&reader, "file name") }
        if flags & 0x10 != 0 { try skipZeroTerminated(&reader, "comment") }
        if flags & 0x02 != 0 {
            let headerCRC = CRC32.checksum(UnsafeRawBufferPointer(rebasing: input[start..<reader.offset]))
            guard try reader.readLE(UInt16.self) == UInt16(truncatingIfNeeded: headerCRC) else {
                throw DataFolioError.corrupt(format, "the header checksum does not match")
            }
        }
        return reader.offset
    }

    private static func skipZeroTerminated(_ reader: inout ByteReader, _ what: String) throws(DataFolioError) {
        while true {
            guard !reader.isAtEnd else { throw DataFolioError.truncated(format, "the header's \(what) is not terminated") }
            if try reader.readUInt8() == 0 { return }
        }
    }

    private static func appendLE(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                  UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)]
    }
}
