#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Thin, error-mapped wrappers over POSIX file calls.
///
/// They exist so that every module reports file failures the same way (a
/// ``DataFolioError`` naming the path and the system's reason) and so that hot paths
/// avoid per-chunk allocations.
///
/// ```swift
/// let bytes = try LocalFile.read("artifacts/config--r2.json")
/// try LocalFile.writeAtomically(bytes, to: "copy.json")
/// ```
package enum LocalFile {
    /// The system's description of the current `errno`.
    package static func errnoDescription(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    static func failure(_ what: String, _ path: String, code: Int32 = errno) -> DataFolioError {
        if code == ENOENT {
            return DataFolioError(.fileNotFound, "\(what) '\(path)': no such file or folder.", path: path)
        }
        return DataFolioError(.ioFailure, "\(what) '\(path)': \(errnoDescription(code)).", path: path)
    }

    /// Reads a whole file.
    package static func read(_ path: String) throws(DataFolioError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("Cannot open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure("Cannot inspect", path) }
        let expected = Int(st.st_size)
        var result = [UInt8](repeating: 0, count: expected)
        var filled = 0
        var error: DataFolioError?
        result.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while filled < expected {
                let n = pread(fd, base + filled, expected - filled, off_t(filled))
                if n < 0 {
                    if errno == EINTR { continue }
                    error = failure("Cannot read", path)
                    return
                }
                if n == 0 { break }
                filled += n
            }
        }
        if let error { throw error }
        if filled < expected { result.removeSubrange(filled...) }
        // The file may have grown since fstat; read whatever follows.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { raw in
                raw.baseAddress.map { pread(fd, $0, raw.count, off_t(result.count)) } ?? 0
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("Cannot read", path)
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Reads `buffer.count` bytes starting at `offset` of the file into `buffer`.
    package static func read(
        _ path: String, offset: Int, into buffer: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("Cannot open", path) }
        defer { close(fd) }
        try read(fd: fd, path: path, offset: offset, into: buffer)
    }

    /// Reads exactly `buffer.count` bytes at `offset` from an open descriptor.
    package static func read(
        fd: Int32, path: String, offset: Int, into buffer: UnsafeMutableRawBufferPointer
    ) throws(DataFolioError) {
        guard let base = buffer.baseAddress else { return }
        var filled = 0
        while filled < buffer.count {
            let n = pread(fd, base + filled, buffer.count - filled, off_t(offset + filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("Cannot read", path)
            }
            if n == 0 {
                throw DataFolioError(
                    .truncatedData,
                    "'\(path)' ends after \(offset + filled) bytes but \(offset + buffer.count) were expected. The file is truncated.",
                    path: path)
            }
            filled += n
        }
    }

    /// Facts about a file or folder, or `nil` when nothing exists at `path`.
    package static func status(_ path: String) throws(DataFolioError) -> FileStatus? {
        var st = stat()
        if stat(path, &st) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure("Cannot inspect", path)
        }
        return FileStatus(st)
    }

    /// Writes `bytes` to `path` so that readers see either the old file or the new one,
    /// never a mix: a temporary file in the same folder is written, flushed to disk with
    /// `fsync`, then renamed over `path`.
    package static func writeAtomically(
        _ bytes: UnsafeRawBufferPointer, to path: String, permissions: UInt16 = 0o644, sync: Bool = true
    ) throws(DataFolioError) {
        try replace(path, permissions: permissions) { fd, tempPath throws(DataFolioError) in
            try writeAll(fd: fd, path: tempPath, bytes)
            if sync && fsync(fd) != 0 { throw failure("Cannot flush", tempPath) }
        }
    }

    /// Like ``writeAtomically(_:to:permissions:sync:)-(UnsafeRawBufferPointer,_,_,_)``, but
    /// first makes `others` durable too: the temporary file and every path in `others`
    /// are flushed to disk concurrently (the file system can then commit them together),
    /// and only then is the temporary file renamed over `path`. This is how a catalog is
    /// published after the payload files it refers to.
    package static func writeAtomically(
        _ bytes: [UInt8], to path: String, permissions: UInt16 = 0o644, syncingFirst others: [String]
    ) throws(DataFolioError) {
        try replace(path, permissions: permissions) { fd, tempPath throws(DataFolioError) in
            try bytes.withBytesTyped { raw throws(DataFolioError) in try writeAll(fd: fd, path: tempPath, raw) }
            #if os(Linux)
            // Many files (a large batch): one flush of the whole file system is much
            // cheaper than one fsync per file, and covers them all.
            if others.count >= manyFilesThreshold, let syncFileSystem = LocalFile.syncFileSystem {
                guard syncFileSystem(fd) == 0 else { throw failure("Cannot flush the file system holding", tempPath) }
                return
            }
            #endif
            let targets = [tempPath] + others
            let results = UnsafeSendableBox(UnsafeMutableBufferPointer<Int32>.allocate(capacity: targets.count))
            defer { results.value.deallocate() }
            results.value.initialize(repeating: 0)
            let box = UnsafeSendableBox(targets)
            DispatchQueue.concurrentPerform(iterations: targets.count) { index in
                if index == 0 {
                    results.value[0] = fsync(fd) == 0 ? 0 : errno
                    return
                }
                let other = open(box.value[index], O_RDONLY | O_CLOEXEC)
                if other < 0 {
                    results.value[index] = errno
                    return
                }
                results.value[index] = fsync(other) == 0 ? 0 : errno
                close(other)
            }
            for (index, code) in results.value.enumerated() where code != 0 {
                throw failure("Cannot flush", targets[index], code: code)
            }
        }
    }

    /// From this many files on, publishing flushes the whole file system at once.
    static let manyFilesThreshold = 32

    #if os(Linux)
    /// Linux's `syncfs(2)`, which Glibc declares only for `_GNU_SOURCE` builds.
    private static let syncFileSystem: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
    #endif

    /// Creates a temporary file next to `path`, lets `fill` write (and flush) it, then
    /// renames it over `path`; the temporary file is removed if anything fails.
    private static func replace(
        _ path: String, permissions: UInt16, fill: (Int32, String) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        let folder = parentFolder(of: path)
        var template = Array("\(folder)/tmpXXXXXXXX.tmp".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemps($0, 4) } ?? -1
        }
        guard fd >= 0 else { throw failure("Cannot create a temporary file in", folder) }
        let tempPath = template.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { String(cString: $0) } ?? "" }
        var renamed = false
        defer {
            if !renamed { unlink(tempPath) }
        }
        do {
            defer { close(fd) }
            fchmod(fd, mode_t(permissions))
            try fill(fd, tempPath)
        }
        guard rename(tempPath, path) == 0 else { throw failure("Cannot replace", path) }
        renamed = true
    }

    /// Overwrites a small derived file in place (no temporary file, no flush). Readers
    /// may briefly see a mix of old and new text, so use it only for files that nothing
    /// parses (such as a folio's `CONTENTS.md`). Avoiding a truncate to zero keeps ext4
    /// from forcing the data to disk on close.
    package static func overwriteInPlace(_ bytes: [UInt8], at path: String) throws(DataFolioError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("Cannot open", path) }
        defer { close(fd) }
        var writeError: DataFolioError?
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) { try writeAll(fd: fd, path: path, raw) } catch { writeError = error }
        }
        if let writeError { throw writeError }
        guard ftruncate(fd, off_t(bytes.count)) == 0 else { throw failure("Cannot resize", path) }
    }

    /// Writes `bytes` to `path` atomically (see the raw-buffer overload).
    package static func writeAtomically(
        _ bytes: [UInt8], to path: String, permissions: UInt16 = 0o644, sync: Bool = true
    ) throws(DataFolioError) {
        var result: Result<Void, DataFolioError> = .success(())
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                try writeAtomically(raw, to: path, permissions: permissions, sync: sync)
            } catch {
                result = .failure(error)
            }
        }
        try result.get()
    }

    /// Writes all of `bytes` to an open descriptor, retrying short writes.
    package static func writeAll(fd: Int32, path: String, _ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, base, min(left, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("Cannot write", path)
            }
            base += n
            left -= n
        }
    }

    /// Flushes a file's data to disk (`fdatasync` where available).
    package static func flushData(_ fd: Int32) -> Int32 {
        #if canImport(Darwin)
        return fsync(fd)
        #else
        return fdatasync(fd)
        #endif
    }

    /// The folder part of a path (`"."` when there is none).
    package static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}

/// What `stat` reports about a file, reduced to what DataFolio uses.
package struct FileStatus: Sendable, Equatable {
    /// The size in bytes.
    package var size: Int
    /// Whether this is a folder.
    package var isDirectory: Bool
    /// Whether this is a regular file.
    package var isRegularFile: Bool
    /// The device and inode, which change whenever a file is replaced by a rename.
    package var device: UInt64
    /// The inode number.
    package var inode: UInt64
    /// Modification time in nanoseconds since 1970.
    package var modificationNanoseconds: Int64
    /// Permission bits.
    package var permissions: UInt16

    init(_ st: stat) {
        size = Int(st.st_size)
        let type = st.st_mode & S_IFMT
        isDirectory = type == S_IFDIR
        isRegularFile = type == S_IFREG
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        #if canImport(Darwin)
        modificationNanoseconds = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        modificationNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        permissions = UInt16(st.st_mode & 0o7777)
    }
}

/// A read-only memory map of a whole file.
///
/// The map stays valid for the lifetime of the object; share it by reference (for
/// example as the storage of a large array) and it is unmapped when the last reference
/// goes away.
///
/// ```swift
/// let file = try MappedFile(path: "artifacts/emb--r3.npy")
/// print(file.bytes.count)
/// ```
package final class MappedFile: @unchecked Sendable {
    // The mapping is read-only and never mutated after init, so sharing is safe.
    /// The file's bytes.
    package let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Maps the file at `path`.
    package convenience init(path: String) throws(DataFolioError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LocalFile.failure("Cannot open", path) }
        defer { close(fd) }
        try self.init(descriptor: fd, path: path)
    }

    /// Maps the file open at `descriptor` (which the caller keeps and closes); `path`
    /// names it in errors.
    package init(descriptor fd: Int32, path: String) throws(DataFolioError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LocalFile.failure("Cannot inspect", path) }
        let size = Int(st.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else {
            throw LocalFile.failure("Cannot map", path)
        }
        bytes = UnsafeRawBufferPointer(start: pointer, count: size)
        mapped = true
    }

    deinit {
        if mapped, let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}

/// Writes a new file in one pass, optionally computing its MD5 as the bytes go by.
///
/// The file is created exclusively (an existing file is never overwritten), which is
/// how the folio keeps payload files immutable. Large writes overlap hashing with the
/// system call on a second thread.
///
/// ```swift
/// let writer = try FileWriter(creating: "artifacts/x--r2.bin", computeMD5: true)
/// try writer.write(bytes)
/// let digest = try writer.finish(sync: true)   // "5d41402a…"
/// ```
package final class FileWriter: ByteOutput {
    /// The path being written.
    package let path: String
    /// The number of bytes written so far.
    package private(set) var bytesWritten = 0
    /// Whether a large write is flushed to disk right away, while the MD5 of the same
    /// bytes is still being computed, so that a later `fsync` has little left to do.
    package var flushesLargeWritesEarly = false
    private let fd: Int32
    /// The open file (valid until the writer finishes).
    package var descriptor: Int32 { fd }
    private var md5: MD5?
    private var buffer: [UInt8] = []
    private var closed = false
    private static let bufferSize = 1 << 20
    private static let parallelHashThreshold = 4 << 20

    /// Creates `path`, failing if anything already exists there.
    package convenience init(creating path: String, computeMD5: Bool, permissions: UInt16 = 0o644) throws(DataFolioError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
        guard fd >= 0 else {
            if errno == EEXIST {
                throw DataFolioError(.ioFailure, "Cannot create '\(path)': a file already exists there.", path: path)
            }
            throw LocalFile.failure("Cannot create", path)
        }
        self.init(descriptor: fd, path: path, computeMD5: computeMD5)
    }

    /// Writes into a file the caller created and opened for writing; the writer owns
    /// the descriptor from now on. `path` names it in errors.
    package init(descriptor fd: Int32, path: String, computeMD5: Bool) {
        self.fd = fd
        self.path = path
        self.md5 = computeMD5 ? MD5() : nil
        buffer.reserveCapacity(FileWriter.bufferSize)
    }

    deinit {
        if !closed { close(fd) }
    }

    /// Appends bytes to the file.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        if bytes.count >= FileWriter.parallelHashThreshold {
            try flushBuffer()
            try writeLarge(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= FileWriter.bufferSize { try flushBuffer() }
    }


    /// Writes out buffered bytes (so that, for example, times set on the file now are
    /// not changed by a later write).
    package func flushPending() throws(DataFolioError) {
        try flushBuffer()
    }

    private func flushBuffer() throws(DataFolioError) {
        guard !buffer.isEmpty else { return }
        var failure: DataFolioError?
        buffer.withUnsafeBytes { raw in
            md5?.update(raw)
            do throws(DataFolioError) { try LocalFile.writeAll(fd: fd, path: path, raw) } catch { failure = error }
        }
        if let failure { throw failure }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeLarge(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        guard var hasher = md5 else {
            try LocalFile.writeAll(fd: fd, path: path, bytes)
            bytesWritten += bytes.count
            return
        }
        // MD5 is serial and slower than a page-cache write, so run the two side by side.
        let box = UnsafeSendableBox(bytes)
        let fd = self.fd
        let path = self.path
        let flushEarly = flushesLargeWritesEarly
        nonisolated(unsafe) var writeError: DataFolioError?
        nonisolated(unsafe) var hasherCopy = hasher
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 {
                do throws(DataFolioError) {
                    try LocalFile.writeAll(fd: fd, path: path, box.value)
                    if flushEarly && LocalFile.flushData(fd) != 0 { throw LocalFile.failure("Cannot flush", path) }
                } catch {
                    writeError = error
                }
            } else {
                hasherCopy.update(box.value)
            }
        }
        if let writeError { throw writeError }
        hasher = hasherCopy
        md5 = hasher
        bytesWritten += bytes.count
    }

    /// Flushes, optionally `fsync`s, closes the file, and returns the MD5 hex digest
    /// (or `nil` when hashing was not requested).
    @discardableResult
    package func finish(sync: Bool) throws(DataFolioError) -> String? {
        try flushBuffer()
        if sync && fsync(fd) != 0 {
            throw LocalFile.failure("Cannot flush", path)
        }
        closed = true
        if close(fd) != 0 { throw LocalFile.failure("Cannot close", path) }
        return md5.map { $0.finalize().hexString }
    }

    /// Closes and deletes the partial file (after a failure).
    package func abandon() {
        closeUnfinished()
        unlink(path)
    }

    /// Closes the file without finishing it (the caller removes it).
    package func closeUnfinished() {
        if !closed {
            closed = true
            close(fd)
        }
    }
}

/// Carries a non-Sendable value across a concurrency boundary whose safety the
/// caller guarantees (for example a buffer read by two threads at once).
package struct UnsafeSendableBox<Value>: @unchecked Sendable {
    /// The wrapped value.
    package var value: Value
    /// Wraps a value.
    package init(_ value: Value) { self.value = value }
}
