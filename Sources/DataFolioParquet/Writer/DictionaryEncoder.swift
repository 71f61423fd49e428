#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import DataFolioTable

/// A column chunk's dictionary: its distinct values and, for each non-null slot in
/// order, the index of its value.
struct ChunkDictionary {
    /// The distinct values, as the same kind of buffers as the column.
    var values: ColumnData
    var count: Int
    var indices: [UInt32]

    /// The bit width of the indices (at least 1).
    var bitWidth: Int { max(1, BitPacking.bitWidth(of: UInt64(max(count, 1) - 1))) }
}

/// Builds dictionaries for column chunks with few distinct values.
enum DictionaryEncoder {
    /// Values looked at before deciding whether a dictionary is worth building.
    static let sampleSize = 4096

    /// Builds the dictionary of `slice`, or returns `nil` when the column should be
    /// written PLAIN: a kind that is not dictionary-encoded, mostly distinct values, or
    /// a dictionary larger than `limit` PLAIN bytes.
    static func build(_ slice: LeafSlice, limit: Int) -> ChunkDictionary? {
        switch slice.data {
        case .int32(let values): return fixed(values, slice, limit: limit) { UInt64(UInt32(bitPattern: $0)) } makeData: { .int32($0) }
        case .uint32(let values): return fixed(values, slice, limit: limit) { UInt64($0) } makeData: { .uint32($0) }
        case .float32(let values): return fixed(values, slice, limit: limit) { UInt64($0.bitPattern) } makeData: { .float32($0) }
        case .int64(let values): return fixed(values, slice, limit: limit) { UInt64(bitPattern: $0) } makeData: { .int64($0) }
        case .uint64(let values): return fixed(values, slice, limit: limit) { $0 } makeData: { .uint64($0) }
        case .float64(let values): return fixed(values, slice, limit: limit) { $0.bitPattern } makeData: { .float64($0) }
        case .bytes(let offsets, let values): return bytes(offsets: offsets, values: values, slice, limit: limit)
        case .dictionary(let indices, let dictionary): return existing(indices: indices, dictionary: dictionary, slice, limit: limit)
        default: return nil
        }
    }

    /// Whether the first values are nearly all distinct (ids, measurements, sorted
    /// timestamps), in which case a dictionary would only cost time: the writer then
    /// goes straight to PLAIN.
    private static func looksDistinct(_ distinct: Int, seen: Int, total: Int) -> Bool {
        total > 4 * sampleSize && seen >= sampleSize && distinct * 10 > seen * 9
    }

    private static func fixed<T: BitwiseCopyable>(
        _ values: [T], _ slice: LeafSlice, limit: Int, key: (T) -> UInt64, makeData: ([T]) -> ColumnData
    ) -> ChunkDictionary? {
        let width = MemoryLayout<T>.size
        let total = slice.validCount(in: slice.range)
        var uniques: [T] = []
        var indices = [UInt32]()
        indices.reserveCapacity(total)
        var capacityBits = 10
        var table = [Int32](repeating: -1, count: 1 << capacityBits)
        var mask = (1 << capacityBits) - 1
        var seen = 0
        let abandoned: Bool = values.withUnsafeBufferPointer { source in
            for i in slice.range where slice.isValid(i) {
                let value = source[i]
                let k = key(value)
                var position = Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
                var found: Int32 = -1
                while true {
                    let entry = table[position]
                    if entry < 0 { break }
                    if key(uniques[Int(entry)]) == k {
                        found = entry
                        break
                    }
                    position = (position + 1) & mask
                }
                if found < 0 {
                    found = Int32(uniques.count)
                    uniques.append(value)
                    table[position] = found
                    if uniques.count * width > limit { return true }
                    if uniques.count * 2 > table.count {
                        capacityBits += 1
                        mask = (1 << capacityBits) - 1
                        table = [Int32](repeating: -1, count: 1 << capacityBits)
                        for (index, unique) in uniques.enumerated() {
                            var p = Int(truncatingIfNeeded: (key(unique) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
                            while table[p] >= 0 { p = (p + 1) & mask }
                            table[p] = Int32(index)
                        }
                    }
                }
                indices.append(UInt32(found))
                seen += 1
                if seen == sampleSize && looksDistinct(uniques.count, seen: seen, total: total) { return true }
            }
            return false
        }
        if abandoned { return nil }
        return ChunkDictionary(values: makeData(uniques), count: uniques.count, indices: indices)
    }

    @inline(__always)
    private static func hashBytes(_ base: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= length {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < length {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 29)
    }

    /// Compares two byte runs of the same length, a word at a time.
    @inline(__always)
    private static func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if length > 64 { return memcmp(a, b, length) == 0 }
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= length {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < length {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    private static func bytes(offsets: [Int64], values: [UInt8], _ slice: LeafSlice, limit: Int) -> ChunkDictionary? {
        let total = slice.validCount(in: slice.range)
        var uniqueOffsets: [Int64] = [0]
        var uniqueValues: [UInt8] = []
        uniqueValues.reserveCapacity(min(limit, 1 << 20) + 64)
        var uniqueCount = 0
        // Each slot holds the high 32 bits of the hash and the entry number + 1 (0 = empty),
        // so most mismatches are rejected without touching the entries.
        var capacityBits = 10
        var table = [UInt64](repeating: 0, count: 1 << capacityBits)
        var mask = (1 << capacityBits) - 1
        var plainBytes = 0
        var seen = 0
        var produced = 0
        var abandoned = false
        let allValid = slice.validity == nil
        var indices = [UInt32](uninitializedCapacity: total) { buffer, initialized in
            guard let out = buffer.baseAddress else {
                initialized = 0
                return
            }
            offsets.withUnsafeBufferPointer { offsets in
                // An empty value buffer has no address; every value is then empty, so a
                // one-byte stand-in is never read.
                let storage = values.isEmpty ? [0] : values
                storage.withUnsafeBufferPointer { source in
                    guard let base = source.baseAddress else {
                        abandoned = true
                        return
                    }
                    for i in slice.range where allValid || slice.isValid(i) {
                        let from = Int(offsets[i])
                        let length = Int(offsets[i + 1]) - from
                        let pointer = base + from
                        let hash = hashBytes(pointer, length)
                        let tag = hash & 0xFFFF_FFFF_0000_0000
                        var position = Int(truncatingIfNeeded: hash) & mask
                        var found = -1
                        while true {
                            let slot = table[position]
                            if slot == 0 { break }
                            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                                let entry = Int(slot & 0xFFFF_FFFF) - 1
                                let start = Int(uniqueOffsets[entry])
                                if Int(uniqueOffsets[entry + 1]) - start == length {
                                    let same = uniqueValues.withUnsafeBufferPointer { u in
                                        guard length > 0, let ub = u.baseAddress else { return true }
                                        return bytesEqual(ub + start, pointer, length)
                                    }
                                    if same {
                                        found = entry
                                        break
                                    }
                                }
                            }
                            position = (position + 1) & mask
                        }
                        if found < 0 {
                            found = uniqueCount
                            uniqueCount += 1
                            uniqueValues.append(contentsOf: UnsafeBufferPointer(start: pointer, count: length))
                            uniqueOffsets.append(Int64(uniqueValues.count))
                            table[position] = tag | UInt64(uniqueCount)
                            plainBytes += 4 + length
                            if plainBytes > limit {
                                abandoned = true
                                return
                            }
                            if uniqueCount * 2 > table.count {
                                capacityBits += 1
                                mask = (1 << capacityBits) - 1
                                table = [UInt64](repeating: 0, count: 1 << capacityBits)
                                uniqueValues.withUnsafeBufferPointer { u in
                                    guard let ub = u.baseAddress else { return }
                                    for entry in 0..<uniqueCount {
                                        let start = Int(uniqueOffsets[entry])
                                        let h = hashBytes(ub + start, Int(uniqueOffsets[entry + 1]) - start)
                                        var p = Int(truncatingIfNeeded: h) & mask
                                        while table[p] != 0 { p = (p + 1) & mask }
                                        table[p] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(entry + 1)
                                    }
                                }
                            }
                        }
                        out[produced] = UInt32(found)
                        produced += 1
                        seen += 1
                        if seen == sampleSize && looksDistinct(uniqueCount, seen: seen, total: total) {
                            abandoned = true
                            return
                        }
                    }
                }
            }
            initialized = produced
        }
        if abandoned { return nil }
        if indices.count != total { indices = Array(indices.prefix(total)) }
        return ChunkDictionary(values: .bytes(offsets: uniqueOffsets, values: uniqueValues), count: uniqueCount, indices: indices)
    }

    /// A dictionary column (pandas categorical): its own dictionary and indices are used as is.
    private static func existing(indices: [Int32], dictionary: Column, _ slice: LeafSlice, limit: Int) -> ChunkDictionary? {
        if case .bytes(let offsets, _) = dictionary.data {
            let plainBytes = Int(offsets.last ?? 0) + 4 * dictionary.count
            if plainBytes > limit { return nil }
        }
        var result = [UInt32]()
        result.reserveCapacity(slice.validCount(in: slice.range))
        indices.withUnsafeBufferPointer { source in
            for i in slice.range where slice.isValid(i) {
                result.append(UInt32(bitPattern: source[i]))
            }
        }
        return ChunkDictionary(values: dictionary.data, count: dictionary.count, indices: result)
    }
}
