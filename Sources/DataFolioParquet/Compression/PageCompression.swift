import DataFolioCompression
import DataFolioSupport

/// The one place that maps Parquet codecs to the compression library.
enum PageCompression {
    /// Whether pages in `codec` can be read.
    static func canDecompress(_ codec: ParquetCompression) -> Bool {
        codec == .uncompressed
    }

    /// Whether pages in `codec` can be written.
    static func canCompress(_ codec: ParquetCompression) -> Bool {
        codec == .uncompressed
    }

    /// Decompresses a page body into exactly `uncompressedSize` bytes.
    static func decompress(
        _ codec: ParquetCompression, _ input: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(DataFolioError) -> [UInt8] {
        switch codec {
        case .uncompressed:
            guard input.count == uncompressedSize else {
                throw DataFolioError.corrupt(
                    "Parquet", "an uncompressed page holds \(input.count) bytes but declares \(uncompressedSize)")
            }
            return [UInt8](input)
        default:
            throw unsupportedCodec(codec)
        }
    }

    /// Appends the compressed form of `input` to `output`.
    static func compress(
        _ codec: ParquetCompression, _ input: UnsafeRawBufferPointer, into output: inout [UInt8]
    ) throws(DataFolioError) {
        switch codec {
        case .uncompressed:
            output.append(contentsOf: input)
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
