import DataFolioSupport

extension ZstdBlockDecoder {
    /// Decodes the sequences section and executes the sequences: copies literals and matches
    /// into `output`, then the literals left over.
    func decodeSequences(
        _ section: UnsafeRawBufferPointer, literalCount: Int, blockMaximum: Int,
        output: inout ZstdOutput, frameStart: Int
    ) throws(DataFolioError) {
        guard section.count >= 1 else {
            throw DataFolioError.truncated(ZstdConstants.format, "a block ends before its sequences section")
        }
        let byte0 = Int(section[0])
        var position = 1
        var sequenceCount = byte0
        if byte0 == 255 {
            guard section.count >= 3 else { throw sequencesHeaderTruncated() }
            sequenceCount = Int(section[1]) + Int(section[2]) << 8 + 0x7F00
            position = 3
        } else if byte0 >= 128 {
            guard section.count >= 2 else { throw sequencesHeaderTruncated() }
            sequenceCount = (byte0 - 128) << 8 + Int(section[1])
            position = 2
        }
        // The block may not grow past its maximum, nor past the output.
        let endIsOutputs = output.capacity < output.count + blockMaximum
        let blockEnd = endIsOutputs ? output.capacity : output.count + blockMaximum
        if sequenceCount == 0 {
            guard position == section.count else {
                throw DataFolioError.corrupt(ZstdConstants.format, "a block without sequences has extra bytes after its header")
            }
            try appendLiterals(literals, count: literalCount, output: &output, blockEnd: blockEnd, endIsOutputs: endIsOutputs)
            return
        }
        guard position < section.count else { throw sequencesHeaderTruncated() }
        let modes = Int(section[position])
        position += 1
        guard modes & 3 == 0 else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the reserved bits of the sequence compression modes are set")
        }
        position += try prepareTable(
            .literalLength, mode: modes >> 6, from: section, at: position, table: literalLengthTable, log: &literalLengthLog)
        position += try prepareTable(
            .offset, mode: (modes >> 4) & 3, from: section, at: position, table: offsetTable, log: &offsetLog)
        position += try prepareTable(
            .matchLength, mode: (modes >> 2) & 3, from: section, at: position, table: matchLengthTable, log: &matchLengthLog)

        let stream = UnsafeRawBufferPointer(rebasing: section[position...])
        var bits = try ZstdBackwardBitReader(stream, what: "the sequences bitstream")
        try execute(
            &bits, sequenceCount: sequenceCount, literalCount: literalCount, output: &output,
            blockEnd: blockEnd, endIsOutputs: endIsOutputs, frameStart: frameStart)
    }

    private func sequencesHeaderTruncated() -> DataFolioError {
        DataFolioError.truncated(ZstdConstants.format, "a sequences section header ends early")
    }

    /// Sets up the decoding table of one symbol kind; returns the bytes its description used.
    private func prepareTable(
        _ kind: ZstdSequenceKind, mode: Int, from section: UnsafeRawBufferPointer, at position: Int,
        table: UnsafeMutablePointer<ZstdSequenceCell>, log: inout Int
    ) throws(DataFolioError) -> Int {
        switch mode {
        case 0:
            let predefined: [ZstdSequenceCell]
            switch kind {
            case .literalLength: predefined = ZstdSequenceTables.predefinedLiteralLength
            case .offset: predefined = ZstdSequenceTables.predefinedOffset
            case .matchLength: predefined = ZstdSequenceTables.predefinedMatchLength
            }
            predefined.withUnsafeBufferPointer { cells in
                if let source = cells.baseAddress { table.update(from: source, count: cells.count) }
            }
            log = ZstdBits.highBit(predefined.count)
            return 0
        case 1:
            guard position < section.count else {
                throw DataFolioError.truncated(ZstdConstants.format, "the \(kind.name) RLE symbol is missing")
            }
            let symbol = Int(section[position])
            guard symbol <= kind.maxSymbol else {
                throw DataFolioError.corrupt(ZstdConstants.format, "the \(kind.name) RLE symbol \(symbol) is out of range")
            }
            ZstdSequenceTables.buildRLE(symbol: symbol, kind: kind, into: table)
            log = 0
            return 1
        case 2:
            let (distribution, used) = try ZstdFSEDistribution.read(
                from: UnsafeRawBufferPointer(rebasing: section[position...]), maxSymbol: kind.maxSymbol,
                maxAccuracyLog: kind.maxAccuracyLog, what: kind.name)
            ZstdSequenceTables.build(distribution, kind: kind, into: table)
            log = distribution.accuracyLog
            return used
        default:
            guard log >= 0 else {
                throw DataFolioError.corrupt(ZstdConstants.format, "a block repeats a \(kind.name) table that was never sent")
            }
            return 0
        }
    }

    private func appendLiterals(
        _ source: UnsafePointer<UInt8>, count: Int, output: inout ZstdOutput, blockEnd: Int, endIsOutputs: Bool
    ) throws(DataFolioError) {
        guard count <= blockEnd - output.count else {
            throw blockTooLarge(output: output, endIsOutputs: endIsOutputs)
        }
        (output.base + output.count).update(from: source, count: count)
        output.count += count
    }

    private func blockTooLarge(output: ZstdOutput, endIsOutputs: Bool) -> DataFolioError {
        if endIsOutputs { return output.overflowError() }
        return DataFolioError.corrupt(ZstdConstants.format, "a block decompresses to more than the frame's block size limit")
    }

    /// The hot loop: decodes each sequence and copies its literals and match.
    private func execute(
        _ bits: inout ZstdBackwardBitReader, sequenceCount: Int, literalCount: Int, output: inout ZstdOutput,
        blockEnd: Int, endIsOutputs: Bool, frameStart: Int
    ) throws(DataFolioError) {
        let llTable = UnsafePointer(literalLengthTable)
        let ofTable = UnsafePointer(offsetTable)
        let mlTable = UnsafePointer(matchLengthTable)
        var llState = bits.read(literalLengthLog)
        var ofState = bits.read(offsetLog)
        var mlState = bits.read(matchLengthLog)
        var (rep1, rep2, rep3) = repeatOffsets

        let base = output.base
        var op = output.count
        let capacity = output.capacity
        var literal = UnsafePointer(literals)
        let literalEnd = literal + literalCount

        var remaining = sequenceCount
        while remaining > 0 {
            remaining &-= 1
            bits.reload()
            let llCell = llTable[llState]
            let mlCell = mlTable[mlState]
            let ofCell = ofTable[ofState]

            let offsetBits = Int(ofCell.extraBits)
            var offset: Int
            if offsetBits > 1 {
                offset = Int(ofCell.baseValue) &+ bits.read(offsetBits) &- 3
                rep3 = rep2
                rep2 = rep1
                rep1 = offset
            } else {
                // Offset values 1...3 name a recent offset; a sequence without literals
                // shifts the choice by one.
                var index = Int(ofCell.baseValue) &+ bits.read(offsetBits) &- 1
                if llCell.baseValue == 0 { index &+= 1 }
                if index == 0 {
                    offset = rep1
                } else {
                    offset = index == 1 ? rep2 : (index == 2 ? rep3 : rep1 &- 1)
                    if index != 1 { rep3 = rep2 }
                    rep2 = rep1
                    rep1 = offset
                }
            }
            let matchLength = Int(mlCell.baseValue) &+ bits.read(Int(mlCell.extraBits))
            bits.reload()
            let literalLength = Int(llCell.baseValue) &+ bits.read(Int(llCell.extraBits))
            if remaining > 0 {
                llState = Int(llCell.baseline) &+ bits.read(Int(llCell.nbBits))
                mlState = Int(mlCell.baseline) &+ bits.read(Int(mlCell.nbBits))
                ofState = Int(ofCell.baseline) &+ bits.read(Int(ofCell.nbBits))
            }

            guard literalLength <= literalEnd - literal else {
                throw DataFolioError.corrupt(ZstdConstants.format, "a sequence uses more literals than its block holds")
            }
            let length = literalLength &+ matchLength
            guard length <= blockEnd &- op else {
                output.count = op
                throw blockTooLarge(output: output, endIsOutputs: endIsOutputs)
            }
            let matchStart = op &+ literalLength
            guard offset >= 1, offset <= matchStart &- frameStart else {
                throw DataFolioError.corrupt(
                    ZstdConstants.format, "a match refers \(offset) bytes back, before the start of the data")
            }
            let destination = base + op
            if length &+ Self.copySlack <= capacity &- op {
                Self.wildCopy(destination, literal, literalLength)
                Self.copyMatch(destination + literalLength, offset: offset, length: matchLength)
            } else {
                destination.update(from: literal, count: literalLength)
                Self.copyMatchExactly(destination + literalLength, offset: offset, length: matchLength)
            }
            op = matchStart &+ matchLength
            literal += literalLength
        }
        output.count = op
        repeatOffsets = (rep1, rep2, rep3)
        guard bits.isFullyConsumed else {
            throw DataFolioError.corrupt(ZstdConstants.format, "the sequences bitstream does not end where its sequences do")
        }
        try appendLiterals(
            literal, count: literalEnd - literal, output: &output, blockEnd: blockEnd, endIsOutputs: endIsOutputs)
    }

    // MARK: - Copies

    @inline(__always)
    private static func copy8(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>) {
        UnsafeMutableRawPointer(destination).storeBytes(
            of: UnsafeRawPointer(source).loadUnaligned(as: UInt64.self), as: UInt64.self)
    }

    /// Copies `count` bytes in 16-byte chunks, writing up to 15 bytes past the end; the source
    /// must not overlap the destination within 16 bytes.
    @inline(__always)
    private static func wildCopy(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ count: Int) {
        var offset = 0
        repeat {
            copy8(destination + offset, source + offset)
            copy8(destination + offset + 8, source + offset + 8)
            offset &+= 16
        } while offset < count
    }

    /// The smallest multiple of each offset below 8 that is at least 8.
    private static let patternStride: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 8, 8, 9, 8, 10, 12, 14)

    /// Copies a match that may overlap its source, writing up to 15 bytes past its end.
    @inline(__always)
    private static func copyMatch(_ destination: UnsafeMutablePointer<UInt8>, offset: Int, length: Int) {
        let source = UnsafePointer(destination - offset)
        if offset >= 16 {
            wildCopy(destination, source, length)
        } else if offset >= 8 {
            var index = 0
            repeat {
                copy8(destination + index, source + index)
                index &+= 8
            } while index < length
        } else {
            // A short period: write the first 8 bytes one at a time, then copy 8-byte chunks
            // from a whole number of periods back, at least 8 bytes away.
            for index in 0..<8 {
                destination[index] = destination[index &- offset]
            }
            let stride: Int
            switch offset {
            case 1: stride = patternStride.1
            case 2: stride = patternStride.2
            case 3: stride = patternStride.3
            case 4: stride = patternStride.4
            case 5: stride = patternStride.5
            case 6: stride = patternStride.6
            default: stride = patternStride.7
            }
            var index = 8
            while index < length {
                copy8(destination + index, UnsafePointer(destination + index - stride))
                index &+= 8
            }
        }
    }

    /// Copies a match without writing past its end (near the end of the output buffer).
    private static func copyMatchExactly(_ destination: UnsafeMutablePointer<UInt8>, offset: Int, length: Int) {
        if offset >= length {
            destination.update(from: destination - offset, count: length)
        } else {
            for index in 0..<length {
                destination[index] = destination[index - offset]
            }
        }
    }
}
