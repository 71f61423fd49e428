/// The FSE tables the previous compressed block used, which the next block may repeat.
struct ZstdEncoderEntropy {
    var literalLength: ZstdFSEEncoder?
    var offset: ZstdFSEEncoder?
    var matchLength: ZstdFSEEncoder?
}

/// Collects a block's sequences and literals (filled by a match finder) and writes them as
/// the content of a compressed block: literals section, then sequences section.
final class ZstdBlockEncoder {
    /// Room after the literals for 16-byte chunked copies.
    static let literalSlack = 32

    let literals: UnsafeMutablePointer<UInt8>
    var literalCount = 0
    let literalLengths: UnsafeMutablePointer<UInt32>
    let matchLengths: UnsafeMutablePointer<UInt32>
    /// Offsets as the format codes them: 1...3 for repeat offsets, distance + 3 otherwise.
    let offsetValues: UnsafeMutablePointer<UInt32>
    var sequenceCount = 0

    let literalLengthCodes: UnsafeMutablePointer<UInt8>
    let matchLengthCodes: UnsafeMutablePointer<UInt8>
    let offsetCodes: UnsafeMutablePointer<UInt8>
    let histogram: UnsafeMutablePointer<Int>

    /// The tables of the last emitted compressed block with sequences.
    var entropy = ZstdEncoderEntropy()
    /// The Huffman code of the last emitted Huffman-coded literals, which a block may reuse.
    private var huffman: ZstdHuffmanEncoder?
    /// The Huffman code in force after the block just encoded.
    private var pendingHuffman: ZstdHuffmanEncoder?
    /// The tables of the block just encoded, adopted by ``commit()`` if the block is kept.
    var pendingEntropy = ZstdEncoderEntropy()

    /// Prepares for blocks of at most `blockCapacity` bytes.
    init(blockCapacity: Int) {
        let maxSequences = blockCapacity / ZstdConstants.minMatch + 1
        literals = .allocate(capacity: blockCapacity + Self.literalSlack)
        literalLengths = .allocate(capacity: maxSequences)
        matchLengths = .allocate(capacity: maxSequences)
        offsetValues = .allocate(capacity: maxSequences)
        literalLengthCodes = .allocate(capacity: maxSequences)
        matchLengthCodes = .allocate(capacity: maxSequences)
        offsetCodes = .allocate(capacity: maxSequences)
        histogram = .allocate(capacity: 256)
        histogram.initialize(repeating: 0, count: 256)
    }

    deinit {
        literals.deallocate()
        literalLengths.deallocate()
        matchLengths.deallocate()
        offsetValues.deallocate()
        literalLengthCodes.deallocate()
        matchLengthCodes.deallocate()
        offsetCodes.deallocate()
        histogram.deallocate()
    }

    /// Empties the sequence store for a new block.
    func startBlock() {
        literalCount = 0
        sequenceCount = 0
        pendingHuffman = huffman
    }

    /// Adopts the tables of the block just encoded (call when it is emitted compressed).
    func commit() {
        if sequenceCount > 0 { entropy = pendingEntropy }
        huffman = pendingHuffman
    }

    /// Appends trailing literals (after the last match of the block).
    func appendLiterals(_ source: UnsafePointer<UInt8>, count: Int) {
        (literals + literalCount).update(from: source, count: count)
        literalCount += count
    }

    /// Writes the block content; returns its size, or nil when it does not fit in `capacity`.
    func encode(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        guard let literalsSize = writeLiterals(into: buffer, capacity: capacity) else { return nil }
        guard let sequencesSize = writeSequences(into: buffer + literalsSize, capacity: capacity - literalsSize) else {
            return nil
        }
        return literalsSize + sequencesSize
    }

    // MARK: - Literals section

    private func writeLiterals(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        let count = literalCount
        let rawHeaderSize = count < 32 ? 1 : (count < 4096 ? 2 : 3)
        guard capacity >= rawHeaderSize + count else { return nil }
        if count >= 64, let size = writeCompressedLiterals(into: buffer, capacity: min(capacity, rawHeaderSize + count)) {
            return size
        }
        Self.writeLiteralsHeader(type: 0, count: count, into: buffer)
        (buffer + rawHeaderSize).update(from: literals, count: count)
        return rawHeaderSize + count
    }

    /// Writes a raw (type 0) or RLE (type 1) literals header; returns its size.
    @discardableResult
    private static func writeLiteralsHeader(type: Int, count: Int, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        if count < 32 {
            buffer[0] = UInt8(type | count << 3)
            return 1
        }
        if count < 4096 {
            buffer[0] = UInt8(truncatingIfNeeded: type | 1 << 2 | count << 4)
            buffer[1] = UInt8(truncatingIfNeeded: count >> 4)
            return 2
        }
        buffer[0] = UInt8(truncatingIfNeeded: type | 3 << 2 | count << 4)
        buffer[1] = UInt8(truncatingIfNeeded: count >> 4)
        buffer[2] = UInt8(truncatingIfNeeded: count >> 12)
        return 3
    }

    /// Writes RLE or Huffman-coded literals when smaller than `capacity` (the raw size).
    private func writeCompressedLiterals(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        let count = literalCount
        histogram.update(repeating: 0, count: 256)
        Self.countBytes(literals, count: count, into: histogram)
        if histogram[Int(literals[0])] == count {
            let headerSize = Self.writeLiteralsHeader(type: 1, count: count, into: buffer)
            buffer[headerSize] = literals[0]
            return headerSize + 1
        }
        // A new code costs its tree description; the previous block's code is free to reuse
        // (a "treeless" block) if it has a code for every literal here.
        let fresh = ZstdHuffmanEncoder(histogram: histogram)
        var tree = [UInt8](repeating: 0, count: 160)
        let treeSize = fresh.flatMap { fresh in
            tree.withUnsafeMutableBufferPointer { tree in
                tree.baseAddress.flatMap { fresh.writeDescription(into: $0, capacity: tree.count) }
            }
        }
        var choice: (code: ZstdHuffmanEncoder, isRepeat: Bool, bits: Int)?
        if let fresh, let treeSize {
            choice = (fresh, false, fresh.encodedBits(histogram: histogram) + 8 * treeSize)
        }
        if let previous = huffman, previous.covers(histogram) {
            let bits = previous.encodedBits(histogram: histogram)
            if bits <= choice?.bits ?? Int.max { choice = (previous, true, bits) }
        }
        guard let (code, isRepeat, bits) = choice else { return nil }
        let singleStream = count < 256
        let headerSize = singleStream || count < 1024 ? 3 : (count < 16384 ? 4 : 5)
        // Worth it only when clearly smaller than raw literals, which also decode faster.
        let estimate = headerSize + (bits + 7) / 8 + (singleStream ? 0 : 6 + 3)
        guard estimate + count / 64 < capacity else { return nil }

        var position = headerSize
        if !isRepeat, let treeSize {
            buffer.advanced(by: position).update(from: tree, count: treeSize)
            position += treeSize
        }
        if singleStream {
            guard let size = code.encodeStream(literals, count: count, into: buffer + position, capacity: capacity - position) else {
                return nil
            }
            position += size
        } else {
            let segment = (count + 3) / 4
            let jumpTable = position
            position += 6
            guard position < capacity else { return nil }
            for stream in 0..<4 {
                let start = stream * segment
                let length = stream == 3 ? count - 3 * segment : segment
                guard let size = code.encodeStream(
                    literals + start, count: length, into: buffer + position, capacity: capacity - position) else {
                    return nil
                }
                if stream < 3 {
                    guard size <= 0xFFFF else { return nil }
                    buffer[jumpTable + 2 * stream] = UInt8(truncatingIfNeeded: size)
                    buffer[jumpTable + 2 * stream + 1] = UInt8(truncatingIfNeeded: size >> 8)
                }
                position += size
            }
        }
        guard position + count / 64 < capacity else { return nil }
        let compressedSize = position - headerSize
        let sizeFormat = singleStream ? 0 : (headerSize == 3 ? 1 : (headerSize == 4 ? 2 : 3))
        let fieldBits = headerSize == 3 ? 10 : (headerSize == 4 ? 14 : 18)
        var header = (isRepeat ? 3 : 2) | sizeFormat << 2 | count << 4 | compressedSize << (4 + fieldBits)
        for index in 0..<headerSize {
            buffer[index] = UInt8(truncatingIfNeeded: header)
            header >>= 8
        }
        pendingHuffman = code
        return position
    }

    /// Adds the byte counts of `bytes` to `histogram`, four interleaved tables at a time.
    static func countBytes(_ bytes: UnsafePointer<UInt8>, count: Int, into histogram: UnsafeMutablePointer<Int>) {
        let tables = UnsafeMutablePointer<UInt32>.allocate(capacity: 1024)
        defer { tables.deallocate() }
        tables.initialize(repeating: 0, count: 1024)
        var index = 0
        while index + 4 <= count {
            tables[Int(bytes[index])] &+= 1
            tables[256 &+ Int(bytes[index + 1])] &+= 1
            tables[512 &+ Int(bytes[index + 2])] &+= 1
            tables[768 &+ Int(bytes[index + 3])] &+= 1
            index += 4
        }
        while index < count {
            tables[Int(bytes[index])] &+= 1
            index += 1
        }
        for symbol in 0..<256 {
            histogram[symbol] += Int(tables[symbol]) + Int(tables[256 + symbol]) + Int(tables[512 + symbol]) + Int(tables[768 + symbol])
        }
    }
}
