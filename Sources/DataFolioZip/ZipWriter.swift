import DataFolioCompression
import DataFolioSupport
import Dispatch

/// Writes a ZIP archive, either into memory or streamed to a file so that archives of
/// many gigabytes never need to be held in memory.
///
/// Entries are stored or DEFLATE-compressed, carry a CRC-32, and switch to ZIP64 fields
/// whenever a size, an offset or the entry count needs it. A stored entry's data can be
/// aligned (PyTorch aligns tensor data to 64 bytes) so readers can map it in place, and
/// is written straight from the caller's buffer. ``ZipWriterOptions`` chooses the
/// record conventions: Python `zipfile`'s (the default) or those of `torch.save`.
///
/// ```swift
/// let writer = ZipWriter()
/// try writer.addEntry(named: "x.npy", contents: npyBytes, method: .stored, alignment: 64)
/// try writer.addEntry(named: "notes.txt", contents: Array("hello".utf8))
/// let archive = try writer.finish()
///
/// // Streaming into any ByteOutput (a file, a folio payload), one chunk at a time:
/// let output = MemoryOutput()
/// let streaming = ZipWriter(writingTo: output)
/// try streaming.beginEntry(named: "data.bin", method: .deflate)
/// for chunk in chunks { try streaming.writeEntryData(chunk) }
/// try streaming.endEntry()
/// try streaming.finish()
///
/// // PyTorch's layout:
/// let torch = ZipWriter(writingTo: MemoryOutput(), options: .pytorch)
/// ```
public final class ZipWriter {
    /// How the archive's records are laid out.
    public let options: ZipWriterOptions
    /// Whether ZIP64 records are written even when nothing needs them (as Python's `force_zip64`).
    public var forceZip64: Bool { options.forceZip64 }

    private let file: (any ByteOutput)?
    private var memory: [UInt8] = []
    /// The number of archive bytes written so far, which is where the next record starts.
    private(set) var position = 0
    var centralDirectory = ByteWriter(capacity: 1024)
    var entryCount = 0
    private var openEntry: OpenEntry?
    private var finished = false
    private var failed = false
    // The sizes and counts from which ZIP64 fields are used; lowered only by tests.
    let sizeLimit: Int
    let countLimit: Int

    static let format = "ZIP"
    private static let streamingThreshold = 16 << 20
    /// Stored entries at least this large are checksummed on a second thread while written.
    private static let parallelChecksumThreshold = 4 << 20
    /// The largest alignment accepted; padding must fit in one extra field.
    public static let maximumAlignment = 32768

    private final class OpenEntry {
        let name: [UInt8]
        let method: ZipCompressionMethod
        let flags: UInt16
        let localHeaderOffset: Int
        let encoder: DeflateEncoder?
        var crc = CRC32()
        var uncompressedSize = 0
        var compressedSize = 0

        init(name: [UInt8], method: ZipCompressionMethod, flags: UInt16, localHeaderOffset: Int, encoder: DeflateEncoder?) {
            self.name = name
            self.method = method
            self.flags = flags
            self.localHeaderOffset = localHeaderOffset
            self.encoder = encoder
        }
    }

    /// Creates a writer that builds the archive in memory; ``finish()`` returns it.
    ///
    /// ```swift
    /// let writer = ZipWriter()
    /// try writer.addEntry(named: "hello.txt", contents: Array("hello".utf8))
    /// let bytes = try writer.finish()
    /// ```
    public convenience init(forceZip64: Bool = false) {
        self.init(file: nil, options: ZipWriterOptions(forceZip64: forceZip64))
    }

    /// Creates a writer that builds the archive in memory with the given layout;
    /// ``finish()`` returns it.
    ///
    /// ```swift
    /// let writer = ZipWriter(options: .pytorch)
    /// ```
    public convenience init(options: ZipWriterOptions) {
        self.init(file: nil, options: options)
    }

    /// Creates a writer that streams the archive into `file`. The caller finishes the
    /// file (and gets its MD5) after ``finish()``.
    ///
    /// ```swift
    /// let output = MemoryOutput()
    /// let writer = ZipWriter(writingTo: output)
    /// try writer.addEntry(named: "a.txt", contents: Array("a".utf8))
    /// try writer.finish()
    /// print(output.bytes.count)
    /// ```
    public convenience init(writingTo file: any ByteOutput, forceZip64: Bool = false) {
        self.init(file: file, options: ZipWriterOptions(forceZip64: forceZip64))
    }

    /// Creates a writer that streams the archive into `file` with the given layout. The
    /// caller finishes the file (and gets its MD5) after ``finish()``.
    ///
    /// ```swift
    /// let writer = ZipWriter(writingTo: MemoryOutput(), options: .pytorch)
    /// ```
    public convenience init(writingTo file: any ByteOutput, options: ZipWriterOptions) {
        self.init(file: file, options: options)
    }

    /// A writer that switches to ZIP64 fields at lower thresholds, so tests can cover
    /// archives that mix classic and ZIP64 records without writing gigabytes.
    init(file: (any ByteOutput)?, options: ZipWriterOptions = .standard, sizeLimit: Int = 0xFFFF_FFFF, countLimit: Int = 0xFFFF) {
        self.file = file
        self.options = options
        self.sizeLimit = sizeLimit
        self.countLimit = countLimit
    }

    /// The number of archive bytes written so far.
    public var bytesWritten: Int { position }

    // MARK: Whole entries

    /// Adds an entry whose contents are all at hand. Stored contents are written
    /// straight from `contents`, without an intermediate copy.
    ///
    /// ```swift
    /// try npy.withUnsafeBytes { bytes in
    ///     try writer.addEntry(named: "x.npy", contents: bytes, method: .stored, alignment: 64)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - name: The entry's path in the archive, `/`-separated.
    ///   - contents: The entry's bytes.
    ///   - method: ``ZipCompressionMethod/stored`` or ``ZipCompressionMethod/deflate``.
    ///   - level: The DEFLATE level, for deflated entries.
    ///   - alignment: for stored entries, start the data at a multiple of this many bytes
    ///     (1 to ``maximumAlignment``) by padding the local header with the extra field of
    ///     ``ZipWriterOptions/padding``; 1 means no padding.
    public func addEntry(
        named name: String, contents: UnsafeRawBufferPointer, method: ZipCompressionMethod = .deflate,
        level: CompressionLevel = .default, alignment: Int = 1
    ) throws(DataFolioError) {
        try checkCanAddEntry()
        try Self.checkAlignment(alignment)
        guard method == .stored || method == .deflate else { throw Self.unsupportedMethod(method) }
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
        let compressed = method == .deflate ? Deflate.compress(contents, level: level) : []
        let compressedSize = method == .deflate ? compressed.count : contents.count
        switch options.style {
        case .standard:
            try addStandardEntry(
                name: nameBytes, contents: contents, method: method, compressed: compressed,
                compressedSize: compressedSize, alignment: alignment)
        case .pytorch:
            try addPyTorchEntry(
                name: nameBytes, contents: contents, method: method, compressed: compressed,
                compressedSize: compressedSize, alignment: alignment)
        }
    }

    /// Adds an entry whose contents are all at hand.
    ///
    /// ```swift
    /// try writer.addEntry(named: "notes.txt", contents: Array("hello".utf8), method: .deflate, level: .best)
    /// ```
    public func addEntry(
        named name: String, contents: [UInt8], method: ZipCompressionMethod = .deflate,
        level: CompressionLevel = .default, alignment: Int = 1
    ) throws(DataFolioError) {
        try contents.withBytesTyped { raw throws(DataFolioError) in
            try addEntry(named: name, contents: raw, method: method, level: level, alignment: alignment)
        }
    }

    /// Python `zipfile`'s layout: CRC-32 and sizes in the local header, so the CRC-32 is
    /// computed before anything is written.
    private func addStandardEntry(
        name: [UInt8], contents: UnsafeRawBufferPointer, method: ZipCompressionMethod, compressed: [UInt8],
        compressedSize: Int, alignment: Int
    ) throws(DataFolioError) {
        let crc = CRC32.checksum(contents)
        let offset = position
        let zip64 = forceZip64 || contents.count >= sizeLimit || compressedSize >= sizeLimit
        var header = standardLocalHeader(
            name: name, method: method, flags: 0, crc: crc, compressedSize: compressedSize,
            uncompressedSize: contents.count, zip64: zip64)
        if method == .stored { padForAlignment(&header, alignment: alignment) }
        try guarded { () throws(DataFolioError) in
            try write(header)
            if method == .stored { try write(contents) } else { try write(compressed) }
        }
        appendCentralRecord(ZipRecord(
            name: name, method: method, flags: Self.utf8Flag(name), crc: crc, compressedSize: compressedSize,
            uncompressedSize: contents.count, localHeaderOffset: offset))
    }

    /// PyTorch's layout: the header carries no CRC-32 or sizes and a data descriptor
    /// follows the data, so a large stored entry is checksummed while it is written.
    private func addPyTorchEntry(
        name: [UInt8], contents: UnsafeRawBufferPointer, method: ZipCompressionMethod, compressed: [UInt8],
        compressedSize: Int, alignment: Int
    ) throws(DataFolioError) {
        let offset = position
        let hasData = !contents.isEmpty
        let flags: UInt16 = 0x0800 | (hasData ? 0x0008 : 0)
        var zip64Values: [Int] = []
        // PyTorch leaves the compressed size zero here (it follows in the descriptor and
        // the central directory), as it does the 4-byte fields.
        if pytorchNeedsLargeSizes(compressedSize: compressedSize, uncompressedSize: contents.count) {
            zip64Values += [contents.count, 0]
        }
        if pytorchNeedsLargeOffset(offset) { zip64Values.append(offset) }
        var header = pytorchLocalHeader(name: name, method: method, flags: flags, zip64Values: zip64Values)
        if method == .stored { padForAlignment(&header, alignment: alignment) }
        var crc: UInt32 = 0
        try guarded { () throws(DataFolioError) in
            try write(header)
            if method == .stored {
                crc = try writeChecksummed(contents)
            } else {
                crc = CRC32.checksum(contents)
                try write(compressed)
            }
            if hasData {
                try write(dataDescriptor(
                    crc: crc, compressedSize: compressedSize, uncompressedSize: contents.count,
                    wideSizes: !zip64Values.isEmpty))
            }
        }
        appendCentralRecord(ZipRecord(
            name: name, method: method, flags: flags, crc: crc, compressedSize: compressedSize,
            uncompressedSize: contents.count, localHeaderOffset: offset))
    }

    // MARK: Streamed entries

    /// Starts an entry whose contents will follow in pieces through ``writeEntryData(_:)-([UInt8])``.
    ///
    /// The sizes and CRC-32 go into a data descriptor after the data, with 8-byte sizes
    /// (announced by a ZIP64 field in the local header), so the entry may be any size.
    ///
    /// ```swift
    /// try writer.beginEntry(named: "log.txt", method: .deflate)
    /// for line in lines { try writer.writeEntryData(Array((line + "\n").utf8)) }
    /// try writer.endEntry()
    /// ```
    public func beginEntry(
        named name: String, method: ZipCompressionMethod = .deflate, level: CompressionLevel = .default,
        alignment: Int = 1
    ) throws(DataFolioError) {
        try checkCanAddEntry()
        try Self.checkAlignment(alignment)
        let nameBytes = try Self.validatedName(name)
        guard method == .stored || method == .deflate else { throw Self.unsupportedMethod(method) }
        let offset = position
        let flags: UInt16
        var header: ByteWriter
        switch options.style {
        case .standard:
            flags = 0x0008 | Self.utf8Flag(nameBytes)
            header = standardLocalHeader(
                name: nameBytes, method: method, flags: 0x0008, crc: 0, compressedSize: 0, uncompressedSize: 0, zip64: true)
        case .pytorch:
            flags = 0x0808
            // The sizes are unknown yet: announce 8-byte sizes in the descriptor, as the
            // entry may grow past 4 GiB.
            let zip64Values = [0, 0] + (pytorchNeedsLargeOffset(offset) ? [offset] : [])
            header = pytorchLocalHeader(name: nameBytes, method: method, flags: flags, zip64Values: zip64Values)
        }
        if method == .stored { padForAlignment(&header, alignment: alignment) }
        try guarded { () throws(DataFolioError) in try write(header) }
        openEntry = OpenEntry(
            name: nameBytes, method: method, flags: flags, localHeaderOffset: offset,
            encoder: method == .deflate ? DeflateEncoder(level: level) : nil)
    }

    /// Appends data to the entry started with ``beginEntry(named:method:level:alignment:)``.
    ///
    /// ```swift
    /// try chunk.withUnsafeBytes { try writer.writeEntryData($0) }
    /// ```
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
    ///
    /// ```swift
    /// try writer.writeEntryData(Array("more text".utf8))
    /// ```
    public func writeEntryData(_ data: [UInt8]) throws(DataFolioError) {
        try data.withBytesTyped { raw throws(DataFolioError) in try writeEntryData(raw) }
    }

    /// Ends the entry being streamed, writing its data descriptor.
    ///
    /// ```swift
    /// try writer.beginEntry(named: "empty.bin")
    /// try writer.endEntry()
    /// ```
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
            try write(dataDescriptor(
                crc: entry.crc.value, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize,
                wideSizes: true))
        }
        openEntry = nil
        appendCentralRecord(ZipRecord(
            name: entry.name, method: entry.method, flags: entry.flags, crc: entry.crc.value,
            compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize,
            localHeaderOffset: entry.localHeaderOffset))
    }

    // MARK: Finishing

    /// Writes the central directory and the end records. Returns the archive when
    /// writing to memory, and an empty array when streaming to a file.
    ///
    /// ```swift
    /// let writer = ZipWriter()
    /// try writer.addEntry(named: "a.txt", contents: Array("a".utf8))
    /// let archive = try writer.finish()   // the whole archive when writing to memory
    /// ```
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
        let end = endRecords(directoryOffset: position, directorySize: centralDirectory.count)
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

    /// Writes `data` and returns its CRC-32. For large data the checksum runs on a second
    /// thread while the bytes are written, as both take comparable time.
    private func writeChecksummed(_ data: UnsafeRawBufferPointer) throws(DataFolioError) -> UInt32 {
        guard data.count >= Self.parallelChecksumThreshold else {
            try write(data)
            return CRC32.checksum(data)
        }
        let box = UnsafeSendableBox(data)
        nonisolated(unsafe) var crc: UInt32 = 0
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { crc = CRC32.checksum(box.value) }
        let written: Result<Void, DataFolioError>
        do throws(DataFolioError) {
            try write(data)
            written = .success(())
        } catch {
            written = .failure(error)
        }
        // Wait even after a failure: the other thread is still reading the caller's buffer.
        group.wait()
        try written.get()
        return crc
    }

    /// Runs output steps, remembering a failure so the broken archive is never finished.
    private func guarded(_ body: () throws(DataFolioError) -> Void) throws(DataFolioError) {
        do { try body() } catch {
            failed = true
            throw error
        }
    }

    // MARK: Checks

    private func checkCanAddEntry() throws(DataFolioError) {
        guard !finished else { throw DataFolioError(.invalidArgument, "ZIP: the archive is already finished.") }
        guard openEntry == nil else {
            throw DataFolioError(.invalidArgument, "ZIP: an entry is still open. Call endEntry before adding another.")
        }
        guard !failed else {
            throw DataFolioError(.ioFailure, "ZIP: an earlier write failed, so the archive is incomplete.")
        }
    }

    private static func checkAlignment(_ alignment: Int) throws(DataFolioError) {
        guard alignment >= 1, alignment <= maximumAlignment else {
            throw DataFolioError(
                .invalidArgument, "ZIP: an alignment of \(alignment) bytes is out of range. Use 1 to \(maximumAlignment) bytes.")
        }
    }

    private static func validatedName(_ name: String) throws(DataFolioError) -> [UInt8] {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 0xFFFF else {
            throw DataFolioError(.invalidArgument, "ZIP: an entry name must be 1 to 65,535 bytes of UTF-8.")
        }
        return bytes
    }

    static func utf8Flag(_ name: [UInt8]) -> UInt16 {
        name.contains { $0 >= 0x80 } ? 0x0800 : 0
    }

    private static func unsupportedMethod(_ method: ZipCompressionMethod) -> DataFolioError {
        DataFolioError.unsupported(format, "writing entries with compression \(method)")
    }
}
