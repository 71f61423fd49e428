#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioJSON
import DataFolioSupport
import Foundation

/// Facts about files the user asks to add, which live outside the folio.
enum SourceFiles {
    enum Kind { case file, folder }

    /// Whether `path` is a regular file or a folder (following a link the user named).
    /// FIFOs, devices and sockets are refused: reading one would block forever or
    /// never end (`/dev/zero`).
    static func kind(of path: String) throws(DataFolioError) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR {
                throw DataFolioError(.fileNotFound, "File not found: '\(path)'.", path: path)
            }
            throw DataFolioError(.ioFailure, "Cannot inspect '\(path)': \(LocalFile.errnoDescription()).", path: path)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        default:
            throw DataFolioError(
                .invalidArgument,
                "'\(path)' is not a regular file or folder (a FIFO, device or socket), so it cannot be stored in a folio. Copy its content into a file first.",
                path: path)
        }
    }

    /// The path with links and `.`/`..` resolved (the path itself when it cannot be).
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return LocalPaths.absolute(path) }
        defer { free(real) }
        return String(cString: real)
    }
}

extension SourceFiles {
    /// The names in a folder outside the folio, sorted.
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
