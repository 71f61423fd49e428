import DataFolioSupport
import DataFolioTable

/// Receives the values of one leaf column page by page and builds the final buffers.
///
/// A page covers `slots` positions (rows of a flat column, element slots of a list), of
/// which `valueCount` hold a value; `levels` (one definition level per slot, `nil` when
/// every slot holds a value) says which: a slot holds a value when its level equals
/// `threshold`. Values are decoded densely at the slot cursor, then moved backwards to
/// their slots, so no per-page temporary is needed for the common types.
protocol LeafSink: AnyObject {
    /// The number of slots filled so far.
    var slotCount: Int { get }

    /// Takes the values of a dictionary page (PLAIN-encoded).
    func setDictionary(_ page: UnsafeRawBufferPointer, count: Int) throws(DataFolioError)

    /// Appends the slots of one data page.
    func appendPage(
        _ values: UnsafeRawBufferPointer, encoding: ParquetEncoding, slots: Int, valueCount: Int,
        levels: UnsafePointer<UInt8>?, threshold: UInt8
    ) throws(DataFolioError)

    /// The finished column.
    func finish(name: String) throws(DataFolioError) -> Column
}

/// An array of `count` zero-filled elements of a plain type.
@inline(__always)
func zeroedArray<T: BitwiseCopyable>(_ type: T.Type = T.self, count: Int) -> [T] {
    [T](uninitializedCapacity: count) { buffer, initialized in
        if let base = buffer.baseAddress, count > 0 {
            HugePages.advise(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<T>.stride)
            UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<T>.stride)
        }
        initialized = count
    }
}

/// An array of `count` integers or floats whose contents are not yet set, for buffers
/// that decoding fills completely (every slot is written before the array is read, and
/// these types have no invalid bit patterns, unlike `Bool`).
@inline(__always)
func unfilledArray<T: BitwiseCopyable & Numeric>(_ type: T.Type = T.self, count: Int) -> [T] {
    [T](uninitializedCapacity: count) { buffer, initialized in
        if let base = buffer.baseAddress {
            HugePages.advise(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<T>.stride)
        }
        initialized = count
    }
}

/// Grows `array` (zero-filled) so that it holds at least `needed` elements.
@inline(__always)
func ensureCount<T: BitwiseCopyable>(_ array: inout [T], _ needed: Int, zero: T) throws(DataFolioError) {
    guard array.count < needed else { return }
    try ReadLimits.checkAffordable(needed, stride: MemoryLayout<T>.stride)
    let target = max(needed, min(array.count * 2, ReadLimits.maximumBufferBytes / MemoryLayout<T>.stride), 1024)
    array.reserveCapacity(target)
    array.append(contentsOf: repeatElement(zero, count: target - array.count))
}

/// Moves `valueCount` dense values at the start of `base` to the slots whose level
/// equals `threshold`, walking backwards so nothing is overwritten before it moves.
@inline(__always)
func spreadValues<T>(
    _ base: UnsafeMutablePointer<T>, slots: Int, valueCount: Int, levels: UnsafePointer<UInt8>, threshold: UInt8, zero: T
) {
    var source = valueCount - 1
    var slot = slots - 1
    while slot >= 0 {
        if levels[slot] == threshold {
            base[slot] = base[source]
            source -= 1
        } else {
            base[slot] = zero
        }
        slot -= 1
    }
}

/// Checks that a page's slot and value counts are consistent.
@inline(__always)
func checkPageCounts(slots: Int, valueCount: Int, levels: UnsafePointer<UInt8>?) throws(DataFolioError) {
    guard slots >= 0, valueCount >= 0, valueCount <= slots, levels != nil || valueCount == slots else {
        throw DataFolioError.corrupt("Parquet", "a data page declares \(valueCount) values for \(slots) slots")
    }
}

/// Decodes the dense values of fixed-width physical types (INT32, INT64, FLOAT, DOUBLE).
enum PhysicalDecoding {
    static func decode<P: BitwiseCopyable>(
        _ page: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, physical: ParquetPhysicalType,
        dictionary: [P], indices: inout [UInt32], into destination: UnsafeMutablePointer<P>
    ) throws(DataFolioError) {
        let width = MemoryLayout<P>.size
        switch encoding {
        case .plain:
            try FixedWidthDecoding.decodePlain(page, count: count, width: width, into: UnsafeMutableRawPointer(destination))
        case .plainDictionary, .rleDictionary:
            try dictionary.withRawBytes { (dict) throws(DataFolioError) in
                try FixedWidthDecoding.decodeDictionary(
                    page, count: count, width: width, dictionary: dict, dictionaryCount: dictionary.count,
                    indices: &indices, into: UnsafeMutableRawPointer(destination))
            }
        case .byteStreamSplit:
            try FixedWidthDecoding.decodeByteStreamSplit(page, count: count, width: width, into: UnsafeMutableRawPointer(destination))
        case .deltaBinaryPacked where physical == .int32:
            try UnsafeMutableRawPointer(destination).withMemoryRebound(to: Int32.self, capacity: count) {
                (pointer) throws(DataFolioError) in
                try DeltaBinaryPacked.decode32(page, count: count, into: pointer)
            }
        case .deltaBinaryPacked where physical == .int64:
            try UnsafeMutableRawPointer(destination).withMemoryRebound(to: Int64.self, capacity: count) {
                (pointer) throws(DataFolioError) in
                try DeltaBinaryPacked.decode64(page, count: count, into: pointer)
            }
        default:
            throw DataFolioError.unsupported("Parquet", "the \(encoding) encoding for \(physical) columns")
        }
    }

    /// Decodes the PLAIN values of a dictionary page.
    static func dictionary<P: BitwiseCopyable>(_ page: UnsafeRawBufferPointer, count: Int, zero: P) throws(DataFolioError) -> [P] {
        let width = MemoryLayout<P>.size
        guard count <= page.count / max(width, 1) else {
            throw DataFolioError.truncated(
                "Parquet", "a dictionary page should hold \(count) values of \(width) bytes but has \(page.count) bytes")
        }
        var values = zeroedArray(P.self, count: count)
        try values.withMutableRawBytes { (buffer) throws(DataFolioError) in
            guard let base = buffer.baseAddress else { return }
            try FixedWidthDecoding.decodePlain(page, count: count, width: width, into: base)
        }
        return values
    }
}

/// A column of numbers, dates or timestamps read from INT32, INT64, FLOAT or DOUBLE.
///
/// When the stored type has the file's layout (an INT64 column read as `Int64`) values
/// are decoded straight into the final array; otherwise (INT32 → `Int8`) they pass
/// through a scratch buffer and `convert`.
final class NumericSink<Physical: BitwiseCopyable, Storage: BitwiseCopyable & Numeric>: LeafSink {
    let type: ColumnType
    let physical: ParquetPhysicalType
    private var storage: [Storage]
    private var dictionary: [Physical] = []
    private var scratch: [Physical] = []
    private var indices: [UInt32] = []
    private var validity = ValidityBuilder()
    private let physicalZero: Physical
    private let zero: Storage
    private let convert: ((UnsafePointer<Physical>, UnsafeMutablePointer<Storage>, Int) -> Void)?
    private let makeData: ([Storage]) -> ColumnData
    private(set) var slotCount = 0

    init(
        type: ColumnType, physical: ParquetPhysicalType, capacity: Int, physicalZero: Physical, zero: Storage,
        convert: ((UnsafePointer<Physical>, UnsafeMutablePointer<Storage>, Int) -> Void)?,
        makeData: @escaping ([Storage]) -> ColumnData
    ) {
        self.type = type
        self.physical = physical
        self.physicalZero = physicalZero
        self.zero = zero
        self.convert = convert
        self.makeData = makeData
        storage = unfilledArray(Storage.self, count: capacity)
    }

    func setDictionary(_ page: UnsafeRawBufferPointer, count: Int) throws(DataFolioError) {
        dictionary = try PhysicalDecoding.dictionary(page, count: count, zero: physicalZero)
    }

    func appendPage(
        _ values: UnsafeRawBufferPointer, encoding: ParquetEncoding, slots: Int, valueCount: Int,
        levels: UnsafePointer<UInt8>?, threshold: UInt8
    ) throws(DataFolioError) {
        try checkPageCounts(slots: slots, valueCount: valueCount, levels: levels)
        try ensureCount(&storage, slotCount + slots, zero: zero)
        let start = slotCount
        let zero = self.zero
        let physical = self.physical
        if let convert {
            try ensureCount(&scratch, max(valueCount, 1), zero: physicalZero)
            try scratch.withUnsafeMutableBufferPointer { (dense) throws(DataFolioError) in
                guard let denseBase = dense.baseAddress else { return }
                try PhysicalDecoding.decode(
                    values, encoding: encoding, count: valueCount, physical: physical, dictionary: dictionary,
                    indices: &indices, into: denseBase)
                storage.withUnsafeMutableBufferPointer { out in
                    guard let outBase = out.baseAddress else { return }
                    convert(denseBase, outBase + start, valueCount)
                    if let levels, valueCount < slots {
                        spreadValues(outBase + start, slots: slots, valueCount: valueCount, levels: levels, threshold: threshold, zero: zero)
                    }
                }
            }
        } else {
            try storage.withUnsafeMutableBufferPointer { (out) throws(DataFolioError) in
                guard let outBase = out.baseAddress else { return }
                try UnsafeMutableRawPointer(outBase + start).withMemoryRebound(to: Physical.self, capacity: slots) {
                    (target) throws(DataFolioError) in
                    try PhysicalDecoding.decode(
                        values, encoding: encoding, count: valueCount, physical: physical, dictionary: dictionary,
                        indices: &indices, into: target)
                }
                if let levels, valueCount < slots {
                    spreadValues(outBase + start, slots: slots, valueCount: valueCount, levels: levels, threshold: threshold, zero: zero)
                }
            }
        }
        if let levels, valueCount < slots {
            validity.append(levels: levels, count: slots, threshold: threshold)
        } else {
            validity.appendValid(slots)
        }
        slotCount += slots
    }

    func finish(name: String) throws(DataFolioError) -> Column {
        if storage.count > slotCount { storage.removeSubrange(slotCount...) }
        let data = makeData(storage)
        storage = []
        return try Column(name: name, type: type, count: slotCount, data: data, validity: try validity.bitmap())
    }
}

/// A BOOLEAN column.
final class BoolSink: LeafSink {
    private var storage: [Bool]
    private var validity = ValidityBuilder()
    private(set) var slotCount = 0

    init(capacity: Int) {
        storage = zeroedArray(Bool.self, count: capacity)
    }

    func setDictionary(_ page: UnsafeRawBufferPointer, count: Int) throws(DataFolioError) {
        throw DataFolioError.unsupported("Parquet", "dictionary encoding of BOOLEAN columns")
    }

    func appendPage(
        _ values: UnsafeRawBufferPointer, encoding: ParquetEncoding, slots: Int, valueCount: Int,
        levels: UnsafePointer<UInt8>?, threshold: UInt8
    ) throws(DataFolioError) {
        try checkPageCounts(slots: slots, valueCount: valueCount, levels: levels)
        try ensureCount(&storage, slotCount + slots, zero: false)
        let start = slotCount
        try storage.withUnsafeMutableBufferPointer { (out) throws(DataFolioError) in
            guard let base = out.baseAddress else { return }
            try FixedWidthDecoding.decodeBooleans(values, encoding: encoding, count: valueCount, into: base + start)
            if let levels, valueCount < slots {
                spreadValues(base + start, slots: slots, valueCount: valueCount, levels: levels, threshold: threshold, zero: false)
            }
        }
        if let levels, valueCount < slots {
            validity.append(levels: levels, count: slots, threshold: threshold)
        } else {
            validity.appendValid(slots)
        }
        slotCount += slots
    }

    func finish(name: String) throws(DataFolioError) -> Column {
        if storage.count > slotCount { storage.removeSubrange(slotCount...) }
        let data = ColumnData.bool(storage)
        storage = []
        return try Column(name: name, type: .bool, count: slotCount, data: data, validity: try validity.bitmap())
    }
}
