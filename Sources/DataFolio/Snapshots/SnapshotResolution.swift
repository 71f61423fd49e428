import DataFolioJSON
import DataFolioSupport

/// The entries of a catalog grouped by name, to resolve many snapshot tokens in one pass
/// over the catalog instead of one pass per token.
struct CatalogVersionIndex {
    private let items: [CatalogItem]
    private let positions: [String: [Int]]

    /// The entries of `catalog`, or only those of the names in `names`.
    init(_ catalog: Catalog, names: Set<String>? = nil) {
        let all = catalog.items
        items = all
        if let names {
            positions = Dictionary(grouping: all.indices.filter { names.contains(all[$0].name) }, by: { all[$0].name })
        } else {
            positions = Dictionary(grouping: all.indices, by: { all[$0].name })
        }
    }

    /// The catalog entry a snapshot token designates for an item: the current entry if
    /// its version id or checksum equals the token, else a retained entry that matches.
    /// Tokens of the old layout of the form `v_<created_at>` (items without checksum:
    /// timestamps, references) designate the entry created at that time.
    func resolve(name: String, token: String) -> CatalogItem? {
        let candidates = (positions[name] ?? []).map { items[$0] }
        if let current = candidates.first(where: { $0.isCurrent && $0.matches(token: token) }) { return current }
        if let retained = candidates.first(where: { !$0.isCurrent && $0.matches(token: token) }) { return retained }
        if token.hasPrefix("v_") {
            let createdAt = String(token.dropFirst(2))
            let matching = candidates.filter { $0.createdAt == createdAt && $0.versionID == nil }
            if let current = matching.first(where: \.isCurrent) { return current }
            if let retained = matching.first { return retained }
            // A later write may have back-filled a version id on that same entry.
            if let any = candidates.first(where: { $0.createdAt == createdAt }) { return any }
        }
        return nil
    }

    /// The last entry of `name`, current or retained.
    func last(_ name: String) -> CatalogItem? {
        positions[name]?.last.map { items[$0] }
    }
}

extension Catalog {
    /// The entries a snapshot pins, in the snapshot's order, or the names that cannot be
    /// resolved.
    func resolveSnapshot(_ record: JSONObject) -> (entries: [CatalogItem], missing: [String]) {
        let index = CatalogVersionIndex(self)
        var entries = [CatalogItem]()
        var missing = [String]()
        for (name, token) in record["item_versions"]?.objectValue ?? [:] {
            guard let token = token.stringValue, let entry = index.resolve(name: name, token: token) else {
                missing.append(name)
                continue
            }
            entries.append(entry)
        }
        return (entries, missing)
    }

    /// The record of a snapshot.
    func snapshotRecord(_ name: String) throws(DataFolioError) -> JSONObject {
        guard let record = snapshots[name]?.objectValue else {
            throw DataFolioError.noSuchSnapshot(name, available: snapshots.keys)
        }
        return record
    }
}
