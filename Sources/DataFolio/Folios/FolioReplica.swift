import DataFolioJSON
import DataFolioSupport

/// A replica copy (``CopyOptions/Mode-swift.enum/replica``): the source catalog as it is
/// — same revision, every retained version, every snapshot — at a destination that is
/// new, a partial replica, or an earlier replica of the same folio.
///
/// Payloads go first and the catalog last, so the copy becomes visible at once and an
/// interrupted copy leaves the destination as it was; payloads the destination already
/// holds with the same MD5 are skipped, so a repeated copy only moves what is missing or
/// changed. The destination's catalog is replaced only if no one changed it during the
/// copy, and payloads only its old catalog needed are removed afterwards.
struct FolioReplica {
    let source: any FolioStorage
    let destination: any FolioStorage
    let options: CopyOptions
    let sourceBytes: [UInt8]
    let sourceCatalog: Catalog
    let destinationCatalog: Catalog?
    let destinationVersion: String?
    let payloads: PayloadFiles
    /// What the destination's catalog records for each payload path.
    let destinationChecksums: [String: String]
    /// The objects already in the destination's category folders (`nil` for a store that
    /// cannot list: each object is then looked up).
    let destinationIndex: [String: StoredObject]?

    init(source: any FolioStorage, destination: any FolioStorage, options: CopyOptions) throws(DataFolioError) {
        self.source = source
        self.destination = destination
        self.options = options
        guard let items = try source.readVersioned("items.json") else {
            throw DataFolioError(.notAFolio, "No folio at '\(source.location)' (no items.json there); nothing to copy.", path: source.location)
        }
        sourceBytes = items.bytes
        sourceCatalog = try Catalog(itemsFile: items.bytes) { () throws(DataFolioError) in
            (try Self.readIfPresent("metadata.json", in: source), try Self.readIfPresent("snapshots.json", in: source))
        }
        if let existing = try destination.readVersioned("items.json") {
            destinationVersion = existing.version
            destinationCatalog = try Catalog(itemsFile: existing.bytes) { () throws(DataFolioError) in
                (try Self.readIfPresent("metadata.json", in: destination), try Self.readIfPresent("snapshots.json", in: destination))
            }
        } else {
            destinationVersion = nil
            destinationCatalog = nil
        }
        var checksums = [String: String]()
        for item in destinationCatalog?.items ?? [] {
            if let path = item.relativePayloadPath, let checksum = item.checksum { checksums[path] = checksum }
        }
        destinationChecksums = checksums
        payloads = try PayloadFiles(of: sourceCatalog.items, in: source, index: try PayloadFiles.index(of: source))
        destinationIndex = try PayloadFiles.index(of: destination)
    }

    /// Copies the payloads, then publishes the catalog.
    func run() throws(DataFolioError) {
        if destination.isReadOnly { throw DataFolioError.readOnlyStore(destination.location) }
        try checkDestination()
        for folder in [""] + ItemKind.categoryFolders + payloads.folders { try destination.createFolder(folder) }
        // Local writers wait; on a store without a lock, the conditional replacement of
        // the catalog catches a writer that got in between.
        let lock = try destination.lockForWriting(timeout: 30)
        defer { lock?.release() }
        let copier = PayloadCopier(
            payloads, from: source, to: destination, options: options, destinationIndex: destinationIndex,
            destinationChecksums: destinationChecksums)
        try copier.run()
        var progress = copier.progress
        progress.removedFiles = try publish(copied: copier.copiedPaths)
        options.progress?(progress)
    }

    private static func readIfPresent(_ path: String, in storage: any FolioStorage) throws(DataFolioError) -> [UInt8]? {
        do {
            return try storage.read(path)
        } catch where error.code == .fileNotFound {
            return nil
        }
    }

    /// Refuses a destination that holds another folio, a newer revision of this one, or
    /// files that are not a (partial) copy of a folio.
    private func checkDestination() throws(DataFolioError) {
        guard !options.replacingOtherFolio else { return }
        if let destinationCatalog {
            let ours = sourceCatalog.metadata["created_at"]
            let theirs = destinationCatalog.metadata["created_at"]
            if ours != theirs {
                throw DataFolioError(
                    .folderNotEmpty,
                    "\(destination.location) holds another folio (created \(theirs?.stringValue ?? "at an unknown time"), not \(ours?.stringValue ?? "at an unknown time")); choose another destination, or replace it explicitly.",
                    path: destination.location)
            }
            if destinationCatalog.revision > sourceCatalog.revision {
                throw DataFolioError(
                    .concurrentWrite,
                    "\(destination.location) is at revision \(destinationCatalog.revision), newer than the \(sourceCatalog.revision) of \(source.location): it has changes the source lacks. Copy it the other way first, or replace it explicitly.",
                    path: destination.location)
            }
            return
        }
        guard let root = try destination.status("") else { return }
        guard root.kind == .folder else {
            throw DataFolioError(.folderNotEmpty, "\(destination.location) is a file; choose a folder or a prefix.", path: destination.location)
        }
        let allowed: Set<String> = Set(ItemKind.categoryFolders + ["README.md", "CONTENTS.md", "items.json.lock", "metadata.json", "snapshots.json"])
        if let foreign = try destination.list("").first(where: { !allowed.contains($0.name) }) {
            throw DataFolioError(
                .folderNotEmpty,
                "\(destination.location) holds other files ('\(foreign.name)') and no folio; choose an empty or new destination, or replace it explicitly.",
                path: destination.location)
        }
    }

    /// The catalog bytes to write at the destination: the source's as they are, or with
    /// payload MD5s moved to the key the destination's kind of store uses.
    private func catalogBytes() -> [UInt8] {
        guard source.isLocal != destination.isLocal, !sourceCatalog.isLegacyLayout else { return sourceBytes }
        var catalog = sourceCatalog
        var changed = false
        for index in catalog.items.indices {
            let converted = catalog.items[index].recordingChecksum(forLocalStore: destination.isLocal)
            if converted != catalog.items[index] {
                catalog.replaceEntry(at: index, with: converted)
                changed = true
            }
        }
        return changed ? catalog.encoded() : sourceBytes
    }

    /// Writes the small files and the catalog, then removes payloads only the old
    /// destination catalog needed; returns how many it removed.
    private func publish(copied: [String]) throws(DataFolioError) -> Int {
        try destination.persist(copied)
        for name in ["README.md", "CONTENTS.md"] {
            if let bytes = try Self.readIfPresent(name, in: source) {
                try destination.replace(name, with: bytes, condition: .always, durable: false)
            }
        }
        if sourceCatalog.isLegacyLayout {
            for name in ["metadata.json", "snapshots.json"] {
                if let bytes = try Self.readIfPresent(name, in: source) {
                    try destination.replace(name, with: bytes, condition: .always, durable: true)
                }
            }
        }
        let condition: ReplaceCondition = destinationVersion.map { .version($0) } ?? .absent
        do {
            try destination.replace("items.json", with: catalogBytes(), condition: condition, durable: true)
        } catch where error.code == .preconditionFailed {
            throw DataFolioError(
                .concurrentWrite,
                "Another writer changed the catalog at \(destination.location) during the copy, so it was not replaced (the payloads copied stay and are reused). Look at the destination, then copy again.",
                path: destination.location)
        }
        var removed = 0
        if let destinationCatalog {
            let needed = Set(payloads.files.map(\.path)).union(sourceCatalog.referencedPayloadPaths)
            for path in destinationCatalog.referencedPayloadPaths.subtracting(needed).sorted() where (try? destination.delete(path)) != nil {
                removed += 1
            }
        }
        return removed
    }
}
