import DataFolioSupport

/// The zlib format (RFC 1950): a DEFLATE stream with a 2-byte header and an Adler-32
/// checksum — what Python's `zlib.compress` produces.
///
/// ```swift
/// let packed = Zlib.compress(bytes, level: .best)
/// let unpacked = try Zlib.decompress(packed, maximumOutputSize: 1 << 30)
/// ```
public enum Zlib {
    private static let format = "zlib"

    /// Compresses `input` into a zlib stream.
    ///
    /// ```swift
    /// let packed = values.withUnsafeBytes { Zlib.compress($0, level: .fastest) }
    /// ```
    public static func compress(_ input: UnsafeRawBufferPointer, level: CompressionLevel = .default) -> [UInt8] {
        // FLEVEL is informational; it mirrors what zlib itself writes for each level.
        let levelBits: UInt8 = level.value <= 1 ? 0 : level.value <= 5 ? 1 : level.value == 6 ? 2 : 3
        let cmf: UInt8 = 0x78
        var flg = levelBits << 6
        flg += UInt8(31 - (Int(cmf) * 256 + Int(flg)) % 31)
        var result: [UInt8] = [cmf, flg]
        result += Deflate.compress(input, level: level)
        let adler = Adler32.checksum(input)
        result += [UInt8(adler >> 24), UInt8(truncatingIfNeeded: adler >> 16), UInt8(truncatingIfNeeded: adler >> 8), UInt8(truncatingIfNeeded: adler)]
        return result
    }

    /// Compresses `input` into a zlib stream.
    ///
    /// ```swift
    /// let packed = Zlib.compress(Array("hello hello hello".utf8), level: .best)
    /// ```
    public static func compress(_ input: [UInt8], level: CompressionLevel = .default) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }

    /// Decompresses a zlib stream and verifies its Adler-32 checksum.
    ///
    /// ```swift
    /// let bytes = try packed.withUnsafeBytes { try Zlib.decompress($0, maximumOutputSize: 64 << 20) }
    /// ```
    ///
    /// - Parameters:
    ///   - input: a zlib stream.
    ///   - maximumOutputSize: the most bytes to produce before giving up.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, maximumOutputSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        let start = try headerLength(input)
        var output = InflateOutput(
            initialCapacity: Deflate.initialCapacity(forInput: input.count), limit: maximumOutputSize, format: format)
        var inflater = Inflater(input: input, startingAt: start)
        let end = try inflater.inflateStream(into: &output)
        try verifyTrailer(input, at: end, output: UnsafeRawBufferPointer(start: output.base, count: output.count))
        return output.makeArray()
    }

    /// Decompresses a zlib stream and verifies its Adler-32 checksum.
    ///
    /// ```swift
    /// let bytes = try Zlib.decompress(packed, maximumOutputSize: 64 << 20)
    /// ```
    public static func decompress(_ input: [UInt8], maximumOutputSize: Int) throws(DataFolioError) -> [UInt8] {
        try input.withBytesTyped { raw throws(DataFolioError) in try decompress(raw, maximumOutputSize: maximumOutputSize) }
    }

    /// Decompresses a zlib stream into a buffer the caller sized, returning the number of
    /// bytes written.
    /// Bytes of `output` after the returned count may be overwritten (decoders copy in
    /// whole words where there is room).
    ///
    /// ```swift
    /// var output = [UInt8](repeating: 0, count: expectedSize)
    /// let count = try packed.withUnsafeBytes { input in
    ///     try output.withUnsafeMutableBytes { try Zlib.decompress(input, into: $0) }
    /// }
    /// ```
    public static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        let start = try headerLength(input)
        var target = InflateOutput(fixed: output, format: format)
        var inflater = Inflater(input: input, startingAt: start)
        let end = try inflater.inflateStream(into: &target)
        try verifyTrailer(input, at: end, output: UnsafeRawBufferPointer(start: target.base, count: target.count))
        return target.count
    }

    private static func headerLength(_ input: UnsafeRawBufferPointer) throws(DataFolioError) -> Int {
        guard input.count >= 2 else { throw DataFolioError.truncated(format, "the 2-byte header is missing") }
        let cmf = input[0]
        let flg = input[1]
        guard cmf & 0x0F == 8, cmf >> 4 <= 7, (Int(cmf) * 256 + Int(flg)) % 31 == 0 else {
            throw DataFolioError.corrupt(format, "the header is not a zlib DEFLATE header")
        }
        guard flg & 0x20 == 0 else {
            throw DataFolioError.unsupported(format, "a stream that needs a preset dictionary")
        }
        return 2
    }

    private static func verifyTrailer(
        _ input: UnsafeRawBufferPointer, at end: Int, output: UnsafeRawBufferPointer
    ) throws(DataFolioError) {
        guard end + 4 <= input.count else {
            throw DataFolioError.truncated(format, "the Adler-32 checksum after the data is missing")
        }
        let stored = UInt32(input[end]) << 24 | UInt32(input[end + 1]) << 16 | UInt32(input[end + 2]) << 8
            | UInt32(input[end + 3])
        guard stored == Adler32.checksum(output) else {
            throw DataFolioError.corrupt(format, "the Adler-32 checksum does not match the data")
        }
    }
}
