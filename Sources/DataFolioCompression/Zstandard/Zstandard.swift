import DataFolioSupport

/// Zstandard compression (RFC 8878) in pure Swift: the codec behind most Parquet files
/// written by polars and pyarrow.
///
/// Decompression handles every feature of the format except dictionaries: several frames,
/// skippable frames, all block and literal types, every sequence table mode and the content
/// checksum. Input is treated as hostile: damaged data throws a ``DataFolioError``, and the
/// output never grows past the size you allow.
///
/// ```swift
/// let packed = Zstandard.compress(bytes)                    // level 3, like `zstd`
/// let size = try Zstandard.decompressedSize(of: packed)     // from the frame header
/// let unpacked = try Zstandard.decompress(packed, maximumOutputSize: 1 << 30)
/// ```
public enum Zstandard {
    /// The level used when none is given: a good balance of speed and ratio, like `zstd -3`.
    public static let defaultLevel = 3
    /// The supported levels. Levels 1–2 favour speed; 3–4 balance speed and ratio; 5–9
    /// search longer for matches, which pays off mostly on text-like data.
    public static let levels: ClosedRange<Int> = 1...9

    // MARK: - Compression

    /// Compresses bytes into one Zstandard frame that records the decompressed size.
    ///
    /// - Parameters:
    ///   - input: The bytes to compress.
    ///   - level: The compression level, clamped to ``levels``: higher is slower and smaller.
    ///   - checksum: Whether to append the XXH64 content checksum, which decoders verify.
    /// - Returns: The compressed frame.
    ///
    /// ```swift
    /// let frame = values.withUnsafeBytes { Zstandard.compress($0, level: 1) }
    /// ```
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int = defaultLevel, checksum: Bool = false) -> [UInt8] {
        ZstdFrameEncoder.compress(input, level: min(max(level, levels.lowerBound), levels.upperBound), checksum: checksum)
    }

    /// Compresses the bytes of an array into one Zstandard frame.
    ///
    /// ```swift
    /// let frame = Zstandard.compress(Array("hello hello hello".utf8), checksum: true)
    /// ```
    public static func compress(_ input: [UInt8], level: Int = defaultLevel, checksum: Bool = false) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level, checksum: checksum) }
    }

    // MARK: - Decompression

    /// Decompresses all frames of `input` into a buffer of known size, such as the
    /// uncompressed page size a Parquet page header records.
    ///
    /// - Returns: The number of bytes written to the start of `output`. Bytes after them
    ///   may have been overwritten with scratch data.
    /// - Throws: ``DataFolioError`` when the data is damaged, uses a dictionary, or
    ///   decompresses to more than `output.count` bytes (code `limitExceeded`).
    ///
    /// ```swift
    /// var page = [UInt8](repeating: 0, count: uncompressedSize)
    /// let written = try page.withUnsafeMutableBytes { try Zstandard.decompress(compressed, into: $0) }
    /// ```
    public static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        var sink = ZstdOutput(fixed: output)
        defer { sink.release() }
        try ZstdFrameDecoding.decompress(input, into: &sink)
        return sink.count
    }

    /// Decompresses all frames of an array into a buffer of known size.
    ///
    /// ```swift
    /// let written = try page.withUnsafeMutableBytes { try Zstandard.decompress(compressed, into: $0) }
    /// ```
    public static func decompress(_ input: [UInt8], into output: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int {
        try withBytes(input) { raw throws(DataFolioError) in try decompress(raw, into: output) }
    }

    /// Decompresses all frames of `input` into a new array.
    ///
    /// - Parameter maximumOutputSize: The most bytes the result may hold. Data that expands
    ///   beyond it (a "decompression bomb") throws `limitExceeded` before using more memory.
    ///
    /// ```swift
    /// let bytes = try Zstandard.decompress(frame, maximumOutputSize: 64 << 20)
    /// ```
    public static func decompress(
        _ input: UnsafeRawBufferPointer, maximumOutputSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        guard maximumOutputSize >= 0 else {
            throw DataFolioError(.invalidArgument, "Zstandard: the maximum output size must not be negative.")
        }
        if let size = try ZstdFrameDecoding.contentSize(of: input) {
            // Every 128 KB of output needs at least a 4-byte block: a header claiming more
            // is damaged, and must not make us allocate it.
            guard size / ZstdConstants.maxBlockSize <= input.count / 4 else {
                throw DataFolioError.corrupt(
                    ZstdConstants.format, "the frame header claims \(size) bytes, more than \(input.count) compressed bytes can hold")
            }
            guard size <= maximumOutputSize else {
                throw DataFolioError(
                    .limitExceeded,
                    "Zstandard: the data decompresses to \(size) bytes, more than the limit of \(maximumOutputSize) bytes. Raise the limit if the data is trusted.")
            }
            var failure: DataFolioError?
            let result = [UInt8](uninitializedCapacity: size) { buffer, initialized in
                do throws(DataFolioError) {
                    initialized = try decompress(input, into: UnsafeMutableRawBufferPointer(buffer))
                } catch {
                    failure = error
                    initialized = 0
                }
            }
            if let failure { throw failure }
            return result
        }
        var sink = ZstdOutput(growingFrom: input.count * 4 + 1024, limit: maximumOutputSize)
        defer { sink.release() }
        try ZstdFrameDecoding.decompress(input, into: &sink)
        return [UInt8](UnsafeRawBufferPointer(sink.written))
    }

    /// Decompresses all frames of an array into a new array of at most `maximumOutputSize` bytes.
    ///
    /// ```swift
    /// let bytes = try Zstandard.decompress(frame, maximumOutputSize: 64 << 20)
    /// ```
    public static func decompress(_ input: [UInt8], maximumOutputSize: Int) throws(DataFolioError) -> [UInt8] {
        try withBytes(input) { raw throws(DataFolioError) in try decompress(raw, maximumOutputSize: maximumOutputSize) }
    }

    /// The total decompressed size recorded in the frame headers, or nil when a frame does
    /// not record it. Only headers are read, so this is cheap; the data itself is not checked.
    ///
    /// ```swift
    /// if let size = try Zstandard.decompressedSize(of: frame) { print(size) }
    /// ```
    public static func decompressedSize(of input: UnsafeRawBufferPointer) throws(DataFolioError) -> Int? {
        try ZstdFrameDecoding.contentSize(of: input)
    }

    /// The total decompressed size recorded in the frame headers of an array, or nil.
    ///
    /// ```swift
    /// let size = try Zstandard.decompressedSize(of: frame)
    /// ```
    public static func decompressedSize(of input: [UInt8]) throws(DataFolioError) -> Int? {
        try withBytes(input) { raw throws(DataFolioError) in try decompressedSize(of: raw) }
    }

    private static func withBytes<Result>(
        _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> Result
    ) throws(DataFolioError) -> Result {
        let outcome: Swift.Result<Result, DataFolioError> = array.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                return .success(try body(raw))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
