/// A Huffman code for literals, limited to 11-bit codes, with the writers for its tree
/// description (RFC 8878 §4.2.1) and its bitstreams.
struct ZstdHuffmanEncoder {
    /// Per symbol: `code << 8 | length`; length 0 for absent symbols.
    private var entries: [UInt32]
    /// The longest code length (the decoder's `Max_Number_of_Bits`).
    let maxBits: Int
    /// The highest symbol present; its weight is implied by the others.
    let lastSymbol: Int
    private let lengths: [Int]

    /// Builds a code for `histogram` (256 counts), or nil when fewer than two symbols occur.
    init?(histogram: UnsafePointer<Int>) {
        var symbols: [Int] = []
        for symbol in 0..<256 where histogram[symbol] > 0 {
            symbols.append(symbol)
        }
        guard symbols.count >= 2, let last = symbols.last else { return nil }
        var lengths = Self.codeLengths(histogram: histogram, symbols: symbols)
        guard Self.limitLengths(&lengths, histogram: histogram, symbols: symbols, limit: ZstdConstants.maxHuffmanBits) else {
            return nil
        }
        var maxBits = 0
        for symbol in symbols { maxBits = max(maxBits, lengths[symbol]) }

        // Codes follow the decoder's table layout: by increasing weight (decreasing length),
        // then by symbol, each symbol taking 2^(weight-1) consecutive table entries.
        var entries = [UInt32](repeating: 0, count: 256)
        var next = 0
        for length in stride(from: maxBits, through: 1, by: -1) {
            for symbol in symbols where lengths[symbol] == length {
                let code = next >> (maxBits - length)
                entries[symbol] = UInt32(code << 8 | length)
                next += 1 << (maxBits - length)
            }
        }
        self.entries = entries
        self.maxBits = maxBits
        self.lastSymbol = last
        self.lengths = lengths
    }

    /// Code lengths of an unrestricted Huffman code, built with the two-queue method.
    private static func codeLengths(histogram: UnsafePointer<Int>, symbols: [Int]) -> [Int] {
        let sorted = symbols.sorted { (histogram[$0], $0) < (histogram[$1], $1) }
        let leafCount = sorted.count
        var weight = [Int](repeating: 0, count: 2 * leafCount - 1)
        var parent = [Int](repeating: 0, count: 2 * leafCount - 1)
        for (index, symbol) in sorted.enumerated() { weight[index] = histogram[symbol] }
        var nextLeaf = 0
        var nextNode = leafCount
        var created = leafCount
        func takeSmallest() -> Int {
            if nextLeaf < leafCount && (nextNode >= created || weight[nextLeaf] <= weight[nextNode]) {
                nextLeaf += 1
                return nextLeaf - 1
            }
            nextNode += 1
            return nextNode - 1
        }
        while created < 2 * leafCount - 1 {
            let first = takeSmallest()
            let second = takeSmallest()
            weight[created] = weight[first] + weight[second]
            parent[first] = created
            parent[second] = created
            created += 1
        }
        var depth = [Int](repeating: 0, count: 2 * leafCount - 1)
        for node in stride(from: 2 * leafCount - 3, through: 0, by: -1) {
            depth[node] = depth[parent[node]] + 1
        }
        var lengths = [Int](repeating: 0, count: 256)
        for (index, symbol) in sorted.enumerated() { lengths[symbol] = depth[index] }
        return lengths
    }

    /// Caps code lengths at `limit` and repairs the Kraft sum so the code stays complete;
    /// returns whether it succeeded.
    private static func limitLengths(_ lengths: inout [Int], histogram: UnsafePointer<Int>, symbols: [Int], limit: Int) -> Bool {
        let unit = 1 << limit
        var kraft = 0
        for symbol in symbols {
            lengths[symbol] = min(lengths[symbol], limit)
            kraft += unit >> lengths[symbol]
        }
        guard kraft != unit else { return true }
        // Too many short codes now: lengthen the rarest codes that are still below the limit.
        let rarestFirst = symbols.sorted { (histogram[$0], -lengths[$0]) < (histogram[$1], -lengths[$1]) }
        while kraft > unit {
            for symbol in rarestFirst where kraft > unit && lengths[symbol] < limit {
                kraft -= unit >> (lengths[symbol] + 1)
                lengths[symbol] += 1
            }
        }
        // Spend any slack by shortening the most frequent codes that fit in it.
        let frequentFirst = rarestFirst.reversed()
        while kraft < unit {
            var changed = false
            for symbol in frequentFirst where lengths[symbol] > 1 {
                let gain = unit >> lengths[symbol]
                if kraft + gain <= unit {
                    kraft += gain
                    lengths[symbol] -= 1
                    changed = true
                    break
                }
            }
            if !changed { break }
        }
        return kraft == unit
    }

    /// The number of bits the literals of `histogram` take with this code.
    func encodedBits(histogram: UnsafePointer<Int>) -> Int {
        var bits = 0
        for symbol in 0...lastSymbol {
            bits += histogram[symbol] * lengths[symbol]
        }
        return bits
    }

    /// Whether every symbol of `histogram` has a code.
    func covers(_ histogram: UnsafePointer<Int>) -> Bool {
        for symbol in 0..<256 where histogram[symbol] > 0 && (symbol > lastSymbol || lengths[symbol] == 0) {
            return false
        }
        return true
    }

    /// The weights the tree description lists: one per symbol below ``lastSymbol``.
    private var weights: [Int] {
        (0..<lastSymbol).map { lengths[$0] == 0 ? 0 : maxBits + 1 - lengths[$0] }
    }

    /// Writes the tree description, FSE-compressed or direct, whichever is smaller.
    /// Returns its size, or nil when neither form can describe this code.
    func writeDescription(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        let weights = self.weights
        var scratch = [UInt8](repeating: 0, count: 160)
        let compressedSize = scratch.withUnsafeMutableBufferPointer { scratch -> Int? in
            guard let base = scratch.baseAddress else { return nil }
            return Self.writeCompressedWeights(weights, into: base, capacity: scratch.count)
        }
        let directSize = weights.count <= 128 ? 1 + (weights.count + 1) / 2 : nil
        if let compressedSize, compressedSize <= directSize ?? Int.max {
            guard compressedSize <= capacity else { return nil }
            buffer.update(from: scratch, count: compressedSize)
            return compressedSize
        }
        guard let directSize, directSize <= capacity else { return nil }
        buffer[0] = UInt8(127 + weights.count)
        for index in stride(from: 0, to: weights.count, by: 2) {
            let high = weights[index]
            let low = index + 1 < weights.count ? weights[index + 1] : 0
            buffer[1 + index / 2] = UInt8(high << 4 | low)
        }
        return directSize
    }

    /// Writes the header byte and FSE-compressed weights; nil when that form does not apply.
    private static func writeCompressedWeights(_ weights: [Int], into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        guard weights.count >= 2 else { return nil }
        var histogram = [Int](repeating: 0, count: ZstdConstants.maxHuffmanBits + 1)
        var maxWeight = 0
        for weight in weights {
            histogram[weight] += 1
            maxWeight = max(maxWeight, weight)
        }
        // A single weight value would own the whole table, and its states would read no
        // bits: the decoder could not tell where the weights end.
        guard histogram.filter({ $0 > 0 }).count >= 2 else { return nil }
        histogram.removeLast(histogram.count - maxWeight - 1)
        let log = ZstdFSEDistribution.accuracyLog(
            total: weights.count, maxSymbol: maxWeight, maxLog: ZstdConstants.maxWeightsAccuracyLog)
        let distribution = ZstdFSEDistribution.normalizing(histogram, total: weights.count, accuracyLog: log)
        guard let tableSize = distribution.write(into: buffer + 1, capacity: capacity - 1) else { return nil }
        let encoder = ZstdFSEEncoder(distribution)
        var writer = ZstdBitWriter(buffer + 1 + tableSize, capacity: capacity - 1 - tableSize)
        // Two interleaved states: the first decodes even positions, the second odd ones. The
        // state holding the next-to-last weight starts at its symbol's lowest state, so its
        // final update reads past the stream's start, which ends decoding.
        let count = weights.count
        var even: Int
        var odd: Int
        if count & 1 == 1 {
            even = encoder.initialState(for: weights[count - 1])
            odd = encoder.initialState(for: weights[count - 2])
        } else {
            even = encoder.initialState(for: weights[count - 2])
            odd = encoder.initialState(for: weights[count - 1])
        }
        var index = count - 3
        while index >= 0 {
            if index & 1 == 0 {
                encoder.encode(weights[index], state: &even, into: &writer)
            } else {
                encoder.encode(weights[index], state: &odd, into: &writer)
            }
            writer.flush()
            index -= 1
        }
        encoder.flush(state: odd, into: &writer)
        encoder.flush(state: even, into: &writer)
        guard let streamSize = writer.close() else { return nil }
        let size = tableSize + streamSize
        guard size < 128 else { return nil }
        buffer[0] = UInt8(size)
        return 1 + size
    }

    /// Encodes `count` literals as one backward stream; returns its size, or nil if it did
    /// not fit in `capacity`.
    func encodeStream(
        _ literals: UnsafePointer<UInt8>, count: Int, into buffer: UnsafeMutablePointer<UInt8>, capacity: Int
    ) -> Int? {
        var writer = ZstdBitWriter(buffer, capacity: capacity)
        return entries.withUnsafeBufferPointer { table -> Int? in
            guard let table = table.baseAddress else { return nil }
            // The decoder yields the first literal first, so it must be written last.
            var index = count
            while index >= 4 {
                index -= 4
                let a = table[Int(literals[index + 3])]
                let b = table[Int(literals[index + 2])]
                let c = table[Int(literals[index + 1])]
                let d = table[Int(literals[index])]
                writer.addClean(Int(a >> 8), Int(a & 0xFF))
                writer.addClean(Int(b >> 8), Int(b & 0xFF))
                writer.addClean(Int(c >> 8), Int(c & 0xFF))
                writer.addClean(Int(d >> 8), Int(d & 0xFF))
                writer.flush()
            }
            while index > 0 {
                index -= 1
                let entry = table[Int(literals[index])]
                writer.addClean(Int(entry >> 8), Int(entry & 0xFF))
            }
            writer.flush()
            return writer.close()
        }
    }
}
