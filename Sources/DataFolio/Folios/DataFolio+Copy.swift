import DataFolioJSON
import DataFolioSupport

/// What ``DataFolio/copy(to:options:)-4dqcx`` copies into the destination, and how.
///
/// A copy is a **fork** by default, as Python's `copy` makes: a new folio with the
/// current items (chosen with `include`, `exclude`, `followLineage`), the metadata with
/// `metadataUpdates` on top, and no snapshot history unless `keepSnapshots`. A
/// **replica** (``replica``) is the folio as it is — same catalog and revision, every
/// retained version, every snapshot — and can be repeated: an earlier replica at the
/// destination is brought up to date, and an interrupted copy resumes. `datafolio copy`
/// makes forks; `datafolio push` and `pull` make replicas.
///
/// ```swift
/// var options = CopyOptions()
/// options.include = ["final_model", "test_results"]
/// options.followLineage = true                      // and everything they were made from
/// options.metadataUpdates = ["status": "in_progress"]
/// let derived = try folio.copy(to: "experiments/exp-v2", options: options)
///
/// try folio.copy(to: "s3://lab/runs/baseline", options: .replica)   // push
/// ```
public struct CopyOptions: Sendable {
    /// What kind of copy to make.
    public enum Mode: Sendable, Hashable {
        /// A new folio with the chosen current items (Python's `copy`); the destination
        /// must be new or an empty folder.
        case fork
        /// The folio as it is, with its revision, versions and snapshots; the destination
        /// may also hold a partial or earlier replica of the same folio, which is updated.
        case replica
    }

    /// A fork (the default) or a replica.
    public var mode: Mode
    /// Only these items (names or shell patterns; `*` also matches `/`), or every item
    /// when `nil`. A name must exist and a pattern must match something, so a typo never
    /// makes a silently empty copy. Forks only.
    public var include: [String]?
    /// Items left out (names or shell patterns), applied after `include`. Forks only.
    public var exclude: [String]
    /// With `include`, also copy the items the included ones were made from, and theirs,
    /// transitively (inputs that are not in the folio are skipped). Forks only.
    public var followLineage: Bool
    /// Copy archived items too (they are left out of forks by default, as in Python;
    /// replicas always keep them).
    public var includeArchived: Bool
    /// Metadata keys set (or replaced) in the copy, on top of the source's metadata.
    /// Forks only.
    public var metadataUpdates: JSONObject
    /// Keep the snapshots and the versions they pin. By default a fork starts without
    /// snapshot history, as Python's `copy` does. Keeping snapshots copies the whole
    /// folio (archived items included), so it cannot be combined with `include`,
    /// `exclude` or `followLineage`. Forks only (replicas always keep snapshots).
    public var keepSnapshots: Bool
    /// Create the copy at `<location>-<adjective>-<color>-<noun>` (an unused name). Forks only.
    public var randomSuffix: Bool
    /// Replace another folio, or other files, at the destination of a replica (by
    /// default only a partial or earlier replica of the same folio is replaced).
    public var replacingOtherFolio: Bool
    /// How many payload files are copied at the same time.
    public var concurrency: Int
    /// An upper bound on the payload bytes in flight at once, so that many large
    /// payloads do not all sit in upload buffers together.
    public var bytesInFlight: Int
    /// Called while the copy runs: after every payload file, and while bytes flow at
    /// most ten times a second. The last call carries the final counts.
    public var progress: (@Sendable (CopyProgress) -> Void)?

    /// Options that fork every current, unarchived item and no snapshots, 8 files and
    /// 256 MiB at a time.
    ///
    /// ```swift
    /// let options = CopyOptions(include: ["model"], followLineage: true)
    /// let fork = try folio.copy(to: "runs/model-only", options: options)
    /// ```
    public init(
        include: [String]? = nil, exclude: [String] = [], followLineage: Bool = false, includeArchived: Bool = false,
        metadataUpdates: JSONObject = [:], keepSnapshots: Bool = false, randomSuffix: Bool = false
    ) {
        self.mode = .fork
        self.include = include
        self.exclude = exclude
        self.followLineage = followLineage
        self.includeArchived = includeArchived
        self.metadataUpdates = metadataUpdates
        self.keepSnapshots = keepSnapshots
        self.randomSuffix = randomSuffix
        self.replacingOtherFolio = false
        self.concurrency = 8
        self.bytesInFlight = 256 << 20
        self.progress = nil
    }

    /// Options that make a replica: the whole folio as it is (see ``Mode-swift.enum/replica``).
    ///
    /// ```swift
    /// var options = CopyOptions.replica
    /// options.progress = { print($0.finishedBytes, "of", $0.totalBytes) }
    /// try DataFolio(at: "s3://lab/runs/a", options: .readOnly).copy(to: "runs/a", options: options)
    /// ```
    public static var replica: CopyOptions {
        var options = CopyOptions()
        options.mode = .replica
        return options
    }
}

/// How far a copy has come (see ``CopyOptions/progress``).
///
/// ```swift
/// options.progress = { progress in
///     print("\(progress.finishedFiles)/\(progress.totalFiles) files, \(progress.skippedFiles) already there")
/// }
/// ```
public struct CopyProgress: Sendable, Hashable {
    /// Payload files to bring over (copied or found already there).
    public var totalFiles: Int
    /// Their total size.
    public var totalBytes: Int
    /// Files done (copied or skipped).
    public var finishedFiles: Int = 0
    /// Bytes done (copied or skipped).
    public var finishedBytes: Int = 0
    /// Of the files done, those already at the destination with the same MD5.
    public var skippedFiles: Int = 0
    /// Their size.
    public var skippedBytes: Int = 0
    /// Of the bytes done, those actually transferred.
    public var copiedBytes: Int = 0
    /// Payloads an earlier replica needed and the new one does not, removed once its
    /// catalog was replaced (known at the last call).
    public var removedFiles: Int = 0

    /// Files actually transferred.
    public var copiedFiles: Int { finishedFiles - skippedFiles }

    /// Progress at the start of a copy.
    ///
    /// ```swift
    /// let progress = CopyProgress(totalFiles: 12, totalBytes: 48_000_000)
    /// ```
    public init(totalFiles: Int, totalBytes: Int) {
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
    }
}

extension DataFolio {
    /// Copies the folio to another location — a folder, a bucket, any store
    /// ``FolioLocations`` opens — as a fork (the default) or a replica (see
    /// ``CopyOptions``). This is the one way to copy a folio between stores: `datafolio
    /// copy`, `push` and `pull` all come here.
    ///
    /// A fork is what Python's `copy` makes: catalog entries (descriptions, lineage,
    /// version ids, file names) and payload bytes are copied as they are, payloads checked
    /// against their MD5 on the way; the metadata is the source's (its `created_at`
    /// included) with ``CopyOptions/metadataUpdates`` on top. Snapshot history is left
    /// behind unless ``CopyOptions/keepSnapshots`` is set.
    ///
    /// A replica is the folio as it is in its store. Payloads go first, several at a
    /// time, and the catalog last, so the copy appears at once and an interrupted copy
    /// leaves the destination as it was; payloads already there with the same MD5 are
    /// skipped, so copying again resumes, or updates an earlier replica with what changed.
    ///
    /// Object stores keep a payload's MD5 under `content_md5` (with `checksum` null, as the
    /// Python `datafolio` expects there); copies between a local folder and an object store
    /// move it to the key the destination uses.
    ///
    /// ```swift
    /// let backup = try folio.copy(to: "backups/churn-v3", options: CopyOptions(keepSnapshots: true))
    /// let slim = try folio.copy(to: "s3://lab/share/churn", options: CopyOptions(exclude: ["scratch/*"]))
    /// try folio.copy(to: "s3://lab/runs/churn", options: .replica)
    /// ```
    ///
    /// - Returns: The new folio, open for writing.
    /// - Throws: `folderNotEmpty` when a fork's location holds a folio or other files (an
    ///   empty folder is fine), or a replica's holds another folio; `concurrentWrite` when
    ///   a replica's destination is at a newer revision or changed during the copy;
    ///   `itemNotFound` for an included name or pattern that matches nothing;
    ///   `invalidArgument` for options that contradict each other; `corruptData` or
    ///   `fileNotFound` when a payload is damaged or missing — a partial fork is then
    ///   removed, and nothing of a replica becomes visible.
    @discardableResult
    public func copy(to location: String, options: CopyOptions = CopyOptions()) throws(DataFolioError) -> DataFolio {
        var target = location
        if options.randomSuffix && options.mode == .fork { target = try FolioCreation.unusedRandomLocation(base: location) }
        return try copy(to: FolioLocations.storage(for: target), options: options)
    }

    /// Copies the folio into `storage` (see ``copy(to:options:)-(String,_)``).
    ///
    /// ```swift
    /// let copy = try folio.copy(to: LocalFolioStorage(path: "runs/copy"))
    /// ```
    @discardableResult
    public func copy(to target: any FolioStorage, options: CopyOptions = CopyOptions()) throws(DataFolioError) -> DataFolio {
        switch options.mode {
        case .fork: return try fork(to: target, options: options)
        case .replica: return try replicate(to: target, options: options)
        }
    }

    private func replicate(to target: any FolioStorage, options: CopyOptions) throws(DataFolioError) -> DataFolio {
        if snapshotName != nil {
            throw DataFolioError(
                .invalidArgument, "A snapshot view cannot be replicated (a replica is the whole folio); copy the folio itself, or fork the view.")
        }
        if options.include != nil || !options.exclude.isEmpty || options.followLineage || options.includeArchived
            || !options.metadataUpdates.isEmpty || options.keepSnapshots || options.randomSuffix
        {
            throw DataFolioError(
                .invalidArgument,
                "A replica copies the whole folio as it is, so it takes no include, exclude, follow-lineage, include-archived, metadata changes, keep-snapshots or random suffix; make a fork for those.")
        }
        try FolioReplica(source: storage, destination: target, options: options).run()
        let copied = try DataFolio(storage: target, options: target.isReadOnly ? .readOnly : .doNotCreate)
        copied.warningHandler = warningHandler
        return copied
    }

    private func fork(to target: any FolioStorage, options: CopyOptions) throws(DataFolioError) -> DataFolio {
        if options.replacingOtherFolio {
            throw DataFolioError(.invalidArgument, "A fork always goes to a new location; only a replica replaces another folio.")
        }
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
            let payloads = try PayloadFiles(of: selection.entries, in: storage, index: nil)
            for folder in payloads.folders { try target.createFolder(folder) }
            let copier = PayloadCopier(payloads, from: storage, to: target, options: options, destinationIndex: [:])
            try copier.run()
            let entries = selection.entries.map { $0.recordingChecksum(forLocalStore: target.isLocal) }
            try copied.commit { transaction throws(DataFolioError) in
                for path in payloads.folders + copier.copiedPaths { transaction.recordWrittenPayload(path) }
                try transaction.apply(.adopt(entries: entries, snapshots: selection.snapshots))
            }
        } catch {
            DataFolio.removeCopy(at: target, situation: situation)
            throw error
        }
        return copied
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
            snapshots = catalog.snapshots.object
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
