import DataFolioSupport

/// The Snappy raw block format (no framing) — Parquet's `SNAPPY` codec.
///
/// A block is the uncompressed length as a varint followed by literal and copy
/// elements. Decompression checks every length and offset, so hostile input throws
/// instead of reading or writing out of bounds.
///
/// ```swift
/// let packed = Snappy.compress(bytes)
/// let size = try Snappy.uncompressedLength(of: packed)
/// let unpacked = try Snappy.decompress(packed, maximumOutputSize: 1 << 30)
/// ```
public enum Snappy {
    static let format = "Snappy"

    /// The largest block ``compress(_:into:)`` can produce for `inputCount` bytes.
    public static func maximumCompressedLength(_ inputCount: Int) -> Int {
        32 + inputCount + inputCount / 6
    }

    /// Compresses `input` into a Snappy block. The format limits blocks to less than
    /// 4 GiB of input; larger input is a programming error.
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(input.count <= Int(UInt32.max), "Snappy blocks hold less than 4 GiB")
        return [UInt8](uninitializedCapacity: maximumCompressedLength(input.count)) { buffer, initialized in
            initialized = SnappyEncoder.compress(input, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Compresses `input` into a Snappy block.
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
                "Snappy: the output buffer holds \(output.count) bytes; compressing \(input.count) bytes needs \(maximumCompressedLength(input.count)).")
        }
        guard input.count <= Int(UInt32.max) else {
            throw DataFolioError(.invalidArgument, "Snappy: a block holds less than 4 GiB; split the input.")
        }
        return SnappyEncoder.compress(input, into: output)
    }

    /// The uncompressed length a block declares in its header.
    public static func uncompressedLength(of input: UnsafeRawBufferPointer) throws(DataFolioError) -> Int {
        try readHeader(input).length
    }

    /// The uncompressed length a block declares in its header.
    public static func uncompressedLength(of input: [UInt8]) throws(DataFolioError) -> Int {
        try input.withBytesTyped { raw throws(DataFolioError) in try uncompressedLength(of: raw) }
    }

    /// Decompresses a block into `output`, which must be at least as large as the
    /// declared length; returns that length. The block must fill it exactly.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) -> Int {
        let (length, start) = try readHeader(input)
        guard length <= output.count else {
            throw DataFolioError(
                .invalidArgument,
                "Snappy: the block holds \(length) bytes but the output buffer only \(output.count).")
        }
        try SnappyDecoder.decompress(
            UnsafeRawBufferPointer(rebasing: input[start...]),
            into: UnsafeMutableRawBufferPointer(rebasing: output[0..<length]))
        return length
    }

    /// Decompresses a block into a new array.
    ///
    /// - Parameter maximumOutputSize: refuse blocks that declare more bytes than this.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, maximumOutputSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        let (length, start) = try readHeader(input)
        guard length <= maximumOutputSize else {
            throw DataFolioError(
                .limitExceeded,
                "Snappy: the block declares \(length) bytes, more than the allowed \(maximumOutputSize). Raise maximumOutputSize if the data is trusted.")
        }
        // No element yields more than 64 bytes from 3 input bytes (a 2-byte-offset copy),
        // which bounds what a lying header can make us allocate.
        guard length <= (input.count - start) * 22 else {
            throw DataFolioError.corrupt(format, "the block declares \(length) bytes, more than its size allows")
        }
        var failure: DataFolioError?
        let result = [UInt8](uninitializedCapacity: length) { buffer, initialized in
            do throws(DataFolioError) {
                try SnappyDecoder.decompress(
                    UnsafeRawBufferPointer(rebasing: input[start...]), into: UnsafeMutableRawBufferPointer(buffer))
                initialized = length
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

    private static func readHeader(_ input: UnsafeRawBufferPointer) throws(DataFolioError) -> (length: Int, start: Int) {
        var value: UInt64 = 0
        var index = 0
        while true {
            guard index < input.count else {
                throw DataFolioError.truncated(format, "the block ends inside its length header")
            }
            let byte = input[index]
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            index += 1
            if byte & 0x80 == 0 { break }
            guard index < 5 else { throw DataFolioError.corrupt(format, "the length header is longer than 5 bytes") }
        }
        guard value <= UInt64(UInt32.max) else {
            throw DataFolioError.corrupt(format, "the declared length exceeds 4 GiB")
        }
        return (Int(value), index)
    }
}
