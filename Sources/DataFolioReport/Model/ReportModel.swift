import Foundation

/// Everything a folio report shows, as plain values: the header, one entry per item
/// with a bounded preview of its content, and the snapshot timeline.
///
/// Build it from a folio with ``init(folio:snapshot:limits:)``, or by hand (for tests
/// or other sources), then render it with ``html()``.
///
/// ```swift
/// let model = try ReportModel(folio: folio)
/// print(model.items.map(\.name))
/// try model.html().write(toFile: "report.html", atomically: true, encoding: .utf8)
/// ```
public struct ReportModel: Sendable, Hashable {
    /// The folio's location, metadata and counts.
    public var header: ReportHeader
    /// One entry per item, in catalog order.
    public var items: [ReportItem]
    /// The snapshots, newest first, each with what changed since the one before.
    public var snapshots: [ReportSnapshot]
    /// What changed since the newest snapshot (`nil` when there is none, or when the
    /// report shows a snapshot).
    public var changesSinceNewestSnapshot: ReportChanges?
    /// Sentences about the report itself (for example that previews were shortened).
    public var notes: [String]

    /// A report of the given parts.
    ///
    /// ```swift
    /// let model = ReportModel(header: ReportHeader(title: "demo", location: "/data/demo"), items: [])
    /// ```
    public init(
        header: ReportHeader, items: [ReportItem], snapshots: [ReportSnapshot] = [], changesSinceNewestSnapshot: ReportChanges? = nil,
        notes: [String] = []
    ) {
        self.header = header
        self.items = items
        self.snapshots = snapshots
        self.changesSinceNewestSnapshot = changesSinceNewestSnapshot
        self.notes = notes
    }

    /// How many items there are of each kind, in ``ReportItemKind`` order (kinds
    /// without items left out).
    ///
    /// ```swift
    /// for (kind, count) in model.countsByKind { print(kind.displayName, count) }
    /// ```
    public var countsByKind: [(kind: ReportItemKind, count: Int)] {
        var counts = [ReportItemKind: Int]()
        for item in items { counts[item.kind, default: 0] += 1 }
        return ReportItemKind.allCases.compactMap { kind in counts[kind].map { (kind, $0) } }
    }

    /// The lineage drawing of the items: one node per item, plus a node for each input
    /// that names no item.
    ///
    /// ```swift
    /// let svg = model.lineage.svg()
    /// ```
    public var lineage: LineageDiagram {
        LineageDiagram(nodes: items.map { LineageDiagram.Node(name: $0.name, kind: $0.kind, inputs: $0.inputs) })
    }
}

/// The top of a report: which folio, its metadata and its size.
///
/// ```swift
/// let header = ReportHeader(title: "churn-v3", location: "/data/churn-v3", metadata: [ReportField(key: "owner", value: "\"ana\"")])
/// ```
public struct ReportHeader: Sendable, Hashable {
    /// The folio's name (the last component of its location).
    public var title: String
    /// Where the folio is (a path or URL).
    public var location: String
    /// The snapshot the report shows, when it shows one.
    public var snapshot: String?
    /// The catalog revision (the number of commits).
    public var revision: Int?
    /// The folio-level metadata, values as JSON text.
    public var metadata: [ReportField]
    /// The total size of the items' payloads, when known.
    public var totalSize: Int?
    /// When the report was made (UTC ISO 8601).
    public var generatedAt: String?
    /// The library version that made it.
    public var generator: String?

    /// A header.
    public init(
        title: String, location: String, snapshot: String? = nil, revision: Int? = nil, metadata: [ReportField] = [],
        totalSize: Int? = nil, generatedAt: String? = nil, generator: String? = nil
    ) {
        self.title = title
        self.location = location
        self.snapshot = snapshot
        self.revision = revision
        self.metadata = metadata
        self.totalSize = totalSize
        self.generatedAt = generatedAt
        self.generator = generator
    }
}

/// A named value shown as text (metadata entries, hyperparameters, init arguments).
///
/// ```swift
/// let field = ReportField(key: "lr", value: "0.01")
/// ```
public struct ReportField: Sendable, Hashable {
    /// The name.
    public var key: String
    /// The value as text (JSON text for JSON values).
    public var value: String

    /// A field.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// One snapshot in the timeline.
///
/// ```swift
/// let snapshot = ReportSnapshot(name: "v1", timestamp: "2026-01-01T00:00:00Z", itemCount: 12)
/// ```
public struct ReportSnapshot: Sendable, Hashable {
    /// The snapshot name.
    public var name: String
    /// When it was taken (UTC ISO 8601).
    public var timestamp: String
    /// Its description.
    public var description: String?
    /// Its tags.
    public var tags: [String]
    /// How many items it froze.
    public var itemCount: Int
    /// What changed since the previous (older) snapshot; `nil` for the first one.
    public var changes: ReportChanges?
    /// Whether the report shows this snapshot.
    public var isShown: Bool

    /// A snapshot entry.
    public init(
        name: String, timestamp: String, description: String? = nil, tags: [String] = [], itemCount: Int, changes: ReportChanges? = nil,
        isShown: Bool = false
    ) {
        self.name = name
        self.timestamp = timestamp
        self.description = description
        self.tags = tags
        self.itemCount = itemCount
        self.changes = changes
        self.isShown = isShown
    }
}

/// What changed between two states of a folio.
///
/// ```swift
/// let changes = ReportChanges(from: "v1", to: "v2", added: ["model"], modified: ["clean"])
/// print(changes.isEmpty)   // false
/// ```
public struct ReportChanges: Sendable, Hashable {
    /// The earlier state (a snapshot name).
    public var from: String
    /// The later state (a snapshot name, or `current`).
    public var to: String
    /// Items only in the later state.
    public var added: [String]
    /// Items only in the earlier state.
    public var removed: [String]
    /// Items in both, with different versions.
    public var modified: [String]
    /// Metadata keys whose values differ.
    public var metadataChanges: [ReportMetadataChange]

    /// A set of changes.
    public init(
        from: String, to: String, added: [String] = [], removed: [String] = [], modified: [String] = [],
        metadataChanges: [ReportMetadataChange] = []
    ) {
        self.from = from
        self.to = to
        self.added = added
        self.removed = removed
        self.modified = modified
        self.metadataChanges = metadataChanges
    }

    /// Whether nothing changed.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && modified.isEmpty && metadataChanges.isEmpty }
}

/// One metadata key whose value changed; a missing side is `nil`.
///
/// ```swift
/// let change = ReportMetadataChange(key: "owner", old: "\"ana\"", new: nil)
/// ```
public struct ReportMetadataChange: Sendable, Hashable {
    /// The metadata key.
    public var key: String
    /// The earlier value as JSON text.
    public var old: String?
    /// The later value as JSON text.
    public var new: String?

    /// A change.
    public init(key: String, old: String?, new: String?) {
        self.key = key
        self.old = old
        self.new = new
    }
}
