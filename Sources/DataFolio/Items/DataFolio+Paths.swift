import DataFolioSupport
import Foundation

extension DataFolio {
    /// Where an item's data is: the path of its payload file or folder on a local disk
    /// (else its location in the store), or the stored path or URI of a referenced
    /// table.
    ///
    /// ```swift
    /// print(folio.location(of: try folio.item("clean")) ?? "-")
    /// ```
    public func location(of item: CatalogItem) -> String? {
        if item.kind == .referencedTable { return item.referencePath }
        guard let path = try? payloadObjectPath(of: item) else { return nil }
        if let local = storage as? LocalFolioStorage { return local.absolutePath(path) }
        return storage.location + "/" + path
    }

    /// The size in bytes of an item's payload (the total of its files for a folder), or
    /// `nil` when it has none or it is missing.
    ///
    /// ```swift
    /// print(folio.payloadSize(of: try folio.item("clean")) ?? 0)
    /// ```
    public func payloadSize(of item: CatalogItem) -> Int? {
        guard item.kind != .referencedTable, let path = try? payloadObjectPath(of: item),
              let status = try? storage.status(path)
        else { return nil }
        return Self.payloadSize(of: item, stored: status)
    }

    /// The sizes of many items' payloads, by item name (``payloadSize(of:)`` for each), read
    /// with one listing per folder instead of one lookup per item — what a listing of a
    /// large folio wants.
    ///
    /// ```swift
    /// let sizes = folio.payloadSizes(of: folio.items)
    /// print(sizes["clean"] ?? 0)
    /// ```
    public func payloadSizes(of items: [CatalogItem]) -> [String: Int] {
        var pathsByFolder = [String: [(item: CatalogItem, path: String)]]()
        for item in items where item.kind != .referencedTable {
            guard let path = try? payloadObjectPath(of: item) else { continue }
            let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
            pathsByFolder[folder, default: []].append((item, path))
        }
        var sizes = [String: Int]()
        for (folder, entries) in pathsByFolder {
            guard let listing = try? storage.list(folder) else { continue }
            let stored = Dictionary(listing.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            for (item, path) in entries {
                if let object = stored[path], let size = Self.payloadSize(of: item, stored: object) { sizes[item.name] = size }
            }
        }
        return sizes
    }

    /// The size of a payload found in the store: a folder's is the total the catalog records.
    private static func payloadSize(of item: CatalogItem, stored: StoredObject) -> Int? {
        stored.kind == .folder ? item.fields["file_size"]?.intValue : stored.size
    }

    /// The current items whose names match a shell pattern (`*` also matches `/`).
    ///
    /// ```swift
    /// let runs = folio.items(matching: "runs/*")
    /// ```
    public func items(matching pattern: String, includeArchived: Bool = true) -> [CatalogItem] {
        let glob = GlobPattern(pattern)
        return items.filter { (includeArchived || !$0.isArchived) && glob.matches($0.name) }
    }


    /// Every snapshot, newest first.
    public var snapshots: [SnapshotSummary] { snapshotSummaries(catalog) }
}
