#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// A folio in a folder of the local file system.
struct LocalFolioStorage: FolioStorage {
    /// The folder as the user gave it.
    let location: String
    /// The absolute folder path.
    let root: String

    init(location: String, root: String) {
        self.location = location
        self.root = root
    }

    func localPath(_ path: String) -> String? { absolute(path) }

    func absolute(_ path: String) -> String {
        path.isEmpty ? root : root + "/" + path
    }

    func read(_ path: String) throws(DataFolioError) -> [UInt8] {
        try LocalFile.read(absolute(path))
    }

    func readIfPresent(_ path: String) throws(DataFolioError) -> [UInt8]? {
        do {
            return try LocalFile.read(absolute(path))
        } catch where error.code == .fileNotFound {
            return nil
        }
    }

    func status(_ path: String) throws(DataFolioError) -> FileStatus? {
        try LocalFile.status(absolute(path))
    }

    func writeAtomically(_ bytes: [UInt8], to path: String, durable: Bool) throws(DataFolioError) {
        try LocalFile.writeAtomically(bytes, to: absolute(path), sync: durable)
    }

    func publish(_ bytes: [UInt8], to path: String, afterPersisting payloads: [String]) throws(DataFolioError) {
        var files = [String]()
        for payload in payloads {
            let absolutePath = absolute(payload)
            if let status = try LocalFile.status(absolutePath), status.isRegularFile { files.append(absolutePath) }
        }
        try LocalFile.writeAtomically(bytes, to: absolute(path), syncingFirst: files)
    }

    func writeDerived(_ bytes: [UInt8], to path: String) throws(DataFolioError) {
        try LocalFile.overwriteInPlace(bytes, at: absolute(path))
    }

    func createPayload(at path: String) throws(DataFolioError) -> FileWriter {
        try makeFolder(LocalFile.parentFolder(of: path))
        let writer = try FileWriter(creating: absolute(path), computeMD5: true)
        writer.flushesLargeWritesEarly = true
        return writer
    }

    func delete(_ path: String) throws(DataFolioError) {
        let target = absolute(path)
        guard let status = try LocalFile.status(target) else { return }
        if status.isDirectory {
            for name in try list(path) { try delete(path + "/" + name) }
            guard rmdir(target) == 0 || errno == ENOENT else {
                throw DataFolioError(.ioFailure, "Cannot remove the folder '\(target)': \(LocalFile.errnoDescription()).", path: target)
            }
        } else if unlink(target) != 0 && errno != ENOENT {
            throw DataFolioError(.ioFailure, "Cannot delete '\(target)': \(LocalFile.errnoDescription()).", path: target)
        }
    }

    func makeFolder(_ path: String) throws(DataFolioError) {
        let target = path.isEmpty || path == "." ? root : root + "/" + path
        if let status = try LocalFile.status(target), status.isDirectory { return }
        var partial = ""
        for component in target.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw DataFolioError(.ioFailure, "Cannot create the folder '\(partial)': \(LocalFile.errnoDescription()).", path: partial)
            }
        }
    }

    func list(_ folder: String) throws(DataFolioError) -> [String] {
        try LocalFolder.names(in: absolute(folder))
    }

    func lockForWriting(timeout: Double) throws(DataFolioError) -> any FolioWriteLock {
        try LocalWriteLock(path: absolute("items.json.lock"), timeout: timeout)
    }
}

/// Folder listing on the local file system.
enum LocalFolder {
    /// The names in `path`, sorted, without `.` and `..`; empty when the folder is missing.
    static func names(in path: String) throws(DataFolioError) -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw DataFolioError(.ioFailure, "Cannot list '\(path)': \(LocalFile.errnoDescription()).", path: path)
        }
        defer { closedir(directory) }
        var names = [String]()
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// The `items.json.lock` flock shared with the Python datafolio (which uses
/// `filelock.FileLock`, i.e. `flock(LOCK_EX | LOCK_NB)` retried until a timeout).
/// POSIX record locks would not exclude flock holders on Linux, so this is flock too.
final class LocalWriteLock: FolioWriteLock {
    private var fd: Int32

    init(path: String, timeout: Double) throws(DataFolioError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DataFolioError(.ioFailure, "Cannot open the write lock '\(path)': \(LocalFile.errnoDescription()).", path: path)
        }
        let deadline = ISOTimestamp.nowMicroseconds() + Int64(timeout * 1_000_000)
        var pause: UInt32 = 200
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK || code == EAGAIN else {
                close(fd)
                throw DataFolioError(.ioFailure, "Cannot lock '\(path)': \(LocalFile.errnoDescription(code)).", path: path)
            }
            if ISOTimestamp.nowMicroseconds() >= deadline {
                close(fd)
                throw DataFolioError(
                    .concurrentWrite,
                    "Another process has been writing this folio for more than \(Int(timeout)) s (it holds '\(path)'). Wait for it to finish, then try again.",
                    path: path)
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
