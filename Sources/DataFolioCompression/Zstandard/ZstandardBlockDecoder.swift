import DataFolioSupport

/// Decodes compressed blocks. It owns the working memory (literals, Huffman and FSE tables)
/// and the state a frame carries from block to block: repeat offsets, the last Huffman table
/// and the last FSE tables.
final class ZstdBlockDecoder {
    /// Room past the literals so copies may move whole 16-byte chunks.
    static let literalSlack = 32
    /// Room an output must have past a sequence for the chunked copies.
    static let copySlack = 32

    /// Decoded literals of the current block; room for the frame's largest block plus slack.
    private(set) var literals: UnsafeMutablePointer<UInt8>
    private var literalCapacity: Int
    let huffmanTable: UnsafeMutablePointer<UInt16>
    /// Code length limit of the current Huffman table, 0 when the frame has none yet.
    var huffmanMaxBits = 0

    let literalLengthTable: UnsafeMutablePointer<ZstdSequenceCell>
    let offsetTable: UnsafeMutablePointer<ZstdSequenceCell>
    let matchLengthTable: UnsafeMutablePointer<ZstdSequenceCell>
    /// Accuracy logs of the current tables, -1 when the frame has none yet (for Repeat mode).
    var literalLengthLog = -1
    var offsetLog = -1
    var matchLengthLog = -1

    var repeatOffsets = (1, 4, 8)

    init() {
        // Small frames are common (Parquet pages): memory is sized per frame, in startFrame.
        literalCapacity = 0
        literals = .allocate(capacity: Self.literalSlack)
        literals.initialize(repeating: 0, count: Self.literalSlack)
        huffmanTable = .allocate(capacity: 1 << ZstdConstants.maxHuffmanBits)
        huffmanTable.initialize(repeating: 0, count: 1 << ZstdConstants.maxHuffmanBits)
        let empty = ZstdSequenceCell(baseline: 0, nbBits: 0, extraBits: 0, baseValue: 0)
        literalLengthTable = .allocate(capacity: 1 << ZstdConstants.maxLiteralLengthAccuracyLog)
        literalLengthTable.initialize(repeating: empty, count: 1 << ZstdConstants.maxLiteralLengthAccuracyLog)
        offsetTable = .allocate(capacity: 1 << ZstdConstants.maxOffsetAccuracyLog)
        offsetTable.initialize(repeating: empty, count: 1 << ZstdConstants.maxOffsetAccuracyLog)
        matchLengthTable = .allocate(capacity: 1 << ZstdConstants.maxMatchLengthAccuracyLog)
        matchLengthTable.initialize(repeating: empty, count: 1 << ZstdConstants.maxMatchLengthAccuracyLog)
    }

    deinit {
        literals.deallocate()
        huffmanTable.deallocate()
        literalLengthTable.deallocate()
        offsetTable.deallocate()
        matchLengthTable.deallocate()
    }

    /// Forgets everything a previous frame left behind, and makes room for its blocks.
    func startFrame(blockMaximum: Int) {
        if blockMaximum > literalCapacity {
            literals.deallocate()
            literalCapacity = blockMaximum
            literals = .allocate(capacity: blockMaximum + Self.literalSlack)
            literals.initialize(repeating: 0, count: blockMaximum + Self.literalSlack)
        }
        huffmanMaxBits = 0
        literalLengthLog = -1
        offsetLog = -1
        matchLengthLog = -1
        repeatOffsets = (1, 4, 8)
    }

    /// Decodes one compressed block, appending at most `blockMaximum` bytes to `output`.
    /// `frameStart` is where the frame's output began: matches cannot reach before it.
    func decodeBlock(
        _ block: UnsafeRawBufferPointer, blockMaximum: Int, output: inout ZstdOutput, frameStart: Int
    ) throws(DataFolioError) {
        let (literalsSize, literalCount) = try decodeLiterals(block, blockMaximum: blockMaximum)
        let sequences = UnsafeRawBufferPointer(rebasing: block[literalsSize...])
        output.reserve(blockMaximum)
        try decodeSequences(
            sequences, literalCount: literalCount, blockMaximum: blockMaximum, output: &output, frameStart: frameStart)
    }

    // MARK: - Literals

    /// Decodes the literals section into ``literals``; returns its size in the block and
    /// the number of literals.
    private func decodeLiterals(
        _ block: UnsafeRawBufferPointer, blockMaximum: Int
    ) throws(DataFolioError) -> (size: Int, count: Int) {
        guard block.count >= 1 else {
            throw DataFolioError.truncated(ZstdConstants.format, "a compressed block is empty")
        }
        let byte0 = Int(block[0])
        let type = byte0 & 3
        let sizeFormat = (byte0 >> 2) & 3
        if type <= 1 {
            // Raw or RLE literals.
            var headerSize = 1
            var count = byte0 >> 3
            if sizeFormat == 1 {
                headerSize = 2
                guard block.count >= 2 else { throw literalsHeaderTruncated() }
                count = byte0 >> 4 | Int(block[1]) << 4
            } else if sizeFormat == 3 {
                headerSize = 3
                guard block.count >= 3 else { throw literalsHeaderTruncated() }
                count = byte0 >> 4 | Int(block[1]) << 4 | Int(block[2]) << 12
            }
            guard count <= blockMaximum else { throw tooManyLiterals(count, blockMaximum) }
            if type == 0 {
                guard headerSize + count <= block.count else {
                    throw DataFolioError.truncated(ZstdConstants.format, "raw literals run past the end of their block")
                }
                if count > 0, let source = block.baseAddress {
                    literals.update(from: (source + headerSize).assumingMemoryBound(to: UInt8.self), count: count)
                }
                return (headerSize + count, count)
            }
            guard headerSize + 1 <= block.count else {
                throw DataFolioError.truncated(ZstdConstants.format, "RLE literals are missing their byte")
            }
            literals.update(repeating: block[headerSize], count: count)
            return (headerSize + 1, count)
        }

        // Huffman-coded literals, with a new tree (type 2) or the previous one (type 3).
        let headerSize = sizeFormat <= 1 ? 3 : sizeFormat + 2
        guard block.count >= headerSize else { throw literalsHeaderTruncated() }
        var header = 0
        for index in 0..<headerSize {
            header |= Int(block[index]) << (8 * index)
        }
        header >>= 4
        let fieldBits = sizeFormat <= 1 ? 10 : (sizeFormat == 2 ? 14 : 18)
        let mask = (1 << fieldBits) - 1
        let count = header & mask
        let compressedSize = (header >> fieldBits) & mask
        guard count <= blockMaximum else { throw tooManyLiterals(count, blockMaximum) }
        guard headerSize + compressedSize <= block.count else {
            throw DataFolioError.truncated(ZstdConstants.format, "Huffman-coded literals run past the end of their block")
        }
        var data = UnsafeRawBufferPointer(rebasing: block[headerSize..<(headerSize + compressedSize)])
        if type == 2 {
            let (maxBits, used) = try ZstdHuffmanDecoding.readTable(from: data, into: huffmanTable)
            huffmanMaxBits = maxBits
            data = UnsafeRawBufferPointer(rebasing: data[used...])
        } else if huffmanMaxBits == 0 {
            throw DataFolioError.corrupt(ZstdConstants.format, "a block reuses a Huffman table that was never sent")
        }
        if sizeFormat == 0 {
            try ZstdHuffmanDecoding.decodeStream(
                data, table: huffmanTable, maxBits: huffmanMaxBits, into: literals, count: count)
        } else {
            try ZstdHuffmanDecoding.decodeFourStreams(
                data, table: huffmanTable, maxBits: huffmanMaxBits, into: literals, count: count)
        }
        return (headerSize + compressedSize, count)
    }

    private func literalsHeaderTruncated() -> DataFolioError {
        DataFolioError.truncated(ZstdConstants.format, "a literals section header ends early")
    }

    private func tooManyLiterals(_ count: Int, _ maximum: Int) -> DataFolioError {
        DataFolioError.corrupt(ZstdConstants.format, "a block declares \(count) literals, more than its limit of \(maximum) bytes")
    }
}
