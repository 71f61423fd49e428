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

    init(name: String, record: JSONObject) {
        self.name = name
        self.record = record
        timestamp = record["timestamp"]?.stringValue.flatMap(ISOTimestamp.parseDate)
        let text = record["description"]?.stringValue ?? ""
        description = text.isEmpty ? nil : text
        tags = record["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        itemCount = record["item_versions"]?.objectValue?.count ?? 0
    }

    /// The creation time as the catalog records it (UTC ISO 8601).
    var timestampText: String { record["timestamp"]?.stringValue ?? "" }
}

extension DataFolio {
    /// Summaries of every snapshot, newest first.
    func snapshotSummaries(_ catalog: Catalog) -> [SnapshotSummary] {
        let summaries = catalog.snapshots.members.map { SnapshotSummary(name: $0.key, record: $0.value.objectValue ?? [:]) }
        // Newest first; the catalog's timestamps share one format, so text order is time order.
        return summaries.enumerated().sorted { a, b in
            let ta = ISOTimestamp.parseMicroseconds(a.element.timestampText) ?? 0
            let tb = ISOTimestamp.parseMicroseconds(b.element.timestampText) ?? 0
            return ta != tb ? ta > tb : a.offset > b.offset
        }.map(\.element)
    }
}
