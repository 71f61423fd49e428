import DataFolioSupport

/// Decoders for variable-length (BYTE_ARRAY) values.
///
/// Each appends the bytes of `count` values to `values` and writes the end offset of
/// every value (an index into `values`) to `ends`.
enum ByteArrayDecoding {
    /// Grows `values` by `count` bytes and returns the offset of the new region.
    @inline(__always)
    static func grow(_ values: inout [UInt8], by count: Int) throws(DataFolioError) -> Int {
        let start = values.count
        try ReadLimits.checkAffordable(start.addingReportingOverflow(count).partialValue, stride: 1)
        if values.capacity < start + count {
            values.reserveCapacity(max(start + count, values.capacity * 2))
        }
        values.append(contentsOf: repeatElement(0, count: count))
        return start
    }

    /// PLAIN: a 4-byte little-endian length before each value. Returns the bytes consumed.
    @discardableResult
    static func decodePlain(
        _ page: UnsafeRawBufferPointer, count: Int, values: inout [UInt8], ends: UnsafeMutablePointer<Int64>
    ) throws(DataFolioError) -> Int {
        // First pass: validate the lengths and compute the total, touching only the prefixes.
        var position = 0
        var total = 0
        let size = page.count
        for i in 0..<count {
            guard size - position >= 4 else {
                throw DataFolioError.truncated("Parquet", "a page of strings ends after \(i) of \(count) values")
            }
            let length = Int(UInt32(littleEndian: page.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= size - position else {
                throw DataFolioError.truncated(
                    "Parquet", "a string value declares \(length) bytes but only \(size - position) remain in its page")
            }
            position += length
            total += length
        }
        let start = try grow(&values, by: total)
        values.withUnsafeMutableBytes { buffer in
            guard let out = buffer.baseAddress, let source = page.baseAddress else { return }
            var read = 0
            var written = start
            for i in 0..<count {
                let length = Int(UInt32(littleEndian: page.loadUnaligned(fromByteOffset: read, as: UInt32.self)))
                read += 4
                (out + written).copyMemory(from: source + read, byteCount: length)
                read += length
                written += length
                ends[i] = Int64(written)
            }
        }
        return position
    }

    /// DELTA_LENGTH_BYTE_ARRAY: delta-encoded lengths, then the bytes back to back.
    static func decodeDeltaLength(
        _ page: UnsafeRawBufferPointer, count: Int, values: inout [UInt8], ends: UnsafeMutablePointer<Int64>
    ) throws(DataFolioError) {
        let (lengths, consumed) = try DeltaBinaryPacked.decodeAll(page)
        guard lengths.count >= count else {
            throw DataFolioError.corrupt("Parquet", "a DELTA_LENGTH_BYTE_ARRAY page holds \(lengths.count) lengths but \(count) values are needed")
        }
        var total = 0
        for i in 0..<count {
            let length = lengths[i]
            guard length >= 0, length <= Int64(page.count) else {
                throw DataFolioError.corrupt("Parquet", "a DELTA_LENGTH_BYTE_ARRAY value has length \(length)")
            }
            total += Int(length)
        }
        // Lengths beyond `count` belong to nothing; only the needed bytes must be present.
        guard total <= page.count - consumed else {
            throw DataFolioError.truncated(
                "Parquet", "a DELTA_LENGTH_BYTE_ARRAY page needs \(total) bytes of data but holds \(page.count - consumed)")
        }
        let start = try grow(&values, by: total)
        values.withUnsafeMutableBytes { buffer in
            guard let out = buffer.baseAddress, let source = page.baseAddress, total > 0 else {
                for i in 0..<count { ends[i] = Int64(start) }
                return
            }
            (out + start).copyMemory(from: source + consumed, byteCount: total)
        }
        var end = Int64(start)
        for i in 0..<count {
            end += lengths[i]
            ends[i] = end
        }
    }

    /// DELTA_BYTE_ARRAY: delta-encoded prefix lengths, then the suffixes as
    /// DELTA_LENGTH_BYTE_ARRAY; each value is a prefix of the previous value plus its suffix.
    static func decodeDelta(
        _ page: UnsafeRawBufferPointer, count: Int, values: inout [UInt8], ends: UnsafeMutablePointer<Int64>
    ) throws(DataFolioError) {
        let (prefixes, prefixBytes) = try DeltaBinaryPacked.decodeAll(page)
        guard prefixes.count >= count else {
            throw DataFolioError.corrupt("Parquet", "a DELTA_BYTE_ARRAY page holds \(prefixes.count) prefixes but \(count) values are needed")
        }
        let rest = UnsafeRawBufferPointer(rebasing: page[prefixBytes...])
        let (suffixLengths, suffixHeader) = try DeltaBinaryPacked.decodeAll(rest)
        guard suffixLengths.count >= count else {
            throw DataFolioError.corrupt("Parquet", "a DELTA_BYTE_ARRAY page holds \(suffixLengths.count) suffixes but \(count) values are needed")
        }
        var suffixPosition = suffixHeader
        var previousStart = 0
        var previousLength = 0
        // Prefixes copy earlier bytes, so the output can outgrow the page many times over;
        // bound the growth so a hostile page cannot demand terabytes.
        let limit = max(page.count * 1024, 1 << 26)
        var produced = 0
        for i in 0..<count {
            let prefix = prefixes[i]
            let suffix = suffixLengths[i]
            guard prefix >= 0, suffix >= 0, Int(prefix) <= previousLength, suffix <= Int64(rest.count - suffixPosition) else {
                throw DataFolioError.corrupt("Parquet", "a DELTA_BYTE_ARRAY value has an impossible prefix or suffix length")
            }
            let length = Int(prefix) + Int(suffix)
            produced += length
            guard produced <= limit else {
                throw DataFolioError(.limitExceeded, "Parquet: a DELTA_BYTE_ARRAY page expands beyond \(limit) bytes. The file is damaged.")
            }
            let start = try grow(&values, by: length)
            let prefixLength = Int(prefix)
            let suffixLength = Int(suffix)
            let source = suffixPosition
            values.withUnsafeMutableBytes { buffer in
                guard let out = buffer.baseAddress else { return }
                if prefixLength > 0 {
                    (out + start).copyMemory(from: out + previousStart, byteCount: prefixLength)
                }
                if suffixLength > 0, let base = rest.baseAddress {
                    (out + start + prefixLength).copyMemory(from: base + source, byteCount: suffixLength)
                }
            }
            suffixPosition += suffixLength
            previousStart = start
            previousLength = length
            ends[i] = Int64(values.count)
        }
    }
}
