import DataFolioSupport

/// Decodes DEFLATE streams (RFC 1951) from a buffer in memory.
///
/// Bits are taken from a 64-bit buffer that one refill tops up to at least 56 bits, which
/// covers a whole length/distance pair (at most 48 bits), so the hot loop refills once per
/// symbol. Past the end of the input the buffer is filled with zero bytes; if more than
/// 8 of those are ever needed, or the stream ends having used any, the input was truncated.
struct Inflater: ~Copyable {
    private let inputBase: UnsafeRawPointer?
    private let inputCount: Int
    /// The next input byte to load into the bit buffer.
    private var position: Int
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    /// Zero bytes loaded after the end of the input.
    private var phantomBytes = 0

    private let literalTable: UnsafeMutablePointer<UInt32>
    private let distanceTable: UnsafeMutablePointer<UInt32>
    private let codeLengthTable: UnsafeMutablePointer<UInt32>
    private var fixedTablesLoaded = false

    private static let literalBits = 10
    private static let distanceBits = 8
    private static let codeLengthBits = 7
    private static let format = "DEFLATE"

    init(input: UnsafeRawBufferPointer, startingAt start: Int = 0) {
        inputBase = input.baseAddress
        inputCount = input.count
        position = start
        literalTable = .allocate(capacity: HuffmanDecodeTable.capacity(symbolCount: 288, primaryBits: Self.literalBits))
        distanceTable = .allocate(capacity: HuffmanDecodeTable.capacity(symbolCount: 32, primaryBits: Self.distanceBits))
        codeLengthTable = .allocate(capacity: HuffmanDecodeTable.capacity(symbolCount: 19, primaryBits: Self.codeLengthBits))
    }

    deinit {
        literalTable.deallocate()
        distanceTable.deallocate()
        codeLengthTable.deallocate()
    }

    // MARK: Bits

    @inline(__always)
    private mutating func refill() throws(DataFolioError) {
        if let base = inputBase, position &+ 8 <= inputCount {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            bitBuffer |= word &<< UInt64(bitCount)
            position &+= (63 &- bitCount) >> 3
            bitCount |= 56
        } else {
            try refillNearEnd()
        }
    }

    @inline(never)
    private mutating func refillNearEnd() throws(DataFolioError) {
        while bitCount <= 56 {
            if position < inputCount, let base = inputBase {
                bitBuffer |= UInt64(base.load(fromByteOffset: position, as: UInt8.self)) &<< UInt64(bitCount)
                position += 1
            } else {
                phantomBytes += 1
                if phantomBytes > 8 {
                    throw DataFolioError.truncated(Self.format, "the compressed stream ends in the middle of a block")
                }
            }
            bitCount += 8
        }
    }

    @inline(__always)
    private mutating func consume(_ count: UInt32) {
        bitBuffer &>>= UInt64(count)
        bitCount &-= Int(count)
    }

    @inline(__always)
    private mutating func take(_ count: Int) throws(DataFolioError) -> UInt32 {
        if bitCount < count { try refill() }
        let value = UInt32(truncatingIfNeeded: bitBuffer & ((1 &<< UInt64(count)) &- 1))
        consume(UInt32(count))
        return value
    }

    /// Drops the bits up to the next byte boundary and hands unread whole bytes back to
    /// the input, returning the offset of the next unread byte.
    private mutating func alignToByte() throws(DataFolioError) -> Int {
        consume(UInt32(bitCount & 7))
        let next = position + phantomBytes - bitCount / 8
        guard next <= inputCount else {
            throw DataFolioError.truncated(Self.format, "the compressed stream ends before its last block is complete")
        }
        position = next
        phantomBytes = 0
        bitBuffer = 0
        bitCount = 0
        return next
    }

    // MARK: Stream

    /// Decodes one complete DEFLATE stream into `output` and returns the offset of the
    /// first input byte after it (the stream's last byte is padded to a byte boundary).
    mutating func inflateStream(into output: inout InflateOutput) throws(DataFolioError) -> Int {
        let windowStart = output.count
        while true {
            let header = try take(3)
            switch header >> 1 {
            case 0: try copyStoredBlock(into: &output)
            case 1:
                if !fixedTablesLoaded { try loadFixedTables() }
                try decodeBlock(into: &output, windowStart: windowStart)
            case 2:
                try readDynamicTables()
                try decodeBlock(into: &output, windowStart: windowStart)
            default:
                throw DataFolioError.corrupt(Self.format, "a block uses the reserved block type 3")
            }
            if header & 1 == 1 { return try alignToByte() }
        }
    }

    private mutating func copyStoredBlock(into output: inout InflateOutput) throws(DataFolioError) {
        let start = try alignToByte()
        guard start + 4 <= inputCount, let base = inputBase else {
            throw DataFolioError.truncated(Self.format, "a stored block's length field is cut off")
        }
        let length = Int(base.load(fromByteOffset: start, as: UInt8.self))
            | Int(base.load(fromByteOffset: start + 1, as: UInt8.self)) << 8
        let complement = Int(base.load(fromByteOffset: start + 2, as: UInt8.self))
            | Int(base.load(fromByteOffset: start + 3, as: UInt8.self)) << 8
        guard length ^ complement == 0xFFFF else {
            throw DataFolioError.corrupt(Self.format, "a stored block's length does not match its complement")
        }
        guard start + 4 + length <= inputCount else {
            throw DataFolioError.truncated(Self.format, "a stored block of \(length) bytes is cut off")
        }
        try output.reserve(length)
        (output.base + output.count).update(
            from: (base + start + 4).assumingMemoryBound(to: UInt8.self), count: length)
        output.count += length
        position = start + 4 + length
    }

    private mutating func loadFixedTables() throws(DataFolioError) {
        try DeflateTables.fixedLiteralLengths.withBufferTyped { lengths throws(DataFolioError) in
            try HuffmanDecodeTable.build(
                lengths: lengths, primaryBits: Self.literalBits, into: literalTable, what: "fixed literal/length",
                symbolEntry: HuffmanDecodeTable.literalLengthEntry)
        }
        try DeflateTables.fixedDistanceLengths.withBufferTyped { lengths throws(DataFolioError) in
            try HuffmanDecodeTable.build(
                lengths: lengths, primaryBits: Self.distanceBits, into: distanceTable, what: "fixed distance",
                symbolEntry: HuffmanDecodeTable.distanceEntry)
        }
        fixedTablesLoaded = true
    }

    private mutating func readDynamicTables() throws(DataFolioError) {
        fixedTablesLoaded = false
        let literalCount = Int(try take(5)) + 257
        let distanceCount = Int(try take(5)) + 1
        let codeLengthCount = Int(try take(4)) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw DataFolioError.corrupt(Self.format, "a dynamic block declares too many Huffman codes")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            codeLengthLengths[DeflateTables.codeLengthOrder[i]] = UInt8(try take(3))
        }
        try codeLengthLengths.withBufferTyped { lengths throws(DataFolioError) in
            try HuffmanDecodeTable.build(
                lengths: lengths, primaryBits: Self.codeLengthBits, into: codeLengthTable, what: "code length",
                symbolEntry: HuffmanDecodeTable.codeLengthEntry)
        }

        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var index = 0
        while index < total {
            try refill()
            let entry = codeLengthTable[Int(bitBuffer & 0x7F)]
            guard (entry >> 5) & 7 == HuffmanDecodeTable.Kind.literal else {
                throw DataFolioError.corrupt(Self.format, "an invalid code-length code")
            }
            consume(entry & 0x1F)
            let symbol = Int(entry >> 16)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            var repeated: UInt8 = 0
            var count: Int
            switch symbol {
            case 16:
                guard index > 0 else {
                    throw DataFolioError.corrupt(Self.format, "a code-length repeat has no previous length")
                }
                repeated = lengths[index - 1]
                count = 3 + Int(try take(2))
            case 17: count = 3 + Int(try take(3))
            default: count = 11 + Int(try take(7))
            }
            guard index + count <= total else {
                throw DataFolioError.corrupt(Self.format, "code lengths run past the number of codes")
            }
            while count > 0 {
                lengths[index] = repeated
                index += 1
                count -= 1
            }
        }
        guard lengths[256] != 0 else {
            throw DataFolioError.corrupt(Self.format, "a dynamic block has no end-of-block code")
        }
        try lengths.withBufferTyped { all throws(DataFolioError) in
            try HuffmanDecodeTable.build(
                lengths: UnsafeBufferPointer(rebasing: all[0..<literalCount]), primaryBits: Self.literalBits,
                into: literalTable, what: "literal/length", symbolEntry: HuffmanDecodeTable.literalLengthEntry)
            try HuffmanDecodeTable.build(
                lengths: UnsafeBufferPointer(rebasing: all[literalCount..<total]), primaryBits: Self.distanceBits,
                into: distanceTable, what: "distance", symbolEntry: HuffmanDecodeTable.distanceEntry)
        }
    }

    private mutating func decodeBlock(into output: inout InflateOutput, windowStart: Int) throws(DataFolioError) {
        let literals = literalTable
        let distances = distanceTable
        let literalMask = UInt64((1 << Self.literalBits) - 1)
        let distanceMask = UInt64((1 << Self.distanceBits) - 1)
        var out = output.base
        var count = output.count
        var capacity = output.capacity
        // The bit state lives in locals for the hot loop and goes back to `self` on exit.
        var bits = bitBuffer
        var available = bitCount
        var position = self.position
        let input = inputBase
        let fastEnd = input == nil ? Int.min : inputCount - 8
        defer {
            output.count = count
            bitBuffer = bits
            bitCount = available
            self.position = position
        }

        while true {
            if position <= fastEnd, let input {
                bits |= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt64.self)) &<< UInt64(available)
                position &+= (63 &- available) >> 3
                available |= 56
            } else {
                bitBuffer = bits
                bitCount = available
                self.position = position
                try refillNearEnd()
                bits = bitBuffer
                available = bitCount
                position = self.position
            }
            var entry = literals[Int(bits & literalMask)]
            var kind = (entry >> 5) & 7
            if kind == HuffmanDecodeTable.Kind.subtable {
                bits &>>= UInt64(entry & 0x1F)
                available &-= Int(entry & 0x1F)
                let subMask = (UInt64(1) &<< UInt64((entry >> 8) & 0xF)) &- 1
                entry = literals[Int(entry >> 16) &+ Int(bits & subMask)]
                kind = (entry >> 5) & 7
            }
            bits &>>= UInt64(entry & 0x1F)
            available &-= Int(entry & 0x1F)

            if kind == HuffmanDecodeTable.Kind.literal {
                if count >= capacity {
                    output.count = count
                    try output.reserve(1)
                    out = output.base
                    capacity = output.capacity
                }
                out[count] = UInt8(truncatingIfNeeded: entry >> 16)
                count &+= 1
                continue
            }
            guard kind == HuffmanDecodeTable.Kind.length else {
                if kind == HuffmanDecodeTable.Kind.endOfBlock { return }
                throw DataFolioError.corrupt(Self.format, "an invalid literal/length code")
            }
            let lengthExtra = UInt64((entry >> 8) & 0xF)
            let length = Int(entry >> 16) &+ Int(bits & ((1 &<< lengthExtra) &- 1))
            bits &>>= lengthExtra
            available &-= Int(lengthExtra)

            var distanceEntry = distances[Int(bits & distanceMask)]
            if (distanceEntry >> 5) & 7 == HuffmanDecodeTable.Kind.subtable {
                bits &>>= UInt64(distanceEntry & 0x1F)
                available &-= Int(distanceEntry & 0x1F)
                let subMask = (UInt64(1) &<< UInt64((distanceEntry >> 8) & 0xF)) &- 1
                distanceEntry = distances[Int(distanceEntry >> 16) &+ Int(bits & subMask)]
            }
            bits &>>= UInt64(distanceEntry & 0x1F)
            available &-= Int(distanceEntry & 0x1F)
            guard (distanceEntry >> 5) & 7 == HuffmanDecodeTable.Kind.distance else {
                throw DataFolioError.corrupt(Self.format, "an invalid distance code")
            }
            let distanceExtra = UInt64((distanceEntry >> 8) & 0xF)
            let distance = Int(distanceEntry >> 16) &+ Int(bits & ((1 &<< distanceExtra) &- 1))
            bits &>>= distanceExtra
            available &-= Int(distanceExtra)
            guard distance <= count &- windowStart else {
                throw DataFolioError.corrupt(Self.format, "a match refers to \(distance) bytes back, before the start of the data")
            }

            if count &+ length &+ 8 > capacity {
                output.count = count
                try output.reserve(length)
                out = output.base
                capacity = output.capacity
            }
            var target = out + count
            var source = target - distance
            let end = target + length
            if distance >= 8 && count &+ length &+ 8 <= capacity {
                // Whole words, possibly writing up to 7 bytes past the match into spare room.
                repeat {
                    UnsafeMutableRawPointer(target).storeBytes(
                        of: UnsafeRawPointer(source).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    target += 8
                    source += 8
                } while target < end
            } else if distance == 1 {
                target.update(repeating: source.pointee, count: length)
            } else {
                repeat {
                    target.pointee = source.pointee
                    target += 1
                    source += 1
                } while target < end
            }
            count &+= length
        }
    }
}
