import DataFolioSupport

/// Decoders for fixed-width values (INT32, INT64, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY)
/// straight into the caller's buffer.
enum FixedWidthDecoding {
    /// PLAIN: `count` values of `width` bytes back to back.
    static func decodePlain(
        _ page: UnsafeRawBufferPointer, count: Int, width: Int, into destination: UnsafeMutableRawPointer
    ) throws(DataFolioError) {
        let needed = count * width
        guard needed <= page.count else {
            throw DataFolioError.truncated(
                "Parquet", "a page should hold \(count) values of \(width) bytes (\(needed) bytes) but has \(page.count)")
        }
        if needed > 0, let source = page.baseAddress {
            destination.copyMemory(from: source, byteCount: needed)
        }
    }

    /// BYTE_STREAM_SPLIT: byte k of every value is stored in stream k.
    static func decodeByteStreamSplit(
        _ page: UnsafeRawBufferPointer, count: Int, width: Int, into destination: UnsafeMutableRawPointer
    ) throws(DataFolioError) {
        guard width > 0 else { return }
        // The streams span the whole page, so the page fixes the stream length.
        guard page.count % width == 0 else {
            throw DataFolioError.corrupt(
                "Parquet", "a BYTE_STREAM_SPLIT page of \(page.count) bytes is not a multiple of the \(width)-byte value width")
        }
        let streamLength = page.count / width
        guard streamLength >= count else {
            throw DataFolioError.truncated(
                "Parquet", "a BYTE_STREAM_SPLIT page holds \(streamLength) values but \(count) are needed")
        }
        guard count > 0, let source = page.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let out = destination.assumingMemoryBound(to: UInt8.self)
        for k in 0..<width {
            let stream = source + k * streamLength
            var target = out + k
            for i in 0..<count {
                target.pointee = stream[i]
                target += width
            }
        }
    }

    /// Dictionary indices (a bit-width byte, then the RLE/bit-packed hybrid) gathered from
    /// a dictionary of `dictionaryCount` values of `width` bytes.
    static func decodeDictionary(
        _ page: UnsafeRawBufferPointer, count: Int, width: Int,
        dictionary: UnsafeRawBufferPointer, dictionaryCount: Int,
        indices scratch: inout [UInt32], into destination: UnsafeMutableRawPointer
    ) throws(DataFolioError) {
        try decodeIndices(page, count: count, dictionaryCount: dictionaryCount, into: &scratch)
        guard count > 0, let dict = dictionary.baseAddress else { return }
        scratch.withUnsafeBufferPointer { indices in
            switch width {
            case 4:
                let d = dict.assumingMemoryBound(to: UInt32.self)
                let out = destination.assumingMemoryBound(to: UInt32.self)
                for i in 0..<count { out[i] = d[Int(indices[i])] }
            case 8:
                let d = dict.assumingMemoryBound(to: UInt64.self)
                let out = destination.assumingMemoryBound(to: UInt64.self)
                for i in 0..<count { out[i] = d[Int(indices[i])] }
            default:
                for i in 0..<count {
                    (destination + i * width).copyMemory(from: dict + Int(indices[i]) * width, byteCount: width)
                }
            }
        }
    }

    /// Decodes `count` dictionary indices into `scratch` (resized as needed) and checks
    /// each against the dictionary size.
    static func decodeIndices(
        _ page: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int, into scratch: inout [UInt32]
    ) throws(DataFolioError) {
        guard count > 0 else { return }
        guard page.count >= 1 else {
            throw DataFolioError.truncated("Parquet", "a dictionary-encoded page has no bit width")
        }
        guard dictionaryCount > 0 else {
            throw DataFolioError.corrupt("Parquet", "a page refers to a dictionary, but the column chunk has no dictionary page")
        }
        let bitWidth = Int(page[0])
        if scratch.count < count { scratch = [UInt32](repeating: 0, count: count) }
        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: page[1...]), bitWidth: bitWidth)
        try scratch.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
            guard let base = buffer.baseAddress else { return }
            try decoder.decodeIndices(count: count, limit: dictionaryCount, into: base)
        }
    }

    /// Decodes `count` booleans: PLAIN (bit-packed) or RLE (length-prefixed hybrid).
    static func decodeBooleans(
        _ page: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, into destination: UnsafeMutablePointer<Bool>
    ) throws(DataFolioError) {
        switch encoding {
        case .plain:
            guard (count + 7) / 8 <= page.count else {
                throw DataFolioError.truncated("Parquet", "a page of booleans should hold \(count) bits but has \(page.count) bytes")
            }
            for i in 0..<count {
                destination[i] = (page[i >> 3] >> UInt8(i & 7)) & 1 == 1
            }
        case .rle:
            guard page.count >= 4 else {
                throw DataFolioError.truncated("Parquet", "an RLE boolean page has no length prefix")
            }
            let length = Int(UInt32(littleEndian: page.loadUnaligned(as: UInt32.self)))
            guard length <= page.count - 4 else {
                throw DataFolioError.truncated("Parquet", "an RLE boolean page declares \(length) bytes but holds \(page.count - 4)")
            }
            var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: page[4..<(4 + length)]), bitWidth: 1)
            var scratch = [UInt32](repeating: 0, count: max(count, 1))
            try scratch.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
                guard let base = buffer.baseAddress else { return }
                try decoder.decode(count: count, into: base)
                for i in 0..<count { destination[i] = base[i] != 0 }
            }
        default:
            throw DataFolioError.unsupported("Parquet", "the \(encoding) encoding for BOOLEAN columns")
        }
    }

    /// Converts INT96 timestamps (nanoseconds of the day, then the Julian day) to
    /// nanoseconds since the Unix epoch.
    static func int96ToNanoseconds(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Int64>) {
        for i in 0..<count {
            let nanosOfDay = Int64(littleEndian: source.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
            // The Julian day is unsigned, as parquet-cpp and Spark read it; dates past the
            // 64-bit nanosecond range wrap the way they do there.
            let julianDay = Int64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self)))
            destination[i] = (julianDay &- 2_440_588) &* 86_400_000_000_000 &+ nanosOfDay
        }
    }
}
