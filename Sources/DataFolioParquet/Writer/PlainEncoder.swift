import DataFolioSupport
import DataFolioTable

/// A block of zeros appended in bulk (a plain copy is much faster than appending a
/// repeated element one by one).
private let zeroBlock = [UInt8](repeating: 0, count: 1 << 16)

/// Appends `count` zero bytes to `out` and returns where they start.
@inline(__always)
func appendZeros(_ out: inout [UInt8], _ count: Int) -> Int {
    let start = out.count
    if out.capacity < start + count { out.reserveCapacity(max(start + count, out.capacity * 2)) }
    var left = count
    while left > 0 {
        let n = min(left, zeroBlock.count)
        if n == zeroBlock.count {
            out.append(contentsOf: zeroBlock)
        } else {
            out.append(contentsOf: zeroBlock[0..<n])
        }
        left -= n
    }
    return start
}

/// The slots of a leaf column to encode: a range of a column's values plus its validity.
struct LeafSlice {
    let data: ColumnData
    let type: ColumnType
    let validity: Bitmap?
    let range: Range<Int>

    /// Whether slot `i` (absolute) holds a value.
    @inline(__always)
    func isValid(_ i: Int) -> Bool {
        guard let validity else { return true }
        return validity.bytes[i >> 3] & (UInt8(1) << UInt8(i & 7)) != 0
    }

    /// The number of slots holding a value in `range`.
    func validCount(in range: Range<Int>) -> Int {
        guard let validity else { return range.count }
        var count = 0
        validity.bytes.withUnsafeBufferPointer { bits in
            var i = range.lowerBound
            while i < range.upperBound && i & 7 != 0 {
                if bits[i >> 3] & (UInt8(1) << UInt8(i & 7)) != 0 { count += 1 }
                i += 1
            }
            while i + 8 <= range.upperBound {
                count += bits[i >> 3].nonzeroBitCount
                i += 8
            }
            while i < range.upperBound {
                if bits[i >> 3] & (UInt8(1) << UInt8(i & 7)) != 0 { count += 1 }
                i += 1
            }
        }
        return count
    }
}

/// PLAIN encoding of table values, skipping nulls.
enum PlainEncoder {
    /// Appends the PLAIN encoding of the non-null values of `slice` in `range`.
    static func encode(_ slice: LeafSlice, range: Range<Int>, into out: inout [UInt8]) throws(DataFolioError) {
        switch slice.data {
        case .bool(let values):
            let count = slice.validCount(in: range)
            let start = appendZeros(&out, (count + 7) / 8)
            out.withUnsafeMutableBufferPointer { buffer in
                values.withUnsafeBufferPointer { source in
                    var bit = 0
                    for i in range where slice.isValid(i) {
                        if source[i] { buffer[start + (bit >> 3)] |= UInt8(1) << UInt8(bit & 7) }
                        bit += 1
                    }
                }
            }
        case .int8(let values): widen(values, slice, range, &out) { Int32($0) }
        case .int16(let values): widen(values, slice, range, &out) { Int32($0) }
        case .uint8(let values): widen(values, slice, range, &out) { Int32($0) }
        case .uint16(let values): widen(values, slice, range, &out) { Int32($0) }
        case .int32(let values): copy(values, slice, range, &out)
        case .uint32(let values): copy(values, slice, range, &out)
        case .float32(let values): copy(values, slice, range, &out)
        case .float16(let values): copy(values, slice, range, &out)
        case .int64(let values):
            if case .timestamp(.second, _) = slice.type {
                // Parquet has no second unit: store milliseconds, as pyarrow does.
                widen(values, slice, range, &out) { $0 &* 1000 }
            } else {
                copy(values, slice, range, &out)
            }
        case .uint64(let values): copy(values, slice, range, &out)
        case .float64(let values): copy(values, slice, range, &out)
        case .bytes(let offsets, let values):
            encodeBytes(offsets: offsets, values: values, slice, range, &out)
        case .fixedBytes(let width, let values):
            if case .decimal(let precision, _) = slice.type {
                encodeDecimals(values, byteWidth: WriterColumn.decimalByteWidth(precision: precision), slice, range, &out)
            } else {
                encodeFixed(values, width: width, slice, range, &out)
            }
        case .dictionary(let indices, let dictionary):
            try encodeDictionaryValues(indices: indices, dictionary: dictionary, slice, range, &out)
        case .list, .struct:
            // Nested columns reach the encoder leaf by leaf.
            throw DataFolioError.unsupported("Parquet", "encoding nested values as one leaf")
        }
    }

    private static func copy<T: BitwiseCopyable>(_ values: [T], _ slice: LeafSlice, _ range: Range<Int>, _ out: inout [UInt8]) {
        let width = MemoryLayout<T>.size
        if slice.validity == nil {
            let start = appendZeros(&out, range.count * width)
            out.withUnsafeMutableBytes { buffer in
                values.withUnsafeBytes { source in
                    guard let target = buffer.baseAddress, let base = source.baseAddress, !range.isEmpty else { return }
                    (target + start).copyMemory(from: base + range.lowerBound * width, byteCount: range.count * width)
                }
            }
            return
        }
        let count = slice.validCount(in: range)
        let start = appendZeros(&out, count * width)
        out.withUnsafeMutableBytes { buffer in
            values.withUnsafeBufferPointer { source in
                guard let target = buffer.baseAddress else { return }
                let typed = (target + start).bindMemory(to: T.self, capacity: count)
                var k = 0
                for i in range where slice.isValid(i) {
                    typed[k] = source[i]
                    k += 1
                }
            }
        }
    }

    private static func widen<T, U: BitwiseCopyable>(
        _ values: [T], _ slice: LeafSlice, _ range: Range<Int>, _ out: inout [UInt8], _ convert: (T) -> U
    ) {
        let count = slice.validCount(in: range)
        let start = appendZeros(&out, count * MemoryLayout<U>.size)
        out.withUnsafeMutableBytes { buffer in
            values.withUnsafeBufferPointer { source in
                guard let target = buffer.baseAddress else { return }
                let typed = (target + start).bindMemory(to: U.self, capacity: count)
                var k = 0
                for i in range where slice.isValid(i) {
                    typed[k] = convert(source[i])
                    k += 1
                }
            }
        }
    }

    private static func encodeBytes(
        offsets: [Int64], values: [UInt8], _ slice: LeafSlice, _ range: Range<Int>, _ out: inout [UInt8]
    ) {
        offsets.withUnsafeBufferPointer { offsets in
            var total = 0
            var count = 0
            if slice.validity == nil {
                count = range.count
                total = range.isEmpty ? 0 : Int(offsets[range.upperBound] - offsets[range.lowerBound])
            } else {
                for i in range where slice.isValid(i) {
                    total += Int(offsets[i + 1] - offsets[i])
                    count += 1
                }
            }
            // 16 spare bytes let short values be copied as two words.
            let start = appendZeros(&out, total + 4 * count + 16)
            out.withUnsafeMutableBufferPointer { buffer in
                values.withUnsafeBufferPointer { source in
                    guard let target = buffer.baseAddress, let base = source.baseAddress else { return }
                    var position = start
                    let raw = UnsafeMutableRawPointer(target)
                    let sourceRaw = UnsafeRawPointer(base)
                    let sourceCount = source.count
                    let allValid = slice.validity == nil
                    for i in range where allValid || slice.isValid(i) {
                        let from = Int(offsets[i])
                        let length = Int(offsets[i + 1]) - from
                        raw.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: position, as: UInt32.self)
                        position += 4
                        if length <= 16 && from + 16 <= sourceCount {
                            raw.storeBytes(of: sourceRaw.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: position, as: UInt64.self)
                            raw.storeBytes(
                                of: sourceRaw.loadUnaligned(fromByteOffset: from + 8, as: UInt64.self), toByteOffset: position + 8,
                                as: UInt64.self)
                        } else if length > 0 {
                            (target + position).update(from: base + from, count: length)
                        }
                        position += length
                    }
                }
            }
            out.removeLast(16)
        }
    }

    private static func encodeFixed(_ values: [UInt8], width: Int, _ slice: LeafSlice, _ range: Range<Int>, _ out: inout [UInt8]) {
        let count = slice.validCount(in: range)
        let start = appendZeros(&out, count * width)
        out.withUnsafeMutableBufferPointer { buffer in
            values.withUnsafeBufferPointer { source in
                guard let target = buffer.baseAddress, let base = source.baseAddress else { return }
                var position = start
                for i in range where slice.isValid(i) {
                    (target + position).update(from: base + i * width, count: width)
                    position += width
                }
            }
        }
    }

    /// 16-byte little-endian decimals → big-endian two's complement of `byteWidth` bytes.
    private static func encodeDecimals(_ values: [UInt8], byteWidth: Int, _ slice: LeafSlice, _ range: Range<Int>, _ out: inout [UInt8]) {
        let count = slice.validCount(in: range)
        let start = appendZeros(&out, count * byteWidth)
        out.withUnsafeMutableBufferPointer { buffer in
            values.withUnsafeBufferPointer { source in
                var position = start
                for i in range where slice.isValid(i) {
                    for k in 0..<byteWidth {
                        buffer[position + k] = source[i * 16 + byteWidth - 1 - k]
                    }
                    position += byteWidth
                }
            }
        }
    }

    /// A dictionary column written without its dictionary: each row's value in full.
    private static func encodeDictionaryValues(
        indices: [Int32], dictionary: Column, _ slice: LeafSlice, _ range: Range<Int>, _ out: inout [UInt8]
    ) throws(DataFolioError) {
        var gathered: [Int] = []
        gathered.reserveCapacity(range.count)
        for i in range where slice.isValid(i) { gathered.append(Int(indices[i])) }
        let expanded = LeafSlice(
            data: dictionary.data, type: dictionary.type, validity: nil, range: 0..<dictionary.count)
        for index in gathered {
            try encode(expanded, range: index..<(index + 1), into: &out)
        }
    }
}
