import DataFolioJSON

/// One snapshot as listed by ``DataFolio/snapshots``: its name, when it was taken,
/// its description and tags, and how many items it froze.
public struct SnapshotSummary: Sendable, Hashable {
    /// The snapshot name.
    public var name: String
    /// When it was created (catalog text, UTC ISO 8601).
    public var timestamp: String
    /// Its description, if any.
    public var description: String?
    /// Its tags.
    public var tags: [String]
    /// The number of items it pins.
    public var itemCount: Int

    init(name: String, record: JSONObject) {
        self.name = name
        timestamp = record["timestamp"]?.stringValue ?? ""
        let text = record["description"]?.stringValue ?? ""
        description = text.isEmpty ? nil : text
        tags = record["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        itemCount = record["item_versions"]?.objectValue?.count ?? 0
    }
}

extension DataFolio {
    /// Summaries of every snapshot, newest first.
    func snapshotSummaries(_ catalog: Catalog) -> [SnapshotSummary] {
        let summaries = catalog.snapshots.members.map { SnapshotSummary(name: $0.key, record: $0.value.objectValue ?? [:]) }
        // Newest first; the catalog's timestamps share one format, so text order is time order.
        return summaries.enumerated().sorted { a, b in
            let ta = ISOTimestamp.parseMicroseconds(a.element.timestamp) ?? 0
            let tb = ISOTimestamp.parseMicroseconds(b.element.timestamp) ?? 0
            return ta != tb ? ta > tb : a.offset > b.offset
        }.map(\.element)
    }
}
