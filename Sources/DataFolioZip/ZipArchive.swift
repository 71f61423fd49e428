import DataFolioCompression
import DataFolioSupport

/// A ZIP archive read from bytes in memory or from a memory-mapped file, with random
/// access to its entries — the container of NumPy `.npz` and PyTorch `.pt` files.
///
/// Opening an archive reads only its central directory (including ZIP64 records) and
/// checks every entry's local header, so later reads cannot stray outside the bytes.
/// Entries can be stored or DEFLATE-compressed; their CRC-32 is verified on read.
///
/// ```swift
/// let archive = try ZipArchive(path: "weights.pt")
/// for entry in archive.entries { print(entry.name, entry.uncompressedSize) }
/// if let entry = archive.entry(named: "archive/data.pkl") {
///     let pickle = try archive.contents(of: entry)
/// }
/// // Stored entries can be used in place, without copying:
/// if let entry = archive.entry(named: "archive/data/0"), let range = archive.storedDataRange(of: entry) {
///     let tensorBytes = UnsafeRawBufferPointer(rebasing: archive.mappedFile!.bytes[range])
/// }
/// ```
public struct ZipArchive: Sendable {
    private enum Storage: Sendable {
        case array([UInt8])
        case mapped(MappedFile)
    }

    private let storage: Storage
    /// Every entry, in central-directory order.
    public let entries: [ZipEntry]
    /// The archive comment.
    public let comment: [UInt8]
    private let indexByName: [String: Int]

    private static let format = "ZIP"

    /// Opens an archive held in memory.
    public init(bytes: [UInt8]) throws(DataFolioError) {
        storage = .array(bytes)
        (entries, comment) = try bytes.withBytesTyped { raw throws(DataFolioError) in try Self.readDirectory(raw) }
        indexByName = Self.index(entries)
    }

    /// Opens an archive over a memory-mapped file; entry data can then be used in place.
    package init(mapping file: MappedFile) throws(DataFolioError) {
        storage = .mapped(file)
        (entries, comment) = try Self.readDirectory(file.bytes)
        indexByName = Self.index(entries)
    }

    /// Maps the file at `path` and opens it as an archive.
    public init(path: String) throws(DataFolioError) {
        do {
            try self.init(mapping: try MappedFile(path: path))
        } catch {
            var located = error
            if located.path == nil { located.path = path }
            throw located
        }
    }

    /// The mapped file the archive reads from, if it was opened from one.
    package var mappedFile: MappedFile? {
        if case .mapped(let file) = storage { return file }
        return nil
    }

    /// The archive's size in bytes.
    public var byteCount: Int {
        switch storage {
        case .array(let bytes): bytes.count
        case .mapped(let file): file.bytes.count
        }
    }

    /// Calls `body` with the archive's bytes (for use with ``storedDataRange(of:)``).
    public func withUnsafeBytes<R>(
        _ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R {
        switch storage {
        case .array(let bytes): try bytes.withBytesTyped(body)
        case .mapped(let file): try body(file.bytes)
        }
    }

    /// The entry with this name (the last one, if the name repeats), or `nil`.
    public func entry(named name: String) -> ZipEntry? {
        indexByName[name].map { entries[$0] }
    }

    /// The byte range of a stored (uncompressed, unencrypted) entry's data inside the
    /// archive, or `nil` for compressed entries. Use it to read the data in place.
    public func storedDataRange(of entry: ZipEntry) -> Range<Int>? {
        guard entry.method == .stored, !entry.isEncrypted, entry.compressedSize == entry.uncompressedSize else {
            return nil
        }
        return entry.dataRange
    }

    /// The entry's uncompressed bytes, with the CRC-32 verified.
    ///
    /// - Parameter maximumSize: refuse entries that claim to be larger than this.
    public func contents(of entry: ZipEntry, maximumSize: Int = .max) throws(DataFolioError) -> [UInt8] {
        guard entry.uncompressedSize <= maximumSize else {
            throw DataFolioError(
                .limitExceeded,
                "ZIP: entry '\(entry.name)' is \(entry.uncompressedSize) bytes, more than the allowed \(maximumSize).")
        }
        return try withUnsafeBytes { archive throws(DataFolioError) in
            try Self.extract(entry, from: archive)
        }
    }

    /// Writes the entry's uncompressed bytes into `output` (at least
    /// ``ZipEntry/uncompressedSize`` bytes; any bytes after those may be overwritten),
    /// verifies the CRC-32, and returns the number of bytes written.
    ///
    /// Use it to decompress straight into memory you already own, such as an array's
    /// storage, without an intermediate copy.
    public func contents(of entry: ZipEntry, into output: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int {
        guard output.count >= entry.uncompressedSize else {
            throw DataFolioError(
                .invalidArgument,
                "ZIP: entry '\(entry.name)' needs \(entry.uncompressedSize) bytes but the output buffer holds \(output.count).")
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: output[0..<entry.uncompressedSize])
        try withUnsafeBytes { archive throws(DataFolioError) in
            try Self.extract(entry, from: archive, into: target)
        }
        return entry.uncompressedSize
    }

    /// The bytes of the entry called `name`, with the CRC-32 verified.
    public func contents(named name: String, maximumSize: Int = .max) throws(DataFolioError) -> [UInt8] {
        guard let entry = entry(named: name) else {
            throw DataFolioError(.fileNotFound, "ZIP: the archive has no entry named '\(name)'.")
        }
        return try contents(of: entry, maximumSize: maximumSize)
    }

    // MARK: Reading entries

    private static func extract(_ entry: ZipEntry, from archive: UnsafeRawBufferPointer) throws(DataFolioError) -> [UInt8] {
        var failure: DataFolioError?
        let result = [UInt8](uninitializedCapacity: entry.uncompressedSize) { buffer, initialized in
            do throws(DataFolioError) {
                try extract(entry, from: archive, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = entry.uncompressedSize
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Decodes the entry into `output`, which holds exactly its uncompressed size.
    private static func extract(
        _ entry: ZipEntry, from archive: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) {
        guard !entry.isEncrypted else { throw DataFolioError.unsupported(format, "entry '\(entry.name)' is encrypted, which") }
        let data = UnsafeRawBufferPointer(rebasing: archive[entry.dataRange])
        switch entry.method {
        case .stored:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw DataFolioError.corrupt(format, "stored entry '\(entry.name)' has different stored and original sizes")
            }
            if let source = data.baseAddress, let target = output.baseAddress {
                target.copyMemory(from: source, byteCount: data.count)
            }
        case .deflate:
            let written: Int
            do {
                written = try Deflate.decompress(data, into: output)
            } catch {
                throw DataFolioError(error.code, "ZIP entry '\(entry.name)': \(error.message)")
            }
            guard written == entry.uncompressedSize else {
                throw DataFolioError.corrupt(
                    format, "entry '\(entry.name)' decompresses to \(written) bytes instead of \(entry.uncompressedSize)")
            }
        default:
            throw DataFolioError.unsupported(format, "entry '\(entry.name)' uses compression \(entry.method), which")
        }
        guard CRC32.checksum(UnsafeRawBufferPointer(output)) == entry.crc32 else {
            throw DataFolioError.corrupt(format, "entry '\(entry.name)' fails its CRC-32 check")
        }
    }

    private static func index(_ entries: [ZipEntry]) -> [String: Int] {
        var index = [String: Int](minimumCapacity: entries.count)
        for (position, entry) in entries.enumerated() { index[entry.name] = position }
        return index
    }

    // MARK: Central directory

    private struct Directory {
        var entryCount: Int
        var size: Int
        var offset: Int
        /// Where the directory must end: the start of the (ZIP64) end record.
        var end: Int
    }

    private static func readDirectory(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) -> ([ZipEntry], [UInt8]) {
        let (eocd, comment) = try findEndRecord(bytes)
        var reader = ByteReader(bytes, format: format)
        try reader.seek(to: eocd + 4)
        let disk = try reader.readLE(UInt16.self)
        let directoryDisk = try reader.readLE(UInt16.self)
        let entriesOnDisk = try reader.readLE(UInt16.self)
        let totalEntries = try reader.readLE(UInt16.self)
        let size = try reader.readLE(UInt32.self)
        let offset = try reader.readLE(UInt32.self)
        var directory = Directory(entryCount: Int(totalEntries), size: Int(size), offset: Int(offset), end: eocd)

        if let zip64 = try readZip64EndRecord(bytes, endRecord: eocd) {
            directory = zip64
        } else {
            guard disk == 0, directoryDisk == 0, entriesOnDisk == totalEntries else {
                throw DataFolioError.unsupported(format, "an archive split over several files")
            }
        }
        guard directory.size <= directory.end, directory.offset <= directory.end - directory.size else {
            throw DataFolioError.corrupt(format, "the central directory lies outside the archive")
        }
        // Bytes before the archive (a self-extractor stub, say) shift every offset.
        let shift = directory.end - directory.size - directory.offset
        guard directory.entryCount <= directory.size / 46 else {
            throw DataFolioError.corrupt(
                format, "the archive claims \(directory.entryCount) entries but its directory holds at most \(directory.size / 46)")
        }
        let entries = try readEntries(bytes, directory: directory, shift: shift)
        return (entries, comment)
    }

    /// Finds the end-of-central-directory record, searching back over a possible comment.
    private static func findEndRecord(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) -> (Int, [UInt8]) {
        guard bytes.count >= 22 else {
            throw DataFolioError.corrupt(format, "\(bytes.count) bytes are too few for an archive")
        }
        let lowest = max(0, bytes.count - 22 - 65535)
        var position = bytes.count - 22
        var fallback: Int?
        while position >= lowest {
            if bytes[position] == 0x50, bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian == 0x0605_4B50 {
                let commentLength = Int(bytes.loadUnaligned(fromByteOffset: position + 20, as: UInt16.self).littleEndian)
                if position + 22 + commentLength == bytes.count {
                    return (position, [UInt8](bytes[(position + 22)..<bytes.count]))
                }
                if fallback == nil && position + 22 + commentLength <= bytes.count { fallback = position }
            }
            position -= 1
        }
        if let fallback {
            let commentLength = Int(bytes.loadUnaligned(fromByteOffset: fallback + 20, as: UInt16.self).littleEndian)
            return (fallback, [UInt8](bytes[(fallback + 22)..<(fallback + 22 + commentLength)]))
        }
        throw DataFolioError.corrupt(format, "no end-of-central-directory record was found")
    }

    private static func readZip64EndRecord(
        _ bytes: UnsafeRawBufferPointer, endRecord: Int
    ) throws(DataFolioError) -> Directory? {
        let locator = endRecord - 20
        guard locator >= 0,
              bytes.loadUnaligned(fromByteOffset: locator, as: UInt32.self).littleEndian == 0x0706_4B50
        else { return nil }
        var reader = ByteReader(bytes, format: format)
        try reader.seek(to: locator + 4)
        let disk = try reader.readLE(UInt32.self)
        let recordOffset = try reader.readLE(UInt64.self)
        let diskCount = try reader.readLE(UInt32.self)
        guard disk == 0, diskCount <= 1 else {
            throw DataFolioError.unsupported(format, "an archive split over several files")
        }
        // The record normally sits right before the locator; trust that over the offset
        // field when bytes were prepended to the archive.
        var position = locator - 56
        if position < 0 || bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian != 0x0606_4B50 {
            guard recordOffset <= UInt64(locator) else {
                throw DataFolioError.corrupt(format, "the ZIP64 end record offset lies outside the archive")
            }
            position = Int(recordOffset)
        }
        try reader.seek(to: position)
        guard try reader.readLE(UInt32.self) == 0x0606_4B50 else {
            throw DataFolioError.corrupt(format, "the ZIP64 end-of-central-directory record is missing")
        }
        try reader.skip(8 + 2 + 2)  // record size, versions
        let recordDisk = try reader.readLE(UInt32.self)
        let directoryDisk = try reader.readLE(UInt32.self)
        let entriesOnDisk = try reader.readLE(UInt64.self)
        let totalEntries = try reader.readLE(UInt64.self)
        let size = try reader.readLE(UInt64.self)
        let offset = try reader.readLE(UInt64.self)
        guard recordDisk == 0, directoryDisk == 0, entriesOnDisk == totalEntries else {
            throw DataFolioError.unsupported(format, "an archive split over several files")
        }
        let limit = UInt64(bytes.count)
        guard totalEntries <= limit, size <= limit, offset <= limit else {
            throw DataFolioError.corrupt(format, "the ZIP64 end record describes a directory larger than the archive")
        }
        return Directory(entryCount: Int(totalEntries), size: Int(size), offset: Int(offset), end: position)
    }

    private static func readEntries(
        _ bytes: UnsafeRawBufferPointer, directory: Directory, shift: Int
    ) throws(DataFolioError) -> [ZipEntry] {
        let start = directory.offset + shift
        let region = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + directory.size)])
        var reader = ByteReader(region, format: format)
        var entries: [ZipEntry] = []
        entries.reserveCapacity(directory.entryCount)
        for index in 0..<directory.entryCount {
            guard try reader.readLE(UInt32.self) == 0x0201_4B50 else {
                throw DataFolioError.corrupt(format, "central directory entry \(index) has a bad signature")
            }
            try reader.skip(4)  // versions
            let flags = try reader.readLE(UInt16.self)
            let method = try reader.readLE(UInt16.self)
            let time = try reader.readLE(UInt16.self)
            let date = try reader.readLE(UInt16.self)
            let crc = try reader.readLE(UInt32.self)
            var compressedSize = UInt64(try reader.readLE(UInt32.self))
            var uncompressedSize = UInt64(try reader.readLE(UInt32.self))
            let nameLength = Int(try reader.readLE(UInt16.self))
            let extraLength = Int(try reader.readLE(UInt16.self))
            let commentLength = Int(try reader.readLE(UInt16.self))
            try reader.skip(2 + 2 + 4)  // disk, internal and external attributes
            var localOffset = UInt64(try reader.readLE(UInt32.self))
            let nameBytes = try reader.readBytes(nameLength)
            let extra = try reader.readBytes(extraLength)
            try reader.skip(commentLength)

            if compressedSize == 0xFFFF_FFFF || uncompressedSize == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                try applyZip64Extra(
                    extra, uncompressed: &uncompressedSize, compressed: &compressedSize, offset: &localOffset, entry: index)
            }
            let name = flags & 0x0800 != 0 || isASCII(nameBytes)
                ? String(decoding: nameBytes, as: UTF8.self) : CodePage437.decode(nameBytes)
            let limit = UInt64(bytes.count)
            guard compressedSize <= limit, localOffset <= limit, uncompressedSize <= UInt64(Int.max / 2) else {
                throw DataFolioError.corrupt(format, "entry '\(name)' has sizes or an offset beyond the archive")
            }
            if method == ZipCompressionMethod.deflate.rawValue {
                guard uncompressedSize <= compressedSize * UInt64(Deflate.maximumExpansionRatio) + 64 else {
                    throw DataFolioError.corrupt(
                        format, "entry '\(name)' claims \(uncompressedSize) bytes, more than \(compressedSize) compressed bytes can hold")
                }
            }
            let headerOffset = Int(localOffset) + shift
            let dataOffset = try localDataOffset(bytes, headerOffset: headerOffset, name: name)
            guard dataOffset <= bytes.count, Int(compressedSize) <= bytes.count - dataOffset else {
                throw DataFolioError.truncated(format, "entry '\(name)' runs past the end of the archive")
            }
            entries.append(
                ZipEntry(
                    name: name, method: ZipCompressionMethod(rawValue: method), crc32: crc,
                    compressedSize: Int(compressedSize), uncompressedSize: Int(uncompressedSize),
                    localHeaderOffset: headerOffset, dataOffset: dataOffset, flags: flags, dosTime: time, dosDate: date,
                    index: index))
        }
        return entries
    }

    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    private static func applyZip64Extra(
        _ extra: UnsafeRawBufferPointer, uncompressed: inout UInt64, compressed: inout UInt64, offset: inout UInt64,
        entry: Int
    ) throws(DataFolioError) {
        var reader = ByteReader(extra, format: format)
        while reader.remaining >= 4 {
            let id = try reader.readLE(UInt16.self)
            let length = Int(try reader.readLE(UInt16.self))
            let body = try reader.readBytes(length)
            guard id == 0x0001 else { continue }
            var field = ByteReader(body, format: format)
            if uncompressed == 0xFFFF_FFFF { uncompressed = try field.readLE(UInt64.self) }
            if compressed == 0xFFFF_FFFF { compressed = try field.readLE(UInt64.self) }
            if offset == 0xFFFF_FFFF { offset = try field.readLE(UInt64.self) }
            return
        }
        throw DataFolioError.corrupt(format, "central directory entry \(entry) needs a ZIP64 extra field but has none")
    }

    /// Checks the local header at `headerOffset` and returns where the entry's data starts.
    private static func localDataOffset(
        _ bytes: UnsafeRawBufferPointer, headerOffset: Int, name: String
    ) throws(DataFolioError) -> Int {
        var reader = ByteReader(bytes, format: format)
        guard headerOffset >= 0, headerOffset <= bytes.count else {
            throw DataFolioError.corrupt(format, "entry '\(name)' has a local header offset outside the archive")
        }
        try reader.seek(to: headerOffset)
        guard try reader.readLE(UInt32.self) == 0x0403_4B50 else {
            throw DataFolioError.corrupt(format, "entry '\(name)' has no local header where the directory says")
        }
        try reader.skip(22)
        let nameLength = Int(try reader.readLE(UInt16.self))
        let extraLength = Int(try reader.readLE(UInt16.self))
        try reader.skip(nameLength + extraLength)
        return reader.offset
    }
}
