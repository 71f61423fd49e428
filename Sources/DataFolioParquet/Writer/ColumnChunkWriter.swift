import DataFolioSupport
import DataFolioTable

/// Encodes one leaf of a column for a run of rows as a column chunk: an optional
/// dictionary page, then data pages (version 1, or 2 when the options ask) of about
/// `pageSize` bytes each, split at row boundaries.
struct ColumnChunkWriter {
    let column: WriterColumn
    let leaf: WriterLeaf
    let options: ParquetWriteOptions

    init(column: WriterColumn, leaf: Int, options: ParquetWriteOptions) {
        self.column = column
        self.leaf = column.leaves[leaf]
        self.options = options
    }

    /// Buffers reused from page to page and row group to row group, so that large
    /// writes do not keep mapping fresh memory.
    final class Buffers {
        var page: [UInt8] = []
        var values: [UInt8] = []
        var compressed: [UInt8] = []
        var chunk: [UInt8] = []
        var levels: [UInt32] = []
        var repetition: [UInt32] = []
    }

    /// The entries of one data page.
    private struct PageSpan {
        /// Level entries (rows of a flat column).
        var entries: Range<Int>
        /// The leaf slots the entries cover, in the slice.
        var slots: Range<Int>
        /// Slots holding a value.
        var present: Int
        /// Rows that start in the page.
        var rows: Int
    }

    /// Appends the chunk for `rows` of `data` to `out`; `fileOffset` is where `out`'s
    /// first byte lands in the file.
    func write(
        _ data: Column, rows: Range<Int>, fileOffset: Int64, into out: inout [UInt8], buffers: Buffers
    ) throws(DataFolioError) -> ParquetColumnChunk {
        let chunkStart = out.count
        var chunk = ParquetColumnChunk()
        chunk.hasMetadata = true
        chunk.path = leaf.path
        chunk.physicalType = leaf.physical
        chunk.compression = options.compression

        // The leaf values and, for nested columns, their levels.
        let slice: LeafSlice
        var shredded: ShreddedLeaf?
        if let shape = column.shape {
            let levels = try LevelShredder.shred(data, shape: shape, leaf: leaf, rows: rows, columnName: column.name)
            slice = levels.slice
            shredded = levels
        } else {
            slice = LeafSlice(data: data.data, type: data.type, validity: data.validity, range: rows)
        }

        let dictionary = options.dictionary ? DictionaryEncoder.build(slice, limit: options.dictionaryPageSizeLimit) : nil
        var encodings: [ParquetEncoding] = []
        var uncompressedTotal = 0
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
            uncompressedTotal += try appendPage(header: header, levels: [], body: plain, into: &out, buffers: buffers)
            encodings = [.plain, .rle, .rleDictionary]
        } else {
            encodings = [.plain, .rle]
        }
        let dataPageOffset = fileOffset + Int64(out.count)

        // Pages of roughly `pageSize` encoded bytes; they also stay under 2^24 entries so
        // level counts fit the 32-bit page header fields.
        let entryCount = shredded?.definition.count ?? rows.count
        let bytesPerSlot: Double
        if let dictionary {
            bytesPerSlot = Double(dictionary.bitWidth) / 8
        } else {
            bytesPerSlot = ColumnChunkWriter.estimatedPlainBytes(slice) / Double(max(slice.range.count, 1))
        }
        let slotsPerEntry = Double(max(slice.range.count, 1)) / Double(max(entryCount, 1))
        let entriesPerPage = max(
            1, min(1 << 24, Int(min(Double(options.pageSize) / max(bytesPerSlot * slotsPerEntry, 1.0 / 8), 1e18))))
        let spans = pageSpans(entryCount: entryCount, perPage: entriesPerPage, slice: slice, shredded: shredded)

        var valueIndex = 0   // position in dictionary.indices
        var nullCount: Int64 = 0
        for span in spans {
            var page = buffers.page
            var values = buffers.values
            buffers.page = []
            buffers.values = []
            page.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            defer {
                buffers.page = page
                buffers.values = values
            }
            // Levels: into `page` (length-prefixed for version 1).
            let v2 = options.dataPageVersion == .v2
            var repetitionLength = 0
            if let shredded, leaf.maxRepetitionLevel > 0 {
                repetitionLength = appendLevels(
                    shredded.repetition, span.entries, maxLevel: leaf.maxRepetitionLevel, prefixed: !v2, into: &page,
                    buffers: buffers)
            }
            if let shredded {
                _ = appendLevels(
                    shredded.definition, span.entries, maxLevel: leaf.maxDefinitionLevel, prefixed: !v2, into: &page,
                    buffers: buffers)
            } else {
                appendFlatDefinitionLevels(slice: slice, slots: span.slots, present: span.present, prefixed: !v2, into: &page, buffers: buffers)
            }
            let levelBytes = page.count
            // Values: after the levels in version 1 pages, compressed on their own in version 2.
            let encoding: ParquetEncoding = dictionary == nil ? .plain : .rleDictionary
            func encodeValues(into target: inout [UInt8]) throws(DataFolioError) {
                if let dictionary {
                    target.append(UInt8(dictionary.bitWidth))
                    dictionary.indices.withUnsafeBufferPointer { indices in
                        RLEHybridEncoder.encode(
                            UnsafeBufferPointer(rebasing: indices[valueIndex..<(valueIndex + span.present)]),
                            bitWidth: dictionary.bitWidth, into: &target)
                    }
                } else {
                    try PlainEncoder.encode(slice, range: span.slots, into: &target)
                }
            }
            if v2 { try encodeValues(into: &values) } else { try encodeValues(into: &page) }
            guard span.entries.count <= Int(Int32.max) else {
                throw DataFolioError(
                    .limitExceeded, "Parquet: a page of column '\(column.name)' would hold \(span.entries.count) entries; lower pageSize.")
            }
            valueIndex += span.present
            let nulls = span.entries.count - span.present
            nullCount += Int64(nulls)

            var header = PageHeader()
            if v2 {
                header.type = .dataPageV2
                var dataHeader = DataPageHeaderV2()
                dataHeader.valueCount = Int32(span.entries.count)
                dataHeader.nullCount = Int32(nulls)
                dataHeader.rowCount = Int32(span.rows)
                dataHeader.encoding = encoding
                dataHeader.repetitionLevelsByteLength = Int32(repetitionLength)
                dataHeader.definitionLevelsByteLength = Int32(levelBytes - repetitionLength)
                dataHeader.isCompressed = options.compression != .uncompressed
                header.dataPageV2 = dataHeader
                uncompressedTotal += try appendPage(header: header, levels: page, body: values, into: &out, buffers: buffers)
            } else {
                header.type = .dataPage
                var dataHeader = DataPageHeader()
                dataHeader.valueCount = Int32(span.entries.count)
                dataHeader.encoding = encoding
                dataHeader.definitionLevelEncoding = .rle
                dataHeader.repetitionLevelEncoding = .rle
                header.dataPage = dataHeader
                uncompressedTotal += try appendPage(header: header, levels: [], body: page, into: &out, buffers: buffers)
            }
        }

        chunk.encodings = encodings
        chunk.valueCount = Int64(entryCount)
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

    /// Splits the entries into pages of about `perPage` entries; nested pages end only
    /// where a row starts, so no row spans two pages.
    private func pageSpans(entryCount: Int, perPage: Int, slice: LeafSlice, shredded: ShreddedLeaf?) -> [PageSpan] {
        guard let shredded else {
            var spans: [PageSpan] = []
            var start = 0
            repeat {
                let end = min(entryCount, start + perPage)
                let slots = (slice.range.lowerBound + start)..<(slice.range.lowerBound + end)
                spans.append(PageSpan(entries: start..<end, slots: slots, present: slice.validCount(in: slots), rows: end - start))
                start = end
            } while start < entryCount
            return spans
        }
        var spans: [PageSpan] = []
        let slotLevel = UInt8(truncatingIfNeeded: shredded.slotDefinition)
        let full = UInt8(truncatingIfNeeded: leaf.maxDefinitionLevel)
        let hasRepetition = !shredded.repetition.isEmpty
        shredded.definition.withUnsafeBufferPointer { definition in
            shredded.repetition.withUnsafeBufferPointer { repetition in
                var start = 0
                var slot = slice.range.lowerBound
                var present = 0
                var slots = 0
                var rows = 0
                var k = 0
                while k < entryCount {
                    if k - start >= perPage && (!hasRepetition || repetition[k] == 0) {
                        spans.append(PageSpan(entries: start..<k, slots: slot..<(slot + slots), present: present, rows: rows))
                        slot += slots
                        start = k
                        present = 0
                        slots = 0
                        rows = 0
                    }
                    let d = definition[k]
                    if d >= slotLevel { slots += 1 }
                    if d == full { present += 1 }
                    if !hasRepetition || repetition[k] == 0 { rows += 1 }
                    k += 1
                }
                spans.append(PageSpan(entries: start..<entryCount, slots: slot..<(slot + slots), present: present, rows: rows))
            }
        }
        return spans
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
        case .list, .struct: return n * 8
        }
    }

    /// Compresses `body`, appends header, `levels` (uncompressed, for version 2 pages) and
    /// body to `out`, and returns the page's uncompressed size including its header.
    private func appendPage(
        header: PageHeader, levels: [UInt8], body: [UInt8], into out: inout [UInt8], buffers: Buffers
    ) throws(DataFolioError) -> Int {
        guard body.count + levels.count <= Int(Int32.max) else {
            throw DataFolioError(.limitExceeded, "Parquet: a page of column '\(column.name)' exceeds 2 GiB; lower pageSize.")
        }
        var header = header
        header.uncompressedSize = Int32(levels.count + body.count)
        if options.compression == .uncompressed {
            header.compressedSize = Int32(levels.count + body.count)
            let headerBytes = header.serialized()
            out.append(contentsOf: headerBytes)
            out.append(contentsOf: levels)
            out.append(contentsOf: body)
            return headerBytes.count + levels.count + body.count
        }
        var compressed = buffers.compressed
        buffers.compressed = []
        defer { buffers.compressed = compressed }
        compressed.removeAll(keepingCapacity: true)
        try body.withRawBytes { (raw) throws(DataFolioError) in
            try PageCompression.compress(options.compression, level: options.compressionLevel, raw, into: &compressed)
        }
        header.compressedSize = Int32(levels.count + compressed.count)
        let headerBytes = header.serialized()
        out.append(contentsOf: headerBytes)
        out.append(contentsOf: levels)
        out.append(contentsOf: compressed)
        return headerBytes.count + levels.count + body.count
    }

    /// Definition levels of a flat optional column: 1 for values, 0 for nulls, with the
    /// 4-byte length prefix of data pages v1 when `prefixed`.
    private func appendFlatDefinitionLevels(
        slice: LeafSlice, slots: Range<Int>, present: Int, prefixed: Bool, into page: inout [UInt8], buffers: Buffers
    ) {
        let lengthAt = prefixed ? appendZeros(&page, 4) : -1
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
        if prefixed { patchLength(&page, at: lengthAt) }
    }

    /// Appends the RLE encoding of `levels[entries]` (length-prefixed when `prefixed`) and
    /// returns the bytes appended.
    private func appendLevels(
        _ levels: [UInt8], _ entries: Range<Int>, maxLevel: Int, prefixed: Bool, into page: inout [UInt8], buffers: Buffers
    ) -> Int {
        let start = page.count
        let lengthAt = prefixed ? appendZeros(&page, 4) : -1
        var wide = buffers.levels
        buffers.levels = []
        wide.removeAll(keepingCapacity: true)
        wide.reserveCapacity(entries.count)
        levels.withUnsafeBufferPointer { source in
            for k in entries { wide.append(UInt32(source[k])) }
        }
        wide.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: BitPacking.bitWidth(of: UInt64(maxLevel)), into: &page) }
        buffers.levels = wide
        if prefixed { patchLength(&page, at: lengthAt) }
        return page.count - start
    }

    private func patchLength(_ page: inout [UInt8], at position: Int) {
        let length = UInt32(truncatingIfNeeded: page.count - position - 4)
        page[position] = UInt8(truncatingIfNeeded: length)
        page[position + 1] = UInt8(truncatingIfNeeded: length >> 8)
        page[position + 2] = UInt8(truncatingIfNeeded: length >> 16)
        page[position + 3] = UInt8(truncatingIfNeeded: length >> 24)
    }
}
