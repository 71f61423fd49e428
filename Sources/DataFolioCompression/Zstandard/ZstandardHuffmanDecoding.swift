import DataFolioSupport

/// Huffman decoding of literals (RFC 8878 §4.2): reading a tree description into a lookup
/// table, and decoding one or four backward bitstreams with it.
///
/// The table has `1 << maxBits` entries indexed by the next `maxBits` bits of a stream; each
/// entry is `symbol << 8 | codeLength`.
enum ZstdHuffmanDecoding {
    /// Reads a Huffman tree description from the start of `bytes` into `table` (room for
    /// 2048 entries). Returns the table's `maxBits` and the bytes the description used.
    static func readTable(
        from bytes: UnsafeRawBufferPointer, into table: UnsafeMutablePointer<UInt16>
    ) throws(DataFolioError) -> (maxBits: Int, used: Int) {
        var weights = [UInt8](repeating: 0, count: 256)
        let (weightCount, used) = try readWeights(from: bytes, into: &weights)
        let maxBits = try buildTable(weights: weights, count: weightCount, into: table)
        return (maxBits, used)
    }

    /// Reads the weights of symbols `0 ..< count` (the last symbol's weight is implied).
    static func readWeights(
        from bytes: UnsafeRawBufferPointer, into weights: inout [UInt8]
    ) throws(DataFolioError) -> (count: Int, used: Int) {
        guard bytes.count >= 1 else {
            throw DataFolioError.truncated(ZstdConstants.format, "the Huffman tree description is missing")
        }
        let header = Int(bytes[0])
        if header >= 128 {
            let count = header - 127
            let size = (count + 1) / 2
            guard 1 + size <= bytes.count else {
                throw DataFolioError.truncated(ZstdConstants.format, "the Huffman weights end early")
            }
            for index in 0..<count {
                let byte = bytes[1 + index / 2]
                weights[index] = index & 1 == 0 ? byte >> 4 : byte & 0x0F
            }
            return (count, 1 + size)
        }
        let size = header
        guard 1 + size <= bytes.count else {
            throw DataFolioError.truncated(ZstdConstants.format, "the compressed Huffman weights end early")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[1..<(1 + size)])
        let (distribution, tableBytes) = try ZstdFSEDistribution.read(
            from: body, maxSymbol: 255, maxAccuracyLog: ZstdConstants.maxWeightsAccuracyLog, what: "Huffman weights")
        var cells = [ZstdWeightCell](repeating: ZstdWeightCell(baseline: 0, nbBits: 0, symbol: 0), count: 1 << distribution.accuracyLog)
        distribution.forEachDecodingCell { cell, symbol, nbBits, baseline in
            cells[cell] = ZstdWeightCell(baseline: UInt16(baseline), nbBits: UInt8(nbBits), symbol: UInt8(symbol))
        }
        let stream = UnsafeRawBufferPointer(rebasing: body[tableBytes...])
        var bits = try ZstdBackwardBitReader(stream, what: "the compressed Huffman weights")
        let log = distribution.accuracyLog
        // Two states take turns; when an update runs past the stream's start, the other
        // state yields the final weight.
        var states = (bits.read(log), bits.read(log))
        guard !bits.isOverflowed else {
            throw DataFolioError.truncated(ZstdConstants.format, "the compressed Huffman weights end early")
        }
        var count = 0
        while true {
            guard count <= 253 else {
                throw DataFolioError.corrupt(ZstdConstants.format, "the Huffman tree description has more than 255 weights")
            }
            let first = cells[states.0]
            weights[count] = first.symbol
            count += 1
            bits.reload()
            states.0 = Int(first.baseline) + bits.read(Int(first.nbBits))
            if bits.isOverflowed {
                weights[count] = cells[states.1].symbol
                count += 1
                break
            }
            let second = cells[states.1]
            weights[count] = second.symbol
            count += 1
            bits.reload()
            states.1 = Int(second.baseline) + bits.read(Int(second.nbBits))
            if bits.isOverflowed {
                weights[count] = cells[states.0].symbol
                count += 1
                break
            }
        }
        return (count, 1 + size)
    }

    /// Completes the weights with the implied last one and fills the decoding table.
    static func buildTable(
        weights: [UInt8], count: Int, into table: UnsafeMutablePointer<UInt16>
    ) throws(DataFolioError) -> Int {
        var rankCounts = [Int](repeating: 0, count: ZstdConstants.maxHuffmanBits + 2)
        var total = 0
        for index in 0..<count {
            let weight = Int(weights[index])
            guard weight <= ZstdConstants.maxHuffmanBits else {
                throw DataFolioError.corrupt(ZstdConstants.format, "a Huffman weight is \(weight), above the limit of 11")
            }
            if weight > 0 {
                total += 1 << (weight - 1)
                rankCounts[weight] += 1
            }
        }
        guard total > 0 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the Huffman tree description has no symbols")
        }
        let maxBits = ZstdBits.highBit(total) + 1
        guard maxBits <= ZstdConstants.maxHuffmanBits else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the Huffman codes are longer than 11 bits")
        }
        let rest = (1 << maxBits) - total
        guard rest & (rest - 1) == 0 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the Huffman weights do not describe a complete tree")
        }
        let lastWeight = ZstdBits.highBit(rest) + 1
        rankCounts[lastWeight] += 1
        guard rankCounts[1] >= 2, rankCounts[1] & 1 == 0 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the Huffman weights do not describe a complete tree")
        }
        // Codes are assigned by increasing weight, then symbol: each weight's symbols occupy a
        // contiguous run of table entries, starting where the previous weight's run ended.
        var rankStart = [Int](repeating: 0, count: ZstdConstants.maxHuffmanBits + 2)
        var next = 0
        for weight in 1...maxBits {
            rankStart[weight] = next
            next += rankCounts[weight] << (weight - 1)
        }
        for symbol in 0...count {
            let weight = symbol == count ? lastWeight : Int(weights[symbol])
            guard weight > 0 else { continue }
            let length = 1 << (weight - 1)
            let entry = UInt16(symbol << 8 | (maxBits + 1 - weight))
            let start = rankStart[weight]
            (table + start).update(repeating: entry, count: length)
            rankStart[weight] = start + length
        }
        return maxBits
    }

    @inline(__always)
    private static func decodeSymbol(
        _ bits: inout ZstdBackwardBitReader, _ table: UnsafePointer<UInt16>, _ maxBits: Int
    ) -> UInt8 {
        let entry = table[bits.peek(maxBits)]
        bits.skip(Int(entry & 0xFF))
        return UInt8(truncatingIfNeeded: entry &>> 8)
    }

    /// Decodes one stream of exactly `count` symbols into `output`.
    static func decodeStream(
        _ stream: UnsafeRawBufferPointer, table: UnsafePointer<UInt16>, maxBits: Int,
        into output: UnsafeMutablePointer<UInt8>, count: Int
    ) throws(DataFolioError) {
        var bits = try ZstdBackwardBitReader(stream, what: "a Huffman stream")
        var out = output
        let end = output + count
        // Four codes of at most 11 bits fit in the 57 bits a reload guarantees.
        while end - out >= 4 {
            bits.reload()
            out[0] = decodeSymbol(&bits, table, maxBits)
            out[1] = decodeSymbol(&bits, table, maxBits)
            out[2] = decodeSymbol(&bits, table, maxBits)
            out[3] = decodeSymbol(&bits, table, maxBits)
            out += 4
        }
        while out < end {
            bits.reload()
            out.pointee = decodeSymbol(&bits, table, maxBits)
            out += 1
        }
        guard bits.isFullyConsumed else {
            throw DataFolioError.corrupt(ZstdConstants.format, "a Huffman stream does not end where its literals do")
        }
    }

    /// Decodes the four streams (after the jump table) of `data` into `output`.
    static func decodeFourStreams(
        _ data: UnsafeRawBufferPointer, table: UnsafePointer<UInt16>, maxBits: Int,
        into output: UnsafeMutablePointer<UInt8>, count: Int
    ) throws(DataFolioError) {
        guard data.count >= 10 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "four Huffman streams need at least 10 bytes")
        }
        let size1 = Int(data[0]) | Int(data[1]) << 8
        let size2 = Int(data[2]) | Int(data[3]) << 8
        let size3 = Int(data[4]) | Int(data[5]) << 8
        let size4 = data.count - 6 - size1 - size2 - size3
        guard size4 >= 1 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the Huffman jump table points past the literals")
        }
        let segment = (count + 3) / 4
        guard 3 * segment <= count else {
            throw DataFolioError.corrupt(ZstdConstants.format, "too few literals (\(count)) for four Huffman streams")
        }
        let start1 = 6
        let start2 = start1 + size1
        let start3 = start2 + size2
        let start4 = start3 + size3
        var bits1 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: data[start1..<start2]), what: "Huffman stream 1")
        var bits2 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: data[start2..<start3]), what: "Huffman stream 2")
        var bits3 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: data[start3..<start4]), what: "Huffman stream 3")
        var bits4 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: data[start4...]), what: "Huffman stream 4")
        var out1 = output
        var out2 = output + segment
        var out3 = output + 2 * segment
        var out4 = output + 3 * segment
        let end1 = out2
        let end2 = out3
        let end3 = out4
        let end4 = output + count
        // The fourth stream is the shortest; interleaving the streams keeps the CPU busy
        // with independent work.
        while end4 - out4 >= 4 {
            bits1.reload()
            bits2.reload()
            bits3.reload()
            bits4.reload()
            out1[0] = decodeSymbol(&bits1, table, maxBits)
            out2[0] = decodeSymbol(&bits2, table, maxBits)
            out3[0] = decodeSymbol(&bits3, table, maxBits)
            out4[0] = decodeSymbol(&bits4, table, maxBits)
            out1[1] = decodeSymbol(&bits1, table, maxBits)
            out2[1] = decodeSymbol(&bits2, table, maxBits)
            out3[1] = decodeSymbol(&bits3, table, maxBits)
            out4[1] = decodeSymbol(&bits4, table, maxBits)
            out1[2] = decodeSymbol(&bits1, table, maxBits)
            out2[2] = decodeSymbol(&bits2, table, maxBits)
            out3[2] = decodeSymbol(&bits3, table, maxBits)
            out4[2] = decodeSymbol(&bits4, table, maxBits)
            out1[3] = decodeSymbol(&bits1, table, maxBits)
            out2[3] = decodeSymbol(&bits2, table, maxBits)
            out3[3] = decodeSymbol(&bits3, table, maxBits)
            out4[3] = decodeSymbol(&bits4, table, maxBits)
            out1 += 4
            out2 += 4
            out3 += 4
            out4 += 4
        }
        try finish(&bits1, table, maxBits, out1, end1)
        try finish(&bits2, table, maxBits, out2, end2)
        try finish(&bits3, table, maxBits, out3, end3)
        try finish(&bits4, table, maxBits, out4, end4)
    }

    private static func finish(
        _ bits: inout ZstdBackwardBitReader, _ table: UnsafePointer<UInt16>, _ maxBits: Int,
        _ start: UnsafeMutablePointer<UInt8>, _ end: UnsafeMutablePointer<UInt8>
    ) throws(DataFolioError) {
        var out = start
        while out < end {
            bits.reload()
            out.pointee = decodeSymbol(&bits, table, maxBits)
            out += 1
        }
        guard bits.isFullyConsumed else {
            throw DataFolioError.corrupt(ZstdConstants.format, "a Huffman stream does not end where its literals do")
        }
    }
}
