import DataFolioSupport
import DataFolioTable

/// Encodes one column for a run of rows as a column chunk: an optional dictionary page,
/// then DATA_PAGE v1 pages of about `pageSize` bytes.
struct ColumnChunkWriter {
    let column: WriterColumn
    let options: ParquetWriteOptions

    /// Buffers reused from page to page and row group to row group, so that large
    /// writes do not keep mapping fresh memory.
    final class Buffers {
        var page: [UInt8] = []
        var compressed: [UInt8] = []
        var chunk: [UInt8] = []
        var levels: [UInt32] = []
        var repetition: [UInt32] = []
    }

    /// Appends the chunk for `rows` of `data` to `out`; `fileOffset` is where `out`'s
    /// first byte lands in the file.
    func write(
        _ data: Column, rows: Range<Int>, fileOffset: Int64, into out: inout [UInt8], buffers: Buffers
    ) throws(DataFolioError) -> ParquetColumnChunk {
        let chunkStart = out.count
        var chunk = ParquetColumnChunk()
        chunk.hasMetadata = true
        chunk.path = column.path
        chunk.physicalType = column.physical
        chunk.compression = options.compression

        // The leaf values and, for lists, the row → slot mapping.
        let slice: LeafSlice
        var listOffsets: [Int64] = []
        var listValidity: Bitmap?
        if column.isList {
            guard case .list(let offsets, let values) = data.data else {
                throw DataFolioError(.invalidArgument, "Column '\(data.name)' is not a list column.")
            }
            listOffsets = offsets
            listValidity = data.validity
            let slots = Int(offsets[rows.lowerBound])..<Int(offsets[rows.upperBound])
            slice = LeafSlice(data: values.data, type: values.type, validity: values.validity, range: slots)
        } else {
            slice = LeafSlice(data: data.data, type: data.type, validity: data.validity, range: rows)
        }

        let dictionary = options.dictionary ? DictionaryEncoder.build(slice, limit: options.dictionaryPageSizeLimit) : nil
        var encodings: [ParquetEncoding] = []
        var uncompressedTotal = 0
        var dataPageOffset: Int64 = 0
        if let dictionary {
            var plain: [UInt8] = []
            let dictSlice = LeafSlice(data: dictionary.values, type: slice.type, validity: nil, range: 0..<dictionary.count)
            try PlainEncoder.encode(dictSlice, range: dictSlice.range, into: &plain)
            var header = PageHeader()
            header.type = .dictionaryPage
            var dictHeader = DictionaryPageHeader()
            dictHeader.valueCount = Int32(dictionary.count)
            dictHeader.encoding = .plain
            header.dictionaryPage = dictHeader
            chunk.dictionaryPageOffset = fileOffset + Int64(out.count)
            uncompressedTotal += try appendPage(header: header, body: plain, into: &out, buffers: buffers)
            encodings = [.plain, .rle, .rleDictionary]
        } else {
            encodings = [.plain, .rle]
        }
        dataPageOffset = fileOffset + Int64(out.count)

        // Split rows into pages of roughly `pageSize` encoded bytes.
        let slotCount = max(slice.range.count, 1)
        let bytesPerSlot: Double
        if let dictionary {
            bytesPerSlot = Double(dictionary.bitWidth) / 8
        } else {
            bytesPerSlot = ColumnChunkWriter.estimatedPlainBytes(slice) / Double(slotCount)
        }
        let slotsPerRow = column.isList ? Double(max(slice.range.count, 1)) / Double(max(rows.count, 1)) : 1
        // Pages also stay under 2^24 rows so level counts fit the 32-bit page header fields.
        let rowsPerPage = max(1, min(1 << 24, Int(min(Double(options.pageSize) / max(bytesPerSlot * slotsPerRow, 1.0 / 8), 1e18))))

        var valueIndex = 0   // position in dictionary.indices
        var nullCount: Int64 = 0
        var levelCount: Int64 = 0
        var pageStart = rows.lowerBound
        repeat {
            let pageEnd = min(rows.upperBound, pageStart + rowsPerPage)
            let slots = column.isList
                ? Int(listOffsets[pageStart])..<Int(listOffsets[pageEnd])
                : pageStart..<pageEnd
            var page = buffers.page
            buffers.page = []
            page.removeAll(keepingCapacity: true)
            // Levels.
            let entries: Int
            let present = slice.validCount(in: slots)
            if column.isList {
                entries = try appendListLevels(
                    rows: pageStart..<pageEnd, offsets: listOffsets, listValidity: listValidity, slice: slice,
                    into: &page, buffers: buffers)
            } else {
                entries = slots.count
                appendDefinitionLevels(slice: slice, slots: slots, present: present, into: &page, buffers: buffers)
            }
            // Values.
            let encoding: ParquetEncoding
            if let dictionary {
                encoding = .rleDictionary
                page.append(UInt8(dictionary.bitWidth))
                dictionary.indices.withUnsafeBufferPointer { indices in
                    RLEHybridEncoder.encode(
                        UnsafeBufferPointer(rebasing: indices[valueIndex..<(valueIndex + present)]), bitWidth: dictionary.bitWidth,
                        into: &page)
                }
            } else {
                encoding = .plain
                try PlainEncoder.encode(slice, range: slots, into: &page)
            }
            guard entries <= Int(Int32.max) else {
                throw DataFolioError(
                    .limitExceeded, "Parquet: a page of column '\(column.name)' would hold \(entries) list entries; lower pageSize.")
            }
            valueIndex += present
            nullCount += Int64(entries - present)
            levelCount += Int64(entries)

            var header = PageHeader()
            header.type = .dataPage
            var dataHeader = DataPageHeader()
            dataHeader.valueCount = Int32(entries)
            dataHeader.encoding = encoding
            dataHeader.definitionLevelEncoding = .rle
            dataHeader.repetitionLevelEncoding = .rle
            header.dataPage = dataHeader
            uncompressedTotal += try appendPage(header: header, body: page, into: &out, buffers: buffers)
            buffers.page = page
            pageStart = pageEnd
        } while pageStart < rows.upperBound

        chunk.encodings = encodings
        chunk.valueCount = levelCount
        chunk.dataPageOffset = dataPageOffset
        chunk.compressedSize = Int64(out.count - chunkStart)
        chunk.uncompressedSize = Int64(uncompressedTotal)
        var statistics = ParquetStatistics(nullCount: nullCount)
        if options.statistics {
            let range: (min: [UInt8], max: [UInt8])?
            if let dictionary {
                range = StatisticsBuilder.minMax(
                    LeafSlice(data: dictionary.values, type: slice.type, validity: nil, range: 0..<dictionary.count))
            } else {
                range = StatisticsBuilder.minMax(slice)
            }
            if let range {
                statistics.minimum = range.min
                statistics.maximum = range.max
            }
        }
        chunk.statistics = statistics
        return chunk
    }

    /// A rough PLAIN size of the slice, to size pages.
    static func estimatedPlainBytes(_ slice: LeafSlice) -> Double {
        let n = Double(slice.range.count)
        switch slice.data {
        case .bool: return n / 8
        case .int8, .int16, .int32, .uint8, .uint16, .uint32, .float32: return n * 4
        case .int64, .uint64, .float64: return n * 8
        case .float16: return n * 2
        case .bytes(let offsets, _):
            guard !slice.range.isEmpty else { return 0 }
            return Double(offsets[slice.range.upperBound] - offsets[slice.range.lowerBound]) + 4 * n
        case .fixedBytes(let width, _): return n * Double(width)
        case .dictionary(_, let dictionary):
            if case .bytes(let offsets, _) = dictionary.data, dictionary.count > 0 {
                return n * (Double(offsets.last ?? 0) / Double(dictionary.count) + 4)
            }
            return n * 8
        case .list: return n * 8
        }
    }

    /// Compresses `body`, appends header and body to `out`, and returns the page's
    /// uncompressed size including its header.
    private func appendPage(
        header: PageHeader, body: [UInt8], into out: inout [UInt8], buffers: Buffers
    ) throws(DataFolioError) -> Int {
        guard body.count <= Int(Int32.max) else {
            throw DataFolioError(.limitExceeded, "Parquet: a page of column '\(column.name)' exceeds 2 GiB; lower pageSize.")
        }
        var header = header
        header.uncompressedSize = Int32(body.count)
        if options.compression == .uncompressed {
            header.compressedSize = Int32(body.count)
            let headerBytes = header.serialized()
            out.append(contentsOf: headerBytes)
            out.append(contentsOf: body)
            return headerBytes.count + body.count
        }
        var compressed = buffers.compressed
        buffers.compressed = []
        defer { buffers.compressed = compressed }
        compressed.removeAll(keepingCapacity: true)
        try body.withRawBytes { (raw) throws(DataFolioError) in
            try PageCompression.compress(options.compression, level: options.compressionLevel, raw, into: &compressed)
        }
        header.compressedSize = Int32(compressed.count)
        let headerBytes = header.serialized()
        out.append(contentsOf: headerBytes)
        out.append(contentsOf: compressed)
        return headerBytes.count + body.count
    }

    /// Definition levels of a flat optional column: 1 for values, 0 for nulls, with the
    /// 4-byte length prefix of data pages v1.
    private func appendDefinitionLevels(
        slice: LeafSlice, slots: Range<Int>, present: Int, into page: inout [UInt8], buffers: Buffers
    ) {
        let lengthAt = appendZeros(&page, 4)
        if present == slots.count {
            RLEHybridEncoder.appendRepeat(1, count: slots.count, bitWidth: 1, into: &page)
        } else {
            var levels = buffers.levels
            buffers.levels = []
            levels.removeAll(keepingCapacity: true)
            levels.reserveCapacity(slots.count)
            for i in slots { levels.append(slice.isValid(i) ? 1 : 0) }
            levels.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 1, into: &page) }
            buffers.levels = levels
        }
        patchLength(&page, at: lengthAt)
    }

    /// Repetition and definition levels of a list column (3-level layout: list null → 0,
    /// empty → 1, element null → 2, element → 3).
    private func appendListLevels(
        rows: Range<Int>, offsets: [Int64], listValidity: Bitmap?, slice: LeafSlice, into page: inout [UInt8],
        buffers: Buffers
    ) throws(DataFolioError) -> Int {
        var repetition = buffers.repetition
        var definition = buffers.levels
        buffers.repetition = []
        buffers.levels = []
        repetition.removeAll(keepingCapacity: true)
        definition.removeAll(keepingCapacity: true)
        for row in rows {
            if let listValidity, !listValidity[row] {
                repetition.append(0)
                definition.append(0)
                continue
            }
            let start = Int(offsets[row])
            let end = Int(offsets[row + 1])
            if start == end {
                repetition.append(0)
                definition.append(1)
                continue
            }
            for slot in start..<end {
                repetition.append(slot == start ? 0 : 1)
                definition.append(slice.isValid(slot) ? 3 : 2)
            }
        }
        var at = appendZeros(&page, 4)
        repetition.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 1, into: &page) }
        patchLength(&page, at: at)
        at = appendZeros(&page, 4)
        definition.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 2, into: &page) }
        patchLength(&page, at: at)
        buffers.repetition = repetition
        buffers.levels = definition
        return definition.count
    }

    private func patchLength(_ page: inout [UInt8], at position: Int) {
        let length = UInt32(truncatingIfNeeded: page.count - position - 4)
        page[position] = UInt8(truncatingIfNeeded: length)
        page[position + 1] = UInt8(truncatingIfNeeded: length >> 8)
        page[position + 2] = UInt8(truncatingIfNeeded: length >> 16)
        page[position + 3] = UInt8(truncatingIfNeeded: length >> 24)
    }
}
