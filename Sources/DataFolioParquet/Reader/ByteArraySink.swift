import DataFolioSupport
import DataFolioTable

/// Dense BYTE_ARRAY values of one page: bytes appended to a buffer, plus the end offset
/// of each value.
struct ByteArrayPageDecoder {
    var dictionaryOffsets: [Int64] = [0]
    var dictionaryValues: [UInt8] = []
    var indices: [UInt32] = []
    var hasDictionary = false

    var dictionaryCount: Int { dictionaryOffsets.count - 1 }

    mutating func setDictionary(_ page: UnsafeRawBufferPointer, count: Int) throws(DataFolioError) {
        // Each value needs at least its 4-byte length.
        guard count <= page.count / 4 else {
            throw DataFolioError.truncated("Parquet", "a dictionary page should hold \(count) strings but has only \(page.count) bytes")
        }
        var offsets = [Int64](repeating: 0, count: count + 1)
        var values: [UInt8] = []
        values.reserveCapacity(page.count - 4 * count)
        try offsets.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
            guard let base = buffer.baseAddress else { return }
            try ByteArrayDecoding.decodePlain(page, count: count, values: &values, ends: base + 1)
        }
        dictionaryOffsets = offsets
        dictionaryValues = values
        hasDictionary = true
    }

    /// Appends `count` values to `values`, writing their end offsets to `ends`.
    mutating func decode(
        _ page: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, values: inout [UInt8],
        ends: UnsafeMutablePointer<Int64>
    ) throws(DataFolioError) {
        switch encoding {
        case .plain:
            try ByteArrayDecoding.decodePlain(page, count: count, values: &values, ends: ends)
        case .deltaLengthByteArray:
            try ByteArrayDecoding.decodeDeltaLength(page, count: count, values: &values, ends: ends)
        case .deltaByteArray:
            try ByteArrayDecoding.decodeDelta(page, count: count, values: &values, ends: ends)
        case .plainDictionary, .rleDictionary:
            try FixedWidthDecoding.decodeIndices(page, count: count, dictionaryCount: hasDictionary ? dictionaryCount : 0, into: &indices)
            guard count > 0 else { return }
            // Size the output once, then copy each referenced entry.
            var total = 0
            dictionaryOffsets.withUnsafeBufferPointer { offsets in
                indices.withUnsafeBufferPointer { idx in
                    for i in 0..<count {
                        let k = Int(idx[i])
                        total += Int(offsets[k + 1] - offsets[k])
                    }
                }
            }
            let start = try ByteArrayDecoding.grow(&values, by: total)
            values.withUnsafeMutableBufferPointer { out in
                guard let outBase = out.baseAddress else {
                    for i in 0..<count { ends[i] = Int64(start) }
                    return
                }
                dictionaryValues.withUnsafeBufferPointer { dict in
                    dictionaryOffsets.withUnsafeBufferPointer { offsets in
                        indices.withUnsafeBufferPointer { idx in
                            var position = start
                            let dictBase = dict.baseAddress
                            for i in 0..<count {
                                let k = Int(idx[i])
                                let from = Int(offsets[k])
                                let length = Int(offsets[k + 1]) - from
                                if length > 0, let dictBase {
                                    if length <= 16 {
                                        var j = 0
                                        while j < length {
                                            outBase[position + j] = dictBase[from + j]
                                            j += 1
                                        }
                                    } else {
                                        (outBase + position).update(from: dictBase + from, count: length)
                                    }
                                }
                                position += length
                                ends[i] = Int64(position)
                            }
                        }
                    }
                }
            }
        default:
            throw DataFolioError.unsupported("Parquet", "the \(encoding) encoding for BYTE_ARRAY columns")
        }
    }
}

/// A string, binary or BYTE_ARRAY-decimal column.
final class ByteArraySink: LeafSink {
    let type: ColumnType
    private var offsets: [Int64]
    private var values: [UInt8] = []
    private var ends: [Int64] = []
    private var decoder = ByteArrayPageDecoder()
    private var validity = ValidityBuilder()
    private(set) var slotCount = 0

    init(type: ColumnType, capacity: Int, byteCapacity: Int) {
        self.type = type
        offsets = zeroedArray(Int64.self, count: capacity + 1)
        reserveValues(byteCapacity)
    }

    /// Reserves room for `bytes` bytes of values in one allocation.
    private func reserveValues(_ bytes: Int) {
        guard bytes > values.capacity else { return }
        values.reserveCapacity(bytes)
        let capacity = values.capacity
        values.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress {
                HugePages.advise(UnsafeMutableRawPointer(base), byteCount: capacity)
            }
        }
    }

    /// After a page, extrapolates the bytes still to come from the average so far and
    /// reserves them at once, instead of doubling (and copying) repeatedly.
    private func reserveForRemainingSlots() {
        let expectedSlots = offsets.count - 1
        guard slotCount > 0, expectedSlots > slotCount else { return }
        let average = Double(values.count) / Double(slotCount)
        let projected = Double(values.count) + average * Double(expectedSlots - slotCount) * 1.05
        let target = Int(min(projected, Double(Int.max / 2)))
        if target > values.capacity { reserveValues(target) }
    }

    func setDictionary(_ page: UnsafeRawBufferPointer, count: Int) throws(DataFolioError) {
        try decoder.setDictionary(page, count: count)
    }

    func appendPage(
        _ page: UnsafeRawBufferPointer, encoding: ParquetEncoding, slots: Int, valueCount: Int,
        levels: UnsafePointer<UInt8>?, threshold: UInt8
    ) throws(DataFolioError) {
        try checkPageCounts(slots: slots, valueCount: valueCount, levels: levels)
        try ensureCount(&offsets, slotCount + slots + 1, zero: 0)
        let start = slotCount
        if levels == nil || valueCount == slots {
            // Values land in their slots directly: the ends are the next offsets.
            try offsets.withUnsafeMutableBufferPointer { (out) throws(DataFolioError) in
                guard let base = out.baseAddress else { return }
                try decoder.decode(page, encoding: encoding, count: valueCount, values: &values, ends: base + start + 1)
            }
            validity.appendValid(slots)
        } else if let levels {
            try ensureCount(&ends, max(valueCount, 1), zero: 0)
            try ends.withUnsafeMutableBufferPointer { (endBuffer) throws(DataFolioError) in
                guard let endBase = endBuffer.baseAddress else { return }
                try decoder.decode(page, encoding: encoding, count: valueCount, values: &values, ends: endBase)
                offsets.withUnsafeMutableBufferPointer { out in
                    guard let base = out.baseAddress else { return }
                    var previous = base[start]
                    var k = 0
                    for slot in 0..<slots {
                        if levels[slot] == threshold {
                            previous = endBase[k]
                            k += 1
                        }
                        base[start + slot + 1] = previous
                    }
                }
            }
            validity.append(levels: levels, count: slots, threshold: threshold)
        }
        slotCount += slots
        if values.count > values.capacity / 2 { reserveForRemainingSlots() }
    }

    func finish(name: String) throws(DataFolioError) -> Column {
        if offsets.count > slotCount + 1 { offsets.removeSubrange((slotCount + 1)...) }
        let bitmap = try validity.bitmap()
        let data: ColumnData
        if case .decimal(let precision, _) = type {
            data = try ByteArraySink.decimals(offsets: offsets, values: values, count: slotCount, precision: precision)
        } else {
            data = .bytes(offsets: offsets, values: values)
        }
        offsets = []
        values = []
        return try Column(name: name, type: type, count: slotCount, data: data, validity: bitmap)
    }

    /// Converts big-endian variable-length unscaled integers to 16-byte decimals.
    static func decimals(offsets: [Int64], values: [UInt8], count: Int, precision: Int) throws(DataFolioError) -> ColumnData {
        var out = zeroedArray(UInt8.self, count: count * 16)
        var failure: DataFolioError?
        out.withUnsafeMutableBufferPointer { target in
            values.withUnsafeBufferPointer { source in
                for i in 0..<count {
                    let start = Int(offsets[i])
                    let length = Int(offsets[i + 1]) - start
                    guard length > 0, let base = source.baseAddress, let targetBase = target.baseAddress else { continue }
                    if length > 16 {
                        // Wider values are acceptable only when the extra bytes are sign extension.
                        let fill: UInt8 = base[start] & 0x80 != 0 ? 0xFF : 0
                        for k in 0..<(length - 16) where base[start + k] != fill {
                            failure = DataFolioError.unsupported("Parquet", "a decimal wider than 128 bits (precision \(precision))")
                            return
                        }
                        DecimalBytes.fromBigEndian(base + start + length - 16, length: 16, into: targetBase + i * 16)
                    } else {
                        DecimalBytes.fromBigEndian(base + start, length: length, into: targetBase + i * 16)
                    }
                }
            }
        }
        if let failure { throw failure }
        return .fixedBytes(width: 16, values: out)
    }
}

/// A dictionary-encoded (categorical) string column: every row group's dictionary is
/// merged into one, and indices are remapped to it.
final class DictionarySink: LeafSink {
    let type: ColumnType
    let valueType: ColumnType
    private var indices: [Int32]
    private var globalOffsets: [Int64] = [0]
    private var globalValues: [UInt8] = []
    private var lookup: [[UInt8]: Int32] = [:]
    private var localToGlobal: [Int32] = []
    private var scratchIndices: [UInt32] = []
    private var validity = ValidityBuilder()
    private(set) var slotCount = 0

    init(valueType: ColumnType, ordered: Bool, capacity: Int) {
        self.valueType = valueType
        self.type = .dictionary(valueType, ordered: ordered)
        indices = zeroedArray(Int32.self, count: capacity)
    }

    private func globalIndex(_ bytes: ArraySlice<UInt8>) throws(DataFolioError) -> Int32 {
        let key = Array(bytes)
        if let index = lookup[key] { return index }
        guard globalOffsets.count <= Int(Int32.max) else {
            throw DataFolioError(.limitExceeded, "Parquet: a categorical column has more than \(Int32.max) categories.")
        }
        let index = Int32(globalOffsets.count - 1)
        globalValues.append(contentsOf: key)
        globalOffsets.append(Int64(globalValues.count))
        lookup[key] = index
        return index
    }

    func setDictionary(_ page: UnsafeRawBufferPointer, count: Int) throws(DataFolioError) {
        var decoder = ByteArrayPageDecoder()
        try decoder.setDictionary(page, count: count)
        var mapping = [Int32](repeating: 0, count: count)
        for k in 0..<count {
            let slice = decoder.dictionaryValues[Int(decoder.dictionaryOffsets[k])..<Int(decoder.dictionaryOffsets[k + 1])]
            mapping[k] = try globalIndex(slice)
        }
        localToGlobal = mapping
    }

    func appendPage(
        _ page: UnsafeRawBufferPointer, encoding: ParquetEncoding, slots: Int, valueCount: Int,
        levels: UnsafePointer<UInt8>?, threshold: UInt8
    ) throws(DataFolioError) {
        try checkPageCounts(slots: slots, valueCount: valueCount, levels: levels)
        try ensureCount(&indices, slotCount + slots, zero: 0)
        let start = slotCount
        switch encoding {
        case .plainDictionary, .rleDictionary:
            try FixedWidthDecoding.decodeIndices(page, count: valueCount, dictionaryCount: localToGlobal.count, into: &scratchIndices)
            indices.withUnsafeMutableBufferPointer { out in
                scratchIndices.withUnsafeBufferPointer { local in
                    localToGlobal.withUnsafeBufferPointer { mapping in
                        for i in 0..<valueCount { out[start + i] = mapping[Int(local[i])] }
                    }
                }
            }
        default:
            // A writer fell back to plain values (the dictionary grew too large).
            var decoder = ByteArrayPageDecoder()
            var bytes: [UInt8] = []
            var ends = [Int64](repeating: 0, count: max(valueCount, 1))
            try ends.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
                guard let base = buffer.baseAddress else { return }
                try decoder.decode(page, encoding: encoding, count: valueCount, values: &bytes, ends: base)
            }
            var previous = 0
            for i in 0..<valueCount {
                let end = Int(ends[i])
                indices[start + i] = try globalIndex(bytes[previous..<end])
                previous = end
            }
        }
        if let levels, valueCount < slots {
            indices.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                spreadValues(base + start, slots: slots, valueCount: valueCount, levels: levels, threshold: threshold, zero: 0)
            }
            validity.append(levels: levels, count: slots, threshold: threshold)
        } else {
            validity.appendValid(slots)
        }
        slotCount += slots
    }

    func finish(name: String) throws(DataFolioError) -> Column {
        if indices.count > slotCount { indices.removeSubrange(slotCount...) }
        let dictionary = try Column(
            name: name, type: valueType, count: globalOffsets.count - 1,
            data: .bytes(offsets: globalOffsets, values: globalValues), validity: nil)
        let column = try Column(
            name: name, type: type, count: slotCount, data: .dictionary(indices: indices, dictionary: dictionary),
            validity: try validity.bitmap())
        indices = []
        return column
    }
}
