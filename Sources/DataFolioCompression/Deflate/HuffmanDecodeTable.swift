import DataFolioSupport

/// A two-level lookup table that decodes one canonical Huffman code of DEFLATE.
///
/// An entry is a `UInt32`:
/// - bits 0...4: how many bits the entry's code occupies in this table level,
/// - bits 5...7: the kind (``Kind``),
/// - bits 8...11: extra bits that follow the symbol (lengths and distances) or, for a
///   subtable link, how many index bits the subtable uses,
/// - bits 16...31: the literal byte, base length, base distance or subtable offset.
///
/// The primary level is indexed by the next `primaryBits` input bits; codes longer than
/// that continue in a subtable. Entries no code reaches stay `0` (``Kind/invalid``), so a
/// damaged or incomplete code is reported instead of decoding garbage.
enum HuffmanDecodeTable {
    enum Kind {
        static let invalid: UInt32 = 0
        static let literal: UInt32 = 1
        static let length: UInt32 = 2
        static let endOfBlock: UInt32 = 3
        static let subtable: UInt32 = 4
        static let distance: UInt32 = 5
    }

    @inline(__always) static func entry(kind: UInt32, value: UInt32, extra: UInt32 = 0) -> UInt32 {
        (value << 16) | (extra << 8) | (kind << 5)
    }

    /// Room needed for a table over `symbolCount` symbols: the primary level plus, at
    /// worst, one full subtable for each symbol with a long code.
    static func capacity(symbolCount: Int, primaryBits: Int) -> Int {
        (1 << primaryBits) + symbolCount * (1 << (15 - primaryBits))
    }

    /// Fills `table` for the code given by `lengths` (0 = symbol unused).
    ///
    /// `symbolEntry` gives the entry of each symbol without its bit count.
    /// Throws when the lengths describe an over-subscribed code.
    static func build(
        lengths: UnsafeBufferPointer<UInt8>, primaryBits: Int, into table: UnsafeMutablePointer<UInt32>,
        what: String, symbolEntry: (Int) -> UInt32
    ) throws(DataFolioError) {
        var lengthCount = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard length <= 15 else { throw DataFolioError.corrupt("DEFLATE", "a Huffman code length exceeds 15") }
            lengthCount[Int(length)] += 1
        }
        lengthCount[0] = 0
        var left = 1
        for length in 1...15 {
            left = (left << 1) - lengthCount[length]
            if left < 0 {
                throw DataFolioError.corrupt("DEFLATE", "the \(what) Huffman code is over-subscribed")
            }
        }
        var nextCode = [UInt32](repeating: 0, count: 16)
        var code: UInt32 = 0
        for length in 1...15 {
            code = (code + UInt32(lengthCount[length - 1])) << 1
            nextCode[length] = code
        }

        let primarySize = 1 << primaryBits
        let primaryMask = UInt32(primarySize - 1)
        table.initialize(repeating: 0, count: primarySize)
        // The longest code under each primary prefix decides that prefix's subtable size.
        var longest = [UInt8](repeating: 0, count: primarySize)
        var longCodes: [(symbol: Int, length: Int, reversed: UInt32)] = []

        for symbol in 0..<lengths.count {
            let length = Int(lengths[symbol])
            if length == 0 { continue }
            let reversed = DeflateTables.reverseBits(nextCode[length], length)
            nextCode[length] += 1
            if length <= primaryBits {
                let value = symbolEntry(symbol) | UInt32(length)
                var index = Int(reversed)
                while index < primarySize {
                    table[index] = value
                    index += 1 << length
                }
            } else {
                longCodes.append((symbol, length, reversed))
                let prefix = Int(reversed & primaryMask)
                longest[prefix] = max(longest[prefix], UInt8(length))
            }
        }
        guard !longCodes.isEmpty else { return }

        var offset = primarySize
        for prefix in 0..<primarySize where longest[prefix] != 0 {
            let subBits = Int(longest[prefix]) - primaryBits
            table[prefix] = entry(kind: Kind.subtable, value: UInt32(offset), extra: UInt32(subBits)) | UInt32(primaryBits)
            (table + offset).initialize(repeating: 0, count: 1 << subBits)
            offset += 1 << subBits
        }
        for long in longCodes {
            let prefix = Int(long.reversed & primaryMask)
            let link = table[prefix]
            let subOffset = Int(link >> 16)
            let subBits = Int((link >> 8) & 0xF)
            let subLength = long.length - primaryBits
            let value = symbolEntry(long.symbol) | UInt32(subLength)
            var index = Int(long.reversed >> UInt32(primaryBits))
            while index < 1 << subBits {
                table[subOffset + index] = value
                index += 1 << subLength
            }
        }
    }

    /// The entry of a literal/length symbol.
    static func literalLengthEntry(_ symbol: Int) -> UInt32 {
        if symbol < 256 { return entry(kind: Kind.literal, value: UInt32(symbol)) }
        if symbol == 256 { return entry(kind: Kind.endOfBlock, value: 0) }
        let index = symbol - 257
        guard index < 29 else { return Kind.invalid }
        return entry(
            kind: Kind.length, value: UInt32(DeflateTables.lengthBase[index]),
            extra: UInt32(DeflateTables.lengthExtra[index]))
    }

    /// The entry of a distance symbol.
    static func distanceEntry(_ symbol: Int) -> UInt32 {
        guard symbol < 30 else { return Kind.invalid }
        return entry(
            kind: Kind.distance, value: UInt32(DeflateTables.distanceBase[symbol]),
            extra: UInt32(DeflateTables.distanceExtra[symbol]))
    }

    /// The entry of a code-length symbol (0...18).
    static func codeLengthEntry(_ symbol: Int) -> UInt32 {
        entry(kind: Kind.literal, value: UInt32(symbol))
    }
}
