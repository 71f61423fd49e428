import DataFolioJSON
import DataFolioSupport

/// The folio catalog: everything `items.json` holds.
///
/// A plain value. Loading accepts every layout the Python datafolio has written
/// (schema 0, 1 and 2); writing always produces schema 2. Changes go through
/// ``apply(_:mint:)`` (`CatalogChange.swift`), and the folio publishes the result.
struct Catalog: Sendable, Equatable {
    /// The layout the catalog was read from (0, 1 or 2); new catalogs are 2.
    var loadedSchemaVersion: Int
    /// The commit counter.
    var revision: Int
    /// Folio-level metadata.
    var metadata: JSONObject
    /// Every item version: current entries first, then retained versions.
    private(set) var items: [CatalogItem]
    /// Snapshot name → snapshot record.
    var snapshots: SnapshotRecords
    /// Name → position of the current entry in `items`.
    private var currentPositions: [String: Int]
    /// The number of current entries, which come first in `items`.
    private var currentCount = 0

    /// Whether the catalog came from the old three-file layout, so the first write must
    /// migrate it (and then remove `metadata.json` and `snapshots.json`).
    var isLegacyLayout: Bool { loadedSchemaVersion < 2 }

    /// A new, empty catalog at revision 0 (the creating commit makes it revision 1).
    init(metadata: JSONObject) {
        self.init(schemaVersion: 2, revision: 0, metadata: metadata, items: [], snapshots: SnapshotRecords())
    }

    init(schemaVersion: Int, revision: Int, metadata: JSONObject, items: [CatalogItem], snapshots: SnapshotRecords) {
        loadedSchemaVersion = schemaVersion
        self.revision = revision
        self.metadata = metadata
        self.items = items
        self.snapshots = snapshots
        currentPositions = [:]
        reorder()
    }

    static func == (lhs: Catalog, rhs: Catalog) -> Bool {
        lhs.loadedSchemaVersion == rhs.loadedSchemaVersion && lhs.revision == rhs.revision && lhs.metadata == rhs.metadata
            && lhs.items == rhs.items && lhs.snapshots == rhs.snapshots
    }

    // MARK: Lookup

    /// The current entry of `name`.
    func current(_ name: String) -> CatalogItem? {
        currentPositions[name].map { items[$0] }
    }

    /// The position of the current entry of `name`.
    func currentIndex(_ name: String) -> Int? {
        currentPositions[name]
    }

    /// The number of names with a current entry.
    var currentNameCount: Int { currentPositions.count }

    /// The number of current entries (more than ``currentNameCount`` when a name has two).
    var currentEntryCount: Int { currentCount }

    /// Current entries in catalog order.
    var currentItems: [CatalogItem] { Array(items[..<currentCount]) }

    /// Names of current entries in catalog order.
    var currentNames: [String] { items[..<currentCount].map { $0.name } }

    /// Every entry of `name`, current or retained.
    func versions(of name: String) -> [CatalogItem] {
        items.filter { $0.name == name }
    }

    /// Whether some snapshot pins this version of its item: by version id, by checksum
    /// (snapshots taken before version ids existed), or by the old layout's
    /// `v_<created_at>` token (items without a checksum).
    func isPinned(_ item: CatalogItem) -> Bool {
        for (_, record) in snapshots {
            guard let token = record["item_versions"]?[item.name]?.stringValue else { continue }
            if item.matches(token: token) { return true }
            if token.hasPrefix("v_"), let createdAt = item.createdAt, token.dropFirst(2) == createdAt { return true }
        }
        return false
    }

    /// Every payload path some entry refers to.
    var referencedPayloadPaths: Set<String> {
        Set(items.compactMap(\.relativePayloadPath))
    }

    // MARK: Mutation (every change of `items` goes through these, to keep the index)
    //
    // `items` always holds the current entries first and the retained versions after
    // them, as the format requires, so that a change never reorders the whole list:
    // on a folio of many items, a batch of adds would otherwise cost quadratic time.

    mutating func replaceEntry(at index: Int, with item: CatalogItem) {
        let old = items[index]
        items[index] = item
        guard old.isCurrent == item.isCurrent else {
            reorder()
            return
        }
        if old.isCurrent && currentPositions[old.name] == index { currentPositions.removeValue(forKey: old.name) }
        if item.isCurrent { currentPositions[item.name] = index }
    }

    /// Adds an entry: a current one after the other current ones (no current entry
    /// moves, so the index stays right), a retained one at the end.
    mutating func appendEntry(_ item: CatalogItem) {
        if item.isCurrent {
            items.insert(item, at: currentCount)
            currentPositions[item.name] = currentCount
            currentCount += 1
        } else {
            items.append(item)
        }
    }

    mutating func removeEntry(at index: Int) -> CatalogItem {
        let old = items.remove(at: index)
        reindex()
        return old
    }

    mutating func replaceAllEntries(_ entries: [CatalogItem]) {
        items = entries
        reorder()
    }

    /// Puts current entries first (keeping their order), then retained versions, and
    /// rebuilds the index.
    private mutating func reorder() {
        if let firstRetained = items.firstIndex(where: { !$0.isCurrent }), items[firstRetained...].contains(where: \.isCurrent) {
            items = items.filter { $0.isCurrent } + items.filter { !$0.isCurrent }
        }
        reindex()
    }

    /// Two current entries for one name: the later one wins, as in Python.
    private mutating func reindex() {
        currentPositions.removeAll(keepingCapacity: true)
        currentPositions.reserveCapacity(items.count)
        currentCount = 0
        for (index, item) in items.enumerated() where item.isCurrent {
            currentPositions[item.name] = index
            currentCount += 1
        }
    }

    /// Whether an entry of `name`, current or retained, has this version id.
    func hasVersion(_ versionID: String, of name: String) -> Bool {
        if let index = currentIndex(name), items[index].versionID == versionID { return true }
        return items[currentCount...].contains { $0.versionID == versionID && $0.name == name }
    }

    // MARK: Snapshots

    /// The catalog a snapshot view shows: the pinned entries as its current items, and
    /// the snapshot's metadata.
    ///
    /// - Throws: `snapshotNotFound`, or `corruptData` when a version it pins is gone.
    func snapshotView(_ name: String) throws(DataFolioError) -> Catalog {
        let record = try snapshotRecord(name)
        let (entries, missing) = resolveSnapshot(record)
        guard missing.isEmpty else {
            throw DataFolioError(
                .corruptData,
                "Snapshot '\(name)' pins versions that are no longer in the catalog: \(missing.joined(separator: ", ")). The folio was edited by a tool that does not keep pinned versions.")
        }
        var view = self
        view.replaceAllEntries(entries.map { entry in
            var fields = entry.fields
            fields["is_current"] = .bool(true)
            return CatalogItem(fields: fields)
        })
        view.metadata = record["metadata_snapshot"]?.objectValue ?? [:]
        return view
    }
}
