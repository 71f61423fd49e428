import DataFolioSupport

/// Decodes repetition and definition levels into one byte per level.
enum LevelDecoding {
    /// Decodes `count` levels of at most `maxLevel` from the start of `bytes`.
    ///
    /// - Parameter lengthPrefixed: whether an RLE section starts with its 4-byte length
    ///   (data pages v1) or fills `bytes` (v2, where the header gives the length).
    /// - Returns: the bytes consumed.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, encoding: ParquetEncoding, maxLevel: Int, count: Int, lengthPrefixed: Bool,
        scratch: inout [UInt32], into destination: UnsafeMutablePointer<UInt8>
    ) throws(DataFolioError) -> Int {
        let bitWidth = BitPacking.bitWidth(of: UInt64(maxLevel))
        switch encoding {
        case .rle:
            var region = bytes
            var consumed = bytes.count
            if lengthPrefixed {
                guard bytes.count >= 4 else {
                    throw DataFolioError.truncated("Parquet", "a data page ends before the length of its levels")
                }
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
                guard length <= bytes.count - 4 else {
                    throw DataFolioError.truncated(
                        "Parquet", "a data page declares \(length) bytes of levels but holds \(bytes.count - 4)")
                }
                region = UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + length)])
                consumed = 4 + length
            }
            var decoder = try RLEHybridDecoder(region, bitWidth: bitWidth)
            try decodeNarrow(&decoder, count: count, scratch: &scratch, into: destination)
            return consumed
        case .bitPacked:
            // Deprecated layout: values packed from the most significant bit.
            let byteCount = (count * bitWidth + 7) / 8
            guard byteCount <= bytes.count else {
                throw DataFolioError.truncated("Parquet", "a BIT_PACKED level section needs \(byteCount) bytes but has \(bytes.count)")
            }
            for i in 0..<count {
                var value = 0
                for b in 0..<bitWidth {
                    let bit = i * bitWidth + b
                    let byte = bytes[bit >> 3]
                    value = value << 1 | Int((byte >> UInt8(7 - (bit & 7))) & 1)
                }
                destination[i] = UInt8(truncatingIfNeeded: value)
            }
            return byteCount
        default:
            throw DataFolioError.unsupported("Parquet", "the \(encoding) encoding for repetition or definition levels")
        }
    }

    /// Decodes through a 32-bit scratch buffer in slices, narrowing to bytes.
    private static func decodeNarrow(
        _ decoder: inout RLEHybridDecoder, count: Int, scratch: inout [UInt32], into destination: UnsafeMutablePointer<UInt8>
    ) throws(DataFolioError) {
        let slice = 4096
        if scratch.count < slice { scratch = [UInt32](repeating: 0, count: slice) }
        try scratch.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
            guard let base = buffer.baseAddress else { return }
            var done = 0
            while done < count {
                let n = min(slice, count - done)
                try decoder.decode(count: n, into: base)
                let out = destination + done
                for i in 0..<n { out[i] = UInt8(truncatingIfNeeded: base[i]) }
                done += n
            }
        }
    }
}
