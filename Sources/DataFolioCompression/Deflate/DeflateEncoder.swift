/// An incremental DEFLATE (RFC 1951) compressor: LZ77 over a 32 KiB window with hash
/// chains, then each block written with whichever of dynamic Huffman, fixed Huffman or
/// stored costs the fewest bits.
///
/// Feed data with ``compress(_:)-([UInt8])`` in pieces of any size, collect output with
/// ``takeOutput()`` whenever convenient, and end with ``finish()``. Memory stays bounded
/// (about 1.3 MiB) whatever the total size, so gigabytes can be streamed.
///
/// ```swift
/// let encoder = DeflateEncoder(level: .default)
/// for chunk in chunks { encoder.compress(chunk); sink(encoder.takeOutput()) }
/// encoder.finish()
/// sink(encoder.takeOutput())
/// ```
public final class DeflateEncoder {
    /// The compression level.
    public let level: CompressionLevel
    private let settings: MatchSettings

    private static let windowSize = 32768
    private static let windowMask = windowSize - 1
    private static let bufferSize = 1 << 20
    private static let maxMatch = 258
    private static let minMatch = 3
    // Bytes kept ahead of the encoding position so a match can always reach full length.
    private static let lookahead = maxMatch + 4
    private static let hashBits = 15
    private static let maxSymbolsPerBlock = 16384

    private let buffer: UnsafeMutablePointer<UInt8>
    private var bufferCount = 0
    private var position = 0
    private var blockStart = 0
    private let head: UnsafeMutablePointer<Int32>
    private let previous: UnsafeMutablePointer<Int32>

    // Symbols of the pending block: a literal byte, or 0x8000_0000 | (length - 3) << 16 | (distance - 1).
    private let symbols: UnsafeMutablePointer<UInt32>
    private var symbolCount = 0
    private let literalFrequencies: UnsafeMutableBufferPointer<UInt32>
    private let distanceFrequencies: UnsafeMutableBufferPointer<UInt32>

    private var writer: BitWriter
    private var finished = false
    /// The number of input bytes taken so far.
    public private(set) var totalIn = 0

    /// Creates an encoder.
    ///
    /// ```swift
    /// let encoder = DeflateEncoder(level: .fastest)
    /// ```
    public init(level: CompressionLevel = .default) {
        self.level = level
        settings = MatchSettings(level: level)
        buffer = .allocate(capacity: Self.bufferSize)
        head = .allocate(capacity: 1 << Self.hashBits)
        head.initialize(repeating: -1, count: 1 << Self.hashBits)
        previous = .allocate(capacity: Self.windowSize)
        previous.initialize(repeating: -1, count: Self.windowSize)
        symbols = .allocate(capacity: Self.maxSymbolsPerBlock)
        literalFrequencies = .allocate(capacity: 286)
        literalFrequencies.initialize(repeating: 0)
        distanceFrequencies = .allocate(capacity: 30)
        distanceFrequencies.initialize(repeating: 0)
        writer = BitWriter(capacity: 1 << 16)
    }

    deinit {
        buffer.deallocate()
        head.deallocate()
        previous.deallocate()
        symbols.deallocate()
        literalFrequencies.deallocate()
        distanceFrequencies.deallocate()
    }

    /// Compresses more input. Output accumulates until ``takeOutput()``.
    /// Calling it after ``finish()`` is a programming error.
    ///
    /// ```swift
    /// chunk.withUnsafeBytes { encoder.compress($0) }
    /// ```
    public func compress(_ input: UnsafeRawBufferPointer) {
        precondition(!finished, "DeflateEncoder.compress called after finish()")
        guard let source = input.baseAddress else { return }
        totalIn += input.count
        var offset = 0
        while offset < input.count {
            if bufferCount == Self.bufferSize { slideWindow() }
            let take = min(input.count - offset, Self.bufferSize - bufferCount)
            UnsafeMutableRawPointer(buffer + bufferCount).copyMemory(from: source + offset, byteCount: take)
            bufferCount += take
            offset += take
            encodeAvailable(finishing: false)
        }
    }

    /// Compresses more input. Output accumulates until ``takeOutput()``.
    ///
    /// ```swift
    /// encoder.compress(Array("more data".utf8))
    /// ```
    public func compress(_ input: [UInt8]) {
        input.withUnsafeBytes { compress($0) }
    }

    /// Encodes everything still pending and ends the stream with a final block.
    ///
    /// ```swift
    /// encoder.finish()
    /// let tail = encoder.takeOutput()
    /// ```
    public func finish() {
        guard !finished else { return }
        encodeAvailable(finishing: true)
        flushBlock(final: true)
        writer.alignToByte()
        finished = true
    }

    /// The compressed bytes produced since the last call.
    ///
    /// ```swift
    /// var stream: [UInt8] = []
    /// for chunk in chunks { encoder.compress(chunk); stream += encoder.takeOutput() }
    /// ```
    public func takeOutput() -> [UInt8] {
        writer.takeBytes()
    }

    // MARK: Window

    /// Moves the last 32 KiB (and the unencoded lookahead) to the front of the buffer.
    private func slideWindow() {
        flushBlock(final: false)
        // A multiple of the window size keeps `position & windowMask` valid for `previous`.
        let shift = (position - Self.windowSize) / Self.windowSize * Self.windowSize
        guard shift > 0 else { return }
        (buffer).update(from: buffer + shift, count: bufferCount - shift)
        bufferCount -= shift
        position -= shift
        blockStart -= shift
        let delta = Int32(shift)
        for i in 0..<(1 << Self.hashBits) { head[i] = head[i] >= delta ? head[i] - delta : -1 }
        for i in 0..<Self.windowSize { previous[i] = previous[i] >= delta ? previous[i] - delta : -1 }
    }

    @inline(__always)
    private func hash(at index: Int) -> Int {
        let word = UnsafeRawPointer(buffer + index).loadUnaligned(as: UInt32.self)
        return Int((word &* 0x9E37_79B1) >> UInt32(32 - Self.hashBits))
    }

    @inline(__always)
    private func insert(_ index: Int) {
        let h = hash(at: index)
        previous[index & Self.windowMask] = head[h]
        head[h] = Int32(truncatingIfNeeded: index)
    }

    /// Inserts `index` into the hash chains and returns the longest earlier match.
    @inline(__always)
    private func findMatch(at index: Int, chainLimit: Int) -> (length: Int, distance: Int) {
        guard index + 4 <= bufferCount else { return (0, 0) }
        let h = hash(at: index)
        var candidate = Int(head[h])
        previous[index & Self.windowMask] = head[h]
        head[h] = Int32(truncatingIfNeeded: index)

        let maxLength = min(Self.maxMatch, bufferCount - index)
        let lowest = index - Self.windowSize
        var bestLength = Self.minMatch - 1
        var bestDistance = 0
        var chain = chainLimit
        let here = buffer + index
        while candidate >= 0 && candidate > lowest - 1 && candidate < index && chain > 0 {
            let there = buffer + candidate
            if there[bestLength] == here[bestLength] && there[0] == here[0] && there[1] == here[1] {
                let length = Self.matchLength(here, there, maxLength)
                if length > bestLength {
                    bestLength = length
                    bestDistance = index - candidate
                    if length >= settings.niceLength || length >= maxLength { break }
                }
            }
            candidate = Int(previous[candidate & Self.windowMask])
            chain -= 1
        }
        return bestLength >= Self.minMatch ? (bestLength, bestDistance) : (0, 0)
    }

    @inline(__always)
    private static func matchLength(
        _ a: UnsafeMutablePointer<UInt8>, _ b: UnsafeMutablePointer<UInt8>, _ limit: Int
    ) -> Int {
        var length = 0
        while length + 8 <= limit {
            let x = UnsafeRawPointer(a + length).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + length).loadUnaligned(as: UInt64.self)
            let diff = x ^ y
            if diff != 0 { return length + (UInt64(littleEndian: diff).trailingZeroBitCount >> 3) }
            length += 8
        }
        while length < limit && a[length] == b[length] { length += 1 }
        return length
    }

    // MARK: Parsing

    private func encodeAvailable(finishing: Bool) {
        let limit = finishing ? bufferCount : bufferCount - Self.lookahead
        if settings.storeOnly {
            if position < limit { position = limit }
            if position - blockStart >= 1 << 20 { flushBlock(final: false) }
            return
        }
        var index = position
        while index < limit {
            var (length, distance) = findMatch(at: index, chainLimit: settings.chainLength)
            if length == 0 {
                recordLiteral(buffer[index])
                index += 1
            } else if settings.lazy {
                // Prefer a longer match that starts one byte later.
                while length < settings.lazyLength && index + 1 < limit {
                    let chain = length >= settings.goodLength ? settings.chainLength >> 2 : settings.chainLength
                    let next = findMatch(at: index + 1, chainLimit: chain)
                    if next.length <= length { break }
                    recordLiteral(buffer[index])
                    index += 1
                    (length, distance) = next
                }
                recordMatch(length: length, distance: distance)
                // `index + 1` is already in the chains when a lazy look was taken.
                var insertAt = index + 1
                if length < settings.lazyLength && index + 1 < limit { insertAt = index + 2 }
                let end = min(index + length, bufferCount - 3)
                while insertAt < end { insert(insertAt); insertAt += 1 }
                index += length
            } else {
                recordMatch(length: length, distance: distance)
                if length <= settings.maxInsertLength {
                    let end = min(index + length, bufferCount - 3)
                    var insertAt = index + 1
                    while insertAt < end { insert(insertAt); insertAt += 1 }
                }
                index += length
            }
            if symbolCount >= Self.maxSymbolsPerBlock - 2 {
                position = index
                flushBlock(final: false)
            }
        }
        position = max(position, index)
    }

    @inline(__always)
    private func recordLiteral(_ byte: UInt8) {
        symbols[symbolCount] = UInt32(byte)
        symbolCount += 1
        literalFrequencies[Int(byte)] += 1
    }

    @inline(__always)
    private func recordMatch(length: Int, distance: Int) {
        symbols[symbolCount] = 0x8000_0000 | UInt32(length - 3) << 16 | UInt32(distance - 1)
        symbolCount += 1
        literalFrequencies[257 + Int(DeflateCodeMaps.lengthCode[length - 3])] += 1
        distanceFrequencies[DeflateCodeMaps.distanceCode(distance - 1)] += 1
    }

    // MARK: Blocks

    private func flushBlock(final: Bool) {
        let rawCount = position - blockStart
        if rawCount == 0 && symbolCount == 0 && !final { return }
        if settings.storeOnly {
            writeStored(final: final)
        } else {
            BlockWriter.write(
                symbols: UnsafeBufferPointer(start: symbols, count: symbolCount),
                literalFrequencies: literalFrequencies, distanceFrequencies: distanceFrequencies,
                raw: UnsafeRawBufferPointer(start: buffer + blockStart, count: rawCount), final: final,
                writer: &writer)
        }
        symbolCount = 0
        literalFrequencies.update(repeating: 0)
        distanceFrequencies.update(repeating: 0)
        blockStart = position
    }

    private func writeStored(final: Bool) {
        BlockWriter.writeStored(
            UnsafeRawBufferPointer(start: buffer + blockStart, count: position - blockStart), final: final,
            writer: &writer)
    }
}

/// How hard the matcher searches at one level (after zlib's well-known tuning table).
struct MatchSettings {
    var storeOnly = false
    var lazy = true
    var chainLength = 128
    var niceLength = 128
    var lazyLength = 16
    var goodLength = 8
    var maxInsertLength = 258

    init(level: CompressionLevel) {
        switch level.value {
        case 0: storeOnly = true
        case 1: lazy = false; chainLength = 4; niceLength = 8; maxInsertLength = 4
        case 2: lazy = false; chainLength = 8; niceLength = 16; maxInsertLength = 5
        case 3: lazy = false; chainLength = 32; niceLength = 32; maxInsertLength = 6
        case 4: chainLength = 16; niceLength = 16; lazyLength = 4; goodLength = 4
        case 5: chainLength = 32; niceLength = 32; lazyLength = 16; goodLength = 8
        case 6: chainLength = 128; niceLength = 128; lazyLength = 16; goodLength = 8
        case 7: chainLength = 256; niceLength = 128; lazyLength = 32; goodLength = 8
        case 8: chainLength = 1024; niceLength = 258; lazyLength = 128; goodLength = 32
        default: chainLength = 4096; niceLength = 258; lazyLength = 258; goodLength = 32
        }
    }
}

/// Maps match lengths and distances to their DEFLATE codes.
enum DeflateCodeMaps {
    /// Length code index (0...28) of `length - 3`.
    static let lengthCode: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for code in 0..<28 {
            let base = Int(DeflateTables.lengthBase[code]) - 3
            for k in 0..<(1 << Int(DeflateTables.lengthExtra[code])) where base + k < 256 {
                table[base + k] = UInt8(code)
            }
        }
        table[255] = 28
        return table
    }()

    /// Distance code (0...29) of `distance - 1` for distances up to 256, then by 128s.
    private static let distanceCodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        for code in 0..<30 {
            let base = Int(DeflateTables.distanceBase[code]) - 1
            let span = 1 << Int(DeflateTables.distanceExtra[code])
            for k in 0..<span {
                let d = base + k
                if d < 256 { table[d] = UInt8(code) } else { table[256 + (d >> 7)] = UInt8(code) }
            }
        }
        return table
    }()

    @inline(__always)
    static func distanceCode(_ distanceMinusOne: Int) -> Int {
        distanceMinusOne < 256
            ? Int(distanceCodeTable[distanceMinusOne]) : Int(distanceCodeTable[256 + (distanceMinusOne >> 7)])
    }
}
