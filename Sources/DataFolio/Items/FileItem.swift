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
    /// modification time and permission bits. `get` returns the copy's location.
    ///
    /// ```swift
    /// try folio.addFile("plots/roc", from: URL(fileURLWithPath: "out/roc.png"), category: "plots")
    /// let rocPath: URL = try folio.get("plots/roc")
    /// ```
    ///
    /// - Parameters:
    ///   - name: The item name; `nil` uses the file name without its extension.
    ///   - source: The file or folder to copy.
    ///   - category: A free-form group shown by `describe` (e.g. `"plots"`).
    @discardableResult
    public func addFile(
        _ name: String? = nil, from source: URL, category: String? = nil, description: String? = nil,
        inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        try addFile(name, from: source, category: category, description: description, inputs: inputs, overwrite: overwrite, extras: [:])
    }

    @discardableResult
    func addFile(
        _ name: String?, from source: URL, category: String?, description: String?, inputs: [String], overwrite: Bool,
        extras: JSONObject
    ) throws(DataFolioError) -> CatalogItem {
        let sourcePath = source.path
        guard let status = try LocalFile.status(sourcePath) else {
            throw DataFolioError(.fileNotFound, "File not found: '\(sourcePath)'.", path: sourcePath)
        }
        let lastComponent = source.lastPathComponent
        let dot = lastComponent.lastIndex(of: ".").flatMap { $0 == lastComponent.startIndex ? nil : $0 }
        let stem = dot.map { String(lastComponent[..<$0]) } ?? lastComponent
        let ext = dot.map { String(lastComponent[$0...]) } ?? ""
        let itemName = name ?? stem
        let new = NewItem(
            name: itemName, kind: .artifact, description: description, inputs: inputs, overwrite: overwrite,
            fileExtension: ext)
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            var fields: JSONObject = [:]
            if status.isDirectory {
                let tree = try transaction.copyFolderPayload(from: sourcePath, to: path)
                fields["is_directory"] = .bool(true)
                fields["tree_checksum"] = .string(tree.checksum)
                fields["original_path"] = .string(sourcePath)
                fields["file_count"] = .int(Int64(tree.fileCount))
                fields["file_size"] = .int(Int64(tree.size))
            } else {
                let copy = try transaction.copyFilePayload(from: sourcePath, to: path)
                fields["checksum"] = .string(copy.checksum)
                fields["original_path"] = .string(sourcePath)
                fields["file_size"] = .int(Int64(copy.size))
            }
            fields["created_at"] = .string(ISOTimestamp.now())
            var extraFields: JSONObject = [:]
            if let category { extraFields["category"] = .string(category) }
            for (key, value) in extras { extraFields[key] = value }
            return KindFields(fields: fields, extras: extraFields)
        }
    }
}

extension Transaction {
    /// Copies a file into the folio, hashing it on the way, and keeps its modification
    /// time and permission bits.
    func copyFilePayload(from source: String, to path: String) throws(DataFolioError) -> (checksum: String, size: Int) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw DataFolioError(.fileNotFound, "Cannot open '\(source)': \(LocalFile.errnoDescription()).", path: source)
        }
        defer { close(input) }
        var info = stat()
        fstat(input, &info)
        let result = try writePayload(at: path) { writer throws(DataFolioError) in
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw DataFolioError(.ioFailure, "Cannot read '\(source)': \(LocalFile.errnoDescription()).", path: source)
                }
                if count == 0 { break }
                var failure: DataFolioError?
                buffer.withUnsafeBytes { raw in
                    do throws(DataFolioError) {
                        try writer.write(UnsafeRawBufferPointer(rebasing: raw[0..<count]))
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
            }
        }
        if let local = storage.localPath(path) {
            chmod(local, info.st_mode & 0o7777)
            #if canImport(Darwin)
            var times = [info.st_atimespec, info.st_mtimespec]
            #else
            var times = [info.st_atim, info.st_mtim]
            #endif
            utimensat(AT_FDCWD, local, &times, 0)
        }
        return result
    }

    /// Copies a folder into the folio. The checksum is the MD5 of a canonical listing:
    /// one line `<relative path>\t<MD5 of the file>\n` per file, sorted by path.
    func copyFolderPayload(from source: String, to path: String) throws(DataFolioError) -> (checksum: String, fileCount: Int, size: Int) {
        try storage.makeFolder(path)
        recordWrittenPayload(path)
        var listing = [(String, String)]()
        var total = 0
        func walk(_ relative: String) throws(DataFolioError) {
            let folder = relative.isEmpty ? source : source + "/" + relative
            for name in try LocalFolder.names(in: folder) {
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                guard let status = try LocalFile.status(source + "/" + childRelative) else { continue }
                if status.isDirectory {
                    try storage.makeFolder(path + "/" + childRelative)
                    try walk(childRelative)
                } else {
                    let copy = try copyFilePayload(from: source + "/" + childRelative, to: path + "/" + childRelative)
                    listing.append((childRelative, copy.checksum))
                    total += copy.size
                }
            }
        }
        try walk("")
        listing.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
        var md5 = MD5()
        for (relative, checksum) in listing { md5.update(Array("\(relative)\t\(checksum)\n".utf8)) }
        return (md5.finalize().hexString, listing.count, total)
    }
}

/// `artifact` items: any file or folder, returned as its location in the folio.
enum FileItem: ItemKind {
    static let name = ItemKindName.artifact

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue {
        if TensorSetItem.isTensorSet(item) { return .tensors(try TensorSetItem.tensors(of: item, in: folio)) }
        return .file(try url(of: item, in: folio))
    }

    static func url(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> URL {
        let path = try folio.payloadPath(of: item)
        guard try LocalFile.status(path) != nil else {
            throw DataFolioError(
                .fileNotFound,
                "File item '\(item.name)' points at a payload that no longer exists: \(path). Run validate() to list damaged items.",
                path: path)
        }
        return URL(fileURLWithPath: path)
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        context.sizeLine(item).map { [$0] } ?? []
    }

    static func validate(_ item: CatalogItem, in folio: DataFolio) -> ItemValidation {
        guard item.fields["is_directory"]?.boolValue == true else { return folio.validatePayload(of: item) }
        guard let path = try? folio.payloadPath(of: item), (try? LocalFile.status(path))??.isDirectory == true else {
            return .invalid("the folder is missing")
        }
        guard let expected = item.fields["tree_checksum"]?.stringValue else { return .valid }
        var listing = [(String, String)]()
        func walk(_ relative: String) -> Bool {
            let folder = relative.isEmpty ? path : path + "/" + relative
            guard let names = try? LocalFolder.names(in: folder) else { return false }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                guard let status = try? LocalFile.status(path + "/" + child) else { return false }
                if status.isDirectory {
                    if !walk(child) { return false }
                } else {
                    guard let checksum = try? FileChecksum.md5(ofFile: path + "/" + child) else { return false }
                    listing.append((child, checksum))
                }
            }
            return true
        }
        guard walk("") else { return .invalid("the folder cannot be read") }
        listing.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
        var md5 = MD5()
        for (relative, checksum) in listing { md5.update(Array("\(relative)\t\(checksum)\n".utf8)) }
        return md5.finalize().hexString == expected ? .valid : .invalid("the folder's files changed since it was added")
    }
}
