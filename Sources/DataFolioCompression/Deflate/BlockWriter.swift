/// Writes one DEFLATE block in the cheapest of the three encodings.
enum BlockWriter {
    /// Writes `symbols` (which encode exactly the bytes `raw`) as a dynamic, fixed or
    /// stored block, whichever is smallest. `literalFrequencies` gets the end-of-block count.
    static func write(
        symbols: UnsafeBufferPointer<UInt32>, literalFrequencies: UnsafeMutableBufferPointer<UInt32>,
        distanceFrequencies: UnsafeMutableBufferPointer<UInt32>, raw: UnsafeRawBufferPointer, final: Bool,
        writer: inout BitWriter
    ) {
        literalFrequencies[256] = 1
        let literalLengths = HuffmanEncoding.lengths(for: UnsafeBufferPointer(literalFrequencies), limit: 15)
        let distanceLengths = HuffmanEncoding.lengths(for: UnsafeBufferPointer(distanceFrequencies), limit: 15)

        var extraBits = 0
        for code in 0..<29 {
            extraBits += Int(literalFrequencies[257 + code]) * Int(DeflateTables.lengthExtra[code])
        }
        for code in 0..<30 {
            extraBits += Int(distanceFrequencies[code]) * Int(DeflateTables.distanceExtra[code])
        }
        var dynamicData = 0
        var fixedData = 0
        for symbol in 0..<286 {
            let frequency = Int(literalFrequencies[symbol])
            dynamicData += frequency * Int(literalLengths[symbol])
            fixedData += frequency * Int(DeflateTables.fixedLiteralLengths[symbol])
        }
        for symbol in 0..<30 {
            let frequency = Int(distanceFrequencies[symbol])
            dynamicData += frequency * Int(distanceLengths[symbol])
            fixedData += frequency * 5
        }
        let header = DynamicHeader(literalLengths: literalLengths, distanceLengths: distanceLengths)
        let dynamicBits = 3 + header.bitCount + dynamicData + extraBits
        let fixedBits = 3 + fixedData + extraBits
        let storedChunks = max(1, (raw.count + 65534) / 65535)
        let storedBits = raw.count * 8 + storedChunks * (3 + 7 + 32)

        if storedBits < min(dynamicBits, fixedBits) {
            writeStored(raw, final: final, writer: &writer)
            return
        }
        writer.reserve(min(dynamicBits, fixedBits) / 8 + 16)
        writer.write(final ? 1 : 0, 1)
        if dynamicBits < fixedBits {
            writer.write(2, 2)
            header.write(to: &writer)
            writeSymbols(symbols, literalLengths: literalLengths, distanceLengths: distanceLengths, writer: &writer)
        } else {
            writer.write(1, 2)
            writeSymbols(
                symbols, literalLengths: DeflateTables.fixedLiteralLengths,
                distanceLengths: DeflateTables.fixedDistanceLengths, writer: &writer)
        }
    }

    /// Writes `raw` as stored blocks of at most 65,535 bytes.
    static func writeStored(_ raw: UnsafeRawBufferPointer, final: Bool, writer: inout BitWriter) {
        var offset = 0
        repeat {
            let length = min(65535, raw.count - offset)
            let last = offset + length == raw.count
            writer.reserve(length + 16)
            writer.write(final && last ? 1 : 0, 1)
            writer.write(0, 2)
            writer.alignToByte()
            writer.write(UInt32(length) | UInt32(~UInt16(length)) << 16, 32)
            if length > 0 { writer.append(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)])) }
            offset += length
        } while offset < raw.count
    }

    private static func writeSymbols(
        _ symbols: UnsafeBufferPointer<UInt32>, literalLengths: [UInt8], distanceLengths: [UInt8],
        writer: inout BitWriter
    ) {
        let literalCodes = HuffmanEncoding.codes(for: literalLengths)
        let distanceCodes = HuffmanEncoding.codes(for: distanceLengths)
        literalCodes.withUnsafeBufferPointer { literalCodes in
        literalLengths.withUnsafeBufferPointer { literalLengths in
        distanceCodes.withUnsafeBufferPointer { distanceCodes in
        distanceLengths.withUnsafeBufferPointer { distanceLengths in
            for symbol in symbols {
                if symbol & 0x8000_0000 == 0 {
                    let byte = Int(symbol)
                    writer.write(UInt32(literalCodes[byte]), Int(literalLengths[byte]))
                    continue
                }
                let lengthMinus3 = Int((symbol >> 16) & 0xFF)
                let lengthCode = Int(DeflateCodeMaps.lengthCode[lengthMinus3])
                let lengthExtra = Int(DeflateTables.lengthExtra[lengthCode])
                let lengthValue = UInt32(lengthMinus3 + 3 - Int(DeflateTables.lengthBase[lengthCode]))
                writer.write(
                    UInt32(literalCodes[257 + lengthCode]) | lengthValue << UInt32(literalLengths[257 + lengthCode]),
                    Int(literalLengths[257 + lengthCode]) + lengthExtra)
                let distanceMinus1 = Int(symbol & 0xFFFF)
                let distanceCode = DeflateCodeMaps.distanceCode(distanceMinus1)
                let distanceExtra = Int(DeflateTables.distanceExtra[distanceCode])
                let distanceValue = UInt32(distanceMinus1 + 1 - Int(DeflateTables.distanceBase[distanceCode]))
                writer.write(
                    UInt32(distanceCodes[distanceCode]) | distanceValue << UInt32(distanceLengths[distanceCode]),
                    Int(distanceLengths[distanceCode]) + distanceExtra)
            }
            writer.write(UInt32(literalCodes[256]), Int(literalLengths[256]))
        }}}}
    }
}

/// The code-length section of a dynamic block header (RFC 1951 §3.2.7).
struct DynamicHeader {
    private var literalCount: Int
    private var distanceCount: Int
    private var codeLengthCount: Int
    // Each item: code-length symbol, extra-bit value.
    private var items: [(symbol: UInt8, extra: UInt8)] = []
    private var codeLengthLengths: [UInt8]
    private var codeLengthCodes: [UInt16]
    /// The header's size in bits (without the 3-bit block header).
    private(set) var bitCount: Int

    init(literalLengths: [UInt8], distanceLengths: [UInt8]) {
        literalCount = 286
        while literalCount > 257 && literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
        distanceCount = 30
        while distanceCount > 1 && distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }
        let all = Array(literalLengths[0..<literalCount]) + Array(distanceLengths[0..<distanceCount])

        var frequencies = [UInt32](repeating: 0, count: 19)
        var index = 0
        while index < all.count {
            let length = all[index]
            var run = 1
            while index + run < all.count && all[index + run] == length { run += 1 }
            index += run
            if length == 0 {
                while run >= 11 {
                    let take = min(run, 138)
                    items.append((18, UInt8(take - 11))); frequencies[18] += 1; run -= take
                }
                if run >= 3 {
                    items.append((17, UInt8(run - 3))); frequencies[17] += 1; run = 0
                }
            } else {
                items.append((length, 0)); frequencies[Int(length)] += 1; run -= 1
                while run >= 3 {
                    let take = min(run, 6)
                    items.append((16, UInt8(take - 3))); frequencies[16] += 1; run -= take
                }
            }
            while run > 0 {
                items.append((length, 0)); frequencies[Int(length)] += 1; run -= 1
            }
        }
        codeLengthLengths = frequencies.withUnsafeBufferPointer { HuffmanEncoding.lengths(for: $0, limit: 7) }
        codeLengthCodes = HuffmanEncoding.codes(for: codeLengthLengths)
        codeLengthCount = 19
        while codeLengthCount > 4 && codeLengthLengths[DeflateTables.codeLengthOrder[codeLengthCount - 1]] == 0 {
            codeLengthCount -= 1
        }
        var bits = 5 + 5 + 4 + 3 * codeLengthCount
        for item in items {
            bits += Int(codeLengthLengths[Int(item.symbol)])
            switch item.symbol {
            case 16: bits += 2
            case 17: bits += 3
            case 18: bits += 7
            default: break
            }
        }
        bitCount = bits
    }

    func write(to writer: inout BitWriter) {
        writer.write(UInt32(literalCount - 257), 5)
        writer.write(UInt32(distanceCount - 1), 5)
        writer.write(UInt32(codeLengthCount - 4), 4)
        for i in 0..<codeLengthCount {
            writer.write(UInt32(codeLengthLengths[DeflateTables.codeLengthOrder[i]]), 3)
        }
        for item in items {
            let symbol = Int(item.symbol)
            writer.write(UInt32(codeLengthCodes[symbol]), Int(codeLengthLengths[symbol]))
            switch symbol {
            case 16: writer.write(UInt32(item.extra), 2)
            case 17: writer.write(UInt32(item.extra), 3)
            case 18: writer.write(UInt32(item.extra), 7)
            default: break
            }
        }
    }
}
