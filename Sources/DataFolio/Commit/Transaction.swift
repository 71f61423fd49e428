import DataFolioJSON
import DataFolioSupport

/// The work of one commit: a private copy of the catalog that changes are applied to,
/// the payload files written for it (deleted again if the commit fails), and the
/// payloads it made obsolete (deleted after the catalog is published).
final class Transaction {
    private(set) var catalog: Catalog
    let baseRevision: Int
    let storage: any FolioStorage
    private(set) var writtenPayloads: [String] = []
    private(set) var displaced: [CatalogItem] = []
    private(set) var minted: Set<String> = []
    /// Files no entry refers to, to delete after the commit (garbage collection).
    var unreferencedFiles: [String] = []
    private let previouslyMinted: Set<String>

    init(catalog: Catalog, storage: any FolioStorage, previouslyMinted: Set<String>) {
        self.catalog = catalog
        self.baseRevision = catalog.revision
        self.storage = storage
        self.previouslyMinted = previouslyMinted
    }

    /// Applies a change to the transaction's catalog.
    func apply(_ change: CatalogChange) throws(DataFolioError) {
        // Minting reads the catalog, so it cannot run while the catalog is being mutated.
        var minted = [String: String]()
        if case .edit(let name, _) = change, let item = catalog.current(name), catalog.isPinned(item) {
            minted[name] = mintVersionID(for: name)
        }
        let removed = try catalog.apply(change) { name in minted[name] ?? name }
        displaced.append(contentsOf: removed)
    }

    /// Replaces the catalog's metadata object in place.
    func updateMetadata(_ body: (inout JSONObject) -> Void) {
        var metadata = catalog.metadata
        body(&metadata)
        catalog.metadata = metadata
    }

    /// A new version id for `name`: `name--r<next revision>`, with `-1`, `-2`, … appended
    /// while the id is used by any catalog entry, was handed out before by this folio
    /// instance, or names a payload file that already exists (an orphan of a failed write).
    func mintVersionID(for name: String, fileExtension: String? = nil, folder: String? = nil) -> String {
        let base = "\(name)--r\(baseRevision + 1)"
        var candidate = base
        var counter = 0
        while catalog.items.contains(where: { $0.versionID == candidate }) || minted.contains(candidate)
            || previouslyMinted.contains(candidate)
            || payloadExists(folder: folder, filename: candidate + (fileExtension ?? ""))
        {
            counter += 1
            candidate = "\(base)-\(counter)"
        }
        minted.insert(candidate)
        return candidate
    }

    private func payloadExists(folder: String?, filename: String) -> Bool {
        guard let folder else { return false }
        return (try? storage.status(folder + "/" + filename)) != nil
    }

    /// Creates a payload file, lets `write` fill it, and returns its MD5 and size. The
    /// file is flushed to disk together with the new catalog, before the catalog is
    /// renamed into place.
    func writePayload(
        at path: String, _ write: (FileWriter) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> (checksum: String, size: Int) {
        let writer = try storage.createPayload(at: path)
        writtenPayloads.append(path)
        do {
            try write(writer)
            let checksum = try writer.finish(sync: false) ?? ""
            return (checksum, writer.bytesWritten)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Records a payload (file or folder) written by other means, so a failed commit removes it.
    func recordWrittenPayload(_ path: String) {
        writtenPayloads.append(path)
    }

    /// Payload paths that the published catalog no longer refers to.
    func obsoletePayloads() -> [String] {
        guard !displaced.isEmpty else { return [] }
        let referenced = catalog.referencedPayloadPaths
        var seen = Set<String>()
        return displaced.compactMap(\.relativePayloadPath).filter { path in
            !referenced.contains(path) && seen.insert(path).inserted
        }
    }

    /// Deletes the payloads written by this transaction (after a failure).
    func discardWrittenPayloads() {
        for path in writtenPayloads {
            try? storage.delete(path)
        }
        writtenPayloads.removeAll()
    }
}
