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

/// The `items.json.lock` flock shared with the Python datafolio (which uses
/// `filelock.FileLock`, i.e. `flock(LOCK_EX | LOCK_NB)` retried until a timeout).
/// POSIX record locks would not exclude flock holders on Linux, so this is flock too.
final class LocalWriteLock: FolioWriteLock {
    private var fd: Int32

    init(in tree: LocalTree, timeout: Double) throws(DataFolioError) {
        let name = "items.json.lock"
        let fd = try tree.withParent(of: name) { folder, leaf throws(DataFolioError) -> Int32 in
            let fd = openat(folder.rawValue, leaf, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                if errno == ELOOP {
                    throw DataFolioError(
                        .unsupportedFeature,
                        "'\(tree.root)/\(name)' is a symbolic link; the folio never writes through links. Delete the link (the lock file is recreated empty).",
                        path: tree.root + "/" + name)
                }
                throw tree.failure("Cannot open the write lock", name)
            }
            return fd
        }
        let deadline = ISOTimestamp.nowMicroseconds() + Int64(max(0, min(timeout, 86_400)) * 1_000_000)
        var pause: UInt32 = 200
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK || code == EAGAIN else {
                close(fd)
                throw tree.failure("Cannot lock", name, code: code)
            }
            if ISOTimestamp.nowMicroseconds() >= deadline {
                close(fd)
                throw DataFolioError(
                    .lockTimeout,
                    "Another process has been writing this folio for more than \(Int(timeout)) s (it holds '\(tree.root)/\(name)'). Wait for it to finish, then try again.",
                    path: tree.root + "/" + name)
            }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
        self.fd = fd
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
