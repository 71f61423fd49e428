/// How a block codes one kind of sequence symbol.
private struct ZstdTableChoice {
    var mode: Int
    var encoder: ZstdFSEEncoder
    /// The table description to write (FSE_Compressed mode) or the RLE symbol.
    var description: [UInt8]
}

/// Lookup tables for turning lengths into codes and extra bits, in one immutable allocation.
final class ZstdSequenceCodeTables: @unchecked Sendable {
    /// Literal length code of each length below 64.
    let literalLengthCodes: UnsafeMutablePointer<UInt8>
    /// Match length code of each length minus 3 below 128.
    let matchLengthCodes: UnsafeMutablePointer<UInt8>
    let literalLengthBaselines: UnsafeMutablePointer<UInt32>
    let literalLengthBits: UnsafeMutablePointer<UInt8>
    let matchLengthBaselines: UnsafeMutablePointer<UInt32>
    let matchLengthBits: UnsafeMutablePointer<UInt8>

    static let shared = ZstdSequenceCodeTables()

    private init() {
        literalLengthCodes = .allocate(capacity: 64)
        for length in 0..<64 {
            let code = ZstdConstants.literalLengthBaselines.lastIndex { $0 <= UInt32(length) } ?? 0
            (literalLengthCodes + length).initialize(to: UInt8(code))
        }
        matchLengthCodes = .allocate(capacity: 128)
        for base in 0..<128 {
            let code = ZstdConstants.matchLengthBaselines.lastIndex { $0 - 3 <= UInt32(base) } ?? 0
            (matchLengthCodes + base).initialize(to: UInt8(code))
        }
        literalLengthBaselines = .allocate(capacity: ZstdConstants.literalLengthBaselines.count)
        literalLengthBaselines.initialize(from: ZstdConstants.literalLengthBaselines, count: ZstdConstants.literalLengthBaselines.count)
        literalLengthBits = .allocate(capacity: ZstdConstants.literalLengthExtraBits.count)
        literalLengthBits.initialize(from: ZstdConstants.literalLengthExtraBits, count: ZstdConstants.literalLengthExtraBits.count)
        matchLengthBaselines = .allocate(capacity: ZstdConstants.matchLengthBaselines.count)
        matchLengthBaselines.initialize(from: ZstdConstants.matchLengthBaselines, count: ZstdConstants.matchLengthBaselines.count)
        matchLengthBits = .allocate(capacity: ZstdConstants.matchLengthExtraBits.count)
        matchLengthBits.initialize(from: ZstdConstants.matchLengthExtraBits, count: ZstdConstants.matchLengthExtraBits.count)
    }
}

enum ZstdSequenceCodes {
    static let predefinedLiteralLength = ZstdFSEEncoder(ZstdFSEDistribution(
        counts: ZstdConstants.predefinedLiteralLengthCounts, accuracyLog: ZstdConstants.predefinedLiteralLengthLog))
    static let predefinedMatchLength = ZstdFSEEncoder(ZstdFSEDistribution(
        counts: ZstdConstants.predefinedMatchLengthCounts, accuracyLog: ZstdConstants.predefinedMatchLengthLog))
    static let predefinedOffset = ZstdFSEEncoder(ZstdFSEDistribution(
        counts: ZstdConstants.predefinedOffsetCounts, accuracyLog: ZstdConstants.predefinedOffsetLog))
}

extension ZstdBlockEncoder {
    /// Writes the sequences section; returns its size, or nil when it does not fit.
    func writeSequences(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        let count = sequenceCount
        guard capacity >= 4 else { return nil }
        var position: Int
        if count < 128 {
            buffer[0] = UInt8(count)
            position = 1
        } else if count < 0x7F00 {
            buffer[0] = UInt8(count >> 8 + 128)
            buffer[1] = UInt8(truncatingIfNeeded: count)
            position = 2
        } else {
            buffer[0] = 255
            buffer[1] = UInt8(truncatingIfNeeded: count - 0x7F00)
            buffer[2] = UInt8(truncatingIfNeeded: (count - 0x7F00) >> 8)
            position = 3
        }
        guard count > 0 else { return position }

        var literalLengthHistogram = [Int](repeating: 0, count: ZstdConstants.maxLiteralLengthCode + 1)
        var matchLengthHistogram = [Int](repeating: 0, count: ZstdConstants.maxMatchLengthCode + 1)
        var offsetHistogram = [Int](repeating: 0, count: ZstdConstants.maxOffsetCode + 1)
        computeCodes(&literalLengthHistogram, &matchLengthHistogram, &offsetHistogram)

        let literalLength = Self.chooseTable(
            literalLengthHistogram, count: count, kind: .literalLength,
            predefined: ZstdSequenceCodes.predefinedLiteralLength, previous: entropy.literalLength)
        let offset = Self.chooseTable(
            offsetHistogram, count: count, kind: .offset,
            predefined: ZstdSequenceCodes.predefinedOffset, previous: entropy.offset)
        let matchLength = Self.chooseTable(
            matchLengthHistogram, count: count, kind: .matchLength,
            predefined: ZstdSequenceCodes.predefinedMatchLength, previous: entropy.matchLength)
        pendingEntropy = ZstdEncoderEntropy(
            literalLength: literalLength.encoder, offset: offset.encoder, matchLength: matchLength.encoder)

        let descriptions = literalLength.description.count + offset.description.count + matchLength.description.count
        guard position + 1 + descriptions < capacity else { return nil }
        buffer[position] = UInt8(literalLength.mode << 6 | offset.mode << 4 | matchLength.mode << 2)
        position += 1
        for description in [literalLength.description, offset.description, matchLength.description] {
            buffer.advanced(by: position).update(from: description, count: description.count)
            position += description.count
        }
        guard let streamSize = writeSequenceStream(
            into: buffer + position, capacity: capacity - position,
            literalLength: literalLength.encoder, offset: offset.encoder, matchLength: matchLength.encoder) else {
            return nil
        }
        return position + streamSize
    }

    /// Fills the code arrays and counts each code.
    private func computeCodes(_ literalLengthHistogram: inout [Int], _ matchLengthHistogram: inout [Int], _ offsetHistogram: inout [Int]) {
        let tables = ZstdSequenceCodeTables.shared
        let llTable = tables.literalLengthCodes
        let mlTable = tables.matchLengthCodes
        var llCounts = [Int](repeating: 0, count: 64)
        var mlCounts = [Int](repeating: 0, count: 64)
        var ofCounts = [Int](repeating: 0, count: 64)
        llCounts.withUnsafeMutableBufferPointer { llCounts in
            mlCounts.withUnsafeMutableBufferPointer { mlCounts in
                ofCounts.withUnsafeMutableBufferPointer { ofCounts in
                    for index in 0..<sequenceCount {
                        let literalLength = Int(literalLengths[index])
                        let llCode = literalLength < 64 ? Int(llTable[literalLength]) : ZstdBits.highBit(literalLength) &+ 19
                        let matchBase = Int(matchLengths[index]) &- ZstdConstants.minMatch
                        let mlCode = matchBase < 128 ? Int(mlTable[matchBase]) : ZstdBits.highBit(matchBase) &+ 36
                        let ofCode = ZstdBits.highBit(Int(offsetValues[index]))
                        literalLengthCodes[index] = UInt8(truncatingIfNeeded: llCode)
                        matchLengthCodes[index] = UInt8(truncatingIfNeeded: mlCode)
                        offsetCodes[index] = UInt8(truncatingIfNeeded: ofCode)
                        llCounts[llCode] &+= 1
                        mlCounts[mlCode] &+= 1
                        ofCounts[ofCode] &+= 1
                    }
                }
            }
        }
        for code in 0..<literalLengthHistogram.count { literalLengthHistogram[code] = llCounts[code] }
        for code in 0..<matchLengthHistogram.count { matchLengthHistogram[code] = mlCounts[code] }
        for code in 0..<offsetHistogram.count { offsetHistogram[code] = ofCounts[code] }
    }

    /// Picks the cheapest of RLE, predefined, repeat and a new table for one symbol kind.
    private static func chooseTable(
        _ histogram: [Int], count: Int, kind: ZstdSequenceKind, predefined: ZstdFSEEncoder, previous: ZstdFSEEncoder?
    ) -> ZstdTableChoice {
        var maxSymbol = 0
        var distinct = 0
        for (symbol, occurrences) in histogram.enumerated() where occurrences > 0 {
            maxSymbol = symbol
            distinct += 1
        }
        if distinct == 1 {
            var counts = [Int16](repeating: 0, count: maxSymbol + 1)
            counts[maxSymbol] = 1
            let encoder = ZstdFSEEncoder(ZstdFSEDistribution(counts: counts, accuracyLog: 0))
            return ZstdTableChoice(mode: 1, encoder: encoder, description: [UInt8(maxSymbol)])
        }
        var best = ZstdTableChoice(mode: 0, encoder: predefined, description: [])
        var bestCost = predefined.distribution.cost(of: histogram)
        if let previous {
            let cost = previous.distribution.cost(of: histogram)
            if cost < bestCost {
                best = ZstdTableChoice(mode: 3, encoder: previous, description: [])
                bestCost = cost
            }
        }
        let log = ZstdFSEDistribution.accuracyLog(total: count, maxSymbol: maxSymbol, maxLog: kind.maxAccuracyLog)
        let distribution = ZstdFSEDistribution.normalizing(histogram, total: count, accuracyLog: log)
        var description = [UInt8](repeating: 0, count: 128)
        let size = description.withUnsafeMutableBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            return distribution.write(into: base, capacity: buffer.count)
        }
        if let size {
            let cost = distribution.cost(of: histogram) + Double(8 * size)
            if cost < bestCost {
                description.removeLast(description.count - size)
                best = ZstdTableChoice(mode: 2, encoder: ZstdFSEEncoder(distribution), description: description)
            }
        }
        return best
    }

    /// Writes the interleaved FSE states and extra bits, last sequence first.
    private func writeSequenceStream(
        into buffer: UnsafeMutablePointer<UInt8>, capacity: Int,
        literalLength: ZstdFSEEncoder, offset: ZstdFSEEncoder, matchLength: ZstdFSEEncoder
    ) -> Int? {
        var writer = ZstdBitWriter(buffer, capacity: capacity)
        let tables = ZstdSequenceCodeTables.shared
        let last = sequenceCount - 1
        var llState = literalLength.initialState(for: Int(literalLengthCodes[last]))
        var ofState = offset.initialState(for: Int(offsetCodes[last]))
        var mlState = matchLength.initialState(for: Int(matchLengthCodes[last]))
        writeExtraBits(last, &writer, tables)
        var index = last - 1
        while index >= 0 {
            offset.encode(Int(offsetCodes[index]), state: &ofState, into: &writer)
            matchLength.encode(Int(matchLengthCodes[index]), state: &mlState, into: &writer)
            literalLength.encode(Int(literalLengthCodes[index]), state: &llState, into: &writer)
            writer.flush()
            writeExtraBits(index, &writer, tables)
            index -= 1
        }
        matchLength.flush(state: mlState, into: &writer)
        offset.flush(state: ofState, into: &writer)
        literalLength.flush(state: llState, into: &writer)
        return writer.close()
    }

    /// Writes the extra bits of one sequence: literal length, match length, then offset.
    @inline(__always)
    private func writeExtraBits(_ index: Int, _ writer: inout ZstdBitWriter, _ tables: ZstdSequenceCodeTables) {
        let llCode = Int(literalLengthCodes[index])
        let mlCode = Int(matchLengthCodes[index])
        let ofCode = Int(offsetCodes[index])
        writer.addClean(
            Int(literalLengths[index]) &- Int(tables.literalLengthBaselines[llCode]), Int(tables.literalLengthBits[llCode]))
        writer.addClean(
            Int(matchLengths[index]) &- Int(tables.matchLengthBaselines[mlCode]), Int(tables.matchLengthBits[mlCode]))
        writer.flush()
        writer.addClean(Int(offsetValues[index]) &- (1 &<< ofCode), ofCode)
        writer.flush()
    }
}
