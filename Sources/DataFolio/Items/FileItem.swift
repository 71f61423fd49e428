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
    ///   - description: What the file is, for people reading the folio.
    ///   - inputs: The names of the items it was made from.
    ///   - overwrite: Replace an existing item of that name.
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

    static func validate(_ item: CatalogItem, in folio: DataFolio, meter: ValidationMeter?) -> PayloadVerdict {
        guard item.fields["is_directory"]?.boolValue == true else { return folio.validatePayload(of: item, meter: meter) }
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
