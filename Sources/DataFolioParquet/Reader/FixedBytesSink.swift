import DataFolioSupport
import DataFolioTable

/// How fixed-width physical values become the stored bytes of a column.
enum FixedBytesConversion {
    /// Stored as is (fixed-size binary, UUID, float16 bits).
    case identity
    /// Big-endian two's complement of the physical width → 16-byte little-endian decimal.
    case decimalFromBigEndian
    /// Little-endian INT32/INT64 unscaled value → 16-byte little-endian decimal.
    case decimalFromLittleEndian
    /// INT96 (nanoseconds of day + Julian day) → Int64 nanoseconds since the epoch.
    case int96Nanoseconds
}

/// A column read from FIXED_LEN_BYTE_ARRAY, INT96, or decimals stored in INT32/INT64.
final class FixedBytesSink: LeafSink {
    let type: ColumnType
    let physical: ParquetPhysicalType
    let physicalWidth: Int
    let outputWidth: Int
    let conversion: FixedBytesConversion
    private var storage: [UInt8]
    private var dictionary: [UInt8] = []
    private var dictionaryCount = 0
    private var scratch: [UInt8] = []
    private var indices: [UInt32] = []
    private var validity = ValidityBuilder()
    private(set) var slotCount = 0

    init(type: ColumnType, physical: ParquetPhysicalType, physicalWidth: Int, conversion: FixedBytesConversion, capacity: Int) {
        self.type = type
        self.physical = physical
        self.physicalWidth = physicalWidth
        self.conversion = conversion
        switch conversion {
        case .identity: outputWidth = physicalWidth
        case .decimalFromBigEndian, .decimalFromLittleEndian: outputWidth = 16
        case .int96Nanoseconds: outputWidth = 8
        }
        storage = zeroedArray(UInt8.self, count: capacity * outputWidth)
    }

    func setDictionary(_ page: UnsafeRawBufferPointer, count: Int) throws(DataFolioError) {
        guard physicalWidth > 0, count <= page.count / physicalWidth else {
            throw DataFolioError.truncated("Parquet", "a dictionary page should hold \(count) values of \(physicalWidth) bytes but has \(page.count) bytes")
        }
        dictionary = zeroedArray(UInt8.self, count: count * physicalWidth)
        try dictionary.withMutableRawBytes { (buffer) throws(DataFolioError) in
            guard let base = buffer.baseAddress else { return }
            try FixedWidthDecoding.decodePlain(page, count: count, width: physicalWidth, into: base)
        }
        dictionaryCount = count
    }

    /// Decodes `count` dense physical values into `destination` (`count * physicalWidth` bytes).
    private func decodeDense(
        _ page: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, into destination: UnsafeMutableRawPointer
    ) throws(DataFolioError) {
        switch encoding {
        case .plain:
            try FixedWidthDecoding.decodePlain(page, count: count, width: physicalWidth, into: destination)
        case .plainDictionary, .rleDictionary:
            let width = physicalWidth
            let dictionaryCount = self.dictionaryCount
            try dictionary.withRawBytes { (dict) throws(DataFolioError) in
                try FixedWidthDecoding.decodeDictionary(
                    page, count: count, width: width, dictionary: dict, dictionaryCount: dictionaryCount,
                    indices: &indices, into: destination)
            }
        case .byteStreamSplit:
            try FixedWidthDecoding.decodeByteStreamSplit(page, count: count, width: physicalWidth, into: destination)
        case .deltaBinaryPacked where physical == .int32:
            try destination.withMemoryRebound(to: Int32.self, capacity: count) { (pointer) throws(DataFolioError) in
                try DeltaBinaryPacked.decode32(page, count: count, into: pointer)
            }
        case .deltaBinaryPacked where physical == .int64:
            try destination.withMemoryRebound(to: Int64.self, capacity: count) { (pointer) throws(DataFolioError) in
                try DeltaBinaryPacked.decode64(page, count: count, into: pointer)
            }
        case .deltaByteArray where physical == .fixedLenByteArray, .deltaLengthByteArray where physical == .fixedLenByteArray:
            var bytes: [UInt8] = []
            var ends = [Int64](repeating: 0, count: max(count, 1))
            try ends.withUnsafeMutableBufferPointer { (endBuffer) throws(DataFolioError) in
                guard let endBase = endBuffer.baseAddress else { return }
                if encoding == .deltaByteArray {
                    try ByteArrayDecoding.decodeDelta(page, count: count, values: &bytes, ends: endBase)
                } else {
                    try ByteArrayDecoding.decodeDeltaLength(page, count: count, values: &bytes, ends: endBase)
                }
            }
            var previous: Int64 = 0
            for i in 0..<count {
                guard ends[i] - previous == Int64(physicalWidth) else {
                    throw DataFolioError.corrupt(
                        "Parquet", "a FIXED_LEN_BYTE_ARRAY(\(physicalWidth)) value has \(ends[i] - previous) bytes")
                }
                previous = ends[i]
            }
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress, !raw.isEmpty { destination.copyMemory(from: base, byteCount: raw.count) }
            }
        default:
            throw DataFolioError.unsupported("Parquet", "the \(encoding) encoding for \(physical) columns")
        }
    }

    func appendPage(
        _ values: UnsafeRawBufferPointer, encoding: ParquetEncoding, slots: Int, valueCount: Int,
        levels: UnsafePointer<UInt8>?, threshold: UInt8
    ) throws(DataFolioError) {
        try checkPageCounts(slots: slots, valueCount: valueCount, levels: levels)
        try ReadLimits.checkAffordable(slotCount + slots, stride: outputWidth)
        try ensureCount(&storage, (slotCount + slots) * outputWidth, zero: 0)
        let start = slotCount * outputWidth
        let width = outputWidth
        if conversion == .identity {
            try storage.withMutableRawBytes { (out) throws(DataFolioError) in
                guard let base = out.baseAddress else { return }
                try decodeDense(values, encoding: encoding, count: valueCount, into: base + start)
            }
        } else {
            try ReadLimits.checkAffordable(max(valueCount, 1), stride: physicalWidth)
            try ensureCount(&scratch, max(valueCount, 1) * physicalWidth, zero: 0)
            let conversion = self.conversion
            let physicalWidth = self.physicalWidth
            try scratch.withMutableRawBytes { (dense) throws(DataFolioError) in
                guard let denseBase = dense.baseAddress else { return }
                try decodeDense(values, encoding: encoding, count: valueCount, into: denseBase)
                storage.withUnsafeMutableBytes { out in
                    guard let outBase = out.baseAddress else { return }
                    FixedBytesSink.convert(
                        UnsafeRawPointer(denseBase), count: valueCount, from: physicalWidth, conversion: conversion,
                        into: outBase + start)
                }
            }
        }
        if let levels, valueCount < slots {
            storage.withUnsafeMutableBytes { out in
                guard let base = out.baseAddress else { return }
                let region = base + start
                var source = valueCount - 1
                var slot = slots - 1
                while slot >= 0 {
                    if levels[slot] == threshold {
                        if source != slot {
                            (region + slot * width).copyMemory(from: region + source * width, byteCount: width)
                        }
                        source -= 1
                    } else {
                        (region + slot * width).initializeMemory(as: UInt8.self, repeating: 0, count: width)
                    }
                    slot -= 1
                }
            }
            validity.append(levels: levels, count: slots, threshold: threshold)
        } else {
            validity.appendValid(slots)
        }
        slotCount += slots
    }

    static func convert(
        _ source: UnsafeRawPointer, count: Int, from width: Int, conversion: FixedBytesConversion,
        into destination: UnsafeMutableRawPointer
    ) {
        switch conversion {
        case .identity:
            destination.copyMemory(from: source, byteCount: count * width)
        case .int96Nanoseconds:
            FixedWidthDecoding.int96ToNanoseconds(source, count: count, into: destination.assumingMemoryBound(to: Int64.self))
        case .decimalFromBigEndian:
            let out = destination.assumingMemoryBound(to: UInt8.self)
            let input = source.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count {
                DecimalBytes.fromBigEndian(input + i * width, length: width, into: out + i * 16)
            }
        case .decimalFromLittleEndian:
            let out = destination.assumingMemoryBound(to: UInt8.self)
            let input = source.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count {
                let value = input + i * width
                let fill: UInt8 = value[width - 1] & 0x80 != 0 ? 0xFF : 0
                for k in 0..<16 { out[i * 16 + k] = k < width ? value[k] : fill }
            }
        }
    }

    func finish(name: String) throws(DataFolioError) -> Column {
        let byteCount = slotCount * outputWidth
        if storage.count > byteCount { storage.removeSubrange(byteCount...) }
        let bitmap = try validity.bitmap()
        let data: ColumnData
        switch (type, conversion) {
        case (.float16, _):
            data = .float16(FixedBytesSink.reinterpret(storage, as: UInt16.self))
        case (_, .int96Nanoseconds):
            data = .int64(FixedBytesSink.reinterpret(storage, as: Int64.self))
        default:
            data = .fixedBytes(width: outputWidth, values: storage)
        }
        storage = []
        return try Column(name: name, type: type, count: slotCount, data: data, validity: bitmap)
    }

    /// Copies little-endian bytes into an array of `T`.
    static func reinterpret<T: BitwiseCopyable>(_ bytes: [UInt8], as _: T.Type) -> [T] {
        let count = bytes.count / MemoryLayout<T>.size
        return [T](uninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                if let target = buffer.baseAddress, let source = raw.baseAddress, count > 0 {
                    UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * MemoryLayout<T>.size)
                }
            }
            initialized = count
        }
    }
}

/// Conversions of decimal unscaled values to Arrow's 16-byte little-endian storage.
enum DecimalBytes {
    /// Converts a big-endian two's complement integer of `length` bytes; values wider than
    /// 16 bytes keep their low 16 bytes (callers check the precision first).
    static func fromBigEndian(_ source: UnsafePointer<UInt8>, length: Int, into destination: UnsafeMutablePointer<UInt8>) {
        let fill: UInt8 = length > 0 && source[0] & 0x80 != 0 ? 0xFF : 0
        for k in 0..<16 {
            destination[k] = k < length ? source[length - 1 - k] : fill
        }
    }
}
