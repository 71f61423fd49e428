import DataFolioSupport

/// A normalized FSE distribution: a count per symbol summing to `1 << accuracyLog`, where
/// `-1` marks a "less than one" probability that takes a single table cell.
struct ZstdFSEDistribution {
    var counts: [Int16]
    var accuracyLog: Int

    /// Reads an FSE table description (RFC 8878 §4.1.1) from the start of `bytes` and
    /// returns it with the number of bytes it used.
    static func read(
        from bytes: UnsafeRawBufferPointer, maxSymbol: Int, maxAccuracyLog: Int, what: String
    ) throws(DataFolioError) -> (ZstdFSEDistribution, Int) {
        guard bytes.count > 0 else {
            throw DataFolioError.truncated(ZstdConstants.format, "the \(what) table description is missing")
        }
        var bits = ZstdForwardBitReader(bytes)
        let accuracyLog = bits.read(4) + 5
        guard accuracyLog <= maxAccuracyLog else {
            throw DataFolioError.corrupt(
                ZstdConstants.format, "the \(what) table uses accuracy log \(accuracyLog), above the limit of \(maxAccuracyLog)")
        }
        let tableSize = 1 << accuracyLog
        var counts = [Int16](repeating: 0, count: maxSymbol + 1)
        var remaining = tableSize + 1
        var threshold = tableSize
        var fieldBits = accuracyLog + 1
        var symbol = 0
        var previousWasZero = false
        while remaining > 1 {
            if previousWasZero {
                // Runs of zero probabilities are coded as 2-bit repeat counts; 3 means "and more".
                var repeatFlag = bits.read(2)
                symbol += repeatFlag
                while repeatFlag == 3 {
                    guard symbol <= maxSymbol, bits.byteCount <= bytes.count else {
                        throw DataFolioError.corrupt(ZstdConstants.format, "the \(what) table describes too many symbols")
                    }
                    repeatFlag = bits.read(2)
                    symbol += repeatFlag
                }
            }
            guard symbol <= maxSymbol else {
                throw DataFolioError.corrupt(
                    ZstdConstants.format, "the \(what) table describes symbol \(symbol), above the limit of \(maxSymbol)")
            }
            let largest = 2 * threshold - 1 - remaining
            let field = bits.peek(fieldBits)
            var value: Int
            if field & (threshold - 1) < largest {
                value = field & (threshold - 1)
                bits.skip(fieldBits - 1)
            } else {
                value = field & (2 * threshold - 1)
                if value >= threshold { value -= largest }
                bits.skip(fieldBits)
            }
            let count = value - 1
            remaining -= count < 0 ? -count : count
            guard remaining >= 1 else {
                throw DataFolioError.corrupt(ZstdConstants.format, "the \(what) table probabilities add up to more than \(tableSize)")
            }
            counts[symbol] = Int16(count)
            symbol += 1
            previousWasZero = count == 0
            while remaining < threshold {
                fieldBits -= 1
                threshold >>= 1
            }
        }
        let used = bits.byteCount
        guard used <= bytes.count else {
            throw DataFolioError.truncated(ZstdConstants.format, "the \(what) table description ends early")
        }
        guard remaining == 1 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the \(what) table probabilities do not add up to \(tableSize)")
        }
        // A single-symbol table breaks the "two or more symbols" rule but decodes fine;
        // the reference decoder accepts it, and so does this one.
        counts.removeLast(counts.count - symbol)
        return (ZstdFSEDistribution(counts: counts, accuracyLog: accuracyLog), used)
    }

    /// For each table cell, its symbol, in the order the format spreads symbols over the table.
    /// The counts must sum to the table size (checked by ``read``, true for predefined tables).
    func spreadSymbols() -> [UInt8] {
        let tableSize = 1 << accuracyLog
        var cells = [UInt8](repeating: 0, count: tableSize)
        var highest = tableSize - 1
        for (symbol, count) in counts.enumerated() where count == -1 {
            cells[highest] = UInt8(symbol)
            highest -= 1
        }
        let step = (tableSize >> 1) + (tableSize >> 3) + 3
        let mask = tableSize - 1
        var position = 0
        for (symbol, count) in counts.enumerated() where count > 0 {
            for _ in 0..<Int(count) {
                cells[position] = UInt8(symbol)
                repeat {
                    position = (position + step) & mask
                } while position > highest
            }
        }
        return cells
    }

    /// Calls `body(cell, symbol, nbBits, baseline)` for each cell of the decoding table.
    func forEachDecodingCell(_ body: (Int, Int, Int, Int) -> Void) {
        let tableSize = 1 << accuracyLog
        let cells = spreadSymbols()
        var next = counts.map { $0 == -1 ? 1 : Int($0) }
        for cell in 0..<tableSize {
            let symbol = Int(cells[cell])
            if counts[symbol] == -1 {
                body(cell, symbol, accuracyLog, 0)
            } else {
                let state = next[symbol]
                next[symbol] += 1
                let nbBits = accuracyLog - ZstdBits.highBit(state)
                body(cell, symbol, nbBits, (state << nbBits) - tableSize)
            }
        }
    }
}

/// One cell of a sequence decoding table: the next-state rule plus what the cell's code means.
struct ZstdSequenceCell {
    var baseline: UInt16
    var nbBits: UInt8
    var extraBits: UInt8
    var baseValue: UInt32
}

/// One cell of the small FSE table that decodes Huffman weights.
struct ZstdWeightCell {
    var baseline: UInt16
    var nbBits: UInt8
    var symbol: UInt8
}

enum ZstdSequenceTables {
    /// Fills `table` (room for `1 << distribution.accuracyLog` cells) with the decoding table.
    static func build(
        _ distribution: ZstdFSEDistribution, kind: ZstdSequenceKind, into table: UnsafeMutablePointer<ZstdSequenceCell>
    ) {
        distribution.forEachDecodingCell { cell, symbol, nbBits, baseline in
            table[cell] = ZstdSequenceCell(
                baseline: UInt16(baseline), nbBits: UInt8(nbBits),
                extraBits: kind.extraBits(of: symbol), baseValue: kind.baseline(of: symbol))
        }
    }

    /// The one-cell table of RLE mode: every sequence uses `symbol`, reading no state bits.
    static func buildRLE(symbol: Int, kind: ZstdSequenceKind, into table: UnsafeMutablePointer<ZstdSequenceCell>) {
        table[0] = ZstdSequenceCell(baseline: 0, nbBits: 0, extraBits: kind.extraBits(of: symbol), baseValue: kind.baseline(of: symbol))
    }

    static let predefinedLiteralLength = predefined(
        ZstdConstants.predefinedLiteralLengthCounts, ZstdConstants.predefinedLiteralLengthLog, .literalLength)
    static let predefinedMatchLength = predefined(
        ZstdConstants.predefinedMatchLengthCounts, ZstdConstants.predefinedMatchLengthLog, .matchLength)
    static let predefinedOffset = predefined(
        ZstdConstants.predefinedOffsetCounts, ZstdConstants.predefinedOffsetLog, .offset)

    private static func predefined(_ counts: [Int16], _ log: Int, _ kind: ZstdSequenceKind) -> [ZstdSequenceCell] {
        let distribution = ZstdFSEDistribution(counts: counts, accuracyLog: log)
        var cells = [ZstdSequenceCell](repeating: ZstdSequenceCell(baseline: 0, nbBits: 0, extraBits: 0, baseValue: 0), count: 1 << log)
        cells.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { build(distribution, kind: kind, into: base) }
        }
        return cells
    }
}
