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
    ///   - description: What the snapshot is for.
    ///   - tags: Labels to find it by.
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
        var record: JSONObject = ["tags": .array(tags.map(JSONValue.string))]
        if let description, !description.isEmpty { record["description"] = .string(description) }
        if let git { record["git"] = .object(git) }
        if let environment { record["environment"] = .object(environment) }
        if let execution { record["execution"] = .object(execution) }
        return try commit { transaction throws(DataFolioError) -> SnapshotSummary in
            try transaction.apply(.addSnapshot(name: name, record: record))
            return SnapshotSummary(name: name, record: try transaction.catalog.snapshotRecord(name), in: transaction.catalog)
        }
    }

    /// One snapshot's summary, with its whole record (`item_versions`,
    /// `metadata_snapshot`, `tags`, `git`, …).
    ///
    /// ```swift
    /// let paper = try folio.snapshotSummary("paper-v1")
    /// print(paper.record["git"] ?? "no git context")
    /// ```
    public func snapshotSummary(_ name: String) throws(DataFolioError) -> SnapshotSummary {
        let catalog = self.catalog
        return SnapshotSummary(name: name, record: try catalog.snapshotRecord(name), in: catalog)
    }

    /// Snapshots with a tag, newest first.
    ///
    /// ```swift
    /// for snapshot in folio.snapshots(taggedWith: "paper") { print(snapshot.name) }
    /// ```
    public func snapshots(taggedWith tag: String) -> [SnapshotSummary] {
        snapshots.filter { $0.tags.contains(tag) }
    }

    /// A read-only view of the folio as it was when the snapshot was taken: its items
    /// (the versions it pinned), their descriptions and lineage, and its metadata. The
    /// view never follows later changes and refuses every write.
    ///
    /// ```swift
    /// let paper = try folio.snapshot("paper-v1")
    /// let config: JSONValue = try paper.get("config")
    /// ```
    ///
    /// - Throws: `snapshotNotFound`, or `corruptData` when a version it pins is gone.
    public func snapshot(_ name: String) throws(DataFolioError) -> DataFolio {
        DataFolio(snapshotOf: self, name: name, catalog: try catalog.snapshotView(name))
    }

    /// Opens a snapshot of the folio at `location`, read-only.
    ///
    /// ```swift
    /// let paper = try DataFolio.snapshot("paper-v1", of: "experiments/churn-v3")
    /// ```
    public static func snapshot(_ name: String, of location: String) throws(DataFolioError) -> DataFolio {
        try DataFolio(at: location, options: .readOnly).snapshot(name)
    }

    func refuseInBatch(_ operation: String) throws(DataFolioError) {
        if isInBatch {
            throw DataFolioError(.invalidArgument, "\(operation) cannot run inside a batch; call it after the batch.")
        }
    }

    /// Deletes a snapshot. With `removingOrphans`, versions that no remaining snapshot
    /// pins are removed too, with what ``collectGarbage(dryRun:)-5hwsi`` removes.
    ///
    /// ```swift
    /// try folio.deleteSnapshot("draft", removingOrphans: true)
    /// ```
    ///
    /// - Returns: What was removed (empty without `removingOrphans`).
    @discardableResult
    public func deleteSnapshot(_ name: String, removingOrphans: Bool = false) throws(DataFolioError) -> GarbageCollection {
        try refuseInBatch("deleteSnapshot")
        let transaction = try commit { transaction throws(DataFolioError) -> Transaction in
            _ = try transaction.catalog.snapshotRecord(name)
            try transaction.apply(.removeSnapshot(name))
            if removingOrphans { _ = try transaction.collectGarbage() }
            return transaction
        }
        return transaction.garbageCollection ?? GarbageCollection()
    }

    /// Removes what nothing needs any more: retained versions that no snapshot pins,
    /// payload files of this folio's writers (`<name>--r<N>.<ext>`) that no catalog
    /// entry refers to (left by writes that failed before their commit), and temporary
    /// catalogs left by crashed writes.
    ///
    /// Files a person put in the category folders are never deleted: they are listed
    /// in ``GarbageCollection/foreignFiles``. Every file any catalog entry refers to —
    /// current or retained, of any item type, known to this version or not — is kept.
    ///
    /// ```swift
    /// let preview = try folio.collectGarbage(dryRun: true)
    /// print(preview.removed, preview.foreignFiles)
    /// ```
    ///
    /// - Parameter dryRun: Only report what would be removed.
    @discardableResult
    public func collectGarbage(dryRun: Bool = false) throws(DataFolioError) -> GarbageCollection {
        if dryRun {
            let transaction = Transaction(catalog: catalog, storage: storage, previouslyMinted: [])
            return try transaction.collectGarbage()
        }
        try refuseInBatch("collectGarbage")
        let transaction = try commit { transaction throws(DataFolioError) -> Transaction in
            _ = try transaction.collectGarbage()
            return transaction
        }
        return transaction.garbageCollection ?? GarbageCollection()
    }

    /// Makes the folio current state equal to a snapshot again: its items (deleted ones
    /// come back, later ones go), their descriptions and lineage, and its metadata.
    /// Versions that other snapshots pin are kept for them. Nothing is copied: the
    /// snapshot's payload files are still there.
    ///
    /// ```swift
    /// try folio.restoreSnapshot("paper-v1")
    /// ```
    ///
    /// - Throws: `corruptData` (nothing changed) when a payload the snapshot needs is
    ///   missing or no longer matches its checksum.
    public func restoreSnapshot(_ name: String) throws(DataFolioError) {
        try refuseInBatch("restoreSnapshot")
        let view = try catalog.snapshotView(name)
        var damaged = [String]()
        for entry in view.currentItems {
            let verdict = verdict(for: entry)
            if verdict.status == .damaged { damaged.append("'\(entry.name)' (\(verdict.problem ?? "damaged"))") }
        }
        guard damaged.isEmpty else {
            throw DataFolioError(
                .corruptData,
                "Snapshot '\(name)' cannot be restored: payloads it needs are missing or damaged: \(damaged.joined(separator: "; ")). Nothing was changed.",
                path: name, remedy: .validate)
        }
        try commit { transaction throws(DataFolioError) in
            try transaction.apply(.restoreSnapshot(name))
        }
    }

    /// What ``restoreSnapshot(_:)-99qq`` would do: the current items it would remove or
    /// replace, and the items it would bring back.
    ///
    /// ```swift
    /// let plan = try folio.restorePlan("paper-v1")
    /// print(plan.added, plan.removed, plan.modified)
    /// ```
    public func restorePlan(_ name: String) throws(DataFolioError) -> SnapshotComparison {
        try changes(since: name)
    }
}

/// What garbage collection removed (or, in a dry run, would remove), as paths relative
/// to the folio.
public struct GarbageCollection: Sendable, Hashable, Codable {
    /// Payloads of retained versions no snapshot pins any more.
    public var unpinnedVersions: [String] = []
    /// Payload files of this folio's writers that no catalog entry refers to.
    public var orphanedPayloads: [String] = []
    /// Temporary files left by writes that crashed.
    public var temporaryFiles: [String] = []
    /// Files in the category folders that the folio did not write: never removed.
    public var foreignFiles: [String] = []

    /// Everything removed.
    public var removed: [String] { unpinnedVersions + orphanedPayloads + temporaryFiles }
}

extension Transaction {
    /// Applies garbage collection to the transaction: drops unpinned retained versions
    /// and asks for a scan of orphaned payloads and temporary files — made again, when
    /// the catalog is published, against the catalog actually published, so that a
    /// payload another writer committed meanwhile is never mistaken for an orphan.
    func collectGarbage() throws(DataFolioError) -> GarbageCollection {
        try apply(.removeUnpinnedVersions)
        scansForGarbage = true
        return try Transaction.garbage(in: storage, catalog: catalog, displaced: displaced, written: writtenPayloads)
    }

    /// What garbage collection removes once `catalog` is published with `displaced` entries gone.
    static func garbage(
        in storage: any FolioStorage, catalog: Catalog, displaced: [CatalogItem], written: [String]
    ) throws(DataFolioError) -> GarbageCollection {
        var result = GarbageCollection()
        result.unpinnedVersions = obsoletePayloads(displaced: displaced, published: catalog).sorted()
        // Like Python, never delete the file of an entry whose kind (and so whose folder)
        // this version does not know, even when the entry itself goes.
        let unknownFiles = Set(displaced.filter { !$0.kind.isKnown }.compactMap(\.filename))
        let scan = try GarbageScan.run(
            in: storage, catalog: catalog, excluding: Set(result.unpinnedVersions).union(written), liveFilenames: unknownFiles)
        result.orphanedPayloads = scan.orphans
        result.temporaryFiles = scan.temporaryFiles
        result.foreignFiles = scan.foreign
        return result
    }
}

/// Finds what garbage collection may remove, and what it must leave alone.
enum GarbageScan {
    /// Objects younger than this are left alone on stores without a writer lock, where
    /// another writer's upload may still be on its way to its commit.
    static let unlockedGracePeriod: TimeInterval = 3600

    static func run(
        in storage: any FolioStorage, catalog: Catalog, excluding: Set<String>, liveFilenames: Set<String> = []
    ) throws(DataFolioError) -> (orphans: [String], temporaryFiles: [String], foreign: [String]) {
        let referenced = catalog.referencedPayloadPaths
        // Entries of item types this version does not know keep their file live in
        // whichever category folder holds it.
        let unknownFilenames = Set(catalog.items.filter { !$0.kind.isKnown }.compactMap(\.filename)).union(liveFilenames)
        let hasLock = storage.locksWriters
        let now = Date()
        var orphans = [String]()
        var temporary = [String]()
        var foreign = [String]()

        func isLive(_ path: String, relative: String) -> Bool {
            referenced.contains(path) || unknownFilenames.contains(relative) || excluding.contains(path)
        }
        func oldEnough(_ entry: StoredObject) -> Bool {
            hasLock || (entry.modified.map { now.timeIntervalSince($0) > unlockedGracePeriod } ?? false)
        }
        func walk(_ folder: String, category: String) throws(DataFolioError) {
            let entries = try storage.list(folder)
            if entries.isEmpty && folder != category { foreign.append(folder) }
            for entry in entries {
                let relative = String(entry.path.dropFirst(category.count + 1))
                if isLive(entry.path, relative: relative) { continue }
                if referenced.contains(where: { $0.hasPrefix(entry.path + "/") }) || unknownFilenames.contains(where: { $0.hasPrefix(relative + "/") }) {
                    // A namespace folder holding live payloads.
                    if entry.kind == .folder { try walk(entry.path, category: category) }
                    continue
                }
                if PayloadNames.isTemporary(entry.name) && entry.kind == .object {
                    if oldEnough(entry) { temporary.append(entry.path) }
                } else if PayloadNames.isVersioned(entry.name) {
                    if oldEnough(entry) { orphans.append(entry.path) }
                } else if entry.kind == .folder {
                    try walk(entry.path, category: category)
                } else {
                    foreign.append(entry.path)
                }
            }
        }
        for category in ItemKind.categoryFolders { try walk(category, category: category) }
        for entry in try storage.list("") where entry.kind == .object && PayloadNames.isTemporary(entry.name) && oldEnough(entry) {
            temporary.append(entry.path)
        }
        return (orphans.sorted(), temporary.sorted(), foreign.sorted())
    }
}

/// The file names folio writers (Swift and Python) give what they write.
enum PayloadNames {
    /// `<name>--r<N>[-<k>][.<ext>]`: a payload version.
    static func isVersioned(_ fileName: String) -> Bool {
        var stem = Substring(fileName)
        if let dot = stem.lastIndex(of: "."), let marker = stem.range(of: "--r"), dot > marker.upperBound {
            stem = stem[..<dot]
        }
        guard let marker = stem.range(of: "--r", options: .backwards), marker.lowerBound > stem.startIndex else { return false }
        let suffix = stem[marker.upperBound...]
        let parts = suffix.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }

    /// `tmpXXXXXXXX.tmp`, the temporary files of atomic rewrites (Python's `mkstemp` and
    /// this library's).
    static func isTemporary(_ fileName: String) -> Bool {
        guard fileName.hasPrefix("tmp"), fileName.hasSuffix(".tmp"), fileName.count > 7 else { return false }
        return fileName.dropFirst(3).dropLast(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
