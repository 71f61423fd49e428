import DataFolioCompression
import DataFolioSupport

/// The one place that maps Parquet codecs to the compression library.
enum PageCompression {
    /// Whether pages in `codec` can be read.
    static func canDecompress(_ codec: ParquetCompression) -> Bool {
        switch codec {
        case .uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .lz4: true
        default: false
        }
    }

    /// Whether pages in `codec` can be written.
    static func canCompress(_ codec: ParquetCompression) -> Bool {
        switch codec {
        case .uncompressed, .snappy, .gzip, .zstd, .lz4Raw: true
        default: false
        }
    }

    /// Decompresses a page body into the first `uncompressedSize` bytes of `buffer`
    /// (grown when too small, never shrunk, so one buffer serves every page).
    static func decompress(
        _ codec: ParquetCompression, _ input: UnsafeRawBufferPointer, uncompressedSize: Int, into buffer: inout [UInt8]
    ) throws(DataFolioError) {
        if buffer.count < uncompressedSize {
            buffer = [UInt8](uninitializedCapacity: uncompressedSize) { _, initialized in initialized = uncompressedSize }
        }
        try buffer.withUnsafeMutableBufferPointer { (whole) throws(DataFolioError) in
            let output = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(whole)[0..<uncompressedSize])
            let written: Int
            switch codec {
            case .uncompressed:
                guard input.count == uncompressedSize else {
                    throw DataFolioError.corrupt(
                        "Parquet", "an uncompressed page holds \(input.count) bytes but declares \(uncompressedSize)")
                }
                if let base = input.baseAddress, let target = output.baseAddress, uncompressedSize > 0 {
                    target.copyMemory(from: base, byteCount: uncompressedSize)
                }
                written = uncompressedSize
            case .snappy: written = try Snappy.decompress(input, into: output)
            case .gzip: written = try Gzip.decompress(input, into: output)
            case .zstd: written = try Zstandard.decompress(input, into: output)
            case .lz4Raw: written = try LZ4.decompress(input, into: output)
            case .lz4: written = try LZ4.decompressHadoop(input, into: output)
            default: throw unsupportedCodec(codec)
            }
            guard written == uncompressedSize else {
                throw DataFolioError.corrupt(
                    "Parquet", "a \(codec) page decompresses to \(written) bytes but declares \(uncompressedSize)")
            }
        }
    }

    /// Appends the compressed form of `input` to `output`.
    static func compress(
        _ codec: ParquetCompression, level: Int?, _ input: UnsafeRawBufferPointer, into output: inout [UInt8]
    ) throws(DataFolioError) {
        switch codec {
        case .uncompressed:
            output.append(contentsOf: input)
        case .snappy:
            let start = output.count
            let capacity = Snappy.maximumCompressedLength(input.count)
            output.append(contentsOf: repeatElement(0, count: capacity))
            let written = try output.withMutableRawBytes { (buffer) throws(DataFolioError) -> Int in
                try Snappy.compress(input, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + capacity)]))
            }
            output.removeSubrange((start + written)...)
        case .gzip:
            let level = level.map { CompressionLevel($0) } ?? .default
            output.append(contentsOf: Gzip.compress(input, level: level))
        case .zstd:
            let frame = Zstandard.compress(input, level: level ?? 1)
            // A frame is never empty; an empty result means the compressor is unavailable.
            guard !frame.isEmpty else {
                throw DataFolioError(.unsupportedFeature, "Parquet: Zstandard compression is not available in this build; use .snappy.")
            }
            output.append(contentsOf: frame)
        case .lz4Raw:
            let start = output.count
            let capacity = LZ4.maximumCompressedLength(input.count)
            output.append(contentsOf: repeatElement(0, count: capacity))
            let written = try output.withMutableRawBytes { (buffer) throws(DataFolioError) -> Int in
                try LZ4.compress(input, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + capacity)]))
            }
            output.removeSubrange((start + written)...)
        default:
            throw unsupportedCodec(codec)
        }
    }

    static func unsupportedCodec(_ codec: ParquetCompression) -> DataFolioError {
        DataFolioError(
            .unsupportedFeature,
            "Parquet: the \(codec) compression codec is not supported. Rewrite the file with SNAPPY, GZIP, ZSTD, LZ4_RAW or no compression.")
    }
}
