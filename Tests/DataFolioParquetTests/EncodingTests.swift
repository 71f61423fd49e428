@testable import DataFolioParquet
import DataFolioSupport
import DataFolioTestSupport
import Testing

/// A small deterministic generator so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var base: SeededRandom
    init(seed: UInt64) { base = SeededRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }
    mutating func next() -> UInt64 { base.next() }
}

@Suite struct EncodingTests {
    private func decodeRLE(_ bytes: [UInt8], bitWidth: Int, count: Int) throws(DataFolioError) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: max(count, 1))
        try bytes.withRawBytes { (raw) throws(DataFolioError) in
            var decoder = try RLEHybridDecoder(raw, bitWidth: bitWidth)
            try out.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
                try decoder.decode(count: count, into: buffer.baseAddress!)
            }
        }
        return Array(out.prefix(count))
    }

    @Test func bitPackedRunMatchesTheSpecExample() throws {
        // 0…7 at 3 bits: header (1 group << 1 | 1), then 10001000 11000110 11111010.
        let values = try decodeRLE([0x03, 0x88, 0xC6, 0xFA], bitWidth: 3, count: 8)
        #expect(values == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func rleRunAndBitWidthZero() throws {
        #expect(try decodeRLE([0x0A, 0x05], bitWidth: 3, count: 5) == [5, 5, 5, 5, 5])
        #expect(try decodeRLE([0x10], bitWidth: 0, count: 8) == [UInt32](repeating: 0, count: 8))
        // A 300-value run of 0x1234 at 13 bits (two value bytes, varint header).
        #expect(try decodeRLE([0xD8, 0x04, 0x34, 0x12], bitWidth: 13, count: 300) == [UInt32](repeating: 0x1234, count: 300))
    }

    @Test(arguments: [0, 1, 2, 3, 7, 8, 9, 15, 16, 20, 31, 32])
    func rleRoundTripsRandomRunsAndLiterals(bitWidth: Int) throws {
        var generator = SeededGenerator(seed: UInt64(bitWidth))
        let maximum: UInt64 = bitWidth == 0 ? 0 : (UInt64(1) << UInt64(bitWidth)) - 1
        var values: [UInt32] = []
        while values.count < 5000 {
            let value = UInt32(truncatingIfNeeded: maximum == 0 ? 0 : UInt64.random(in: 0...maximum, using: &generator))
            let run = Bool.random(using: &generator) ? Int.random(in: 1...40, using: &generator) : 1
            values += [UInt32](repeating: value, count: run)
        }
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: bitWidth, into: &encoded) }
        #expect(try decodeRLE(encoded, bitWidth: bitWidth, count: values.count) == values)
    }

    @Test func rleRefusesTruncatedAndAbsurdInput() throws {
        // Literal run of 2 groups at 8 bits, but only 3 bytes present.
        #expect(throws: DataFolioError.self) { try decodeRLE([0x05, 1, 2, 3], bitWidth: 8, count: 16) }
        // A literal run declaring 2^40 groups.
        #expect(throws: DataFolioError.self) { try decodeRLE([0x81, 0x80, 0x80, 0x80, 0x80, 0x20], bitWidth: 1, count: 8) }
        // More values asked for than the data holds.
        #expect(throws: DataFolioError.self) { try decodeRLE([0x0A, 0x05], bitWidth: 3, count: 6) }
        // Bit width out of range.
        #expect(throws: DataFolioError.self) { try decodeRLE([0x0A, 0x05], bitWidth: 33, count: 1) }
        // Dictionary indices past the dictionary.
        #expect(throws: DataFolioError.self) {
            try [UInt8]([3, 0x03, 0x88, 0xC6, 0xFA]).withRawBytes { (raw) throws(DataFolioError) in
                var scratch: [UInt32] = []
                try FixedWidthDecoding.decodeIndices(raw, count: 8, dictionaryCount: 7, into: &scratch)
            }
        }
    }

    @Test func int96JulianDaysAreUnsigned() {
        // Nanoseconds of the day, then the Julian day, little-endian. A day past 2^31 (as
        // Spark writes for years beyond the nanosecond range) wraps the way parquet-cpp
        // reads it, instead of turning negative.
        func int96(nanoseconds: Int64, julianDay: UInt32) -> [UInt8] {
            withUnsafeBytes(of: nanoseconds.littleEndian) { Array($0) } + withUnsafeBytes(of: julianDay.littleEndian) { Array($0) }
        }
        let bytes = int96(nanoseconds: 3_600_000_000_000, julianDay: 2_440_589) + int96(nanoseconds: 5, julianDay: 0x8000_0000)
        var out = [Int64](repeating: 0, count: 2)
        bytes.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { buffer in
                if let source = raw.baseAddress, let target = buffer.baseAddress {
                    FixedWidthDecoding.int96ToNanoseconds(source, count: 2, into: target)
                }
            }
        }
        #expect(out[0] == 86_400_000_000_000 + 3_600_000_000_000)
        #expect(out[1] == (Int64(0x8000_0000) - 2_440_588) &* 86_400_000_000_000 &+ 5)
    }

    @Test func legacyBitPackedLevelsAreMostSignificantBitFirst() throws {
        var levels = [UInt8](repeating: 0, count: 8)
        var scratch: [UInt32] = []
        let consumed = try [UInt8]([0b0000_0101, 0b0011_1001, 0b0111_0111]).withRawBytes { (raw) throws(DataFolioError) -> Int in
            try levels.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) -> Int in
                try LevelDecoding.decode(
                    raw, encoding: .bitPacked, maxLevel: 7, count: 8, lengthPrefixed: true, scratch: &scratch, into: buffer.baseAddress!)
            }
        }
        #expect(consumed == 3)
        #expect(levels == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    /// Encodes values with DELTA_BINARY_PACKED (blocks of 128, 4 miniblocks) for tests.
    static func deltaEncode(_ values: [Int64]) -> [UInt8] {
        var out = ByteWriter()
        out.appendULEB128(128)
        out.appendULEB128(4)
        out.appendULEB128(UInt64(values.count))
        out.appendZigZag(values.first ?? 0)
        var index = 1
        while index < values.count {
            let block = Array(values[index..<min(values.count, index + 128)])
            let deltas = zip(block, [values[index - 1]] + block.dropLast()).map { $0 &- $1 }
            let minDelta = deltas.min() ?? 0
            out.appendZigZag(minDelta)
            var widths: [UInt8] = []
            var packed: [UInt8] = []
            for m in 0..<4 {
                let part = Array(deltas.dropFirst(m * 32).prefix(32))
                let relative = part.map { UInt64(bitPattern: $0 &- minDelta) }
                let width = relative.isEmpty ? 0 : BitPacking.bitWidth(of: relative.max() ?? 0)
                widths.append(UInt8(width))
                if !relative.isEmpty {
                    // Pack 32 values (zero padded) LSB first, bit by bit.
                    let padded = relative + [UInt64](repeating: 0, count: 32 - relative.count)
                    var bits = [UInt8](repeating: 0, count: 32 * width / 8)
                    for (i, value) in padded.enumerated() {
                        for b in 0..<width where value >> UInt64(b) & 1 == 1 {
                            let bit = i * width + b
                            bits[bit >> 3] |= UInt8(1) << UInt8(bit & 7)
                        }
                    }
                    packed += bits
                }
            }
            out.append(contentsOf: widths)
            out.append(contentsOf: packed)
            index += 128
        }
        return out.bytes
    }

    @Test func deltaBinaryPackedDecodesAcrossBlocksAndMiniblocks() throws {
        var generator = SeededGenerator(seed: 99)
        let values: [Int64] = (0..<1000).map { _ in Int64.random(in: -50_000...50_000, using: &generator) }
        let encoded = Self.deltaEncode(values)
        var decoded = [UInt64](repeating: 0, count: values.count)
        let (consumed, declared) = try encoded.withRawBytes { (raw) throws(DataFolioError) in
            try decoded.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
                try DeltaBinaryPacked.decode(raw, count: values.count, into: buffer.baseAddress!)
            }
        }
        #expect(declared == 1000)
        #expect(consumed == encoded.count)
        #expect(decoded.map { Int64(bitPattern: $0) } == values)
    }

    @Test func deltaBinaryPackedSpecExampleAndWrapAround() throws {
        // Example 2 of the spec with a real block size: 7 5 3 1 2 3 4 5.
        let values: [Int64] = [7, 5, 3, 1, 2, 3, 4, 5]
        let all = try Self.deltaEncode(values).withRawBytes { (raw) throws(DataFolioError) in try DeltaBinaryPacked.decodeAll(raw) }
        #expect(all.values == values)
        // Deltas that overflow 64 bits wrap, as the spec requires.
        let extremes: [Int64] = [.max, .min, .max, 0, .min]
        let decoded = try Self.deltaEncode(extremes).withRawBytes { (raw) throws(DataFolioError) in
            try DeltaBinaryPacked.decodeAll(raw)
        }
        #expect(decoded.values == extremes)
    }

    @Test func deltaBinaryPackedRefusesBadHeaders() throws {
        for bytes: [UInt8] in [[100, 4, 10, 0], [128, 1, 0, 0], [0x80, 0x01, 3, 10, 0], [0x80, 0x01, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0]] {
            #expect(throws: DataFolioError.self) {
                try bytes.withRawBytes { (raw) throws(DataFolioError) in _ = try DeltaBinaryPacked.decodeAll(raw) }
            }
        }
        // Declares 10 values but the block is cut off.
        #expect(throws: DataFolioError.self) {
            try [UInt8]([0x80, 0x01, 4, 10, 0, 2]).withRawBytes { (raw) throws(DataFolioError) in _ = try DeltaBinaryPacked.decodeAll(raw) }
        }
    }

    @Test func byteStreamSplitInterleavesBytes() throws {
        let page: [UInt8] = [1, 2, 3, 10, 20, 30, 100, 200, 250, 7, 8, 9]
        var out = [UInt8](repeating: 0, count: 12)
        try page.withRawBytes { (raw) throws(DataFolioError) in
            try out.withMutableRawBytes { (target) throws(DataFolioError) in
                try FixedWidthDecoding.decodeByteStreamSplit(raw, count: 3, width: 4, into: target.baseAddress!)
            }
        }
        #expect(out == [1, 10, 100, 7, 2, 20, 200, 8, 3, 30, 250, 9])
        #expect(throws: DataFolioError.self) {
            try [UInt8](repeating: 0, count: 10).withRawBytes { (raw) throws(DataFolioError) in
                try out.withMutableRawBytes { (target) throws(DataFolioError) in
                    try FixedWidthDecoding.decodeByteStreamSplit(raw, count: 3, width: 4, into: target.baseAddress!)
                }
            }
        }
    }

    @Test func unpackHandlesEveryWidthUpTo64() {
        var generator = SeededGenerator(seed: 5)
        for width in 0...64 {
            let mask: UInt64 = width == 64 ? .max : (UInt64(1) << UInt64(width)) - 1
            let values = (0..<37).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) & mask }
            // Pack bit by bit, LSB first.
            var packed = [UInt8](repeating: 0, count: (values.count * width + 7) / 8)
            for (i, value) in values.enumerated() {
                for b in 0..<width where value >> UInt64(b) & 1 == 1 {
                    let bit = i * width + b
                    packed[bit >> 3] |= UInt8(1) << UInt8(bit & 7)
                }
            }
            var out = [UInt64](repeating: 0, count: values.count)
            packed.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { target in
                    let base = source.baseAddress ?? UnsafePointer(target.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: 1) { $0 })
                    BitPacking.unpack64(base, available: source.count, bitOffset: 0, width: width, count: values.count, into: target.baseAddress!)
                }
            }
            #expect(out == values, "width \(width)")
        }
    }

    @Test func plainByteArraysRefuseLyingLengths() throws {
        var values: [UInt8] = []
        var ends = [Int64](repeating: 0, count: 2)
        let page: [UInt8] = [1, 0, 0, 0, 65, 0xFF, 0xFF, 0xFF, 0x7F, 66]
        #expect(throws: DataFolioError.self) {
            try page.withRawBytes { (raw) throws(DataFolioError) in
                try ends.withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) in
                    _ = try ByteArrayDecoding.decodePlain(raw, count: 2, values: &values, ends: buffer.baseAddress!)
                }
            }
        }
    }
}

@Suite struct PageCompressionTests {
    static let page: [UInt8] = (0..<70_000).map { UInt8(truncatingIfNeeded: ($0 * 7) % 251 + ($0 / 1000)) }

    @Test(arguments: [ParquetCompression.uncompressed, .snappy, .gzip, .zstd, .lz4Raw])
    func codecsRoundTripThroughTheDispatch(codec: ParquetCompression) throws {
        var compressed: [UInt8] = []
        try Self.page.withRawBytes { (raw) throws(DataFolioError) in
            try PageCompression.compress(codec, level: nil, raw, into: &compressed)
        }
        var output: [UInt8] = []
        try compressed.withRawBytes { (raw) throws(DataFolioError) in
            try PageCompression.decompress(codec, raw, uncompressedSize: Self.page.count, into: &output)
        }
        #expect(Array(output.prefix(Self.page.count)) == Self.page)
        // A size that does not match what the data holds is an error.
        var wrong: [UInt8] = []
        #expect(throws: DataFolioError.self) {
            try compressed.withRawBytes { (raw) throws(DataFolioError) in
                try PageCompression.decompress(codec, raw, uncompressedSize: Self.page.count - 1, into: &wrong)
            }
        }
    }

    @Test func deprecatedHadoopLZ4Reads() throws {
        // Hadoop framing: big-endian uncompressed and compressed sizes, then a raw LZ4 block.
        var block: [UInt8] = []
        try Self.page.withRawBytes { (raw) throws(DataFolioError) in
            try PageCompression.compress(.lz4Raw, level: nil, raw, into: &block)
        }
        var framed: [UInt8] = []
        for value in [UInt32(Self.page.count), UInt32(block.count)] {
            withUnsafeBytes(of: value.bigEndian) { framed += $0 }
        }
        framed += block
        var output: [UInt8] = []
        try framed.withRawBytes { (raw) throws(DataFolioError) in
            try PageCompression.decompress(.lz4, raw, uncompressedSize: Self.page.count, into: &output)
        }
        #expect(output == Self.page)
    }

    @Test func unsupportedCodecsSayWhatToDo() throws {
        for codec in [ParquetCompression.brotli, .lzo, ParquetCompression(rawValue: 99)] {
            var output: [UInt8] = []
            do {
                try [UInt8](repeating: 1, count: 10).withRawBytes { (raw) throws(DataFolioError) in
                    try PageCompression.decompress(codec, raw, uncompressedSize: 10, into: &output)
                }
                Issue.record("\(codec) should be refused")
            } catch {
                #expect(error.code == .unsupportedFeature)
                #expect(error.message.contains(codec.description))
            }
        }
    }
}
