#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import DataFolioTable

/// Limits that keep hostile files from demanding huge allocations.
enum ReadLimits {
    /// The largest page (after decompression) the reader accepts.
    static let maximumPageSize = 1 << 28
    /// The largest definition or repetition level supported.
    static let maximumLevel = 255
    /// The largest single buffer decoding may grow: the machine's physical memory. Runs
    /// of nulls or repeated values are cheap to store, so a small (or lying) file can
    /// describe far more data than it holds; past this size reading stops with an error
    /// instead of failing to allocate.
    static let maximumBufferBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 1 << 36 }
        return Int(pages).multipliedReportingOverflow(by: Int(size)).partialValue
    }()

    /// Checks that `count` elements of `stride` bytes may be allocated.
    @inline(__always)
    static func checkAffordable(_ count: Int, stride: Int) throws(DataFolioError) {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: stride)
        guard !overflow, count >= 0, bytes <= maximumBufferBytes else {
            throw DataFolioError(
                .limitExceeded,
                "Parquet: decoding would need a buffer of \(count) × \(stride) bytes, more than this machine's memory. The file is damaged, or too large to read at once: read fewer columns or one row group at a time.")
        }
    }
}

/// Scratch buffers reused across pages and column chunks.
final class DecodeScratch {
    var page: [UInt8] = []
    var chunk: [UInt8] = []
    var definition: [UInt8] = []
    var repetition: [UInt8] = []
    var wide: [UInt32] = []
}

/// Walks the pages of one column chunk and feeds them to a sink.
struct ColumnChunkDecoder {
    let leaf: LeafColumn
    let chunk: ParquetColumnChunk
    let columnName: String
    /// The rows the row group declares; a flat column has exactly one value slot per row.
    let rowCount: Int

    private func corrupt(_ detail: String) -> DataFolioError {
        DataFolioError.corrupt("Parquet", "column '\(columnName)': \(detail)")
    }

    /// Decodes every page in `bytes` (the chunk, page headers included).
    func decode(_ raw: UnsafeRawBufferPointer, plan: LeafPlan, scratch: DecodeScratch) throws(DataFolioError) {
        let sink = plan.sink
        guard PageCompression.canDecompress(chunk.compression) else {
            throw DataFolioError(
                .unsupportedFeature,
                "Parquet: column '\(columnName)' is compressed with \(chunk.compression), which is not supported. Rewrite the file with SNAPPY, GZIP, ZSTD, LZ4_RAW or no compression.")
        }
        guard leaf.maxDefinitionLevel <= ReadLimits.maximumLevel, leaf.maxRepetitionLevel <= ReadLimits.maximumLevel else {
            throw DataFolioError.unsupported("Parquet", "column '\(columnName)' nests too deeply")
        }
        var position = 0
        var valuesSeen: Int64 = 0
        while valuesSeen < chunk.valueCount && position < raw.count {
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[position...]))
            let header = try PageHeader(from: &reader)
            let bodyStart = position + reader.offset
            let bodySize = Int(header.compressedSize)
            guard bodySize <= raw.count - bodyStart else {
                throw DataFolioError.truncated(
                    "Parquet",
                    "column '\(columnName)': a page declares \(bodySize) bytes but the column chunk has \(raw.count - bodyStart) left")
            }
            let body = UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart + bodySize)])
            position = bodyStart + bodySize
            guard Int(header.uncompressedSize) <= ReadLimits.maximumPageSize else {
                throw DataFolioError(
                    .limitExceeded,
                    "Parquet: column '\(columnName)' has a page of \(header.uncompressedSize) bytes; pages over \(ReadLimits.maximumPageSize) bytes are refused.")
            }
            switch header.type {
            case .dictionaryPage:
                guard let dictionary = header.dictionaryPage else {
                    throw corrupt("a dictionary page has no dictionary header")
                }
                guard dictionary.encoding == .plain || dictionary.encoding == .plainDictionary else {
                    throw DataFolioError.unsupported("Parquet", "a dictionary page in the \(dictionary.encoding) encoding")
                }
                try withPage(body, uncompressedSize: Int(header.uncompressedSize), scratch: scratch) {
                    (page) throws(DataFolioError) in
                    try sink.setDictionary(page, count: Int(dictionary.valueCount))
                }
            case .dataPage:
                guard let dataHeader = header.dataPage else { throw corrupt("a data page has no data page header") }
                let count = try checkedCount(Int(dataHeader.valueCount), bodySize: bodySize, seen: valuesSeen)
                try withPage(body, uncompressedSize: Int(header.uncompressedSize), scratch: scratch) {
                    (page) throws(DataFolioError) in
                    var offset = 0
                    if leaf.maxRepetitionLevel > 0 {
                        offset += try decodeLevels(
                            page, encoding: dataHeader.repetitionLevelEncoding, maxLevel: leaf.maxRepetitionLevel,
                            count: count, lengthPrefixed: true, into: &scratch.repetition, scratch: scratch)
                    }
                    if leaf.maxDefinitionLevel > 0 {
                        offset += try decodeLevels(
                            UnsafeRawBufferPointer(rebasing: page[offset...]), encoding: dataHeader.definitionLevelEncoding,
                            maxLevel: leaf.maxDefinitionLevel, count: count, lengthPrefixed: true,
                            into: &scratch.definition, scratch: scratch)
                    }
                    try deliver(
                        UnsafeRawBufferPointer(rebasing: page[offset...]), encoding: dataHeader.encoding, count: count,
                        plan: plan, chunkStart: valuesSeen == 0, scratch: scratch)
                }
                valuesSeen += Int64(count)
            case .dataPageV2:
                guard let v2 = header.dataPageV2 else { throw corrupt("a data page has no version 2 header") }
                let count = try checkedCount(Int(v2.valueCount), bodySize: bodySize, seen: valuesSeen)
                let repetitionLength = Int(v2.repetitionLevelsByteLength)
                let definitionLength = Int(v2.definitionLevelsByteLength)
                guard repetitionLength + definitionLength <= bodySize,
                    repetitionLength + definitionLength <= Int(header.uncompressedSize)
                else {
                    throw corrupt("a version 2 data page declares more level bytes than it holds")
                }
                if leaf.maxRepetitionLevel > 0 {
                    _ = try decodeLevels(
                        UnsafeRawBufferPointer(rebasing: body[0..<repetitionLength]), encoding: .rle,
                        maxLevel: leaf.maxRepetitionLevel, count: count, lengthPrefixed: false,
                        into: &scratch.repetition, scratch: scratch)
                }
                if leaf.maxDefinitionLevel > 0 {
                    _ = try decodeLevels(
                        UnsafeRawBufferPointer(rebasing: body[repetitionLength..<(repetitionLength + definitionLength)]),
                        encoding: .rle, maxLevel: leaf.maxDefinitionLevel, count: count, lengthPrefixed: false,
                        into: &scratch.definition, scratch: scratch)
                }
                let valuesRegion = UnsafeRawBufferPointer(rebasing: body[(repetitionLength + definitionLength)...])
                let valuesSize = Int(header.uncompressedSize) - repetitionLength - definitionLength
                let chunkStart = valuesSeen == 0
                if v2.isCompressed && chunk.compression != .uncompressed {
                    try withPage(valuesRegion, uncompressedSize: valuesSize, scratch: scratch) { (page) throws(DataFolioError) in
                        try deliver(page, encoding: v2.encoding, count: count, plan: plan, chunkStart: chunkStart, scratch: scratch)
                    }
                } else {
                    try deliver(valuesRegion, encoding: v2.encoding, count: count, plan: plan, chunkStart: chunkStart, scratch: scratch)
                }
                valuesSeen += Int64(count)
            default:
                // Index pages and unknown page types carry nothing this reader needs.
                break
            }
        }
        guard valuesSeen == chunk.valueCount else {
            throw DataFolioError.truncated(
                "Parquet", "column '\(columnName)': the chunk declares \(chunk.valueCount) values but its pages hold \(valuesSeen)")
        }
    }

    private func checkedCount(_ count: Int, bodySize: Int, seen: Int64) throws(DataFolioError) -> Int {
        guard count >= 0, Int64(count) <= chunk.valueCount - seen else {
            throw corrupt("a page declares \(count) values but only \(chunk.valueCount - seen) remain in the chunk")
        }
        // A flat column holds one value (or null) per row, so its pages cannot declare
        // more values than the row group has rows.
        if leaf.maxRepetitionLevel == 0 && Int64(count) > Int64(rowCount) - seen {
            throw corrupt("a page declares \(count) values but the row group has only \(Int64(rowCount) - seen) rows left")
        }
        try ReadLimits.checkAffordable(count, stride: 16)
        return count
    }

    /// Calls `body` with the decompressed page: the bytes in the chunk itself when the
    /// chunk is uncompressed, otherwise the scratch page buffer.
    private func withPage(
        _ compressed: UnsafeRawBufferPointer, uncompressedSize: Int, scratch: DecodeScratch,
        _ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        guard uncompressedSize >= 0 else { throw corrupt("a page declares a negative size") }
        // A page of nulls only may carry no value bytes at all, not even a compressed empty block.
        if compressed.isEmpty && uncompressedSize == 0 {
            try body(compressed)
            return
        }
        if chunk.compression == .uncompressed {
            guard compressed.count == uncompressedSize else {
                throw corrupt("an uncompressed page holds \(compressed.count) bytes but declares \(uncompressedSize)")
            }
            try body(compressed)
            return
        }
        var buffer = scratch.page
        scratch.page = []
        defer { scratch.page = buffer }
        try PageCompression.decompress(chunk.compression, compressed, uncompressedSize: uncompressedSize, into: &buffer)
        try buffer.withUnsafeBufferPointer { (whole) throws(DataFolioError) in
            try body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(whole)[0..<uncompressedSize]))
        }
    }

    private func decodeLevels(
        _ bytes: UnsafeRawBufferPointer, encoding: ParquetEncoding, maxLevel: Int, count: Int, lengthPrefixed: Bool,
        into levels: inout [UInt8], scratch: DecodeScratch
    ) throws(DataFolioError) -> Int {
        if levels.count < max(count, 1) { levels = [UInt8](repeating: 0, count: max(count, 1)) }
        let columnName = self.columnName
        return try levels.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            let consumed = try LevelDecoding.decode(
                bytes, encoding: encoding, maxLevel: maxLevel, count: count, lengthPrefixed: lengthPrefixed,
                scratch: &scratch.wide, into: base)
            // The bit width fits levels up to the next power of two minus one; anything
            // above the schema's maximum is damage.
            if maxLevel != (1 << BitPacking.bitWidth(of: UInt64(maxLevel))) - 1 {
                let limit = UInt8(truncatingIfNeeded: maxLevel)
                for i in 0..<count where base[i] > limit {
                    throw DataFolioError.corrupt(
                        "Parquet", "column '\(columnName)': a level of \(base[i]) exceeds the schema's maximum of \(maxLevel)")
                }
            }
            return consumed
        }
    }

    /// Hands one page's values and levels to the leaf's plan.
    private func deliver(
        _ values: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, plan: LeafPlan, chunkStart: Bool,
        scratch: DecodeScratch
    ) throws(DataFolioError) {
        let hasRepetition = leaf.maxRepetitionLevel > 0
        let hasDefinition = leaf.maxDefinitionLevel > 0
        try scratch.repetition.withUnsafeBufferPointer { (repetition) throws(DataFolioError) in
            try scratch.definition.withUnsafeBufferPointer { (definition) throws(DataFolioError) in
                try plan.deliver(
                    values, encoding: encoding, count: count, repetition: hasRepetition ? repetition.baseAddress : nil,
                    definition: hasDefinition ? definition.baseAddress : nil, chunkStart: chunkStart)
            }
        }
    }
}
