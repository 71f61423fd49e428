/// Builds length-limited Huffman codes for the DEFLATE encoder.
enum HuffmanEncoding {
    /// Optimal code lengths for `frequencies`, none longer than `limit` bits.
    ///
    /// At least two symbols always get a code, so the code is complete, which every
    /// decoder accepts (a lone code would be an incomplete code).
    static func lengths(for frequencies: UnsafeBufferPointer<UInt32>, limit: Int) -> [UInt8] {
        let symbolCount = frequencies.count
        var lengths = [UInt8](repeating: 0, count: symbolCount)
        var used: [Int] = []
        used.reserveCapacity(symbolCount)
        for symbol in 0..<symbolCount where frequencies[symbol] != 0 { used.append(symbol) }
        if used.count < 2 {
            // Pad with unused symbols so there are two codes of one bit.
            var filler = 0
            while used.count < 2 && filler < symbolCount {
                if !used.contains(filler) { used.append(filler) }
                filler += 1
            }
            for symbol in used { lengths[symbol] = 1 }
            return lengths
        }
        used.sort { frequencies[$0] != frequencies[$1] ? frequencies[$0] < frequencies[$1] : $0 < $1 }

        // Two-queue construction over leaves sorted by weight: nodes 0..<m are leaves,
        // m..<2m-1 internal nodes in the order they are made (so also sorted by weight).
        let leafCount = used.count
        let nodeCount = 2 * leafCount - 1
        var weight = [UInt64](repeating: 0, count: nodeCount)
        var parent = [Int](repeating: 0, count: nodeCount)
        for i in 0..<leafCount { weight[i] = UInt64(frequencies[used[i]]) }
        var nextLeaf = 0
        var nextInternal = leafCount
        for node in leafCount..<nodeCount {
            var children = (0, 0)
            for pick in 0..<2 {
                let child: Int
                if nextLeaf < leafCount && (nextInternal >= node || weight[nextLeaf] <= weight[nextInternal]) {
                    child = nextLeaf
                    nextLeaf += 1
                } else {
                    child = nextInternal
                    nextInternal += 1
                }
                if pick == 0 { children.0 = child } else { children.1 = child }
            }
            weight[node] = weight[children.0] + weight[children.1]
            parent[children.0] = node
            parent[children.1] = node
        }
        var depth = [Int](repeating: 0, count: nodeCount)
        var longest = 0
        for node in stride(from: nodeCount - 2, through: 0, by: -1) {
            depth[node] = depth[parent[node]] + 1
            if node < leafCount { longest = max(longest, depth[node]) }
        }
        if longest <= limit {
            for i in 0..<leafCount { lengths[used[i]] = UInt8(depth[i]) }
            return lengths
        }

        // Too deep: clamp to the limit, then restore the Kraft equality by moving leaves
        // down from the deepest shorter level, which changes the fewest bits.
        var countPerLength = [Int](repeating: 0, count: longest + 1)
        for i in 0..<leafCount { countPerLength[depth[i]] += 1 }
        for length in stride(from: longest, to: limit, by: -1) {
            countPerLength[limit] += countPerLength[length]
            countPerLength[length] = 0
        }
        var kraft = 0
        for length in 1...limit { kraft += countPerLength[length] << (limit - length) }
        while kraft > 1 << limit {
            countPerLength[limit] -= 1
            for length in stride(from: limit - 1, through: 1, by: -1) where countPerLength[length] > 0 {
                countPerLength[length] -= 1
                countPerLength[length + 1] += 2
                break
            }
            kraft -= 1
        }
        // The most frequent symbols (the end of `used`) get the shortest codes.
        var index = leafCount - 1
        for length in 1...limit {
            for _ in 0..<countPerLength[length] {
                lengths[used[index]] = UInt8(length)
                index -= 1
            }
        }
        return lengths
    }

    /// Canonical codes for `lengths`, bit-reversed so they can be written least
    /// significant bit first.
    static func codes(for lengths: [UInt8]) -> [UInt16] {
        var countPerLength = [UInt32](repeating: 0, count: 16)
        for length in lengths { countPerLength[Int(length)] += 1 }
        countPerLength[0] = 0
        var nextCode = [UInt32](repeating: 0, count: 16)
        var code: UInt32 = 0
        for length in 1...15 {
            code = (code + countPerLength[length - 1]) << 1
            nextCode[length] = code
        }
        var codes = [UInt16](repeating: 0, count: lengths.count)
        for symbol in 0..<lengths.count {
            let length = Int(lengths[symbol])
            if length == 0 { continue }
            codes[symbol] = UInt16(DeflateTables.reverseBits(nextCode[length], length))
            nextCode[length] += 1
        }
        return codes
    }
}
