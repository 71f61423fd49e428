import DataFolioJSON
import DataFolioSupport
import Foundation

extension DataFolio {
    /// Freezes the current state of the folio under a name, without copying any data:
    /// payload files are never modified, so the snapshot only records which version of
    /// each item it saw, plus the metadata.
    ///
    /// ```swift
    /// try folio.createSnapshot("paper-v1", description: "Figures 2–4", tags: ["paper"])
    /// let paper = try folio.snapshot("paper-v1")          // a read-only folio
    /// ```
    ///
    /// - Parameters:
    ///   - name: Letters, digits, `.`, `_` and `-`; at most 100 characters.
    ///   - capture: What to record about where the snapshot was taken (git by default).
    /// - Returns: The snapshot's summary.
    @discardableResult
    public func createSnapshot(
        _ name: String, description: String? = nil, tags: [String] = [], capture: SnapshotCapture = [.git]
    ) throws(DataFolioError) -> SnapshotSummary {
        try NameRules.validateSnapshotName(name)
        try refuseInBatch("createSnapshot")
        let git = capture.contains(.git) ? SnapshotContext.git() : nil
        let environment = capture.contains(.environment) ? SnapshotContext.environment() : nil
        let execution = capture.contains(.execution) ? SnapshotContext.execution() : nil
        return try commit { transaction throws(DataFolioError) -> SnapshotSummary in
            if transaction.catalog.snapshots[name] != nil {
                throw DataFolioError(.snapshotExists, "A snapshot named '\(name)' already exists. Choose another name or delete the old snapshot first.")
            }
            // Entries written before version ids existed get one now: their checksum
            // (which old snapshots already use as a token) or a fresh id.
            for item in transaction.catalog.currentItems where item.versionID == nil {
                let id = item.checksum ?? transaction.mintVersionID(for: item.name)
                try transaction.apply(.edit(item.name) { $0["version_id"] = .string(id) })
            }
            var versions = JSONObject()
            for item in transaction.catalog.currentItems {
                versions[item.name] = .string(item.versionID ?? "")
            }
            var record: JSONObject = [
                "name": .string(name),
                "timestamp": .string(ISOTimestamp.now()),
                "item_versions": .object(versions),
                "metadata_snapshot": .object(transaction.catalog.metadata),
                "tags": .array(tags.map(JSONValue.string)),
            ]
            if let description, !description.isEmpty { record["description"] = .string(description) }
            if let git { record["git"] = .object(git) }
            if let environment { record["environment"] = .object(environment) }
            if let execution { record["execution"] = .object(execution) }
            try transaction.apply(.addSnapshot(name: name, record: record))
            return SnapshotSummary(name: name, record: record)
        }
    }

    /// The full record of a snapshot, as stored in the catalog (`item_versions`,
    /// `metadata_snapshot`, `tags`, `git`, …).
    public func snapshotRecord(_ name: String) throws(DataFolioError) -> JSONObject {
        try catalog.snapshotRecord(name)
    }

    /// Snapshots with a tag, newest first.
    public func snapshots(taggedWith tag: String) -> [SnapshotSummary] {
        snapshots.filter { $0.tags.contains(tag) }
    }

    /// A read-only view of the folio as it was when the snapshot was taken: its items
    /// (the versions it pinned), their descriptions and lineage, and its metadata. The
    /// view never follows later changes and refuses every write.
    ///
    /// - Throws: `snapshotNotFound`, or `corruptData` when a version it pins is gone.
    public func snapshot(_ name: String) throws(DataFolioError) -> DataFolio {
        let catalog = self.catalog
        let view = try DataFolio.snapshotCatalog(catalog, name: name)
        return DataFolio(snapshotOf: self, name: name, catalog: view)
    }

    /// Opens a snapshot of the folio at `path`, read-only.
    ///
    /// ```swift
    /// let paper = try DataFolio.snapshot("paper-v1", of: "experiments/churn-v3")
    /// ```
    public static func snapshot(_ name: String, of path: String) throws(DataFolioError) -> DataFolio {
        try DataFolio(at: path, options: .readOnly).snapshot(name)
    }

    /// The catalog a snapshot view shows: the pinned entries as current items, every
    /// other entry as a retained version, and the snapshot's metadata.
    static func snapshotCatalog(_ catalog: Catalog, name: String) throws(DataFolioError) -> Catalog {
        let record = try catalog.snapshotRecord(name)
        let (entries, missing) = catalog.resolveSnapshot(record)
        guard missing.isEmpty else {
            throw DataFolioError(
                .corruptData,
                "Snapshot '\(name)' pins versions that are no longer in the catalog: \(missing.joined(separator: ", ")). The folio was edited by a tool that does not keep pinned versions.")
        }
        var view = catalog
        view.items = entries.map { entry in
            var fields = entry.fields
            fields["is_current"] = .bool(true)
            return CatalogItem(fields: fields)
        }
        view.metadata = record["metadata_snapshot"]?.objectValue ?? [:]
        return view
    }

    func refuseInBatch(_ operation: String) throws(DataFolioError) {
        if isInBatch {
            throw DataFolioError(.invalidArgument, "\(operation) cannot run inside a batch; call it after the batch.")
        }
    }

    /// Deletes a snapshot. With `removingOrphans`, versions that no remaining snapshot
    /// pins are removed too (see ``collectGarbage(dryRun:)``).
    ///
    /// - Returns: The payload paths removed (relative to the folio).
    @discardableResult
    public func deleteSnapshot(_ name: String, removingOrphans: Bool = false) throws(DataFolioError) -> [String] {
        try refuseInBatch("deleteSnapshot")
        return try commit { transaction throws(DataFolioError) -> [String] in
            _ = try transaction.catalog.snapshotRecord(name)
            try transaction.apply(.removeSnapshot(name))
            guard removingOrphans else { return [] }
            try transaction.apply(.removeUnpinnedVersions)
            try transaction.removeUnreferencedPayloadFiles()
            return transaction.obsoletePayloads() + transaction.unreferencedFiles
        }
    }

    /// Removes what nothing needs any more: retained versions that no snapshot pins, and
    /// payload files in the category folders that no catalog entry refers to (left by
    /// writes that failed before their commit).
    ///
    /// - Parameter dryRun: Only report what would be removed.
    /// - Returns: The payload paths removed (or that would be), relative to the folio.
    @discardableResult
    public func collectGarbage(dryRun: Bool = false) throws(DataFolioError) -> [String] {
        if dryRun {
            let catalog = self.catalog
            guard let applied = try? catalog.applying(.removeUnpinnedVersions, mint: { $0 }) else { return [] }
            let referenced = applied.catalog.referencedPayloadPaths
            let versions = applied.displaced.compactMap(\.relativePayloadPath).filter { !referenced.contains($0) }
            let strays = try unreferencedPayloadFiles(catalog: catalog).filter { !versions.contains($0) }
            return Array(Set(versions)).sorted() + strays
        }
        try refuseInBatch("collectGarbage")
        return try commit { transaction throws(DataFolioError) -> [String] in
            try transaction.apply(.removeUnpinnedVersions)
            try transaction.removeUnreferencedPayloadFiles()
            return transaction.obsoletePayloads().sorted() + transaction.unreferencedFiles
        }
    }

    /// Payload files under `tables/`, `models/` and `artifacts/` that no entry refers to.
    func unreferencedPayloadFiles(catalog: Catalog) throws(DataFolioError) -> [String] {
        try StrayPayloads.find(in: storage, referenced: catalog.referencedPayloadPaths)
    }

    /// Makes the folio current state equal to a snapshot again: its items (deleted ones
    /// come back, later ones go), their descriptions and lineage, and its metadata.
    /// Versions that other snapshots pin are kept for them.
    ///
    /// ```swift
    /// try folio.restoreSnapshot("paper-v1", confirmed: true)
    /// ```
    ///
    /// - Parameter confirmed: Must be `true`: restoring discards the current state.
    public func restoreSnapshot(_ name: String, confirmed: Bool) throws(DataFolioError) {
        guard confirmed else {
            throw DataFolioError(
                .confirmationRequired,
                "Restoring snapshot '\(name)' replaces the current items and metadata; pass confirmed: true to do it.")
        }
        try refuseInBatch("restoreSnapshot")
        try commit { transaction throws(DataFolioError) in
            let catalog = transaction.catalog
            let view = try DataFolio.snapshotCatalog(catalog, name: name)
            let restored = view.items
            func sameVersion(_ a: CatalogItem, _ b: CatalogItem) -> Bool {
                var left = a.fields
                var right = b.fields
                left.removeValue(forKey: "is_current")
                right.removeValue(forKey: "is_current")
                return left == right
            }
            var retained = [CatalogItem]()
            for entry in catalog.items where !restored.contains(where: { sameVersion($0, entry) }) {
                guard catalog.isPinned(entry) else { continue }
                var fields = entry.fields
                fields["is_current"] = .bool(false)
                retained.append(CatalogItem(fields: fields))
            }
            try transaction.apply(.replaceState(items: restored + retained, metadata: view.metadata))
        }
    }
}

extension Transaction {
    /// Schedules the deletion of payload files nothing refers to (after the commit).
    func removeUnreferencedPayloadFiles() throws(DataFolioError) {
        let strays = try StrayPayloads.find(in: storage, referenced: catalog.referencedPayloadPaths.union(writtenPayloads))
        // Payloads of displaced versions are deleted by the commit itself.
        let obsolete = Set(obsoletePayloads())
        unreferencedFiles = strays.filter { !obsolete.contains($0) }
    }
}

/// Files and folders in the category folders that no catalog entry refers to.
enum StrayPayloads {
    static func find(in storage: any FolioStorage, referenced: Set<String>) throws(DataFolioError) -> [String] {
        var strays = [String]()
        func walk(_ folder: String) throws(DataFolioError) {
            for name in try storage.list(folder) {
                let path = folder + "/" + name
                if referenced.contains(path) { continue }
                if try storage.status(path)?.isDirectory == true {
                    // A folder is either a payload itself (a folder artifact) or holds
                    // namespaced items.
                    if referenced.contains(where: { $0.hasPrefix(path + "/") }) {
                        try walk(path)
                    } else {
                        strays.append(path)
                    }
                } else if !name.hasPrefix(".") {
                    strays.append(path)
                }
            }
        }
        for folder in ["tables", "models", "artifacts"] { try walk(folder) }
        return strays.sorted()
    }
}
