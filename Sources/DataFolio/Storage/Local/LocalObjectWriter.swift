#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// A new payload file in a local folio: created exclusively (never over an existing
/// file, never through a link), hashed while it is written.
final class LocalObjectWriter: StoredObjectWriter {
    private let file: FileWriter
    private let tree: LocalTree
    private let path: String

    init(creating path: String, in tree: LocalTree) throws(DataFolioError) {
        self.tree = tree
        self.path = path
        let fd = try tree.withParent(of: path, creatingFolders: true) { folder, leaf throws(DataFolioError) -> Int32 in
            let fd = openat(folder.rawValue, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                if errno == EEXIST {
                    throw DataFolioError(.ioFailure, "Cannot create '\(tree.root)/\(path)': something already exists there.", path: path)
                }
                throw tree.failure("Cannot create", path)
            }
            return fd
        }
        file = FileWriter(descriptor: fd, path: tree.root + "/" + path, computeMD5: true)
        file.flushesLargeWritesEarly = true
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        try file.write(bytes)
    }

    func finish() throws(DataFolioError) -> WrittenObject {
        let checksum = try file.finish(sync: false) ?? ""
        return WrittenObject(size: file.bytesWritten, md5: checksum)
    }

    func abort() {
        file.closeUnfinished()
        try? tree.remove(path)
    }

    /// Gives the new file the permission bits and times of a copied source, as
    /// `shutil.copy2` does for the Python datafolio.
    func preserve(modeAndTimesOf source: stat) {
        try? file.flushPending()
        fchmod(file.descriptor, source.st_mode & 0o7777)
        #if canImport(Darwin)
        var times = [source.st_atimespec, source.st_mtimespec]
        #else
        var times = [source.st_atim, source.st_mtim]
        #endif
        futimens(file.descriptor, &times)
    }
}

/// The `items.json.lock` flock shared with the Python datafolio.
///
/// The timeout counts time without progress, not time in the queue: every commit replaces
/// `items.json`, so while its identity keeps changing other writers are getting through and
/// the wait goes on (ten writers that each hold the lock for a few seconds on a slow machine
/// are a queue, not a hang). Only a holder that keeps the lock for `timeout` seconds without
/// committing ends the wait.
final class LocalWriteLock: FolioWriteLock {
    private let lock: FileLock

    init(in tree: LocalTree, timeout: Double) throws(DataFolioError) {
        let name = "items.json.lock"
        let path = tree.root + "/" + name
        lock = try tree.withParent(of: name) { folder, leaf throws(DataFolioError) -> FileLock in
            let fd = openat(folder.rawValue, leaf, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                if errno == ELOOP {
                    throw DataFolioError(
                        .unsupportedFeature,
                        "'\(path)' is a symbolic link; the folio never writes through links. Delete the link (the lock file is recreated empty).",
                        path: path)
                }
                throw tree.failure("Cannot open the write lock", name)
            }
            var catalog = Self.catalogIdentity(in: folder.rawValue)
            return try FileLock(
                descriptor: fd, timeout: timeout, maximumPause: 5_000,
                madeProgress: {
                    let current = Self.catalogIdentity(in: folder.rawValue)
                    defer { catalog = current }
                    return current != catalog
                },
                timedOut: {
                    DataFolioError(
                        .lockTimeout,
                        "Another writer (in this process or another) has held this folio's write lock for \(Int(timeout)) s without committing (the lock is '\(path)'). Wait for it to finish, then try again.",
                        path: path)
                },
                failed: { code in tree.failure("Cannot lock", name, code: code) })
        }
    }

    func release() {
        lock.release()
    }

    /// What changes whenever a writer commits: the catalog file's inode and modification time
    /// (commits rename a new file into place). Nil while there is no catalog.
    private static func catalogIdentity(in folder: Int32) -> [Int64]? {
        var status = stat()
        guard fstatat(folder, "items.json", &status, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = status.st_mtimespec
        #else
        let modified = status.st_mtim
        #endif
        return [
            Int64(truncatingIfNeeded: status.st_ino), Int64(truncatingIfNeeded: modified.tv_sec),
            Int64(truncatingIfNeeded: modified.tv_nsec),
        ]
    }
}
