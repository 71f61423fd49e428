// Constants of the Zstandard format (RFC 8878): magic numbers, limits, the baselines and
// extra-bit counts of the sequence codes, and the predefined FSE distributions.

enum ZstdConstants {
    static let format = "Zstandard"

    static let frameMagic: UInt32 = 0xFD2F_B528
    /// Skippable frames use any magic number from 0x184D2A50 to 0x184D2A5F.
    static let skippableMagicMask: UInt32 = 0xFFFF_FFF0
    static let skippableMagic: UInt32 = 0x184D_2A50

    /// The largest block, compressed or not (`Block_Maximum_Size` is at most this).
    static let maxBlockSize = 128 * 1024

    /// The longest Huffman code for literals.
    static let maxHuffmanBits = 11
    /// The accuracy log limit of the FSE table that describes Huffman weights.
    static let maxWeightsAccuracyLog = 6

    static let maxLiteralLengthCode = 35
    static let maxMatchLengthCode = 52
    /// The reference decoder accepts offset codes up to 31; so does this one.
    static let maxOffsetCode = 31

    static let maxLiteralLengthAccuracyLog = 9
    static let maxMatchLengthAccuracyLog = 9
    static let maxOffsetAccuracyLog = 8

    static let minMatch = 3

    static let literalLengthBaselines: [UInt32] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096,
        8192, 16384, 32768, 65536,
    ]
    static let literalLengthExtraBits: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12,
        13, 14, 15, 16,
    ]

    static let matchLengthBaselines: [UInt32] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
        19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
        35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051,
        4099, 8195, 16387, 32771, 65539,
    ]
    static let matchLengthExtraBits: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11,
        12, 13, 14, 15, 16,
    ]

    static let predefinedLiteralLengthCounts: [Int16] = [
        4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
        -1, -1, -1, -1,
    ]
    static let predefinedLiteralLengthLog = 6

    static let predefinedMatchLengthCounts: [Int16] = [
        1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1,
        -1, -1, -1, -1, -1,
    ]
    static let predefinedMatchLengthLog = 6

    static let predefinedOffsetCounts: [Int16] = [
        1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
    ]
    static let predefinedOffsetLog = 5
}

/// The three kinds of sequence symbols, each with its own FSE table.
enum ZstdSequenceKind {
    case literalLength, offset, matchLength

    var maxSymbol: Int {
        switch self {
        case .literalLength: ZstdConstants.maxLiteralLengthCode
        case .offset: ZstdConstants.maxOffsetCode
        case .matchLength: ZstdConstants.maxMatchLengthCode
        }
    }

    var maxAccuracyLog: Int {
        switch self {
        case .literalLength: ZstdConstants.maxLiteralLengthAccuracyLog
        case .offset: ZstdConstants.maxOffsetAccuracyLog
        case .matchLength: ZstdConstants.maxMatchLengthAccuracyLog
        }
    }

    var name: String {
        switch self {
        case .literalLength: "literal length"
        case .offset: "offset"
        case .matchLength: "match length"
        }
    }

    /// The value a code stands for before its extra bits are added.
    func baseline(of code: Int) -> UInt32 {
        switch self {
        case .literalLength: ZstdConstants.literalLengthBaselines[code]
        case .offset: UInt32(1) << UInt32(code)
        case .matchLength: ZstdConstants.matchLengthBaselines[code]
        }
    }

    /// How many extra bits follow a code in the bitstream.
    func extraBits(of code: Int) -> UInt8 {
        switch self {
        case .literalLength: ZstdConstants.literalLengthExtraBits[code]
        case .offset: UInt8(code)
        case .matchLength: ZstdConstants.matchLengthExtraBits[code]
        }
    }
}

/// Small bit tricks shared by the encoder and the decoder.
enum ZstdBits {
    /// The index of the highest set bit (`value` must be non-zero).
    @inline(__always)
    static func highBit(_ value: UInt32) -> Int {
        31 &- value.leadingZeroBitCount
    }

    @inline(__always)
    static func highBit(_ value: Int) -> Int {
        63 &- UInt64(truncatingIfNeeded: value).leadingZeroBitCount
    }
}
