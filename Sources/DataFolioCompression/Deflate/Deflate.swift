import DataFolioSupport

/// Raw DEFLATE streams (RFC 1951), without a zlib or gzip wrapper — the form used
/// inside ZIP archives.
///
/// ```swift
/// let packed = Deflate.compress(bytes)
/// let unpacked = try Deflate.decompress(packed, maximumOutputSize: 1 << 30)
/// ```
///
/// Decompression treats its input as hostile: damaged data throws a `DataFolioError`,
/// and output beyond `maximumOutputSize` stops with `DataFolioError.Code.limitExceeded`
/// (a defence against decompression bombs).
public enum Deflate {
    /// The largest expansion DEFLATE can achieve (a 258-byte match costs at least 2 bits),
    /// used to reject size claims no valid stream could meet.
    public static let maximumExpansionRatio = 1032

    /// Compresses `input` into a raw DEFLATE stream.
    ///
    /// ```swift
    /// let packed = values.withUnsafeBytes { Deflate.compress($0, level: .fastest) }
    /// ```
    public static func compress(_ input: UnsafeRawBufferPointer, level: CompressionLevel = .default) -> [UInt8] {
        let encoder = DeflateEncoder(level: level)
        encoder.compress(input)
        encoder.finish()
        return encoder.takeOutput()
    }

    /// Compresses `input` into a raw DEFLATE stream.
    ///
    /// ```swift
    /// let packed = Deflate.compress(Array("hello hello hello".utf8), level: .best)
    /// ```
    public static func compress(_ input: [UInt8], level: CompressionLevel = .default) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }

    /// Decompresses a raw DEFLATE stream. Bytes after the end of the stream are ignored.
    ///
    /// ```swift
    /// let bytes = try packed.withUnsafeBytes { try Deflate.decompress($0, maximumOutputSize: 64 << 20) }
    /// ```
    ///
    /// - Parameters:
    ///   - input: a raw DEFLATE stream.
    ///   - maximumOutputSize: the most bytes to produce before giving up.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, maximumOutputSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        var output = InflateOutput(
            initialCapacity: initialCapacity(forInput: input.count), limit: maximumOutputSize, format: "DEFLATE")
        var inflater = Inflater(input: input)
        _ = try inflater.inflateStream(into: &output)
        return output.makeArray()
    }

    /// Decompresses a raw DEFLATE stream. Bytes after the end of the stream are ignored.
    ///
    /// ```swift
    /// let bytes = try Deflate.decompress(packed, maximumOutputSize: 64 << 20)
    /// ```
    public static func decompress(_ input: [UInt8], maximumOutputSize: Int) throws(DataFolioError) -> [UInt8] {
        try input.withBytesTyped { raw throws(DataFolioError) in try decompress(raw, maximumOutputSize: maximumOutputSize) }
    }

    /// Decompresses a raw DEFLATE stream into a buffer the caller sized, returning the
    /// number of bytes written. A stream that produces more than fits is an error.
    /// Bytes of `output` after the returned count may be overwritten (decoders copy in
    /// whole words where there is room).
    ///
    /// ```swift
    /// var output = [UInt8](repeating: 0, count: expectedSize)
    /// let count = try packed.withUnsafeBytes { input in
    ///     try output.withUnsafeMutableBytes { try Deflate.decompress(input, into: $0) }
    /// }
    /// ```
    public static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        var target = InflateOutput(fixed: output, format: "DEFLATE")
        var inflater = Inflater(input: input)
        _ = try inflater.inflateStream(into: &target)
        return target.count
    }

    static func initialCapacity(forInput count: Int) -> Int {
        count > (1 << 40) ? 1 << 40 : max(4096, count * 4)
    }
}
