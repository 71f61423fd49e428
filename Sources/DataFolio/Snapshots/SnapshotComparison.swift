import DataFolioJSON
import DataFolioSupport

/// The difference between two states of a folio: two snapshots, or a snapshot and the
/// current state. Item lists are sorted by name.
public struct SnapshotComparison: Sendable, Hashable, Codable {
    /// One metadata key whose value differs.
    public struct MetadataChange: Sendable, Hashable, Codable {
        /// The key.
        public var key: String
        /// Its value in the earlier state (`nil`: absent).
        public var old: JSONValue?
        /// Its value in the later state (`nil`: absent).
        public var new: JSONValue?
    }

    /// The earlier state: a snapshot name.
    public var from: String
    /// The later state: a snapshot name, or `"current"`.
    public var to: String
    /// Items only in the later state.
    public var added: [String]
    /// Items only in the earlier state.
    public var removed: [String]
    /// Items in both, with different versions.
    public var modified: [String]
    /// Items in both, with the same version.
    public var unchanged: [String]
    /// Metadata keys whose values differ, sorted by key (the bookkeeping keys
    /// `created_at`, `updated_at` and `_datafolio` are ignored).
    public var metadataChanges: [MetadataChange]

    /// Whether nothing differs.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && modified.isEmpty && metadataChanges.isEmpty }

    static let bookkeepingKeys: Set<String> = ["created_at", "updated_at", "_datafolio"]

    static func metadataChanges(_ old: JSONObject, _ new: JSONObject) -> [MetadataChange] {
        let keys = Set(old.keys + new.keys).subtracting(bookkeepingKeys)
        return keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.compactMap { key in
            old[key] == new[key] ? nil : MetadataChange(key: key, old: old[key], new: new[key])
        }
    }

    /// A JSON form for scripts: `{"from", "to", "added", "removed", "modified",
    /// "unchanged", "metadata_changes": {key: {"old", "new"}}}`.
    public var jsonValue: JSONValue {
        var changes = JSONObject()
        for change in metadataChanges {
            changes[change.key] = ["old": change.old ?? .null, "new": change.new ?? .null]
        }
        return [
            "from": .string(from), "to": .string(to),
            "added": .array(added.map(JSONValue.string)), "removed": .array(removed.map(JSONValue.string)),
            "modified": .array(modified.map(JSONValue.string)), "unchanged": .array(unchanged.map(JSONValue.string)),
            "metadata_changes": .object(changes),
        ]
    }
}

extension DataFolio {
    /// What changed from snapshot `old` to snapshot `new`.
    ///
    /// ```swift
    /// let changes = try folio.compareSnapshots("v1", "v2")
    /// print(changes.added, changes.modified)
    /// ```
    public func compareSnapshots(_ old: String, _ new: String) throws(DataFolioError) -> SnapshotComparison {
        let catalog = self.catalog
        let a = try catalog.snapshotRecord(old)
        let b = try catalog.snapshotRecord(new)
        let versionsA = a["item_versions"]?.objectValue ?? [:]
        let versionsB = b["item_versions"]?.objectValue ?? [:]
        func sorted(_ names: [String]) -> [String] { names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } }
        return SnapshotComparison(
            from: old, to: new,
            added: sorted(versionsB.keys.filter { versionsA[$0] == nil }),
            removed: sorted(versionsA.keys.filter { versionsB[$0] == nil }),
            modified: sorted(versionsA.keys.filter { versionsB[$0] != nil && versionsB[$0] != versionsA[$0] }),
            unchanged: sorted(versionsA.keys.filter { versionsB[$0] != nil && versionsB[$0] == versionsA[$0] }),
            metadataChanges: SnapshotComparison.metadataChanges(
                a["metadata_snapshot"]?.objectValue ?? [:], b["metadata_snapshot"]?.objectValue ?? [:]))
    }

    /// What changed since a snapshot (by default the newest one).
    ///
    /// ```swift
    /// let changes = try folio.changes(since: "paper-v1")
    /// if !changes.isEmpty { print(changes.modified) }
    /// ```
    ///
    /// - Throws: `snapshotNotFound` when the folio has no snapshots or no such snapshot.
    public func changes(since snapshot: String? = nil) throws(DataFolioError) -> SnapshotComparison {
        let catalog = self.catalog
        guard let name = snapshot ?? snapshotHeadlines(catalog).first?.name else {
            throw DataFolioError(.snapshotNotFound, "This folio has no snapshots yet.", remedy: .createSnapshot)
        }
        let record = try catalog.snapshotRecord(name)
        let versions = record["item_versions"]?.objectValue ?? [:]
        let current = catalog.currentItems
        let currentNames = Set(current.map(\.name))
        func sorted(_ names: [String]) -> [String] { names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } }
        let index = CatalogVersionIndex(catalog)
        var modified = [String]()
        var unchanged = [String]()
        for item in current {
            guard let token = versions[item.name]?.stringValue else { continue }
            if index.resolve(name: item.name, token: token) == item { unchanged.append(item.name) } else { modified.append(item.name) }
        }
        return SnapshotComparison(
            from: name, to: "current",
            added: sorted(current.map(\.name).filter { versions[$0] == nil }),
            removed: sorted(versions.keys.filter { !currentNames.contains($0) }),
            modified: sorted(modified), unchanged: sorted(unchanged),
            metadataChanges: SnapshotComparison.metadataChanges(record["metadata_snapshot"]?.objectValue ?? [:], catalog.metadata))
    }
}
