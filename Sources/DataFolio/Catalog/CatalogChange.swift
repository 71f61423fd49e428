import DataFolioJSON
import DataFolioSupport

/// One change to the catalog. Applying a change is a pure function of the catalog,
/// which is what lets every mutation share one commit path.
enum CatalogChange: Sendable {
    /// Makes `item` the current version of its name. An existing current version is
    /// replaced in its slot — or kept as a retained version when a snapshot pins it.
    case put(CatalogItem, overwrite: Bool)
    /// Removes the current version of these names (retaining pinned ones).
    case delete([String])
    /// Edits the current entry of a name in place (or copy-on-write when pinned).
    case edit(String, @Sendable (inout JSONObject) -> Void)
    /// Replaces the folio metadata.
    case setMetadata(JSONObject)
    /// Adds a snapshot record.
    case addSnapshot(name: String, record: JSONObject)
    /// Removes a snapshot record.
    case removeSnapshot(String)
    /// Removes retained (non-current) versions that no snapshot pins any more.
    case removeUnpinnedVersions
    /// Replaces the whole item list and metadata (restore).
    case replaceState(items: [CatalogItem], metadata: JSONObject)
}

/// What applying a change displaced: entries whose payload may have become unreferenced.
struct AppliedChange {
    var catalog: Catalog
    var displaced: [CatalogItem]
}

extension Catalog {
    /// Applies `change`, returning the new catalog and the entries it displaced.
    ///
    /// - Parameter mint: produces a fresh version id for an item name (used when a pinned
    ///   entry is edited copy-on-write).
    func applying(_ change: CatalogChange, mint: (String) -> String) throws(DataFolioError) -> AppliedChange {
        var next = self
        let displaced = try next.apply(change, mint: mint)
        return AppliedChange(catalog: next, displaced: displaced)
    }

    /// Applies `change` in place and returns the displaced entries. Every check runs
    /// before the first mutation, so a thrown error leaves the catalog unchanged.
    mutating func apply(_ change: CatalogChange, mint: (String) -> String) throws(DataFolioError) -> [CatalogItem] {
        var displaced = [CatalogItem]()
        switch change {
        case .put(let item, let overwrite):
            if let index = self.currentIndex(item.name) {
                guard overwrite else {
                    throw DataFolioError(
                        .itemExists,
                        "Item '\(item.name)' already exists in this folio. Pass overwrite: true to replace it.")
                }
                let old = self.items[index]
                self.items[index] = item
                if self.isPinned(old) {
                    var retained = old
                    retained.fields["is_current"] = .bool(false)
                    self.items.append(retained)
                } else {
                    displaced.append(old)
                }
            } else {
                self.items.append(item)
            }
        case .delete(let names):
            if let missing = names.first(where: { self.currentIndex($0) == nil }) {
                throw DataFolioError.itemNotFound(missing)
            }
            for name in names {
                guard let index = self.currentIndex(name) else {
                    throw DataFolioError.itemNotFound(name)
                }
                let old = self.items.remove(at: index)
                if self.isPinned(old) {
                    var retained = old
                    retained.fields["is_current"] = .bool(false)
                    self.items.append(retained)
                } else {
                    displaced.append(old)
                }
            }
        case .edit(let name, let edit):
            guard let index = self.currentIndex(name) else { throw DataFolioError.itemNotFound(name) }
            let old = self.items[index]
            var fields = old.fields
            edit(&fields)
            if self.isPinned(old) {
                // Copy-on-write: the pinned entry stays as it was; the edited copy gets a
                // new version id and shares the payload file.
                fields["version_id"] = .string(mint(name))
                fields.removeValue(forKey: "is_current")
                fields["is_current"] = .bool(true)
                var retained = old
                retained.fields["is_current"] = .bool(false)
                self.items[index] = CatalogItem(fields: fields)
                self.items.append(retained)
            } else {
                self.items[index] = CatalogItem(fields: fields)
            }
        case .setMetadata(let metadata):
            self.metadata = metadata
        case .addSnapshot(let name, let record):
            guard self.snapshots[name] == nil else {
                throw DataFolioError(.snapshotExists, "A snapshot named '\(name)' already exists. Choose another name or delete the old snapshot first.")
            }
            self.snapshots[name] = .object(record)
        case .removeSnapshot(let name):
            guard self.snapshots.removeValue(forKey: name) != nil else {
                throw DataFolioError(.snapshotNotFound, "No snapshot named '\(name)' in this folio.")
            }
        case .removeUnpinnedVersions:
            var kept = [CatalogItem]()
            for item in self.items {
                if !item.isCurrent && !self.isPinned(item) {
                    displaced.append(item)
                } else {
                    kept.append(item)
                }
            }
            self.items = kept
        case .replaceState(let items, let metadata):
            let incoming = Set(items.map(\.fields))
            displaced = self.items.filter { !incoming.contains($0.fields) }
            self.items = items
            self.metadata = metadata
        }
        self.normalizeOrder()
        return displaced
    }
}
