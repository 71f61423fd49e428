import DataFolioJSON
import DataFolioSupport

/// The work of one commit: the catalog it started from, the changes applied to a copy
/// of it, the payload objects written for them (deleted again if the commit fails), and
/// the entries the changes displaced (whose payloads are deleted after the publish).
///
/// The changes are kept as recipes (``CatalogChange``), so that when another writer
/// published in the meantime the commit can apply them again to the newer catalog —
/// provided that writer touched none of the items, metadata keys or snapshots they
/// depend on.
final class Transaction {
    /// The catalog this commit started from.
    let base: Catalog
    /// `base` with the changes so far applied: what the commit's own code sees.
    private(set) var catalog: Catalog
    let storage: any FolioStorage
    private(set) var changes: [CatalogChange] = []
    private(set) var footprint = CatalogChange.Footprint()
    private(set) var writtenPayloads: [String] = []
    /// The size of each payload object written by ``writePayload(at:_:)``, by path.
    private(set) var writtenSizes: [String: Int] = [:]
    private(set) var displaced: [CatalogItem] = []
    private(set) var minted: Set<String> = []
    /// Whether the commit collects garbage: the scan runs again against the catalog
    /// actually published.
    var scansForGarbage = false
    /// What garbage collection removed, once the commit is published.
    var garbageCollection: GarbageCollection?
    private let previouslyMinted: Set<String>

    init(catalog: Catalog, storage: any FolioStorage, previouslyMinted: Set<String>) {
        self.base = catalog
        self.catalog = catalog
        self.storage = storage
        self.previouslyMinted = previouslyMinted
    }

    /// The revision the commit will publish unless it has to be re-applied.
    var baseRevision: Int { base.revision }

    /// Applies a change to the transaction's catalog and records it.
    func apply(_ change: CatalogChange) throws(DataFolioError) {
        // The catalog is changed in place: while this transaction also held it, every
        // change would copy the whole list of entries. A change that throws has changed
        // nothing, so the catalog is put back as it was.
        var next = Catalog(metadata: [:])
        swap(&next, &catalog)
        let removed: [CatalogItem]
        do throws(DataFolioError) {
            removed = try next.apply(change, mint: mintIDWithoutFile)
            catalog = next
        } catch {
            catalog = next
            throw error
        }
        displaced.append(contentsOf: removed)
        changes.append(change)
        footprint.formUnion(change.footprint)
    }

    /// Replaces the folio metadata, recorded key by key.
    func updateMetadata(_ body: (inout JSONObject) -> Void) throws(DataFolioError) {
        var metadata = catalog.metadata
        body(&metadata)
        for key in catalog.metadata.keys where metadata[key] == nil {
            try apply(.setMetadata(key: key, value: nil))
        }
        for (key, value) in metadata where catalog.metadata[key] != value {
            try apply(.setMetadata(key: key, value: value))
        }
    }

    /// Applies this transaction's changes again, on top of `fresh` — a newer catalog
    /// another writer published — and returns the result with the entries displaced.
    ///
    /// - Throws: `concurrentWrite` naming what the other writer changed, when it
    ///   touched what these changes depend on.
    func rebased(onto fresh: Catalog) throws(DataFolioError) -> (catalog: Catalog, displaced: [CatalogItem]) {
        let collisions = footprint.collisions(base: base, fresh: fresh)
        guard collisions.isEmpty else {
            throw DataFolioError(
                .concurrentWrite,
                "Nothing was written: while this change was being made, another writer committed revision \(fresh.revision), in which \(collisions.joined(separator: ", ")).",
                remedy: .reload)
        }
        var next = fresh
        var removed = [CatalogItem]()
        for change in changes {
            removed += try next.apply(change, mint: mintIDWithoutFile)
        }
        return (next, removed)
    }

    private func mintIDWithoutFile(_ name: String, in catalog: Catalog) -> String {
        mintVersionID(for: name, in: catalog)
    }

    /// A new version id for `name`: `name--r<next revision>`, with `-1`, `-2`, … appended
    /// while the id is used by any catalog entry, was handed out before by this folio
    /// instance, or names a payload file that already exists (an orphan of a failed write).
    func mintVersionID(for name: String, fileExtension: String? = nil, folder: String? = nil, in catalog: Catalog? = nil) -> String {
        let base = "\(name)--r\(baseRevision + 1)"
        let catalog = catalog ?? self.catalog
        var candidate = base
        var counter = 0
        while catalog.hasVersion(candidate, of: name) || minted.contains(candidate)
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

    /// Creates a payload object, lets `write` fill it, and returns its size and MD5.
    /// The object is made durable together with the others, just before the catalog is
    /// published.
    func writePayload(at path: String, _ write: (any StoredObjectWriter) throws(DataFolioError) -> Void) throws(DataFolioError) -> WrittenObject {
        let writer = try storage.createObject(path)
        writtenPayloads.append(path)
        do {
            try write(writer)
            let written = try writer.finish()
            writtenSizes[path] = written.size
            return written
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Records a payload (a folder of files) written by other means, so a failed commit
    /// removes it.
    func recordWrittenPayload(_ path: String) {
        writtenPayloads.append(path)
    }

    /// Payload paths of `displaced` entries that `published` no longer refers to.
    static func obsoletePayloads(displaced: [CatalogItem], published: Catalog) -> [String] {
        guard !displaced.isEmpty else { return [] }
        let referenced = published.referencedPayloadPaths
        var seen = Set<String>()
        return displaced.compactMap(\.relativePayloadPath).filter { path in
            !referenced.contains(path) && seen.insert(path).inserted
        }
    }

    /// Payload paths the transaction's own catalog no longer refers to.
    func obsoletePayloads() -> [String] {
        Transaction.obsoletePayloads(displaced: displaced, published: catalog)
    }

    /// Deletes the payloads written by this transaction (after a failure).
    func discardWrittenPayloads() {
        for path in writtenPayloads {
            try? storage.delete(path)
        }
        writtenPayloads.removeAll()
    }
}
