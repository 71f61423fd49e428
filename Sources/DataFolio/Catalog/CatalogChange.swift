import DataFolioJSON
import DataFolioSupport

/// One change to the catalog, recorded as a recipe rather than as a result: applying it
/// is a pure function of whatever catalog it meets. That is what lets a commit that lost
/// a race re-apply its changes to the newer catalog another writer published, instead of
/// failing or overwriting that writer's work.
enum CatalogChange: Sendable {
    /// Makes `item` the current version of its name. An existing current version is
    /// replaced in its slot — or kept as a retained version when a snapshot pins it.
    case put(CatalogItem, overwrite: Bool)
    /// Removes the current version of these names (retaining pinned ones).
    case delete([String])
    /// Edits the current entry of a name in place (or copy-on-write when pinned).
    case edit(String, @Sendable (inout JSONObject) -> Void)
    /// Sets (or, with `nil`, removes) one folio metadata key.
    case setMetadata(key: String, value: JSONValue?)
    /// Adds a snapshot of the catalog as it is when the change is applied. `record`
    /// holds the snapshot's own keys; `item_versions` and `metadata_snapshot` are
    /// filled in then (after giving entries without a version id one).
    case addSnapshot(name: String, record: JSONObject)
    /// Removes a snapshot record.
    case removeSnapshot(String)
    /// Removes retained (non-current) versions that no snapshot pins any more.
    case removeUnpinnedVersions
    /// Makes the current state equal to a snapshot again (items and metadata).
    case restoreSnapshot(String)
    /// Adds entries as they are — current ones and the versions snapshots keep — and
    /// snapshot records, to a catalog that holds none of their names (a copy of
    /// another folio).
    case adopt(entries: [CatalogItem], snapshots: JSONObject)

    /// What the change depends on: the parts of the catalog that must not have been
    /// changed by another writer for the change to be re-applied on top of their work.
    var footprint: Footprint {
        switch self {
        case .put(let item, _): return Footprint(items: [item.name])
        case .delete(let names): return Footprint(items: Set(names))
        case .edit(let name, _): return Footprint(items: [name])
        case .setMetadata(let key, _): return Footprint(metadataKeys: [key])
        case .addSnapshot(let name, _): return Footprint(snapshots: [name])
        case .removeSnapshot(let name): return Footprint(snapshots: [name])
        case .removeUnpinnedVersions: return Footprint()
        case .restoreSnapshot(let name): return Footprint(snapshots: [name], everything: true)
        case .adopt(let entries, let snapshots): return Footprint(items: Set(entries.map(\.name)), snapshots: Set(snapshots.keys))
        }
    }

    /// The parts of a catalog a change reads or writes.
    struct Footprint {
        var items: Set<String> = []
        var metadataKeys: Set<String> = []
        var snapshots: Set<String> = []
        /// Every current item and all metadata (a restore).
        var everything = false

        mutating func formUnion(_ other: Footprint) {
            items.formUnion(other.items)
            metadataKeys.formUnion(other.metadataKeys)
            snapshots.formUnion(other.snapshots)
            everything = everything || other.everything
        }

        /// What another writer changed between `base` and `fresh` that this footprint
        /// touches, in words (empty when the change can be re-applied).
        func collisions(base: Catalog, fresh: Catalog) -> [String] {
            var found = [String]()
            var names = items
            if everything {
                names.formUnion(base.currentNames)
                names.formUnion(fresh.currentNames)
            }
            for name in names.sorted() where base.current(name) != fresh.current(name) {
                switch (base.current(name), fresh.current(name)) {
                case (nil, _): found.append("item '\(name)' was added")
                case (_, nil): found.append("item '\(name)' was deleted")
                default: found.append("item '\(name)' was changed")
                }
            }
            var keys = metadataKeys
            if everything {
                keys.formUnion(base.metadata.keys)
                keys.formUnion(fresh.metadata.keys)
                keys.subtract(SnapshotComparison.bookkeepingKeys)
            }
            for key in keys.sorted() where base.metadata[key] != fresh.metadata[key] {
                found.append("metadata key '\(key)' was changed")
            }
            for name in snapshots.sorted() where base.snapshots[name] != fresh.snapshots[name] {
                found.append(fresh.snapshots[name] == nil ? "snapshot '\(name)' was deleted" : "snapshot '\(name)' was created or changed")
            }
            return found
        }
    }
}

extension Catalog {
    /// Applies `change` in place and returns the entries it displaced (whose payloads
    /// may have become unreferenced). Every check runs before the first mutation, so a
    /// thrown error leaves the catalog unchanged.
    ///
    /// - Parameter mint: a fresh version id for an item name, given the catalog as it is
    ///   at that moment (copy-on-write edits of pinned entries, and entries that get one
    ///   when a snapshot is taken).
    mutating func apply(_ change: CatalogChange, mint: (_ name: String, _ in: Catalog) -> String) throws(DataFolioError) -> [CatalogItem] {
        var displaced = [CatalogItem]()
        switch change {
        case .put(let item, let overwrite):
            if let versionID = item.versionID, hasVersion(versionID, of: item.name) {
                throw DataFolioError(.concurrentWrite, "The version id '\(versionID)' of item '\(item.name)' is already in the catalog.")
            }
            if let index = currentIndex(item.name) {
                guard overwrite else {
                    throw DataFolioError(.itemExists, "Item '\(item.name)' already exists in this folio.", remedy: .overwrite)
                }
                let old = items[index]
                replaceEntry(at: index, with: item)
                if isPinned(old) {
                    appendEntry(old.retained())
                } else {
                    displaced.append(old)
                }
            } else {
                appendEntry(item)
            }
        case .delete(let names):
            if let missing = names.first(where: { currentIndex($0) == nil }) {
                throw DataFolioError.noSuchItem(missing, available: Array(currentNames))
            }
            for name in names {
                guard let index = currentIndex(name) else { throw DataFolioError.noSuchItem(name) }
                let old = removeEntry(at: index)
                if isPinned(old) {
                    appendEntry(old.retained())
                } else {
                    displaced.append(old)
                }
            }
        case .edit(let name, let edit):
            guard let index = currentIndex(name) else { throw DataFolioError.noSuchItem(name, available: Array(currentNames)) }
            let old = items[index]
            var fields = old.fields
            if isPinned(old) {
                // Copy-on-write: the pinned entry stays as it was; the edited copy gets a
                // new version id and shares the payload file. The copy is made before the
                // edit, so keys the edit adds come last, as Python writes them.
                fields["is_current"] = .bool(true)
                fields["version_id"] = .string(mint(name, self))
                edit(&fields)
                var retained = old.retained()
                if retained.versionID == nil {
                    // Keep the outgoing version addressable, as Python does.
                    retained.fields["version_id"] = .string(old.checksum ?? mint(name, self))
                }
                replaceEntry(at: index, with: CatalogItem(fields: fields))
                appendEntry(retained)
            } else {
                edit(&fields)
                replaceEntry(at: index, with: CatalogItem(fields: fields))
            }
        case .setMetadata(let key, let value):
            if let value {
                metadata[key] = value
            } else {
                metadata.removeValue(forKey: key)
            }
        case .addSnapshot(let name, var record):
            guard snapshots[name] == nil else {
                throw DataFolioError(.snapshotExists, "A snapshot named '\(name)' already exists.", remedy: .chooseAnotherName)
            }
            // Entries written before version ids existed get one now: their checksum
            // (which old snapshots already use as a token) or a fresh id.
            for index in items.indices where items[index].isCurrent && items[index].versionID == nil {
                let item = items[index]
                var fields = item.fields
                fields["version_id"] = .string(item.checksum ?? mint(item.name, self))
                replaceEntry(at: index, with: CatalogItem(fields: fields))
            }
            // One member per current item: built in one pass, each name hashed once.
            let versions = JSONObject(parsedMembers: currentItems.map { (key: $0.name, value: .string($0.versionID ?? "")) })
            var full: JSONObject = [
                "name": .string(name),
                "timestamp": record.removeValue(forKey: "timestamp") ?? .string(ISOTimestamp.now()),
                "item_versions": .object(versions),
                "metadata_snapshot": .object(metadata),
            ]
            for (key, value) in record where full[key] == nil { full[key] = value }
            snapshots[name] = .object(full)
        case .removeSnapshot(let name):
            guard snapshots.removeValue(forKey: name) != nil else {
                throw DataFolioError.noSuchSnapshot(name, available: snapshots.keys)
            }
        case .removeUnpinnedVersions:
            let (kept, removed) = partitionedByRetention()
            if !removed.isEmpty {
                displaced.append(contentsOf: removed)
                replaceAllEntries(kept)
            }
        case .restoreSnapshot(let name):
            let view = try snapshotView(name)
            let restored = view.items
            let restoredVersions = Set(restored.map { $0.fields.removingCurrentFlag() })
            var retained = [CatalogItem]()
            for entry in items where !restoredVersions.contains(entry.fields.removingCurrentFlag()) {
                if isPinned(entry) {
                    retained.append(entry.retained())
                } else {
                    displaced.append(entry)
                }
            }
            replaceAllEntries(restored + retained)
            metadata = view.metadata
        case .adopt(let entries, let records):
            if let taken = entries.first(where: { $0.isCurrent && currentIndex($0.name) != nil }) {
                throw DataFolioError(.itemExists, "Item '\(taken.name)' already exists in this folio.", remedy: .chooseAnotherName)
            }
            if let taken = records.keys.first(where: { snapshots[$0] != nil }) {
                throw DataFolioError(.snapshotExists, "A snapshot named '\(taken)' already exists.", remedy: .chooseAnotherName)
            }
            for entry in entries { appendEntry(entry) }
            for (name, record) in records { snapshots[name] = record }
        }
        return displaced
    }

    /// Entries to keep and retained versions no snapshot pins any more.
    func partitionedByRetention() -> (kept: [CatalogItem], removed: [CatalogItem]) {
        var kept = [CatalogItem]()
        var removed = [CatalogItem]()
        for item in items {
            if !item.isCurrent && !isPinned(item) {
                removed.append(item)
            } else {
                kept.append(item)
            }
        }
        return (kept, removed)
    }
}

extension CatalogItem {
    /// This entry as a retained version (`is_current: false`).
    func retained() -> CatalogItem {
        var fields = self.fields
        fields["is_current"] = .bool(false)
        return CatalogItem(fields: fields)
    }
}

extension JSONObject {
    /// The entry's keys without `is_current`, to compare versions whatever their role.
    func removingCurrentFlag() -> JSONObject {
        var copy = self
        copy.removeValue(forKey: "is_current")
        return copy
    }
}
