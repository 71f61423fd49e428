#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import Foundation
import SystemPackage

/// File operations inside one folder tree that never follow a symbolic link below the
/// root and never leave it.
///
/// Every path is resolved one segment at a time from a descriptor of the root with
/// `openat(…, O_NOFOLLOW)`, so a link planted anywhere inside the folio (a folder
/// replaced by a link to `/some/dir`, a payload that is a link to another file) is
/// refused or removed as a link — never read, written or emptied through. The root itself
/// may be a link: the user named it.
struct LocalTree: Sendable {
    /// The absolute root path.
    let root: String

    /// Segments of a root-relative path, refusing anything that could leave the tree.
    func segments(of path: String) throws(DataFolioError) -> [Substring] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty { return [] }
        for part in parts where part.isEmpty || part == "." || part == ".." || part.contains("\0") {
            throw DataFolioError(
                .corruptData,
                "The path '\(path)' inside the folio at \(root) has an empty, '.' or '..' segment; the catalog may be damaged or hand-edited. Nothing outside the folio is touched.",
                path: path)
        }
        return parts
    }

    /// Opens the root folder.
    func openRoot() throws(DataFolioError) -> FileDescriptor {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("Cannot open the folio folder", root) }
        return FileDescriptor(rawValue: fd)
    }

    /// Runs `body` with a descriptor of the folder holding `path` and the last segment.
    /// With `creatingFolders`, missing folders on the way are created.
    func withParent<R>(
        of path: String, creatingFolders: Bool = false,
        _ body: (FileDescriptor, String) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R {
        let parts = try segments(of: path)
        guard let leaf = parts.last else {
            throw DataFolioError(.invalidArgument, "An empty path names no object inside the folio.")
        }
        var folder = try openRoot()
        defer { try? folder.close() }
        var walked = ""
        for part in parts.dropLast() {
            walked += walked.isEmpty ? String(part) : "/" + part
            let next = try openFolder(String(part), in: folder, walked: walked, creating: creatingFolders)
            try? folder.close()
            folder = next
        }
        return try body(folder, String(leaf))
    }

    /// Creates the folders of `path` that are missing (never through a link).
    func makeFolders(_ path: String) throws(DataFolioError) {
        var folder = try openRoot()
        defer { try? folder.close() }
        var walked = ""
        for part in try segments(of: path) {
            walked += walked.isEmpty ? String(part) : "/" + part
            let next = try openFolder(String(part), in: folder, walked: walked, creating: true)
            try? folder.close()
            folder = next
        }
    }

    /// Runs `body` with a descriptor of the folder at `path` (the root for `""`).
    func withFolder<R>(_ path: String, _ body: (FileDescriptor) throws(DataFolioError) -> R) throws(DataFolioError) -> R? {
        var folder = try openRoot()
        defer { try? folder.close() }
        var walked = ""
        for part in try segments(of: path) {
            walked += walked.isEmpty ? String(part) : "/" + part
            let next: FileDescriptor
            do throws(DataFolioError) {
                next = try openFolder(String(part), in: folder, walked: walked, creating: false)
            } catch where error.code == .fileNotFound {
                return nil
            }
            try? folder.close()
            folder = next
        }
        return try body(folder)
    }

    private func openFolder(_ name: String, in parent: FileDescriptor, walked: String, creating: Bool) throws(DataFolioError) -> FileDescriptor {
        while true {
            let fd = openat(parent.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 { return FileDescriptor(rawValue: fd) }
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT && creating {
                if mkdirat(parent.rawValue, name, 0o755) != 0 && errno != EEXIST {
                    throw failure("Cannot create the folder", walked)
                }
                continue
            }
            if code == ELOOP || code == ENOTDIR {
                if isSymbolicLink(name, in: parent) {
                    throw DataFolioError(
                        .unsupportedFeature,
                        "'\(walked)' in the folio at \(root) is a symbolic link; folios never follow links inside them. Replace it with a real folder.",
                        path: walked)
                }
                throw DataFolioError(.corruptData, "'\(walked)' in the folio at \(root) is a file where a folder is expected.", path: walked)
            }
            throw failure("Cannot open the folder", walked, code: code)
        }
    }

    func isSymbolicLink(_ name: String, in folder: FileDescriptor) -> Bool {
        var info = stat()
        return fstatat(folder.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// Facts about an entry, without following a link.
    func status(_ path: String) throws(DataFolioError) -> StoredObject? {
        if path.isEmpty {
            var info = stat()
            guard stat(root, &info) == 0 else {
                if errno == ENOENT || errno == ENOTDIR { return nil }
                throw failure("Cannot inspect", root)
            }
            return StoredObject(info, path: "")
        }
        do throws(DataFolioError) {
            return try withParent(of: path) { folder, leaf throws(DataFolioError) -> StoredObject? in
                var info = stat()
                guard fstatat(folder.rawValue, leaf, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    if errno == ENOENT { return nil }
                    throw failure("Cannot inspect", path)
                }
                return StoredObject(info, path: path)
            }
        } catch where error.code == .fileNotFound {
            return nil
        }
    }

    /// Opens a regular file for reading. Links, FIFOs and devices are refused: a FIFO
    /// would block forever and a device never ends.
    func openForReading(_ path: String) throws(DataFolioError) -> (FileDescriptor, stat) {
        try withParent(of: path) { folder, leaf throws(DataFolioError) -> (FileDescriptor, stat) in
            var fd: Int32
            repeat {
                fd = openat(folder.rawValue, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            } while fd < 0 && errno == EINTR
            guard fd >= 0 else {
                if errno == ELOOP || (errno == EMLINK && isSymbolicLink(leaf, in: folder)) {
                    throw DataFolioError(
                        .unsupportedFeature,
                        "'\(path)' in the folio at \(root) is a symbolic link; folios never read through links. Run validate, and replace the link with the real file.",
                        path: path)
                }
                throw failure("Cannot open", path)
            }
            let descriptor = FileDescriptor(rawValue: fd)
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                try? descriptor.close()
                throw failure("Cannot inspect", path)
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                try? descriptor.close()
                throw DataFolioError(
                    .unsupportedFeature,
                    "'\(path)' in the folio at \(root) is not a regular file (a folder, FIFO or device); it cannot be read as a payload.",
                    path: path)
            }
            return (descriptor, info)
        }
    }

    /// The entries directly inside a folder, sorted by name, links reported as links.
    func list(_ path: String) throws(DataFolioError) -> [StoredObject] {
        let entries = try withFolder(path) { folder throws(DataFolioError) -> [StoredObject] in
            let copy = dup(folder.rawValue)
            guard copy >= 0, let directory = fdopendir(copy) else {
                if copy >= 0 { close(copy) }
                throw failure("Cannot list", path.isEmpty ? root : path)
            }
            defer { closedir(directory) }
            var result = [StoredObject]()
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                var info = stat()
                guard fstatat(folder.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                result.append(StoredObject(info, path: path.isEmpty ? name : path + "/" + name))
            }
            return result.sorted { $0.path < $1.path }
        }
        return entries ?? []
    }

    /// Removes an entry: a file or a link is unlinked, a folder is emptied (without
    /// following any link inside it) and removed. Missing entries are not an error.
    func remove(_ path: String) throws(DataFolioError) {
        if path.isEmpty {
            // The whole folder: its entries, then the folder the user named.
            for entry in try list("") { try remove(entry.path) }
            guard rmdir(root) == 0 || errno == ENOENT else { throw failure("Cannot remove the folder", root) }
            return
        }
        do throws(DataFolioError) {
            try withParent(of: path) { folder, leaf throws(DataFolioError) in
                try removeEntry(leaf, in: folder, path: path)
            }
        } catch where error.code == .fileNotFound {
            return
        }
    }

    private func removeEntry(_ name: String, in folder: FileDescriptor, path: String) throws(DataFolioError) {
        var info = stat()
        guard fstatat(folder.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw failure("Cannot inspect", path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let fd = openat(folder.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw failure("Cannot open the folder", path) }
            let child = FileDescriptor(rawValue: fd)
            defer { try? child.close() }
            for name in try names(in: child, path: path) {
                try removeEntry(name, in: child, path: path + "/" + name)
            }
            guard unlinkat(folder.rawValue, name, AT_REMOVEDIR) == 0 || errno == ENOENT else {
                throw failure("Cannot remove the folder", path)
            }
        } else if unlinkat(folder.rawValue, name, 0) != 0 && errno != ENOENT {
            throw failure("Cannot delete", path)
        }
    }

    private func names(in folder: FileDescriptor, path: String) throws(DataFolioError) -> [String] {
        let copy = dup(folder.rawValue)
        guard copy >= 0, let directory = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw failure("Cannot list", path)
        }
        defer { closedir(directory) }
        return entryNames(of: directory)
    }

    func failure(_ what: String, _ path: String, code: Int32 = errno) -> DataFolioError {
        let shown = path.hasPrefix("/") ? path : root + "/" + path
        if code == ENOENT {
            return DataFolioError(.fileNotFound, "\(what) '\(shown)': no such file or folder.", path: shown)
        }
        return DataFolioError(.ioFailure, "\(what) '\(shown)': \(Errno(rawValue: code).description).", path: shown)
    }
}

extension StoredObject {
    init(_ info: stat, path: String) {
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .object
        case S_IFDIR: kind = .folder
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        #if canImport(Darwin)
        let seconds = Int64(info.st_mtimespec.tv_sec)
        let nanoseconds = Int64(info.st_mtimespec.tv_nsec)
        #else
        let seconds = Int64(info.st_mtim.tv_sec)
        let nanoseconds = Int64(info.st_mtim.tv_nsec)
        #endif
        let size = kind == .object ? Int(info.st_size) : 0
        self.init(
            path: path, kind: kind, size: size,
            version: "\(info.st_dev):\(info.st_ino):\(info.st_size):\(seconds).\(nanoseconds)",
            modified: Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9))
    }
}
