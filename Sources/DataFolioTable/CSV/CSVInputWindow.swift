import DataFolioSupport

/// The bytes of the input the reader is looking at: either all of an input held in
/// memory, or a window of a stream that is refilled as records are consumed.
///
/// Latin-1 input is turned into UTF-8 as it enters the window, so everything after
/// works on UTF-8.
final class CSVInputWindow {
    private let input: (any ByteInput)?
    private let encoding: CSVEncoding
    /// Keeps the memory of an in-memory input alive.
    private let owner: AnyObject?
    private var storage: UnsafeMutableRawBufferPointer
    private let ownsStorage: Bool
    /// The number of valid bytes at the start of ``storage``.
    private(set) var count: Int
    /// Whether the window holds everything up to the end of the input.
    private(set) var isFinal: Bool
    /// The number of input bytes read so far (before any transcoding), for progress.
    private(set) var bytesRead = 0
    /// The offset in the (UTF-8) stream of the first byte of the window.
    private(set) var streamOffset = 0
    /// Raw bytes awaiting transcoding.
    private var raw: [UInt8] = []

    /// The most a window may grow to hold one batch or one record.
    static let maximumCapacity = 1 << 33

    /// A window over bytes in memory (all of them, at once).
    init(memory: UnsafeRawBufferPointer, encoding: CSVEncoding, owner: AnyObject?) {
        input = nil
        self.encoding = encoding
        self.owner = owner
        if encoding == .latin1 {
            let converted = CSVInputWindow.latin1ToUTF8(memory)
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(converted.count, 1), alignment: 16)
            converted.withUnsafeBytes { source in
                if let base = source.baseAddress, source.count > 0 { copy.baseAddress?.copyMemory(from: base, byteCount: source.count) }
            }
            storage = copy
            count = converted.count
            ownsStorage = true
        } else {
            storage = UnsafeMutableRawBufferPointer(mutating: memory)
            count = memory.count
            ownsStorage = false
        }
        isFinal = true
        bytesRead = memory.count
    }

    /// A window over a stream, starting with `capacity` bytes.
    init(input: any ByteInput, encoding: CSVEncoding, capacity: Int) {
        self.input = input
        self.encoding = encoding
        owner = nil
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 4096), alignment: 16)
        ownsStorage = true
        count = 0
        isFinal = false
    }

    deinit {
        if ownsStorage { storage.deallocate() }
    }

    /// The valid bytes.
    var bytes: UnsafeBufferPointer<UInt8> {
        guard let base = storage.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)
    }

    /// Whether the input can be read again from the start.
    var canRewind: Bool { input?.canRewind ?? true }

    /// Drops the bytes before `offset`, moving the rest to the front; returns how far
    /// they moved.
    func discard(before offset: Int) -> Int {
        guard input != nil, offset > 0, let base = storage.baseAddress else { return 0 }
        let keep = count - offset
        if keep > 0 { base.copyMemory(from: base + offset, byteCount: keep) }
        count = keep
        streamOffset += offset
        return offset
    }

    /// Reads more of the input into the window, growing it when it is full; returns
    /// false when nothing more came (``isFinal`` is then true).
    @discardableResult
    func fill() throws(DataFolioError) -> Bool {
        guard let input, !isFinal else { return false }
        if count == storage.count {
            let grown = storage.count * 2
            guard grown <= CSVInputWindow.maximumCapacity else {
                throw DataFolioError(
                    .limitExceeded, "CSV: one record of '\(input.name)' is longer than \(CSVInputWindow.maximumCapacity >> 30) GB.")
            }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: grown, alignment: 16)
            if let from = storage.baseAddress, let to = bigger.baseAddress, count > 0 { to.copyMemory(from: from, byteCount: count) }
            storage.deallocate()
            storage = bigger
        }
        guard let base = storage.baseAddress else { return false }
        let free = UnsafeMutableRawBufferPointer(start: base + count, count: storage.count - count)
        let added: Int
        switch encoding {
        case .utf8:
            added = try input.read(into: free)
            bytesRead += added
        case .latin1:
            // Each Latin-1 byte becomes at most two UTF-8 bytes.
            let want = max(free.count / 2, 1)
            if raw.count < want { raw = [UInt8](repeating: 0, count: want) }
            var got = 0
            var failure: DataFolioError?
            raw.withUnsafeMutableBytes { buffer in
                do throws(DataFolioError) {
                    got = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            bytesRead += got
            var position = 0
            let target = free.bindMemory(to: UInt8.self)
            for k in 0..<got {
                let byte = raw[k]
                if byte < 0x80 {
                    target[position] = byte
                    position += 1
                } else {
                    target[position] = 0xC0 | (byte >> 6)
                    target[position + 1] = 0x80 | (byte & 0x3F)
                    position += 2
                }
            }
            added = position
            if got == 0 { isFinal = true }
            count += added
            return added > 0
        }
        if added == 0 { isFinal = true }
        count += added
        return added > 0
    }

    /// Starts the input over.
    func rewind() throws(DataFolioError) {
        guard let input else { return }
        try input.rewind()
        count = 0
        streamOffset = 0
        bytesRead = 0
        isFinal = false
    }

    static func latin1ToUTF8(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                out.append(byte)
            } else {
                out.append(0xC0 | (byte >> 6))
                out.append(0x80 | (byte & 0x3F))
            }
        }
        return out
    }
}

/// Checks UTF-8 text quickly (eight ASCII bytes at a time).
enum UTF8Check {
    /// The offset of the first byte that is not part of valid UTF-8, or `nil`.
    static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            if i + 8 <= end {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let byte = base[i]
            if byte < 0x80 {
                i += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF: length = 2; scalar = UInt32(byte & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; scalar = UInt32(byte & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; scalar = UInt32(byte & 0x07); minimum = 0x10000
            default: return i
            }
            guard i + length <= end else { return i }
            for k in 1..<length {
                let next = base[i + k]
                guard next & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}
