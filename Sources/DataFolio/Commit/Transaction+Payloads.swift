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

extension Transaction {
    /// Copies a file into the folio, hashing it on the way, and keeps its modification
    /// time and permission bits (on a local disk).
    func copyFilePayload(from source: String, to path: String) throws(DataFolioError) -> WrittenObject {
        let input = open(source, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else {
            throw DataFolioError(errno == ENOENT ? .fileNotFound : .ioFailure, "Cannot open '\(source)': \(LocalFile.errnoDescription()).", path: source)
        }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw DataFolioError(
                .invalidArgument,
                "'\(source)' is not a regular file (a FIFO, device or socket), so it cannot be stored in a folio.",
                path: source)
        }
        return try writePayload(at: path) { writer throws(DataFolioError) in
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw DataFolioError(.ioFailure, "Cannot read '\(source)': \(LocalFile.errnoDescription()).", path: source)
                }
                if count == 0 { break }
                try buffer.withBytesTyped { raw throws(DataFolioError) in
                    try writer.write(UnsafeRawBufferPointer(rebasing: raw[0..<count]))
                }
            }
            (writer as? LocalObjectWriter)?.preserve(modeAndTimesOf: info)
        }
    }

    /// Copies a folder into the folio. The checksum is the MD5 of a canonical listing:
    /// one line `<relative path>\t<MD5 of the file>\n` per file, sorted by path.
    /// Links inside the folder are refused rather than followed out of it.
    func copyFolderPayload(from source: String, to path: String) throws(DataFolioError) -> (checksum: String, fileCount: Int, size: Int) {
        try storage.createFolder(path)
        recordWrittenPayload(path)
        var listing = [(String, String)]()
        var total = 0
        func walk(_ relative: String) throws(DataFolioError) {
            let folder = relative.isEmpty ? source : source + "/" + relative
            for name in try SourceFiles.names(in: folder) {
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                let child = source + "/" + childRelative
                var info = stat()
                guard lstat(child, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    try storage.createFolder(path + "/" + childRelative)
                    try walk(childRelative)
                case S_IFREG:
                    let copy = try copyFilePayload(from: child, to: path + "/" + childRelative)
                    listing.append((childRelative, copy.md5))
                    total += copy.size
                case S_IFLNK:
                    throw DataFolioError(
                        .invalidArgument,
                        "'\(child)' is a symbolic link; folios store files, not links, and never follow a link out of a folder being added. Replace the link with a copy of what it points to, or remove it.",
                        path: child)
                default:
                    throw DataFolioError(.invalidArgument, "'\(child)' is not a regular file or folder (a FIFO, device or socket).", path: child)
                }
            }
        }
        try walk("")
        return (FolderChecksum.of(listing), listing.count, total)
    }
}

/// The checksum of a folder payload: the MD5 of its canonical listing.
enum FolderChecksum {
    static func of(_ listing: [(path: String, md5: String)]) -> String {
        let sorted = listing.sorted { $0.path.unicodeScalars.lexicographicallyPrecedes($1.path.unicodeScalars) }
        var md5 = MD5()
        for (relative, checksum) in sorted { md5.update(Array("\(relative)\t\(checksum)\n".utf8)) }
        return md5.finalize().hexString
    }
}
