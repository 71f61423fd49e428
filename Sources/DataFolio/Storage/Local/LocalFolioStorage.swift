#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import Dispatch
import Foundation
import SystemPackage

/// A folio in a folder of the local file system.
///
/// Paths inside the folio are resolved without following symbolic links, so nothing
/// outside the folder is ever read, written or deleted through a link planted inside
/// it. Rewritten files (the catalog, `CONTENTS.md`) are written to a temporary file and
/// renamed into place; payload files are created exclusively and never modified. Writers
/// share the `items.json.lock` flock with the Python `datafolio` package.
///
/// ```swift
/// let storage = LocalFolioStorage(path: "experiments/churn-v3")
/// let folio = try DataFolio(storage: storage)
/// ```
public struct LocalFolioStorage: FolioStorage {
    /// The folder as the user gave it.
    public let location: String
    /// The absolute folder path.
    public let root: String

    let tree: LocalTree

    /// A folio folder at `path` (relative paths are resolved against the current folder;
    /// a `file://` URL is accepted).
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// ```
    public init(path: String) {
        location = path
        root = LocalPaths.absolute(path)
        tree = LocalTree(root: root)
    }

    public var isLocal: Bool { true }
    public var locksWriters: Bool { true }

    /// The absolute path of an object (for messages and for handing a stored file to
    /// another program; reading through it is the caller's choice).
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// print(storage.absolutePath("items.json"))
    /// ```
    public func absolutePath(_ path: String) -> String {
        path.isEmpty ? root : root + "/" + path
    }

    /// Reads a whole file of the folder.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// let catalog = try storage.read("items.json")
    /// ```
    public func read(_ path: String) throws(DataFolioError) -> [UInt8] {
        let (fd, info) = try tree.openForReading(path)
        defer { try? fd.close() }
        return try readAll(fd, size: Int(info.st_size), path: path)
    }

    /// Reads the bytes of `range` of a file of the folder.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// let header = try storage.read("artifacts/embeddings--r1.npy", range: 0..<128)
    /// ```
    public func read(_ path: String, range: Range<Int>) throws(DataFolioError) -> [UInt8] {
        let (fd, info) = try tree.openForReading(path)
        defer { try? fd.close() }
        guard range.lowerBound >= 0, range.upperBound <= Int(info.st_size) else {
            throw DataFolioError(
                .truncatedData,
                "'\(path)' has \(info.st_size) bytes; bytes \(range.lowerBound)..<\(range.upperBound) were asked for. The file is truncated.",
                path: absolutePath(path))
        }
        return try LocalFolioStorage.uninitializedBytes(range.count) { raw throws(DataFolioError) in
            try readFully(fd, into: raw, at: range.lowerBound, path: path)
        }
    }

    /// Streams a whole file of the folder into `output`.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// let copy = MemoryOutput()
    /// try storage.read("items.json", into: copy)
    /// ```
    public func read(_ path: String, into output: any ByteOutput) throws(DataFolioError) {
        let (fd, info) = try tree.openForReading(path)
        defer { try? fd.close() }
        let size = Int(info.st_size)
        var buffer = [UInt8](repeating: 0, count: min(max(size, 1), 4 << 20))
        var offset = 0
        while offset < size {
            let count = min(buffer.count, size - offset)
            try buffer.withMutableBytesTyped { raw throws(DataFolioError) in
                let part = UnsafeMutableRawBufferPointer(rebasing: raw[0..<count])
                try readFully(fd, into: part, at: offset, path: path)
                try output.write(UnsafeRawBufferPointer(part))
            }
            offset += count
        }
    }

    /// Reads a whole file together with its version, or returns `nil` when it does not
    /// exist.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// if let catalog = try storage.readVersioned("items.json") { print(catalog.version) }
    /// ```
    public func readVersioned(_ path: String) throws(DataFolioError) -> VersionedObject? {
        let opened: (FileDescriptor, stat)
        do throws(DataFolioError) {
            opened = try tree.openForReading(path)
        } catch where error.code == .fileNotFound {
            return nil
        }
        let (fd, info) = opened
        defer { try? fd.close() }
        let bytes = try readAll(fd, size: Int(info.st_size), path: path)
        return VersionedObject(bytes: bytes, version: StoredObject(info, path: path).version ?? "")
    }

    /// Facts about a file or folder, or `nil` when nothing is there.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// print(try storage.status("items.json")?.size ?? 0)
    /// ```
    public func status(_ path: String) throws(DataFolioError) -> StoredObject? {
        try tree.status(path)
    }

    /// The files and folders directly inside a folder, sorted by name.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// for entry in try storage.list("tables") { print(entry.name, entry.size) }
    /// ```
    public func list(_ folder: String) throws(DataFolioError) -> [StoredObject] {
        try tree.list(folder)
    }

    /// Starts writing a new file, which must not exist yet.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// let writer = try storage.createObject("artifacts/notes.txt")
    /// let written = try writer.finish()
    /// ```
    public func createObject(_ path: String) throws(DataFolioError) -> any StoredObjectWriter {
        try LocalObjectWriter(creating: path, in: tree)
    }

    /// Replaces a file by renaming a new one into place, if `condition` holds.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// try storage.replace("CONTENTS.md", with: Array("# Contents\n".utf8), condition: .always, durable: false)
    /// ```
    @discardableResult
    public func replace(_ path: String, with bytes: [UInt8], condition: ReplaceCondition, durable: Bool) throws(DataFolioError) -> String? {
        try replace(path, condition: condition, durable: durable) { output throws(DataFolioError) in try output.write(bytes) }
    }

    /// Replaces a file by renaming a new one into place, if `condition` holds; `content`
    /// writes the new file through a 1 MiB buffer.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// try storage.replace("notes.txt", condition: .always, durable: false) { output throws(DataFolioError) in
    ///     try output.write(Array("first line\n".utf8))
    /// }
    /// ```
    @discardableResult
    public func replace(
        _ path: String, condition: ReplaceCondition, durable: Bool, writing content: (any ByteOutput) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> String? {
        try tree.withParent(of: path, creatingFolders: true) { folder, leaf throws(DataFolioError) -> String? in
            let (temporary, name) = try createTemporary(in: folder, near: path)
            var renamed = false
            defer {
                try? temporary.close()
                if !renamed { unlinkat(folder.rawValue, name, 0) }
            }
            let output = FileDescriptorOutput(fileDescriptor: temporary.rawValue, name: absolutePath(path))
            try content(output)
            try output.flush()
            if durable && fsync(temporary.rawValue) != 0 { throw tree.failure("Cannot flush", path) }
            // The version is the new file's identity, which the rename keeps.
            var written = stat()
            let version = fstat(temporary.rawValue, &written) == 0 ? StoredObject(written, path: path).version : nil
            try check(condition, for: leaf, in: folder, path: path)
            guard renameat(folder.rawValue, name, folder.rawValue, leaf) == 0 else {
                throw tree.failure("Cannot replace", path)
            }
            renamed = true
            if durable && fsync(folder.rawValue) != 0 { throw tree.failure("Cannot flush the folder of", path) }
            return version
        }
    }

    private func check(_ condition: ReplaceCondition, for leaf: String, in folder: FileDescriptor, path: String) throws(DataFolioError) {
        guard condition != .always else { return }
        var info = stat()
        let exists = fstatat(folder.rawValue, leaf, &info, AT_SYMLINK_NOFOLLOW) == 0
        switch condition {
        case .always:
            return
        case .absent:
            if exists {
                throw DataFolioError(.preconditionFailed, "'\(path)' was created by another writer meanwhile.", path: absolutePath(path))
            }
        case .version(let expected):
            guard exists, StoredObject(info, path: path).version == expected else {
                throw DataFolioError(.preconditionFailed, "'\(path)' was changed by another writer meanwhile.", path: absolutePath(path))
            }
        }
    }

    /// A new temporary file `tmpXXXXXXXX.tmp` in `folder` — the pattern Python's
    /// `mkstemp` uses for the same purpose, so garbage collection recognises leftovers of
    /// either.
    private func createTemporary(in folder: FileDescriptor, near path: String) throws(DataFolioError) -> (FileDescriptor, String) {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let name = "tmp" + String((0..<8).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }) + ".tmp"
            let fd = openat(folder.rawValue, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 {
                // The umask may have narrowed the mode; the catalog stays readable by the group, as before.
                fchmod(fd, 0o644)
                return (FileDescriptor(rawValue: fd), name)
            }
            if errno != EEXIST { throw tree.failure("Cannot create a temporary file next to", path) }
        }
        throw tree.failure("Cannot create a temporary file next to", path, code: EEXIST)
    }

    /// Deletes a file, or a folder and everything in it, without following links.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// try storage.delete("artifacts/notes.txt")
    /// ```
    public func delete(_ path: String) throws(DataFolioError) {
        try tree.remove(path)
    }

    /// Creates a folder and the folders above it.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// try storage.createFolder("artifacts/images")
    /// ```
    public func createFolder(_ path: String) throws(DataFolioError) {
        if path.isEmpty {
            // The root is the folder the user named: create it and its parents.
            var partial = ""
            for component in root.split(separator: "/") {
                partial += "/" + component
                if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                    throw tree.failure("Cannot create the folder", partial)
                }
            }
            return
        }
        try tree.makeFolders(path)
    }

    /// Flushes new payload files, and the folders that gained them, to disk — all at
    /// once, so the file system can commit them together. Many files: one `syncfs`.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// try storage.persist(["tables/clean--r3.parquet"])
    /// ```
    public func persist(_ paths: [String]) throws(DataFolioError) {
        guard !paths.isEmpty else { return }
        var targets = [String]()
        var seen = Set<String>()
        for path in paths {
            for target in [path] + LocalPaths.ancestors(of: path) where seen.insert(target).inserted {
                targets.append(target)
            }
        }
        #if os(Linux)
        if paths.count >= LocalPaths.manyFilesThreshold, let syncFileSystem = LocalPaths.syncFileSystem {
            let root = try tree.openRoot()
            defer { try? root.close() }
            guard syncFileSystem(root.rawValue) == 0 else { throw tree.failure("Cannot flush the file system holding", self.root) }
            return
        }
        #endif
        let results = UnsafeSendableBox(UnsafeMutableBufferPointer<Int32>.allocate(capacity: targets.count))
        defer { results.value.deallocate() }
        results.value.initialize(repeating: 0)
        let box = UnsafeSendableBox(targets)
        let tree = self.tree
        DispatchQueue.concurrentPerform(iterations: targets.count) { index in
            results.value[index] = tree.flush(box.value[index])
        }
        for (index, code) in results.value.enumerated() where code != 0 && code != ENOENT {
            throw tree.failure("Cannot flush", targets[index], code: code)
        }
    }

    /// Takes the `items.json.lock` lock that Swift and Python writers share, waiting up
    /// to `timeout` seconds.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// let lock = try storage.lockForWriting(timeout: 30)
    /// defer { lock?.release() }
    /// ```
    public func lockForWriting(timeout: Double) throws(DataFolioError) -> (any FolioWriteLock)? {
        try LocalWriteLock(in: tree, timeout: timeout)
    }

    /// Runs `body` with a descriptor of a regular file of the folio and its size.
    func withOpenFile<R>(_ path: String, _ body: (Int32, Int) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        let (fd, info) = try tree.openForReading(path)
        defer { try? fd.close() }
        return try body(fd.rawValue, Int(info.st_size))
    }

    /// Maps a payload file into memory (the local fast path for large arrays and
    /// tensors; other stores read through a cache).
    func map(_ path: String) throws(DataFolioError) -> MappedFile {
        let (fd, _) = try tree.openForReading(path)
        defer { try? fd.close() }
        return try MappedFile(descriptor: fd.rawValue, path: absolutePath(path))
    }

    private func readAll(_ fd: FileDescriptor, size: Int, path: String) throws(DataFolioError) -> [UInt8] {
        try LocalFolioStorage.uninitializedBytes(size) { raw throws(DataFolioError) in
            try readFully(fd, into: raw, at: 0, path: path)
        }
    }

    /// `count` bytes that `fill` sets, without setting them to zero first: a catalog of
    /// many items is tens of megabytes, and zeroing them costs as much as reading them.
    private static func uninitializedBytes(
        _ count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> [UInt8] {
        var failure: DataFolioError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            LocalFolioStorage.preferLargePages(UnsafeMutableRawBufferPointer(buffer))
            do throws(DataFolioError) {
                try fill(UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Asks for 2 MB pages for the whole 2 MB blocks of a large buffer about to be
    /// filled: one page fault per block instead of 512 (first touches of fresh memory
    /// are a large part of reading a catalog of many items). Only a hint; Linux only.
    private static func preferLargePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let block = 2 << 20
        guard buffer.count >= 4 * block, let base = buffer.baseAddress else { return }
        let address = UInt(bitPattern: base)
        let start = (address + UInt(block - 1)) & ~UInt(block - 1)
        let end = (address + UInt(buffer.count)) & ~UInt(block - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, Int(end - start), MADV_HUGEPAGE)
        #endif
    }

    private func readFully(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(DataFolioError) {
        var filled = 0
        while filled < buffer.count {
            let count: Int
            do {
                count = try fd.read(fromAbsoluteOffset: Int64(offset + filled), into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            } catch {
                throw tree.failure("Cannot read", path, code: (error as? Errno)?.rawValue ?? EIO)
            }
            if count == 0 {
                throw DataFolioError(
                    .truncatedData,
                    "'\(absolutePath(path))' ended after \(offset + filled) bytes while \(offset + buffer.count) were expected; it changed or was truncated.",
                    path: absolutePath(path))
            }
            filled += count
        }
    }
}

extension LocalTree {
    /// `fsync`s one entry (a file or a folder) and returns 0 or the error number.
    func flush(_ path: String) -> Int32 {
        if path.isEmpty {
            guard let root = try? openRoot() else { return EIO }
            defer { try? root.close() }
            return fsync(root.rawValue) == 0 ? 0 : errno
        }
        do throws(DataFolioError) {
            return try withParent(of: path) { folder, leaf throws(DataFolioError) -> Int32 in
                let fd = openat(folder.rawValue, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                guard fd >= 0 else { return errno }
                defer { close(fd) }
                return fsync(fd) == 0 ? 0 : errno
            }
        } catch {
            return error.code == .fileNotFound ? ENOENT : EIO
        }
    }
}

/// Path helpers for local folios.
enum LocalPaths {
    /// From this many new payloads on, publishing flushes the whole file system at once.
    static let manyFilesThreshold = 32

    #if os(Linux)
    /// Linux's `syncfs(2)`, which Glibc declares only for `_GNU_SOURCE` builds.
    static let syncFileSystem: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
    #endif

    /// The folders above a relative path, nearest first, ending with the root (`""`).
    static func ancestors(of path: String) -> [String] {
        var result = [String]()
        var current = Substring(path)
        while let slash = current.lastIndex(of: "/") {
            current = current[..<slash]
            result.append(String(current))
        }
        result.append("")
        return result
    }

    /// `path` made absolute against the current folder, without `.` segments or a
    /// trailing `/`; a `file://` URL becomes its path.
    static func absolute(_ path: String) -> String {
        var full = path
        if path.hasPrefix("file://") {
            full = URL(string: path)?.path ?? String(path.dropFirst(7))
        }
        if !full.hasPrefix("/") {
            full = FileManager.default.currentDirectoryPath + "/" + full
        }
        var parts = [Substring]()
        for part in full.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
