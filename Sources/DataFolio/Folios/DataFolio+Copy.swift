import DataFolioJSON
import DataFolioSupport

/// What ``DataFolio/copy(to:options:)`` copies into the new folio.
///
/// ```swift
/// var options = CopyOptions()
/// options.include = ["final_model", "test_results"]
/// options.followLineage = true                      // and everything they were made from
/// options.metadataUpdates = ["status": "in_progress"]
/// let derived = try folio.copy(to: "experiments/exp-v2", options: options)
/// ```
public struct CopyOptions: Sendable {
    /// Only these items (names or shell patterns; `*` also matches `/`), or every item
    /// when `nil`. A name must exist and a pattern must match something, so a typo never
    /// makes a silently empty copy.
    public var include: [String]?
    /// Items left out (names or shell patterns), applied after `include`.
    public var exclude: [String]
    /// With `include`, also copy the items the included ones were made from, and theirs,
    /// transitively (inputs that are not in the folio are skipped).
    public var followLineage: Bool
    /// Copy archived items too (they are left out by default, as in Python).
    public var includeArchived: Bool
    /// Metadata keys set (or replaced) in the copy, on top of the source's metadata.
    public var metadataUpdates: JSONObject
    /// Keep the snapshots and the versions they pin. By default the copy starts without
    /// snapshot history, as Python's `copy` does. Keeping snapshots copies the whole
    /// folio (archived items included), so it cannot be combined with `include`,
    /// `exclude` or `followLineage`.
    public var keepSnapshots: Bool
    /// Create the copy at `<location>-<adjective>-<color>-<noun>` (an unused name).
    public var randomSuffix: Bool

    /// Options that copy every current, unarchived item and no snapshots.
    public init(
        include: [String]? = nil, exclude: [String] = [], followLineage: Bool = false, includeArchived: Bool = false,
        metadataUpdates: JSONObject = [:], keepSnapshots: Bool = false, randomSuffix: Bool = false
    ) {
        self.include = include
        self.exclude = exclude
        self.followLineage = followLineage
        self.includeArchived = includeArchived
        self.metadataUpdates = metadataUpdates
        self.keepSnapshots = keepSnapshots
        self.randomSuffix = randomSuffix
    }
}

extension DataFolio {
    /// Copies the folio to a new location — a fork of its current items, as Python's
    /// `copy` makes: catalog entries (descriptions, lineage, version ids, file names) and
    /// payload bytes are copied as they are, payloads checked against their MD5 on the
    /// way; the metadata is the source's (its `created_at` included) with
    /// ``CopyOptions/metadataUpdates`` on top. Snapshot history is left behind unless
    /// ``CopyOptions/keepSnapshots`` is set.
    ///
    /// The location may be any store ``FolioLocations`` opens, so a local folio can be
    /// copied to an object store and back.
    ///
    /// ```swift
    /// let backup = try folio.copy(to: "backups/churn-v3", options: CopyOptions(keepSnapshots: true))
    /// let slim = try folio.copy(to: "s3://lab/share/churn", options: CopyOptions(exclude: ["scratch/*"]))
    /// ```
    ///
    /// - Returns: The new folio, open for writing.
    /// - Throws: `folderNotEmpty` when the location holds a folio or other files (an
    ///   empty folder is fine); `itemNotFound` for an included name or pattern that
    ///   matches nothing; `invalidArgument` for options that contradict each other;
    ///   `corruptData` or `fileNotFound` when a payload is damaged or missing — the
    ///   partial copy is then removed.
    @discardableResult
    public func copy(to location: String, options: CopyOptions = CopyOptions()) throws(DataFolioError) -> DataFolio {
        var target = location
        if options.randomSuffix { target = try FolioCreation.unusedRandomLocation(base: location) }
        return try copy(to: FolioLocations.storage(for: target), options: options)
    }

    /// Copies the folio into `storage` (see ``copy(to:options:)-(String,_)``).
    ///
    /// ```swift
    /// let copy = try folio.copy(to: LocalFolioStorage(path: "runs/copy"))
    /// ```
    @discardableResult
    public func copy(to target: any FolioStorage, options: CopyOptions = CopyOptions()) throws(DataFolioError) -> DataFolio {
        if options.keepSnapshots && snapshotName != nil {
            throw DataFolioError(
                .invalidArgument, "A snapshot view has no snapshot history to keep; copy it without keeping snapshots, or copy the folio itself.")
        }
        let catalog = self.catalog
        let selection = try CopySelection(catalog, options: options)
        let situation = try FolioCreation.inspect(target)
        switch situation {
        case .absent, .emptyFolder:
            break
        case .folio:
            throw DataFolioError(
                .folderNotEmpty, "'\(target.location)' already holds a folio; a copy always goes to a new location.", path: target.location)
        case .foreignFolder:
            throw DataFolioError(
                .folderNotEmpty, "'\(target.location)' is a folder with other files in it; copy to a new or empty folder.", path: target.location)
        case .file:
            throw DataFolioError(.notAFolio, "'\(target.location)' is a file; copy to a new or empty folder.", path: target.location)
        }
        var metadata = catalog.metadata
        for (key, value) in options.metadataUpdates { metadata[key] = value }
        let copied = try DataFolio(storage: target, metadata: metadata)
        guard copied.revision == 1, copied.itemNames.isEmpty else {
            throw DataFolioError(
                .folderNotEmpty, "Another program created a folio at '\(target.location)' while the copy started; nothing was copied.",
                path: target.location)
        }
        copied.warningHandler = warningHandler
        do throws(DataFolioError) {
            try copied.commit { transaction throws(DataFolioError) in
                var copiedPaths = Set<String>()
                for entry in selection.entries {
                    guard let path = try payloadPath(of: entry, in: catalog), copiedPaths.insert(path).inserted else { continue }
                    try transaction.copyPayloadVerbatim(path, of: entry, from: storage)
                }
                try transaction.apply(.adopt(entries: selection.entries, snapshots: selection.snapshots))
            }
        } catch {
            DataFolio.removeCopy(at: target, situation: situation)
            throw error
        }
        return copied
    }

    /// The payload object of an entry: in its kind's folder, or — for a kind this
    /// version does not know — in whichever category folder holds its file.
    private func payloadPath(of entry: CatalogItem, in catalog: Catalog) throws(DataFolioError) -> String? {
        if entry.kind == .referencedTable { return nil }
        if let path = entry.relativePayloadPath { return path }
        guard let filename = entry.filename else { return nil }
        for folder in ItemKind.categoryFolders {
            if try storage.status(folder + "/" + filename) != nil { return folder + "/" + filename }
        }
        throw DataFolioError(
            .fileNotFound, "The payload '\(filename)' of '\(entry.name)' (type '\(entry.itemType)') is in none of the category folders.",
            path: filename, remedy: .validate)
    }

    /// Removes what a failed copy created, leaving a folder that was there before.
    private static func removeCopy(at target: any FolioStorage, situation: FolioCreation.Situation) {
        if situation == .absent {
            try? target.delete("")
            return
        }
        for entry in (try? target.list("")) ?? [] {
            try? target.delete(entry.path)
        }
    }
}

/// The entries and snapshot records a copy takes over.
struct CopySelection {
    var entries: [CatalogItem]
    var snapshots: JSONObject

    init(_ catalog: Catalog, options: CopyOptions) throws(DataFolioError) {
        if options.keepSnapshots {
            if options.include != nil || !options.exclude.isEmpty || options.followLineage {
                throw DataFolioError(
                    .invalidArgument,
                    "Keeping snapshots copies the whole folio (every snapshot needs its items), so it cannot be combined with include, exclude or follow-lineage.")
            }
            // Current entries and the retained versions snapshots still pin; versions no
            // snapshot needs are garbage and stay behind.
            entries = catalog.items.filter { $0.isCurrent || catalog.isPinned($0) }
            snapshots = catalog.snapshots
            return
        }
        if options.followLineage && options.include == nil {
            throw DataFolioError(.invalidArgument, "Following lineage needs the items to start from: name them with include.")
        }
        var chosen = Set(catalog.currentItems.filter { options.includeArchived || !$0.isArchived }.map(\.name))
        if let include = options.include {
            var seeds = [String]()
            for entry in include {
                let matched = try DataFolio.resolve([entry], in: catalog)
                if matched.isEmpty {
                    throw DataFolioError(
                        .itemNotFound, "The pattern '\(entry)' matches no item of this folio, so the copy would miss what you asked for.",
                        path: entry)
                }
                seeds += matched
            }
            let wanted = options.followLineage ? CopySelection.lineageClosure(of: seeds, in: catalog) : Set(seeds)
            chosen.formIntersection(wanted)
        }
        for entry in options.exclude {
            if GlobPattern.isPattern(entry) {
                let glob = GlobPattern(entry)
                chosen = chosen.filter { !glob.matches($0) }
            } else {
                chosen.remove(entry)
            }
        }
        entries = catalog.currentItems.filter { chosen.contains($0.name) }
        snapshots = [:]
    }

    /// The seeds and every item they were made from, transitively; names that are not
    /// current items of the folio are skipped.
    static func lineageClosure(of seeds: [String], in catalog: Catalog) -> Set<String> {
        var closure = Set<String>()
        var queue = seeds
        while let name = queue.popLast() {
            guard !closure.contains(name), let item = catalog.current(name) else { continue }
            closure.insert(name)
            queue += item.inputs.filter { !closure.contains($0) }
        }
        return closure
    }
}
