import DataFolioCompression
import DataFolioSupport

/// Writes a ZIP archive, either into memory or streamed to a file so that archives of
/// many gigabytes never need to be held in memory.
///
/// Entries are stored or DEFLATE-compressed, carry a CRC-32, and switch to ZIP64 fields
/// whenever a size, an offset or the entry count needs it. A stored entry's data can be
/// aligned (PyTorch aligns tensor data to 64 bytes) so readers can map it in place.
///
/// ```swift
/// let writer = ZipWriter()
/// try writer.addEntry(named: "x.npy", contents: npyBytes, method: .stored, alignment: 64)
/// try writer.addEntry(named: "notes.txt", contents: Array("hello".utf8))
/// let archive = try writer.finish()
///
/// // Streaming to a file, one chunk at a time:
/// let file = try FileWriter(creating: "big.zip", computeMD5: true)
/// let streaming = ZipWriter(writingTo: file)
/// try streaming.beginEntry(named: "data.bin", method: .deflate)
/// for chunk in chunks { try streaming.writeEntryData(chunk) }
/// try streaming.endEntry()
/// try streaming.finish()
/// let md5 = try file.finish(sync: true)
/// ```
public final class ZipWriter {
    private let file: FileWriter?
    private var memory: [UInt8] = []
    private var position = 0
    private var centralDirectory = ByteWriter(capacity: 1024)
    private var entryCount = 0
    private var openEntry: OpenEntry?
    private var finished = false
    private var failed = false
    /// Write ZIP64 records even when nothing needs them (as Python's `force_zip64`).
    public let forceZip64: Bool
    // The sizes and counts from which ZIP64 fields are used; lowered only by tests.
    private let sizeLimit: Int
    private let countLimit: Int

    private static let format = "ZIP"
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1  // 1980-01-01
    private static let dosTime: UInt16 = 0
    private static let alignmentExtraID: UInt16 = 0xD935
    private static let streamingThreshold = 16 << 20

    private final class OpenEntry {
        let name: [UInt8]
        let method: ZipCompressionMethod
        let localHeaderOffset: Int
        let encoder: DeflateEncoder?
        var crc = CRC32()
        var uncompressedSize = 0
        var compressedSize = 0

        init(name: [UInt8], method: ZipCompressionMethod, localHeaderOffset: Int, encoder: DeflateEncoder?) {
            self.name = name
            self.method = method
            self.localHeaderOffset = localHeaderOffset
            self.encoder = encoder
        }
    }

    /// Creates a writer that builds the archive in memory; ``finish()`` returns it.
    public init(forceZip64: Bool = false) {
        file = nil
        self.forceZip64 = forceZip64
        sizeLimit = 0xFFFF_FFFF
        countLimit = 0xFFFF
    }

    /// A writer that switches to ZIP64 fields at lower thresholds, so tests can cover
    /// archives that mix classic and ZIP64 records without writing gigabytes.
    init(file: FileWriter?, sizeLimit: Int, countLimit: Int) {
        self.file = file
        forceZip64 = false
        self.sizeLimit = sizeLimit
        self.countLimit = countLimit
    }

    /// Creates a writer that streams the archive into `file`. The caller finishes the
    /// file (and gets its MD5) after ``finish()``.
    public init(writingTo file: FileWriter, forceZip64: Bool = false) {
        self.file = file
        self.forceZip64 = forceZip64
        sizeLimit = 0xFFFF_FFFF
        countLimit = 0xFFFF
    }

    /// The number of archive bytes written so far.
    public var bytesWritten: Int { position }

    // MARK: Whole entries

    /// Adds an entry whose contents are all at hand.
    ///
    /// - Parameters:
    ///   - alignment: for stored entries, start the data at a multiple of this many bytes
    ///     (by padding the local header's extra field); 1 means no alignment.
    public func addEntry(
        named name: String, contents: UnsafeRawBufferPointer, method: ZipCompressionMethod = .deflate,
        level: CompressionLevel = .default, alignment: Int = 1
    ) throws(DataFolioError) {
        try checkCanAddEntry()
        if method == .deflate && contents.count > Self.streamingThreshold {
            // Compressing a large entry whole would hold all of its output in memory;
            // streaming it (with a data descriptor) keeps memory bounded.
            try beginEntry(named: name, method: method, level: level)
            var offset = 0
            repeat {
                let end = min(contents.count, offset + (1 << 20))
                try writeEntryData(UnsafeRawBufferPointer(rebasing: contents[offset..<end]))
                offset = end
            } while offset < contents.count
            try endEntry()
            return
        }
        let nameBytes = try Self.validatedName(name)
        let crc = CRC32.checksum(contents)
        var compressed: [UInt8] = []
        let compressedSize: Int
        switch method {
        case .stored: compressedSize = contents.count
        case .deflate:
            compressed = Deflate.compress(contents, level: level)
            compressedSize = compressed.count
        default: throw Self.unsupportedMethod(method)
        }
        let offset = position
        let zip64 = forceZip64 || contents.count >= sizeLimit || compressedSize >= sizeLimit
        var header = localHeader(
            name: nameBytes, method: method, flags: 0, crc: crc, compressedSize: compressedSize,
            uncompressedSize: contents.count, zip64: zip64)
        if method == .stored { padForAlignment(&header, alignment: alignment) }
        try guarded { () throws(DataFolioError) in
            try write(header)
            if method == .stored {
                try write(contents)
            } else {
                try write(compressed)
            }
        }
        appendCentralRecord(
            name: nameBytes, method: method, flags: 0, crc: crc, compressedSize: compressedSize,
            uncompressedSize: contents.count, localHeaderOffset: offset)
    }

    /// Adds an entry whose contents are all at hand.
    public func addEntry(
        named name: String, contents: [UInt8], method: ZipCompressionMethod = .deflate,
        level: CompressionLevel = .default, alignment: Int = 1
    ) throws(DataFolioError) {
        try contents.withBytesTyped { raw throws(DataFolioError) in
            try addEntry(named: name, contents: raw, method: method, level: level, alignment: alignment)
        }
    }

    // MARK: Streamed entries

    /// Starts an entry whose contents will follow in pieces through ``writeEntryData(_:)``.
    ///
    /// The sizes and CRC-32 go into a data descriptor after the data, with 8-byte sizes
    /// (announced by a ZIP64 field in the local header), so the entry may be any size.
    public func beginEntry(
        named name: String, method: ZipCompressionMethod = .deflate, level: CompressionLevel = .default,
        alignment: Int = 1
    ) throws(DataFolioError) {
        try checkCanAddEntry()
        let nameBytes = try Self.validatedName(name)
        guard method == .stored || method == .deflate else { throw Self.unsupportedMethod(method) }
        let entry = OpenEntry(
            name: nameBytes, method: method, localHeaderOffset: position,
            encoder: method == .deflate ? DeflateEncoder(level: level) : nil)
        var header = localHeader(
            name: nameBytes, method: method, flags: 0x0008, crc: 0, compressedSize: 0, uncompressedSize: 0, zip64: true)
        if method == .stored { padForAlignment(&header, alignment: alignment) }
        try guarded { () throws(DataFolioError) in try write(header) }
        openEntry = entry
    }

    /// Appends data to the entry started with ``beginEntry(named:method:level:alignment:)``.
    public func writeEntryData(_ data: UnsafeRawBufferPointer) throws(DataFolioError) {
        guard let entry = openEntry else {
            throw DataFolioError(.invalidArgument, "ZIP: writeEntryData was called with no entry begun. Call beginEntry first.")
        }
        entry.crc.update(data)
        entry.uncompressedSize += data.count
        try guarded { () throws(DataFolioError) in
            if let encoder = entry.encoder {
                encoder.compress(data)
                let output = encoder.takeOutput()
                entry.compressedSize += output.count
                try write(output)
            } else {
                entry.compressedSize += data.count
                try write(data)
            }
        }
    }

    /// Appends data to the entry started with ``beginEntry(named:method:level:alignment:)``.
    public func writeEntryData(_ data: [UInt8]) throws(DataFolioError) {
        try data.withBytesTyped { raw throws(DataFolioError) in try writeEntryData(raw) }
    }

    /// Ends the entry being streamed, writing its data descriptor.
    public func endEntry() throws(DataFolioError) {
        guard let entry = openEntry else {
            throw DataFolioError(.invalidArgument, "ZIP: endEntry was called with no entry begun.")
        }
        try guarded { () throws(DataFolioError) in
            if let encoder = entry.encoder {
                encoder.finish()
                let output = encoder.takeOutput()
                entry.compressedSize += output.count
                try write(output)
            }
            var descriptor = ByteWriter(capacity: 24)
            descriptor.appendLE(UInt32(0x0807_4B50))
            descriptor.appendLE(entry.crc.value)
            descriptor.appendLE(UInt64(entry.compressedSize))
            descriptor.appendLE(UInt64(entry.uncompressedSize))
            try write(descriptor.bytes)
        }
        openEntry = nil
        appendCentralRecord(
            name: entry.name, method: entry.method, flags: 0x0008, crc: entry.crc.value,
            compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize,
            localHeaderOffset: entry.localHeaderOffset)
    }

    // MARK: Finishing

    /// Writes the central directory and the end records. Returns the archive when
    /// writing to memory, and an empty array when streaming to a file.
    @discardableResult
    public func finish() throws(DataFolioError) -> [UInt8] {
        guard !finished else {
            throw DataFolioError(.invalidArgument, "ZIP: finish was called twice.")
        }
        guard openEntry == nil else {
            throw DataFolioError(.invalidArgument, "ZIP: finish was called while an entry was still open. Call endEntry first.")
        }
        guard !failed else {
            throw DataFolioError(.ioFailure, "ZIP: an earlier write failed, so the archive is incomplete.")
        }
        let directoryOffset = position
        let directorySize = centralDirectory.count
        var end = ByteWriter(capacity: 128)
        let needsZip64 = forceZip64 || entryCount >= countLimit || directoryOffset >= sizeLimit
            || directorySize >= sizeLimit
        if needsZip64 {
            let recordOffset = directoryOffset + directorySize
            end.appendLE(UInt32(0x0606_4B50))
            end.appendLE(UInt64(44))  // size of the rest of the record
            end.appendLE(UInt16(45))  // made by: version 4.5
            end.appendLE(UInt16(45))  // needed to extract
            end.appendLE(UInt32(0))
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(entryCount))
            end.appendLE(UInt64(entryCount))
            end.appendLE(UInt64(directorySize))
            end.appendLE(UInt64(directoryOffset))
            end.appendLE(UInt32(0x0706_4B50))
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(recordOffset))
            end.appendLE(UInt32(1))
        }
        end.appendLE(UInt32(0x0605_4B50))
        end.appendLE(UInt16(0))
        end.appendLE(UInt16(0))
        // Fields that need ZIP64 hold all ones, which sends readers to the ZIP64 record.
        let shortCount = entryCount >= countLimit ? 0xFFFF : UInt16(entryCount)
        end.appendLE(shortCount)
        end.appendLE(shortCount)
        end.appendLE(directorySize >= sizeLimit ? 0xFFFF_FFFF : UInt32(directorySize))
        end.appendLE(directoryOffset >= sizeLimit ? 0xFFFF_FFFF : UInt32(directoryOffset))
        end.appendLE(UInt16(0))  // comment length
        try guarded { () throws(DataFolioError) in
            try write(centralDirectory.bytes)
            try write(end.bytes)
        }
        finished = true
        centralDirectory = ByteWriter()
        let result = memory
        memory = []
        return result
    }

    // MARK: Records

    private func localHeader(
        name: [UInt8], method: ZipCompressionMethod, flags: UInt16, crc: UInt32, compressedSize: Int,
        uncompressedSize: Int, zip64: Bool
    ) -> ByteWriter {
        var header = ByteWriter(capacity: 30 + name.count + 20)
        header.appendLE(UInt32(0x0403_4B50))
        header.appendLE(UInt16(zip64 ? 45 : method == .deflate ? 20 : 10))
        header.appendLE(flags | Self.utf8Flag(name))
        header.appendLE(method.rawValue)
        header.appendLE(Self.dosTime)
        header.appendLE(Self.dosDate)
        header.appendLE(crc)
        header.appendLE(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(compressedSize))
        header.appendLE(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(uncompressedSize))
        header.appendLE(UInt16(name.count))
        header.appendLE(UInt16(zip64 ? 20 : 0))
        header.append(contentsOf: name)
        if zip64 {
            header.appendLE(UInt16(0x0001))
            header.appendLE(UInt16(16))
            header.appendLE(UInt64(uncompressedSize))
            header.appendLE(UInt64(compressedSize))
        }
        return header
    }

    /// Grows the local header's extra field so the data after it starts at a multiple
    /// of `alignment` bytes.
    private func padForAlignment(_ header: inout ByteWriter, alignment: Int) {
        guard alignment > 1 else { return }
        let minimum = 6  // extra ID, length, and a 2-byte alignment value
        let dataStart = position + header.count
        var padding = minimum
        while (dataStart + padding) % alignment != 0 { padding += 1 }
        var extraLength = Int(header.bytes[28]) | Int(header.bytes[29]) << 8
        extraLength += padding
        header.patchLE(UInt16(extraLength), at: 28)
        header.appendLE(Self.alignmentExtraID)
        header.appendLE(UInt16(padding - 4))
        header.appendLE(UInt16(min(alignment, 0xFFFF)))
        header.append(contentsOf: repeatElement(0, count: padding - minimum))
    }

    private func appendCentralRecord(
        name: [UInt8], method: ZipCompressionMethod, flags: UInt16, crc: UInt32, compressedSize: Int,
        uncompressedSize: Int, localHeaderOffset: Int
    ) {
        var extra = ByteWriter(capacity: 28)
        let bigUncompressed = forceZip64 || uncompressedSize >= sizeLimit
        let bigCompressed = forceZip64 || compressedSize >= sizeLimit
        let bigOffset = forceZip64 || localHeaderOffset >= sizeLimit
        if bigUncompressed || bigCompressed || bigOffset {
            var body = ByteWriter(capacity: 24)
            if bigUncompressed { body.appendLE(UInt64(uncompressedSize)) }
            if bigCompressed { body.appendLE(UInt64(compressedSize)) }
            if bigOffset { body.appendLE(UInt64(localHeaderOffset)) }
            extra.appendLE(UInt16(0x0001))
            extra.appendLE(UInt16(body.count))
            extra.append(contentsOf: body.bytes)
        }
        let zip64 = extra.count > 0
        var record = centralDirectory
        centralDirectory = ByteWriter()
        record.appendLE(UInt32(0x0201_4B50))
        record.appendLE(UInt16(0x0300 | (zip64 ? 45 : 20)))  // made by Unix, version
        record.appendLE(UInt16(zip64 ? 45 : method == .deflate ? 20 : 10))
        record.appendLE(flags | Self.utf8Flag(name))
        record.appendLE(method.rawValue)
        record.appendLE(Self.dosTime)
        record.appendLE(Self.dosDate)
        record.appendLE(crc)
        record.appendLE(bigCompressed ? UInt32(0xFFFF_FFFF) : UInt32(compressedSize))
        record.appendLE(bigUncompressed ? UInt32(0xFFFF_FFFF) : UInt32(uncompressedSize))
        record.appendLE(UInt16(name.count))
        record.appendLE(UInt16(extra.count))
        record.appendLE(UInt16(0))  // comment
        record.appendLE(UInt16(0))  // disk
        record.appendLE(UInt16(0))  // internal attributes
        let mode: UInt32 = name.last == UInt8(ascii: "/") ? 0o40755 : 0o100644
        record.appendLE(mode << 16)
        record.appendLE(bigOffset ? UInt32(0xFFFF_FFFF) : UInt32(localHeaderOffset))
        record.append(contentsOf: name)
        record.append(contentsOf: extra.bytes)
        centralDirectory = record
        entryCount += 1
    }

    // MARK: Output

    private func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        if let file {
            try file.write(bytes)
        } else {
            memory.append(contentsOf: bytes)
        }
        position += bytes.count
    }

    private func write(_ bytes: [UInt8]) throws(DataFolioError) {
        try bytes.withBytesTyped { raw throws(DataFolioError) in try write(raw) }
    }

    private func write(_ writer: ByteWriter) throws(DataFolioError) {
        try write(writer.bytes)
    }

    /// Runs output steps, remembering a failure so the broken archive is never finished.
    private func guarded(_ body: () throws(DataFolioError) -> Void) throws(DataFolioError) {
        do { try body() } catch {
            failed = true
            throw error
        }
    }

    private func checkCanAddEntry() throws(DataFolioError) {
        guard !finished else { throw DataFolioError(.invalidArgument, "ZIP: the archive is already finished.") }
        guard openEntry == nil else {
            throw DataFolioError(.invalidArgument, "ZIP: an entry is still open. Call endEntry before adding another.")
        }
        guard !failed else {
            throw DataFolioError(.ioFailure, "ZIP: an earlier write failed, so the archive is incomplete.")
        }
    }

    private static func validatedName(_ name: String) throws(DataFolioError) -> [UInt8] {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 0xFFFF else {
            throw DataFolioError(.invalidArgument, "ZIP: an entry name must be 1 to 65,535 bytes of UTF-8.")
        }
        return bytes
    }

    private static func utf8Flag(_ name: [UInt8]) -> UInt16 {
        name.contains { $0 >= 0x80 } ? 0x0800 : 0
    }

    private static func unsupportedMethod(_ method: ZipCompressionMethod) -> DataFolioError {
        DataFolioError.unsupported(format, "writing entries with compression \(method)")
    }
}
