import DataFolioJSON
import DataFolioSupport

/// The folio catalog: everything `items.json` holds.
///
/// A plain value. Loading accepts every layout the Python datafolio has written
/// (schema 0, 1 and 2);
/// writing always produces schema 2. Changes go through the pure functions of
/// `CatalogChanges.swift`, and the folio publishes the result.
struct Catalog: Sendable, Equatable {
    /// The layout the catalog was read from (0, 1 or 2); new catalogs are 2.
    var loadedSchemaVersion: Int
    /// The commit counter.
    var revision: Int
    /// Folio-level metadata.
    var metadata: JSONObject
    /// Every item version: current entries first, then retained versions.
    var items: [CatalogItem]
    /// Snapshot name → snapshot record.
    var snapshots: JSONObject

    /// Whether the catalog came from the old three-file layout, so the first write must
    /// migrate it (and then remove `metadata.json` and `snapshots.json`).
    var isLegacyLayout: Bool { loadedSchemaVersion < 2 }

    /// A new, empty catalog at revision 0 (the creating commit makes it revision 1).
    init(metadata: JSONObject) {
        loadedSchemaVersion = 2
        revision = 0
        self.metadata = metadata
        items = []
        snapshots = [:]
    }

    // MARK: Lookup

    /// The current entry of `name`.
    func current(_ name: String) -> CatalogItem? {
        items.first { $0.isCurrent && $0.name == name }
    }

    /// The position of the current entry of `name`.
    func currentIndex(_ name: String) -> Int? {
        items.firstIndex { $0.isCurrent && $0.name == name }
    }

    /// Current entries in catalog order.
    var currentItems: [CatalogItem] { items.filter(\.isCurrent) }

    /// Names of current entries in catalog order.
    var currentNames: [String] { items.lazy.filter(\.isCurrent).map(\.name) }

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

    /// Whether another entry than `excluded` refers to the same payload file.
    func isPayloadShared(_ item: CatalogItem, excluding excluded: Int? = nil) -> Bool {
        guard let path = item.relativePayloadPath else { return false }
        for (i, other) in items.enumerated() where i != excluded && other.relativePayloadPath == path {
            return true
        }
        return false
    }

    /// Every payload path some entry refers to.
    var referencedPayloadPaths: Set<String> {
        Set(items.compactMap(\.relativePayloadPath))
    }

    /// Puts current entries first (keeping their order), then retained versions, as the
    /// format requires.
    mutating func normalizeOrder() {
        guard let firstRetained = items.firstIndex(where: { !$0.isCurrent }),
              items[firstRetained...].contains(where: \.isCurrent)
        else { return }
        let current = items.filter(\.isCurrent)
        let retained = items.filter { !$0.isCurrent }
        items = current + retained
    }
}
