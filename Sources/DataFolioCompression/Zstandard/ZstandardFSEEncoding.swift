import Foundation

/// The FSE encoder side: turning symbol counts into a normalized distribution, writing its
/// table description, and the state machine that encodes symbols in reverse order.
///
/// Tables live in one allocation so the hot loop reads them without bounds checks or
/// reference counting; they never change after `init`, which makes sharing them safe.
final class ZstdFSEEncoder: @unchecked Sendable {
    /// The normalized distribution this table encodes (`-1` counts as one cell).
    let distribution: ZstdFSEDistribution
    let accuracyLog: Int
    /// For each table rank, the encoder state `tableSize + cell`.
    private let stateTable: UnsafeMutablePointer<UInt16>
    /// Per symbol: `(maxBitsOut << 16) - minStatePlus`, from which the number of bits to
    /// output follows with one add and shift; then where the symbol's states start in
    /// ``stateTable``, minus its count.
    private let transforms: UnsafeMutablePointer<(deltaBits: Int32, deltaFind: Int32)>
    /// Per symbol: the first state of the symbol, used to start encoding.
    private let firstState: UnsafeMutablePointer<UInt16>

    init(_ distribution: ZstdFSEDistribution) {
        self.distribution = distribution
        let log = distribution.accuracyLog
        accuracyLog = log
        let tableSize = 1 << log
        let cells = distribution.spreadSymbols()
        let counts = distribution.counts.map { $0 == -1 ? 1 : Int($0) }
        var cumulative = [Int](repeating: 0, count: counts.count + 1)
        for symbol in 0..<counts.count {
            cumulative[symbol + 1] = cumulative[symbol] + counts[symbol]
        }
        stateTable = .allocate(capacity: tableSize)
        var next = cumulative
        for cell in 0..<tableSize {
            let symbol = Int(cells[cell])
            (stateTable + next[symbol]).initialize(to: UInt16(tableSize + cell))
            next[symbol] += 1
        }
        transforms = .allocate(capacity: counts.count)
        transforms.initialize(repeating: (0, 0), count: counts.count)
        firstState = .allocate(capacity: counts.count)
        firstState.initialize(repeating: 0, count: counts.count)
        for (symbol, count) in counts.enumerated() where count > 0 {
            let maxBitsOut = count == 1 ? log : log - ZstdBits.highBit(count - 1)
            let minStatePlus = count << maxBitsOut
            transforms[symbol] = (Int32((maxBitsOut << 16) - minStatePlus), Int32(cumulative[symbol] - count))
            firstState[symbol] = stateTable[cumulative[symbol]]
        }
    }

    deinit {
        stateTable.deallocate()
        transforms.deallocate()
        firstState.deallocate()
    }

    /// The state to start with when the last symbol of a stream is `symbol`. It is the
    /// symbol's lowest state, which always reads at least one bit when decoded (unless the
    /// symbol owns the whole table).
    @inline(__always)
    func initialState(for symbol: Int) -> Int {
        Int(firstState[symbol])
    }

    /// Moves `state` back over `symbol`, writing the bits the decoder will read.
    @inline(__always)
    func encode(_ symbol: Int, state: inout Int, into writer: inout ZstdBitWriter) {
        let transform = transforms[symbol]
        let bits = (state &+ Int(transform.deltaBits)) &>> 16
        writer.add(state, bits)
        state = Int(stateTable[(state &>> bits) &+ Int(transform.deltaFind)])
    }

    /// Writes the final state, which the decoder reads first.
    @inline(__always)
    func flush(state: Int, into writer: inout ZstdBitWriter) {
        writer.add(state, accuracyLog)
    }
}

extension ZstdFSEDistribution {
    /// An accuracy log suited to `total` samples of symbols up to `maxSymbol`: fewer states
    /// for few samples, enough states for every symbol.
    static func accuracyLog(total: Int, maxSymbol: Int, maxLog: Int) -> Int {
        let sampleBits = ZstdBits.highBit(max(total - 1, 1))
        var log = min(maxLog, sampleBits - 2)
        let needed = min(sampleBits + 1, ZstdBits.highBit(max(maxSymbol, 1)) + 2)
        log = max(log, needed)
        return min(max(log, 5), maxLog)
    }

    /// Scales `counts` to sum to `1 << accuracyLog`, keeping every present symbol at least 1
    /// and spending the rounding where it costs the fewest bits. Needs at least two symbols
    /// and at most `1 << accuracyLog` of them.
    static func normalizing(_ counts: [Int], total: Int, accuracyLog: Int) -> ZstdFSEDistribution {
        let tableSize = 1 << accuracyLog
        var last = counts.count - 1
        while last > 0 && counts[last] == 0 { last -= 1 }
        var normalized = [Int](repeating: 0, count: last + 1)
        var sum = 0
        let scale = Double(tableSize) / Double(total)
        for symbol in 0...last where counts[symbol] > 0 {
            normalized[symbol] = max(1, Int(Double(counts[symbol]) * scale))
            sum += normalized[symbol]
        }
        // Each step moves one unit to (or from) the symbol where it changes the cost least:
        // the cost of a symbol is count × log2(tableSize / normalized).
        while sum < tableSize {
            var best = -1
            var bestGain = -1.0
            for symbol in 0...last where counts[symbol] > 0 {
                let n = Double(normalized[symbol])
                let gain = Double(counts[symbol]) * log2((n + 1) / n)
                if gain > bestGain {
                    bestGain = gain
                    best = symbol
                }
            }
            normalized[best] += 1
            sum += 1
        }
        while sum > tableSize {
            var best = -1
            var bestLoss = Double.infinity
            for symbol in 0...last where normalized[symbol] > 1 {
                let n = Double(normalized[symbol])
                let loss = Double(counts[symbol]) * log2(n / (n - 1))
                if loss < bestLoss {
                    bestLoss = loss
                    best = symbol
                }
            }
            normalized[best] -= 1
            sum -= 1
        }
        return ZstdFSEDistribution(counts: normalized.map { Int16($0) }, accuracyLog: accuracyLog)
    }

    /// Writes this distribution as an FSE table description; returns the bytes written, or nil
    /// when `capacity` is too small.
    func write(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        var writer = ZstdBitWriter(buffer, capacity: capacity)
        let tableSize = 1 << accuracyLog
        writer.add(accuracyLog - 5, 4)
        var remaining = tableSize + 1
        var threshold = tableSize
        var fieldBits = accuracyLog + 1
        var symbol = 0
        var previousWasZero = false
        while remaining > 1 {
            if previousWasZero {
                var run = 0
                while counts[symbol + run] == 0 { run += 1 }
                symbol += run
                while run >= 24 {
                    writer.add(0xFFFF, 16)
                    writer.flush()
                    run -= 24
                }
                while run >= 3 {
                    writer.add(3, 2)
                    run -= 3
                }
                writer.add(run, 2)
                writer.flush()
            }
            let count = Int(counts[symbol])
            symbol += 1
            let value = count + 1
            let largest = 2 * threshold - 1 - remaining
            remaining -= count < 0 ? -count : count
            if value < largest {
                writer.add(value, fieldBits - 1)
            } else if value >= threshold {
                writer.add(value + largest, fieldBits)
            } else {
                writer.add(value, fieldBits)
            }
            writer.flush()
            previousWasZero = count == 0
            while remaining < threshold {
                fieldBits -= 1
                threshold >>= 1
            }
        }
        return writer.finishBytes()
    }

    /// The approximate cost in bits of coding `counts` with this distribution, or infinity
    /// when a present symbol has no probability here.
    func cost(of counts: [Int]) -> Double {
        var bits = 0.0
        let tableSize = Double(1 << accuracyLog)
        for (symbol, count) in counts.enumerated() where count > 0 {
            guard symbol < self.counts.count, self.counts[symbol] != 0 else { return .infinity }
            let probability = self.counts[symbol] == -1 ? 1.0 : Double(self.counts[symbol])
            bits += Double(count) * log2(tableSize / probability)
        }
        return bits
    }
}
