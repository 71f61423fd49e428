import DataFolioSupport

/// Decodes DELTA_BINARY_PACKED integers (INT32/INT64 values, and the lengths inside the
/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY encodings).
enum DeltaBinaryPacked {
    /// The largest block a reader accepts; real writers use 128 or 256 values.
    static let maximumBlockSize = 1 << 16

    /// The header of an encoded run.
    struct Header {
        var blockSize: Int
        var miniblockCount: Int
        var declared: Int
        var first: UInt64
    }

    static func readHeader(_ reader: inout ByteReader) throws(DataFolioError) -> Header {
        let blockSize = try reader.readULEB128()
        let miniblockCount = try reader.readULEB128()
        let total = try reader.readULEB128()
        let first = UInt64(bitPattern: try reader.readZigZag())
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(maximumBlockSize),
            miniblockCount > 0, blockSize % miniblockCount == 0, (blockSize / miniblockCount) % 32 == 0
        else {
            throw DataFolioError.corrupt(
                "Parquet", "a DELTA_BINARY_PACKED header is invalid (block size \(blockSize), \(miniblockCount) miniblocks)")
        }
        guard total <= UInt64(Int32.max) else {
            throw DataFolioError.corrupt("Parquet", "a DELTA_BINARY_PACKED run declares \(total) values")
        }
        return Header(blockSize: Int(blockSize), miniblockCount: Int(miniblockCount), declared: Int(total), first: first)
    }

    /// Decodes the first `count` values of the run at the start of `bytes`.
    ///
    /// - Returns: the bytes consumed (the whole run when `count` equals the declared
    ///   count), and the declared count.
    @discardableResult
    static func decode(
        _ bytes: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutablePointer<UInt64>
    ) throws(DataFolioError) -> (consumed: Int, declared: Int) {
        var reader = ByteReader(bytes, format: "Parquet")
        let header = try readHeader(&reader)
        guard header.declared >= count else {
            throw DataFolioError.corrupt(
                "Parquet", "a DELTA_BINARY_PACKED run holds \(header.declared) values but \(count) are needed")
        }
        guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return (reader.offset, header.declared)
        }
        let valuesPerMiniblock = header.blockSize / header.miniblockCount
        let miniblocks = header.miniblockCount
        var previous = header.first
        destination[0] = previous
        var produced = 1
        var deltas = [UInt64](repeating: 0, count: valuesPerMiniblock)
        try deltas.withUnsafeMutableBufferPointer { (scratch) throws(DataFolioError) in
            guard let scratchBase = scratch.baseAddress else { return }
            while produced < count {
                let minDelta = UInt64(bitPattern: try reader.readZigZag())
                let widthsStart = reader.offset
                try reader.skip(miniblocks)
                for m in 0..<miniblocks where produced < count {
                    let width = Int(base[widthsStart + m])
                    guard width <= 64 else {
                        throw DataFolioError.corrupt("Parquet", "a DELTA_BINARY_PACKED miniblock uses \(width) bits")
                    }
                    let miniblockBytes = valuesPerMiniblock * width / 8
                    let start = reader.offset
                    try reader.skip(miniblockBytes)
                    let take = min(valuesPerMiniblock, count - produced)
                    BitPacking.unpack64(
                        base + start, available: miniblockBytes, bitOffset: 0, width: width, count: take,
                        into: scratchBase)
                    let out = destination + produced
                    for k in 0..<take {
                        previous = previous &+ minDelta &+ scratchBase[k]
                        out[k] = previous
                    }
                    produced += take
                }
            }
        }
        return (reader.offset, header.declared)
    }

    /// Decodes the first `count` values into 32-bit integers (INT32 columns wrap in 32 bits).
    static func decode32(
        _ bytes: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutablePointer<Int32>
    ) throws(DataFolioError) {
        var wide = [UInt64](repeating: 0, count: max(count, 1))
        try wide.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
            guard let pointer = buffer.baseAddress else { return }
            try decode(bytes, count: count, into: pointer)
            for i in 0..<count { destination[i] = Int32(truncatingIfNeeded: pointer[i]) }
        }
    }

    /// Decodes the first `count` values into 64-bit integers.
    static func decode64(
        _ bytes: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutablePointer<Int64>
    ) throws(DataFolioError) {
        try destination.withMemoryRebound(to: UInt64.self, capacity: count) { (pointer) throws(DataFolioError) in
            _ = try decode(bytes, count: count, into: pointer)
        }
    }

    /// Decodes a whole run whose length is not known in advance (byte-array lengths):
    /// every declared value and the bytes the run occupies.
    static func decodeAll(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) -> (values: [Int64], consumed: Int) {
        var probe = ByteReader(bytes, format: "Parquet")
        let header = try readHeader(&probe)
        let count = header.declared
        // All-equal deltas cost nothing per value, so the byte count cannot bound the
        // declared count; refuse runs far larger than the page could sensibly hold.
        guard count <= max(1 << 20, bytes.count * 64) else {
            throw DataFolioError(
                .limitExceeded,
                "Parquet: a DELTA_BINARY_PACKED run declares \(count) values in only \(bytes.count) bytes. The file is damaged.")
        }
        var values = [Int64](repeating: 0, count: max(count, 1))
        let consumed = try values.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) -> Int in
            guard let pointer = buffer.baseAddress else { return 0 }
            return try pointer.withMemoryRebound(to: UInt64.self, capacity: buffer.count) {
                (wide) throws(DataFolioError) -> Int in
                try decode(bytes, count: count, into: wide).consumed
            }
        }
        if count == 0 { values.removeAll() }
        return (values, consumed)
    }
}
