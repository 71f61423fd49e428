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
        if item.kind == .referencedTable { return item.fields["path"]?.stringValue }
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
        if status.kind == .folder { return item.fields["file_size"]?.intValue }
        return status.size
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
