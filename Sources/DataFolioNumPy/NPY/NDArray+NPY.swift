#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import Dispatch

// MARK: Reading

extension NDArray {
    /// Reads an array from the bytes of a `.npy` file (format 1.0, 2.0 or 3.0).
    ///
    /// The element bytes are copied once into the array; big-endian and Fortran-order
    /// data are kept as stored (see ``nativeByteOrder()`` and ``rowMajor()``).
    ///
    /// ```swift
    /// let array = try NDArray(npyData: bytes)
    /// print(array.dtype, array.shape)   // float32 [3, 4]
    /// ```
    ///
    /// - Throws: ``DataFolioError`` when the bytes are not a `.npy` file, are truncated,
    ///   or hold a dtype this library does not support (object, structured).
    public init(npyData: [UInt8]) throws(DataFolioError) {
        self = try npyData.withBytes { raw throws(DataFolioError) in try NDArray(npyBytes: raw) }
    }

    /// Reads an array from the bytes of a `.npy` file held in a buffer, copying the
    /// element bytes once. Bytes after the array data are ignored, as numpy does.
    public init(npyBytes bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        let header = try NPYHeader(parsing: bytes)
        try NDArray.checkDataFits(header, available: bytes.count)
        let data = UnsafeRawBufferPointer(rebasing: bytes[header.dataOffset..<(header.dataOffset + header.dataByteCount)])
        self = try NDArray(shape: header.shape, dtype: header.dtype, bytes: data, order: header.order)
    }

    /// Reads a `.npy` file.
    ///
    /// By default the header is read with one small read and the data with one more,
    /// straight into the array's memory. With `memoryMapped: true` the array shares the
    /// file's pages instead: nothing is read until used, and memory is shared between
    /// processes; the file must not change while the array is alive.
    ///
    /// ```swift
    /// let weights = try NDArray(contentsOfNPY: "weights.npy")
    /// let huge = try NDArray(contentsOfNPY: "embeddings.npy", memoryMapped: true)
    /// let rows: [Float] = try weights.values()
    /// ```
    ///
    /// - Throws: ``DataFolioError`` with code `fileNotFound` or `ioFailure` for file
    ///   problems, or the codes of ``init(npyData:)`` for bad content; the error's
    ///   `path` names the file.
    public init(contentsOfNPY path: String, memoryMapped: Bool = false) throws(DataFolioError) {
        do throws(DataFolioError) {
            if memoryMapped {
                let file = try MappedFile(path: path)
                self = try NDArray(npyMapping: file, offset: 0, count: file.bytes.count)
            } else {
                self = try NDArray.readNPYFile(path)
            }
        } catch {
            throw error.naming(path)
        }
    }

    /// Reads the `.npy` file that occupies `count` bytes at `offset` of a mapped file
    /// (a whole `.npy` file, or an entry stored uncompressed in a `.npz`) without
    /// copying its data.
    package init(npyMapping file: MappedFile, offset: Int, count: Int) throws(DataFolioError) {
        let region = UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + count)])
        let header = try NPYHeader(parsing: region)
        try NDArray.checkDataFits(header, available: count)
        self = try NDArray(shape: header.shape, dtype: header.dtype, order: header.order, mapping: file, offset: offset + header.dataOffset)
    }

    static func checkDataFits(_ header: NPYHeader, available: Int) throws(DataFolioError) {
        guard header.dataByteCount <= available - header.dataOffset else {
            throw DataFolioError.truncated(
                "NPY",
                "an array of shape \(header.shape) and dtype \(header.dtype.name) needs \(header.dataByteCount) bytes of data but only \(available - header.dataOffset) follow the header")
        }
    }

    /// Reads the header with a small read, checks the file is long enough, then reads
    /// the data straight into freshly allocated array memory.
    static func readNPYFile(_ path: String) throws(DataFolioError) -> NDArray {
        try withOpenFile(path) { fd, fileSize throws(DataFolioError) in
            try readNPY(descriptor: fd, path: path, fileSize: fileSize)
        }
    }

    /// Reads a `.npy` file open at `fd` (which the caller closes).
    package static func readNPY(descriptor fd: Int32, path: String, fileSize: Int) throws(DataFolioError) -> NDArray {
        let header = try readHeader(fd: fd, path: path, fileSize: fileSize)
        // Checked before allocating, so a lying shape cannot request more memory
        // than the file holds.
        try checkDataFits(header, available: fileSize)
        return try NDArray(shape: header.shape, dtype: header.dtype, order: header.order) { buffer throws(DataFolioError) in
            try readInParallel(fd: fd, path: path, offset: header.dataOffset, into: buffer)
        }
    }

    /// Reads a `.npy` object of `byteCount` bytes through ranged reads (an object store):
    /// the header first, then the data straight into the array's memory.
    ///
    /// - Parameter readRange: fills the buffer with the bytes at the offset.
    package static func readNPY(
        byteCount: Int, readRange: (Int, UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> NDArray {
        var head = [UInt8](repeating: 0, count: min(byteCount, 4096))
        try head.withMutableBytes { buffer throws(DataFolioError) in try readRange(0, buffer) }
        let headerLength = try head.withBytes { raw throws(DataFolioError) in try NPYHeader.headerLength(fromPrefix: raw) }
        if headerLength > head.count && headerLength <= byteCount {
            head = [UInt8](repeating: 0, count: headerLength)
            try head.withMutableBytes { buffer throws(DataFolioError) in try readRange(0, buffer) }
        }
        let header = try head.withBytes { raw throws(DataFolioError) in try NPYHeader(parsing: raw) }
        try checkDataFits(header, available: byteCount)
        return try NDArray(shape: header.shape, dtype: header.dtype, order: header.order) { buffer throws(DataFolioError) in
            try readRange(header.dataOffset, buffer)
        }
    }

    /// Reads a large region with several threads: copying out of the page cache and
    /// faulting in fresh memory are CPU-bound, so they scale with cores.
    static func readInParallel(fd: Int32, path: String, offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(DataFolioError) {
        let chunk = 16 << 20
        let threads = min(4, max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))), buffer.count / chunk)
        guard threads > 1, let base = buffer.baseAddress else {
            try LocalFile.read(fd: fd, path: path, offset: offset, into: buffer)
            return
        }
        // Split on 2 MiB boundaries so each thread fills whole huge pages.
        let share = (buffer.count / threads + HugePages.size - 1) / HugePages.size * HugePages.size
        let target = UnsafeSendableBox(base)
        let failures = UnsafeSendableBox(UnsafeMutableBufferPointer<DataFolioError?>.allocate(capacity: threads))
        failures.value.initialize(repeating: nil)
        defer {
            failures.value.deinitialize()
            failures.value.deallocate()
        }
        let total = buffer.count
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            let start = index * share
            let end = min(total, start + share)
            guard start < end else { return }
            let part = UnsafeMutableRawBufferPointer(start: target.value + start, count: end - start)
            do throws(DataFolioError) {
                try LocalFile.read(fd: fd, path: path, offset: offset + start, into: part)
            } catch {
                failures.value[index] = error
            }
        }
        if let failure = failures.value.lazy.compactMap({ $0 }).first { throw failure }
    }

    static func withOpenFile<R>(_ path: String, _ body: (Int32, Int) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fileFailure("Cannot open", path) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw fileFailure("Cannot inspect", path) }
        return try body(fd, Int(status.st_size))
    }

    static func readHeader(fd: Int32, path: String, fileSize: Int) throws(DataFolioError) -> NPYHeader {
        // Most headers are 128 bytes; one read of a page covers them.
        var head = [UInt8](repeating: 0, count: min(fileSize, 4096))
        try head.withMutableBytes { buffer throws(DataFolioError) in
            try LocalFile.read(fd: fd, path: path, offset: 0, into: buffer)
        }
        let headerLength = try head.withBytes { raw throws(DataFolioError) in
            try NPYHeader.headerLength(fromPrefix: raw)
        }
        if headerLength > head.count && headerLength <= fileSize {
            head = [UInt8](repeating: 0, count: headerLength)
            try head.withMutableBytes { buffer throws(DataFolioError) in
                try LocalFile.read(fd: fd, path: path, offset: 0, into: buffer)
            }
        }
        return try head.withBytes { raw throws(DataFolioError) in try NPYHeader(parsing: raw) }
    }

    static func fileFailure(_ what: String, _ path: String) -> DataFolioError {
        let code = errno
        if code == ENOENT {
            return DataFolioError(.fileNotFound, "\(what) '\(path)': no such file or folder.", path: path)
        }
        return DataFolioError(.ioFailure, "\(what) '\(path)': \(LocalFile.errnoDescription(code)).", path: path)
    }
}

extension NPYHeader {
    /// Reads only the header of a `.npy` file: its dtype, shape and order, without
    /// loading the data.
    ///
    /// ```swift
    /// let header = try NPYHeader(contentsOfNPY: "embeddings.npy")
    /// print(header.shape, header.dtype.name)   // [1000, 768] float32
    /// ```
    ///
    /// - Throws: ``DataFolioError`` for file problems (with `path` set) or a bad header.
    public init(contentsOfNPY path: String) throws(DataFolioError) {
        do throws(DataFolioError) {
            self = try NDArray.withOpenFile(path) { fd, fileSize throws(DataFolioError) in
                try NDArray.readHeader(fd: fd, path: path, fileSize: fileSize)
            }
        } catch {
            throw error.naming(path)
        }
    }
}

extension DataFolioError {
    /// The same error with `path` set, unless it already names a file.
    func naming(_ path: String) -> DataFolioError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }
}

// MARK: Writing

extension NDArray {
    /// The header `np.save` would write for this array.
    ///
    /// - Throws: ``DataFolioError`` for bfloat16 arrays, which numpy cannot represent.
    public func npyHeader(version: NPYFormatVersion? = nil) throws(DataFolioError) -> NPYHeader {
        try NPYHeader(describing: self, version: version)
    }

    /// The bytes of a `.npy` file holding this array, identical to what `np.save`
    /// writes for the same numpy array.
    ///
    /// ```swift
    /// let array = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float])
    /// let bytes = try array.npyData()         // 128-byte header + 16 bytes of data
    /// ```
    ///
    /// - Parameter version: the format version; by default the oldest that can hold
    ///   the header (1.0 in practice), as numpy chooses.
    /// - Throws: ``DataFolioError`` for bfloat16 arrays, which numpy cannot represent
    ///   (convert them to float32 first).
    public func npyData(version: NPYFormatVersion? = nil) throws(DataFolioError) -> [UInt8] {
        let header = try npyHeader(version: version).encoded()
        let data = storage.bytes
        return [UInt8](uninitializedCapacity: header.count + data.count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            HugePages.advise(raw)
            header.withUnsafeBytes { raw.copyMemory(from: $0) }
            if data.count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: raw[header.count...]).copyMemory(from: data)
            }
            initialized = header.count + data.count
        }
    }

    /// The size in bytes of the `.npy` file ``npyData(version:)`` produces.
    public func npyByteCount(version: NPYFormatVersion? = nil) throws(DataFolioError) -> Int {
        let header = try npyHeader(version: version)
        return header.dataOffset + header.dataByteCount
    }

    /// Streams the `.npy` bytes to `sink`: first the header, then the element bytes
    /// straight from the array's memory, without copying them.
    ///
    /// Use it to write into any destination (an archive entry, a socket, a hasher):
    ///
    /// ```swift
    /// var md5 = MD5()
    /// try array.writeNPY { chunk in md5.update(chunk) }
    /// ```
    public func writeNPY(
        version: NPYFormatVersion? = nil, into sink: (UnsafeRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        let header = try npyHeader(version: version).encoded()
        try header.withBytes { raw throws(DataFolioError) in try sink(raw) }
        if storage.bytes.count > 0 { try sink(storage.bytes) }
    }

    /// Streams the `.npy` bytes into an output (a file, a folio payload, memory).
    ///
    /// ```swift
    /// let memory = MemoryOutput()
    /// try array.writeNPY(to: memory)
    /// ```
    public func writeNPY(to writer: some ByteOutput, version: NPYFormatVersion? = nil) throws(DataFolioError) {
        try writeNPY(version: version) { chunk throws(DataFolioError) in try writer.write(chunk) }
    }

    /// Writes a `.npy` file at `path`, replacing any file there, like `np.save`.
    ///
    /// An existing file is removed before the new one is created (rather than
    /// overwritten in place), so arrays still memory-mapped from it stay valid.
    ///
    /// ```swift
    /// try array.writeNPY(toFile: "weights.npy")
    /// ```
    ///
    /// - Parameter sync: flush the file to disk (`fsync`) before returning.
    public func writeNPY(toFile path: String, version: NPYFormatVersion? = nil, sync: Bool = false) throws(DataFolioError) {
        // Refuse what cannot be written before touching any file.
        _ = try npyHeader(version: version)
        try NDArray.replacingFile(at: path, sync: sync) { writer throws(DataFolioError) in
            try writeNPY(to: writer, version: version)
        }
    }

    /// Removes any file at `path`, creates a new one and lets `body` write it; a
    /// partial file is removed when `body` fails.
    static func replacingFile(
        at path: String, sync: Bool, _ body: (FileWriter) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw fileFailure("Cannot replace", path)
        }
        let writer = try FileWriter(creating: path, computeMD5: false)
        do throws(DataFolioError) {
            try body(writer)
            try writer.finish(sync: sync)
        } catch {
            writer.abandon()
            throw error
        }
    }
}
