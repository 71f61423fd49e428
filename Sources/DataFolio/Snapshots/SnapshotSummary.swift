import DataFolioJSON
import Foundation

/// One snapshot as listed by ``DataFolio/snapshots``: its name, when it was taken,
/// its description and tags, and how many items it froze.
///
/// ```swift
/// for snapshot in folio.snapshots { print(snapshot.name, snapshot.timestamp, snapshot.tags) }
/// ```
public struct SnapshotSummary: Sendable, Hashable, Codable {
    /// The snapshot name.
    public var name: String
    /// When it was created (`nil` when the catalog's text cannot be read as a time).
    public var timestamp: Date?
    /// Its description, if any.
    public var description: String?
    /// Its tags.
    public var tags: [String]
    /// The number of items it pins.
    public var itemCount: Int
    /// The whole record as the catalog stores it (`item_versions`, `metadata_snapshot`,
    /// `git`, `environment`, …).
    public var record: JSONObject
    /// The referenced tables the snapshot includes: it froze their link, not their bytes,
    /// so what they point at may have changed since (Python's `mutable_references`).
    ///
    /// ```swift
    /// let summary = try folio.snapshotSummary("paper-v1")
    /// if !summary.mutableReferences.isEmpty { print(SnapshotSummary.mutableReferenceWarning) }
    /// ```
    public var mutableReferences: [String] = []

    /// The warning that goes with ``mutableReferences``, in the Python datafolio's words.
    public static let mutableReferenceWarning =
        "This snapshot references external tables whose content is not owned by the bundle and may have changed since the snapshot was taken. Snapshots preserve the reference link, not the bytes."

    init(name: String, record: JSONObject) {
        let headline = SnapshotHeadline(name: name, record: record)
        self.name = name
        self.record = record
        timestamp = ISOTimestamp.parseDate(headline.timestampText)
        description = headline.description
        tags = headline.tags
        itemCount = headline.itemCount
    }

    /// The creation time as the catalog records it (UTC ISO 8601).
    var timestampText: String { record["timestamp"]?.stringValue ?? "" }
}

/// What listings show of a snapshot, without its record: read from the catalog's text,
/// it skips the record's `item_versions`, which names every pinned item.
struct SnapshotHeadline {
    var name: String
    /// The creation time as the catalog records it (UTC ISO 8601), or empty.
    var timestampText: String
    var description: String?
    var tags: [String]
    var itemCount: Int

    /// The headline from the values of a record's members.
    init(name: String, timestamp: JSONValue?, description: JSONValue?, tags: JSONValue?, itemCount: Int) {
        self.name = name
        timestampText = timestamp?.stringValue ?? ""
        let text = description?.stringValue ?? ""
        self.description = text.isEmpty ? nil : text
        self.tags = tags?.arrayValue?.compactMap(\.stringValue) ?? []
        self.itemCount = itemCount
    }

    init(name: String, record: JSONObject) {
        self.init(
            name: name, timestamp: record["timestamp"], description: record["description"], tags: record["tags"],
            itemCount: record["item_versions"]?.objectValue?.count ?? 0)
    }
}

extension SnapshotSummary {
    /// A summary that also names the referenced tables the snapshot includes.
    init(name: String, record: JSONObject, in catalog: Catalog) {
        self.init(name: name, record: record)
        mutableReferences = catalog.referencedTables(in: record)
    }
}

extension Catalog {
    /// The names a snapshot record pins whose version is a referenced table.
    func referencedTables(in record: JSONObject) -> [String] {
        // Only names that have a referenced-table entry can resolve to one.
        let referenceNames = Set(items.lazy.filter { $0.kind == .referencedTable }.map(\.name))
        guard !referenceNames.isEmpty else { return [] }
        let index = CatalogVersionIndex(self, names: referenceNames)
        var names = [String]()
        for (name, token) in record["item_versions"]?.objectValue ?? [:] where referenceNames.contains(name) {
            let entry = token.stringValue.flatMap { index.resolve(name: name, token: $0) } ?? index.last(name)
            if entry?.kind == .referencedTable { names.append(name) }
        }
        return names
    }
}

extension DataFolio {
    /// The referenced tables among the current items: data a snapshot can link to but
    /// not freeze, because the folio does not own its bytes (Python's
    /// `mutable_references()`).
    ///
    /// ```swift
    /// if !folio.mutableReferences.isEmpty { print("Snapshots will not freeze:", folio.mutableReferences) }
    /// ```
    public var mutableReferences: [String] {
        catalog.currentItems.filter { $0.kind == .referencedTable }.map(\.name)
    }

    /// Every snapshot of `catalog`, newest first.
    func snapshotSummaries(_ catalog: Catalog) -> [SnapshotSummary] {
        DataFolio.newestFirst(
            catalog.snapshots.members.map { SnapshotSummary(name: $0, record: $1.objectValue ?? [:], in: catalog) }, \.timestampText)
    }

    /// What listings show of every snapshot of `catalog`, newest first, without reading
    /// the items each one pins.
    func snapshotHeadlines(_ catalog: Catalog) -> [SnapshotHeadline] {
        DataFolio.newestFirst(catalog.snapshots.headlines, \.timestampText)
    }

    /// Snapshots newest first by their recorded time (the later of two in the catalog's
    /// order first when their times are equal or unreadable).
    private static func newestFirst<Snapshot>(_ snapshots: [Snapshot], _ timestamp: (Snapshot) -> String) -> [Snapshot] {
        snapshots.enumerated().sorted { a, b in
            let ta = ISOTimestamp.parseMicroseconds(timestamp(a.element)) ?? 0
            let tb = ISOTimestamp.parseMicroseconds(timestamp(b.element)) ?? 0
            return ta != tb ? ta > tb : a.offset > b.offset
        }.map(\.element)
    }
}
