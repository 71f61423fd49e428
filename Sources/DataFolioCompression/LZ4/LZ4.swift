import DataFolioSupport

/// The LZ4 block format (Parquet's `LZ4_RAW` codec), plus the Hadoop-framed variant
/// behind Parquet's deprecated `LZ4` codec.
///
/// A block does not record its uncompressed size; Parquet stores it in the page header,
/// so the usual call decompresses into a buffer of that size.
///
/// ```swift
/// let packed = LZ4.compress(bytes)
/// var output = [UInt8](repeating: 0, count: bytes.count)
/// let count = try packed.withUnsafeBytes { raw in
///     try output.withUnsafeMutableBytes { try LZ4.decompress(raw, into: $0) }
/// }
/// let again = try LZ4.decompress(packed, maximumOutputSize: 1 << 30)
/// ```
public enum LZ4 {
    static let format = "LZ4"

    /// The largest block ``compress(_:into:)`` can produce for `inputCount` bytes.
    public static func maximumCompressedLength(_ inputCount: Int) -> Int {
        inputCount + inputCount / 255 + 16
    }

    /// Compresses `input` into an LZ4 block.
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](uninitializedCapacity: maximumCompressedLength(input.count)) { buffer, initialized in
            initialized = LZ4Encoder.compress(input, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Compresses `input` into an LZ4 block.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compress($0) }
    }

    /// Compresses `input` into `output`, which must hold at least
    /// ``maximumCompressedLength(_:)`` bytes, and returns the number of bytes written.
    public static func compress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        guard output.count >= maximumCompressedLength(input.count) else {
            throw DataFolioError(
                .invalidArgument,
                "LZ4: the output buffer holds \(output.count) bytes; compressing \(input.count) bytes needs \(maximumCompressedLength(input.count)).")
        }
        return LZ4Encoder.compress(input, into: output)
    }

    /// Decompresses a block into `output` and returns the number of bytes produced.
    /// Producing more than fits is an error.
    /// Bytes of `output` after the returned count may be overwritten (decoders copy in
    /// whole words where there is room).
    public static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        try LZ4Decoder.decompress(input, into: output)
    }

    /// Decompresses a block into a new array.
    ///
    /// The block is scanned first to learn (and check) its decompressed size, so no
    /// memory is allocated on the strength of a lying block.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, maximumOutputSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        let size = try LZ4Decoder.decompressedSize(input)
        guard size <= maximumOutputSize else {
            throw DataFolioError(
                .limitExceeded,
                "LZ4: the block decompresses to \(size) bytes, more than the allowed \(maximumOutputSize). Raise maximumOutputSize if the data is trusted.")
        }
        var failure: DataFolioError?
        let result = [UInt8](uninitializedCapacity: size) { buffer, initialized in
            do throws(DataFolioError) {
                initialized = try LZ4Decoder.decompress(input, into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Decompresses a block into a new array.
    public static func decompress(_ input: [UInt8], maximumOutputSize: Int) throws(DataFolioError) -> [UInt8] {
        try input.withBytesTyped { raw throws(DataFolioError) in try decompress(raw, maximumOutputSize: maximumOutputSize) }
    }

    // MARK: Hadoop framing

    /// Compresses `input` in the Hadoop framing of Parquet's deprecated `LZ4` codec: a
    /// big-endian uncompressed size and compressed size before one LZ4 block.
    public static func compressHadoop(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let block = compress(input)
        var result = [UInt8]()
        result.reserveCapacity(block.count + 8)
        for value in [UInt32(truncatingIfNeeded: input.count), UInt32(block.count)] {
            withUnsafeBytes(of: value.bigEndian) { result += $0 }
        }
        result += block
        return result
    }

    /// Compresses `input` in the Hadoop framing (see the raw-buffer overload).
    public static func compressHadoop(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compressHadoop($0) }
    }

    /// Decompresses data of Parquet's deprecated `LZ4` codec into `output`, returning
    /// the number of bytes produced.
    ///
    /// The data is read as Hadoop frames (big-endian uncompressed and compressed sizes
    /// before each LZ4 block); when it does not fit that framing — some writers put a
    /// bare block under this codec — it is decoded as one raw block instead.
    public static func decompressHadoop(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        if let count = try? decodeHadoopFrames(input, into: output) { return count }
        return try LZ4Decoder.decompress(input, into: output)
    }

    /// Decompresses data of Parquet's deprecated `LZ4` codec into a new array of
    /// `uncompressedSize` bytes (Parquet records the size in the page header).
    public static func decompressHadoop(
        _ input: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        guard uncompressedSize >= 0, uncompressedSize <= max(input.count, 1) * 255 + 64 else {
            throw DataFolioError.corrupt(format, "\(input.count) bytes cannot decompress to \(uncompressedSize) bytes")
        }
        var failure: DataFolioError?
        let result = [UInt8](uninitializedCapacity: uncompressedSize) { buffer, initialized in
            do throws(DataFolioError) {
                let count = try decompressHadoop(input, into: UnsafeMutableRawBufferPointer(buffer))
                guard count == uncompressedSize else {
                    throw DataFolioError.corrupt(format, "the data decompresses to \(count) bytes instead of \(uncompressedSize)")
                }
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Decompresses Hadoop-framed LZ4 data (see the raw-buffer overload).
    public static func decompressHadoop(_ input: [UInt8], uncompressedSize: Int) throws(DataFolioError) -> [UInt8] {
        try input.withBytesTyped { raw throws(DataFolioError) in try decompressHadoop(raw, uncompressedSize: uncompressedSize) }
    }

    private static func decodeHadoopFrames(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        var offset = 0
        var produced = 0
        guard input.count >= 8 else { throw DataFolioError.truncated(format, "no Hadoop frame header") }
        while input.count - offset >= 8 {
            let expectedSize = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let blockSize = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
            offset += 8
            guard blockSize <= input.count - offset, expectedSize <= output.count - produced else {
                throw DataFolioError.corrupt(format, "a Hadoop frame does not fit the data")
            }
            let count = try LZ4Decoder.decompress(
                UnsafeRawBufferPointer(rebasing: input[offset..<(offset + blockSize)]),
                into: UnsafeMutableRawBufferPointer(rebasing: output[produced..<(produced + expectedSize)]))
            guard count == expectedSize else {
                throw DataFolioError.corrupt(format, "a Hadoop frame decompresses to the wrong size")
            }
            offset += blockSize
            produced += count
        }
        guard offset == input.count else { throw DataFolioError.corrupt(format, "bytes follow the last Hadoop frame") }
        return produced
    }
}
