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

extension DataFolio {
    /// Adds a copy of a file — a plot, a report, a model exported by another tool — or
    /// of a whole folder (an `.mlpackage`, a folder of images).
    ///
    /// The copy keeps the source's last extension (`roc.png` → `roc--r4.png`), its
    /// modification time and permission bits. Reading the item gives the copy's
    /// location. FIFOs, devices, folders holding links, and a folder that contains the
    /// folio itself are refused.
    ///
    /// ```swift
    /// try folio.add("plots/roc", file: URL(fileURLWithPath: "out/roc.png"), category: "plots")
    /// let rocPath = try folio.get("plots/roc", as: URL.self)
    /// ```
    ///
    /// - Parameters:
    ///   - name: The item name.
    ///   - source: The file or folder to copy.
    ///   - category: A free-form group shown by `describe` (e.g. `"plots"`).
    @discardableResult
    public func add(
        _ name: String, file source: URL, category: String? = nil, description: String? = nil,
        inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let sourcePath = source.path
        let kind = try SourceFiles.kind(of: sourcePath)
        if kind == .folder { try refuseFolderHoldingFolio(sourcePath) }
        let lastComponent = source.lastPathComponent
        let dot = lastComponent.lastIndex(of: ".").flatMap { $0 == lastComponent.startIndex ? nil : $0 }
        let ext = dot.map { String(lastComponent[$0...]) } ?? ""
        let new = NewItem(
            name: name, kind: .artifact, description: description, inputs: inputs, overwrite: overwrite,
            fileExtension: ext)
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            var fields: JSONObject = [:]
            if kind == .folder {
                let tree = try transaction.copyFolderPayload(from: sourcePath, to: path)
                fields["is_directory"] = .bool(true)
                fields["tree_checksum"] = .string(tree.checksum)
                fields["original_path"] = .string(sourcePath)
                fields["file_count"] = .int(Int64(tree.fileCount))
                fields["file_size"] = .int(Int64(tree.size))
            } else {
                let copy = try transaction.copyFilePayload(from: sourcePath, to: path)
                fields["checksum"] = .string(copy.md5)
                fields["original_path"] = .string(sourcePath)
                fields["file_size"] = .int(Int64(copy.size))
            }
            fields["created_at"] = .string(ISOTimestamp.now())
            var extraFields: JSONObject = [:]
            if let category { extraFields["category"] = .string(category) }
            return KindFields(fields: fields, extras: extraFields)
        }
    }

    /// Refuses to copy a folder that contains this folio (it would copy itself until
    /// paths grow too long).
    func refuseFolderHoldingFolio(_ source: String) throws(DataFolioError) {
        guard let local = storage as? LocalFolioStorage else { return }
        let folder = SourceFiles.resolved(source)
        let root = SourceFiles.resolved(local.root)
        if root == folder || root.hasPrefix(folder == "/" ? "/" : folder + "/") {
            throw DataFolioError(
                .invalidArgument,
                "'\(source)' contains this folio (\(local.root)); a folder cannot be added to a folio inside it. Add a sub-folder, or move the folio elsewhere.",
                path: source)
        }
    }
}

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

/// `artifact` items: any file or folder, returned as its location in the folio.
enum FileItem: ItemHandler {
    static let kind = ItemKind.artifact
    static let describeSection = DescribeSection.artifacts

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        .file(try url(of: item, in: folio))
    }

    static func url(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> URL {
        try folio.payloadFile(of: item)
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        context.sizeLine(item).map { [$0] } ?? []
    }

    static func validate(_ item: CatalogItem, in folio: DataFolio) -> PayloadVerdict {
        guard item.fields["is_directory"]?.boolValue == true else { return folio.validatePayload(of: item) }
        guard let path = try? folio.payloadObjectPath(of: item), (try? folio.storage.status(path))??.kind == .folder else {
            return .invalid("the folder is missing")
        }
        guard let expected = item.fields["tree_checksum"]?.stringValue else { return .valid }
        var listing = [(path: String, md5: String)]()
        func walk(_ relative: String) throws(DataFolioError) {
            for entry in try folio.storage.list(relative.isEmpty ? path : path + "/" + relative) {
                let child = relative.isEmpty ? entry.name : relative + "/" + entry.name
                switch entry.kind {
                case .folder: try walk(child)
                case .object: listing.append((child, try folio.storage.md5(of: path + "/" + child)))
                case .symbolicLink, .other:
                    throw DataFolioError(.corruptData, "'\(path)/\(child)' is a link or a special file", path: child)
                }
            }
        }
        do throws(DataFolioError) {
            try walk("")
        } catch {
            return .invalid("the folder cannot be read: \(error.problem)")
        }
        return FolderChecksum.of(listing) == expected ? .valid : .invalid("the folder's files changed since it was added")
    }
}
