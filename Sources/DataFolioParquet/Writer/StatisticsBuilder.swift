#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import DataFolioTable

/// Computes the min/max statistics of a column chunk, PLAIN-encoded as parquet-format
/// specifies, following each logical type's sort order.
enum StatisticsBuilder {
    /// Values longer than this are left out of statistics (as parquet-cpp does).
    static let maximumValueSize = 4096

    /// The minimum and maximum of the non-null values of `slice`, or `nil` when there
    /// are none (or they cannot be ordered, e.g. only NaNs).
    static func minMax(_ slice: LeafSlice) -> (min: [UInt8], max: [UInt8])? {
        switch slice.data {
        case .bool(let v):
            var sawTrue = false
            var sawFalse = false
            v.withUnsafeBufferPointer { source in
                if slice.validity == nil {
                    for i in slice.range {
                        if source[i] { sawTrue = true } else { sawFalse = true }
                        if sawTrue && sawFalse { break }
                    }
                } else {
                    for i in slice.range where slice.isValid(i) {
                        if source[i] { sawTrue = true } else { sawFalse = true }
                    }
                }
            }
            guard sawTrue || sawFalse else { return nil }
            return ([sawFalse ? 0 : 1], [sawTrue ? 1 : 0])
        case .int8(let v): return integers(v, slice).map { (le(Int32($0.0)), le(Int32($0.1))) }
        case .int16(let v): return integers(v, slice).map { (le(Int32($0.0)), le(Int32($0.1))) }
        case .int32(let v): return integers(v, slice).map { (le($0.0), le($0.1)) }
        case .uint8(let v): return integers(v, slice).map { (le(UInt32($0.0)), le(UInt32($0.1))) }
        case .uint16(let v): return integers(v, slice).map { (le(UInt32($0.0)), le(UInt32($0.1))) }
        case .uint32(let v): return integers(v, slice).map { (le($0.0), le($0.1)) }
        case .int64(let v):
            let scale: Int64 = { if case .timestamp(.second, _) = slice.type { return 1000 } else { return 1 } }()
            return integers(v, slice).map { (le($0.0 &* scale), le($0.1 &* scale)) }
        case .uint64(let v): return integers(v, slice).map { (le($0.0), le($0.1)) }
        case .float32(let v):
            guard let (lo, hi) = floats(v, slice) else { return nil }
            return (le(lo.bitPattern), le(hi.bitPattern))
        case .float64(let v):
            guard let (lo, hi) = floats(v, slice) else { return nil }
            return (le(lo.bitPattern), le(hi.bitPattern))
        case .float16(let v):
            let widened = LeafSlice(
                data: .float32(v.map { HalfPrecision.float(fromFloat16: $0) }), type: .float32, validity: slice.validity,
                range: slice.range)
            guard let (lo, hi) = floats(widened.floatValues, widened) else { return nil }
            return (le(HalfPrecision.float16Bits(from: lo)), le(HalfPrecision.float16Bits(from: hi)))
        case .bytes(let offsets, let values):
            return bytesMinMax(offsets: offsets, values: values, slice)
        case .fixedBytes(let width, let values):
            if case .decimal(let precision, _) = slice.type {
                return decimalMinMax(values, byteWidth: WriterColumn.decimalByteWidth(precision: precision), slice)
            }
            return fixedMinMax(values, width: width, slice)
        case .dictionary(let indices, let dictionary):
            // Only the entries that rows use count.
            var used = [Bool](repeating: false, count: dictionary.count)
            for i in slice.range where slice.isValid(i) {
                let index = Int(indices[i])
                if index >= 0 && index < used.count { used[index] = true }
            }
            guard let bitmap = try? Bitmap(bytes: Bitmap(used).bytes, count: used.count) else { return nil }
            return minMax(LeafSlice(data: dictionary.data, type: dictionary.type, validity: bitmap, range: 0..<dictionary.count))
        case .list, .struct:
            return nil
        }
    }

    private static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// Min/max of integers; the loop without nulls is branch-free so it vectorizes.
    @inline(__always)
    private static func integers<T: FixedWidthInteger>(_ values: [T], _ slice: LeafSlice) -> (T, T)? {
        values.withUnsafeBufferPointer { source -> (T, T)? in
            guard let base = source.baseAddress else { return nil }
            var lo = T.max
            var hi = T.min
            var any = false
            if slice.validity == nil {
                guard !slice.range.isEmpty else { return nil }
                let start = base + slice.range.lowerBound
                for i in 0..<slice.range.count {
                    let v = start[i]
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                }
                return (lo, hi)
            }
            for i in slice.range where slice.isValid(i) {
                let v = base[i]
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
                any = true
            }
            return any ? (lo, hi) : nil
        }
    }

    /// Min/max ignoring NaN; a zero minimum is written as -0 and a zero maximum as +0.
    private static func floats<T: BinaryFloatingPoint>(_ values: [T], _ slice: LeafSlice) -> (T, T)? {
        var lo = T.infinity
        var hi = -T.infinity
        var any = false
        values.withUnsafeBufferPointer { source in
            for i in slice.range where slice.isValid(i) {
                let v = source[i]
                if v.isNaN { continue }
                any = true
                if v < lo { lo = v }
                if v > hi { hi = v }
            }
        }
        guard any else { return nil }
        if lo == 0 { lo = -0.0 }
        if hi == 0 { hi = 0.0 }
        return (lo, hi)
    }

    @inline(__always)
    private static func lexicographicLess(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            // Compare the first word at once: most strings differ early.
            if n >= 8 {
                let wa = UInt64(bigEndian: UnsafeRawPointer(pa).loadUnaligned(as: UInt64.self))
                let wb = UInt64(bigEndian: UnsafeRawPointer(pb).loadUnaligned(as: UInt64.self))
                if wa != wb { return wa < wb }
            }
            let order = memcmp(pa, pb, n)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }

    private static func bytesMinMax(offsets: [Int64], values: [UInt8], _ slice: LeafSlice) -> (min: [UInt8], max: [UInt8])? {
        values.withUnsafeBufferPointer { source in
            var lo: Range<Int>?
            var hi: Range<Int>?
            func view(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: source[r]) }
            for i in slice.range where slice.isValid(i) {
                let r = Int(offsets[i])..<Int(offsets[i + 1])
                if let l = lo {
                    if lexicographicLess(view(r), view(l)) { lo = r }
                } else {
                    lo = r
                }
                if let h = hi {
                    if lexicographicLess(view(h), view(r)) { hi = r }
                } else {
                    hi = r
                }
            }
            guard let lo, let hi, lo.count <= maximumValueSize, hi.count <= maximumValueSize else { return nil }
            return (Array(source[lo]), Array(source[hi]))
        }
    }

    private static func fixedMinMax(_ values: [UInt8], width: Int, _ slice: LeafSlice) -> (min: [UInt8], max: [UInt8])? {
        guard width <= maximumValueSize else { return nil }
        return values.withUnsafeBufferPointer { source in
            var lo: Int?
            var hi: Int?
            func view(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: source[(i * width)..<((i + 1) * width)]) }
            for i in slice.range where slice.isValid(i) {
                if let l = lo { if lexicographicLess(view(i), view(l)) { lo = i } } else { lo = i }
                if let h = hi { if lexicographicLess(view(h), view(i)) { hi = i } } else { hi = i }
            }
            guard let lo, let hi else { return nil }
            return (Array(view(lo)), Array(view(hi)))
        }
    }

    /// Decimals compare as signed 128-bit integers; statistics hold their big-endian bytes.
    private static func decimalMinMax(_ values: [UInt8], byteWidth: Int, _ slice: LeafSlice) -> (min: [UInt8], max: [UInt8])? {
        func value(_ i: Int) -> (Int64, UInt64) {
            var low: UInt64 = 0
            var high: UInt64 = 0
            for k in 0..<8 {
                low |= UInt64(values[i * 16 + k]) << UInt64(8 * k)
                high |= UInt64(values[i * 16 + 8 + k]) << UInt64(8 * k)
            }
            return (Int64(bitPattern: high), low)
        }
        func less(_ a: (Int64, UInt64), _ b: (Int64, UInt64)) -> Bool { a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
        var lo: Int?
        var hi: Int?
        for i in slice.range where slice.isValid(i) {
            if let l = lo { if less(value(i), value(l)) { lo = i } } else { lo = i }
            if let h = hi { if less(value(h), value(i)) { hi = i } } else { hi = i }
        }
        guard let lo, let hi else { return nil }
        func bigEndian(_ i: Int) -> [UInt8] { (0..<byteWidth).map { values[i * 16 + byteWidth - 1 - $0] } }
        return (bigEndian(lo), bigEndian(hi))
    }
}

extension LeafSlice {
    /// The values of a `.float32` slice.
    fileprivate var floatValues: [Float] {
        if case .float32(let v) = data { return v }
        return []
    }
}
