import DataFolioJSON
import DataFolioSupport
import Foundation

/// Copies a whole folio from one store to another — a folder to a bucket (push), a bucket
/// to a folder (pull), or any two stores: the catalog with every item, every version kept
/// for snapshots, and the snapshots themselves.
///
/// Payloads go first, several at a time, and the catalog last, so the copy becomes
/// visible at once and an interrupted copy leaves the destination as it was. Payloads
/// the destination already holds with the same MD5 are skipped, so copying again after
/// an interruption only moves what is missing, and copying an updated folio only what
/// changed. The destination must be empty, a partial copy, or an earlier copy of the same
/// folio (same `created_at`, not at a newer revision); its catalog is replaced only if no
/// one changed it during the copy. Payloads its old catalog needed and the new one does
/// not are removed afterwards.
///
/// Object stores keep a payload's MD5 under `content_md5` (with `checksum` null, as the
/// Python `datafolio` expects there); copies between a local folder and an object store
/// move it to the key the destination uses.
///
/// ```swift
/// let summary = try FolioTransfer.copy(from: "runs/baseline", to: "s3://lab/runs/baseline") { progress in
///     print(progress.finishedBytes, "of", progress.totalBytes)
/// }
/// print("copied \(summary.copiedFiles), skipped \(summary.skippedFiles)")
/// ```
public enum FolioTransfer {
    /// How a copy runs.
    public struct Options: Sendable, Hashable {
        /// How many payloads are copied at the same time.
        public var concurrency: Int
        /// An upper bound on the bytes of payloads in flight at once, so that many large
        /// payloads do not all sit in upload buffers together.
        public var bytesInFlight: Int
        /// Replace a destination that holds another folio, or other files.
        public var replacingOtherContent: Bool

        /// Creates options (defaults: 8 payloads and 256 MiB at a time; other content
        /// at the destination is refused).
        ///
        /// ```swift
        /// let options = FolioTransfer.Options(concurrency: 16)
        /// ```
        public init(concurrency: Int = 8, bytesInFlight: Int = 256 << 20, replacingOtherContent: Bool = false) {
            self.concurrency = concurrency
            self.bytesInFlight = bytesInFlight
            self.replacingOtherContent = replacingOtherContent
        }
    }

    /// How far a copy has come, reported while it runs.
    public struct Progress: Sendable, Hashable {
        /// Payload files to bring over (copied or found already there).
        public var totalFiles: Int
        /// Their total size.
        public var totalBytes: Int
        /// Files done (copied or skipped).
        public var finishedFiles: Int
        /// Bytes done (copied or skipped).
        public var finishedBytes: Int
        /// Of the files done, those that were already at the destination.
        public var skippedFiles: Int
        /// Of the bytes done, those actually transferred.
        public var copiedBytes: Int
    }

    /// What a copy did.
    public struct Summary: Sendable, Hashable {
        /// Payload files copied.
        public var copiedFiles: Int
        /// Payload files already at the destination with the same MD5.
        public var skippedFiles: Int
        /// Bytes copied.
        public var copiedBytes: Int
        /// Bytes of the skipped files.
        public var skippedBytes: Int
        /// The catalog revision now at the destination.
        public var revision: Int
        /// Payloads the destination's previous catalog needed and the copied one does
        /// not, removed after the catalog was replaced.
        public var removedObsolete: [String]
    }

    /// Copies the folio at `source` to `destination` (paths or URLs that
    /// ``FolioLocations`` opens).
    ///
    /// ```swift
    /// try FolioTransfer.copy(from: "s3://lab/runs/baseline", to: "local/baseline")
    /// ```
    @discardableResult
    public static func copy(
        from source: String, to destination: String, options: Options = Options(),
        progress: (@Sendable (Progress) -> Void)? = nil
    ) throws(DataFolioError) -> Summary {
        try copy(
            from: FolioLocations.storage(for: source), to: FolioLocations.storage(for: destination), options: options,
            progress: progress)
    }

    /// Copies the folio in `source` to `destination`.
    ///
    /// ```swift
    /// let summary = try FolioTransfer.copy(from: LocalFolioStorage(path: "runs/a"), to: bucketStorage)
    /// ```
    ///
    /// - Throws: `notAFolio` when `source` holds no folio; `folderNotEmpty` when the
    ///   destination holds something else; `concurrentWrite` when the destination is at a
    ///   newer revision, or changed during the copy; `checksumMismatch` when a payload's
    ///   bytes are not those its catalog records; `readOnly` for a read-only destination.
    @discardableResult
    public static func copy(
        from source: any FolioStorage, to destination: any FolioStorage, options: Options = Options(),
        progress: (@Sendable (Progress) -> Void)? = nil
    ) throws(DataFolioError) -> Summary {
        if destination.isReadOnly { throw DataFolioError.readOnlyStore(destination.location) }
        let plan = try TransferPlan(source: source, destination: destination, options: options)
        try plan.checkDestination()
        for folder in [""] + ItemKind.categoryFolders { try destination.createFolder(folder) }
        // Local writers wait; on a store without a lock, the conditional replacement of
        // the catalog catches a writer that got in between.
        let lock = try destination.lockForWriting(timeout: 30)
        defer { lock?.release() }
        let run = TransferRun(plan: plan, options: options, progress: progress)
        try run.copyPayloads()
        return try plan.publish(copied: run.copiedPaths, counts: run.counts)
    }
}

/// What a copy will do: the source catalog as read, the destination's, the files.
private struct TransferPlan {
    struct File: Sendable {
        var path: String
        var size: Int
        /// The MD5 the source catalog records, when it does.
        var md5: String?
    }

    let source: any FolioStorage
    let destination: any FolioStorage
    let options: FolioTransfer.Options
    let sourceBytes: [UInt8]
    let sourceCatalog: Catalog
    let destinationCatalog: Catalog?
    let destinationVersion: String?
    let files: [File]
    /// What the destination's catalog records for each payload path.
    let destinationChecksums: [String: String]
    /// The objects already in the destination's category folders, from one listing per
    /// folder (`nil` for a store that cannot list: each object is then looked up).
    let destinationIndex: [String: StoredObject]?

    init(source: any FolioStorage, destination: any FolioStorage, options: FolioTransfer.Options) throws(DataFolioError) {
        self.source = source
        self.destination = destination
        self.options = options
        guard let items = try source.readVersioned("items.json") else {
            throw DataFolioError(.notAFolio, "No folio at '\(source.location)' (no items.json there); nothing to copy.", path: source.location)
        }
        sourceBytes = items.bytes
        sourceCatalog = try Catalog(itemsFile: items.bytes) { () throws(DataFolioError) in
            (try Self.readIfPresent("metadata.json", in: source), try Self.readIfPresent("snapshots.json", in: source))
        }
        if let existing = try destination.readVersioned("items.json") {
            destinationVersion = existing.version
            destinationCatalog = try Catalog(itemsFile: existing.bytes) { () throws(DataFolioError) in
                (try Self.readIfPresent("metadata.json", in: destination), try Self.readIfPresent("snapshots.json", in: destination))
            }
        } else {
            destinationVersion = nil
            destinationCatalog = nil
        }
        var checksums = [String: String]()
        for item in destinationCatalog?.items ?? [] {
            if let path = item.relativePayloadPath, let checksum = item.checksum { checksums[path] = checksum }
        }
        destinationChecksums = checksums
        files = try Self.payloadFiles(of: sourceCatalog, in: source, index: try Self.index(of: source))
        destinationIndex = try Self.index(of: destination)
    }

    /// Every entry below the category folders, from listings (one request per folder on
    /// an object store, instead of one per payload), or `nil` when the store cannot list.
    private static func index(of storage: any FolioStorage) throws(DataFolioError) -> [String: StoredObject]? {
        var index = [String: StoredObject]()
        func walk(_ folder: String) throws(DataFolioError) {
            for entry in try storage.list(folder) {
                index[entry.path] = entry
                if entry.kind == .folder { try walk(entry.path) }
            }
        }
        for folder in ItemKind.categoryFolders {
            do {
                try walk(folder)
            } catch where error.code == .unsupportedFeature {
                return nil
            } catch where error.code == .fileNotFound {
                // Nothing there yet (a destination folder not created yet).
                continue
            }
        }
        return index
    }

    private static func readIfPresent(_ path: String, in storage: any FolioStorage) throws(DataFolioError) -> [UInt8]? {
        do {
            return try storage.read(path)
        } catch where error.code == .fileNotFound {
            return nil
        }
    }

    /// Every payload file any catalog entry needs — current versions, versions kept for
    /// snapshots, every file of folder items, and the files of item kinds this version
    /// does not know (found by name in the category folders).
    private static func payloadFiles(
        of catalog: Catalog, in source: any FolioStorage, index: [String: StoredObject]?
    ) throws(DataFolioError) -> [File] {
        var files = [File]()
        var seen = Set<String>()
        func add(_ file: File) {
            if seen.insert(file.path).inserted { files.append(file) }
        }
        func status(_ path: String) throws(DataFolioError) -> StoredObject? {
            if let index { return index[path] }
            return try source.status(path)
        }
        for item in catalog.items {
            var path = item.relativePayloadPath
            if path == nil, !item.kind.isKnown, let filename = item.filename {
                for folder in ItemKind.categoryFolders {
                    if try status(folder + "/" + filename) != nil {
                        path = folder + "/" + filename
                        break
                    }
                }
            }
            guard let path, !seen.contains(path) else { continue }
            guard let status = try status(path) else {
                throw DataFolioError(
                    .fileNotFound, "The payload of '\(item.name)' (\(path)) is missing from \(source.location); nothing was copied.",
                    path: path, remedy: .validate)
            }
            switch status.kind {
            case .object:
                add(File(path: path, size: status.size, md5: item.checksum))
            case .folder:
                seen.insert(path)
                let children: [StoredObject]
                if let index {
                    let below = index.values.filter { $0.path.hasPrefix(path + "/") }
                    if let link = below.first(where: { $0.kind == .symbolicLink || $0.kind == .other }) {
                        throw DataFolioError(
                            .unsupportedFeature, "'\(link.path)' in \(source.location) is a link or a special file; folios never copy through links.",
                            path: link.path, remedy: .validate)
                    }
                    children = below.filter { $0.kind == .object }.sorted { $0.path < $1.path }
                } else {
                    children = try PayloadCache.files(under: path, in: source)
                }
                for file in children {
                    add(File(path: file.path, size: file.size, md5: nil))
                }
            case .symbolicLink, .other:
                throw DataFolioError(
                    .unsupportedFeature, "The payload of '\(item.name)' (\(path)) is a link or a special file; folios never copy through links.",
                    path: path, remedy: .validate)
            }
        }
        return files
    }

    /// Refuses a destination that holds another folio, a newer revision of this one, or
    /// files that are not a (partial) copy of a folio.
    func checkDestination() throws(DataFolioError) {
        guard !options.replacingOtherContent else { return }
        if let destinationCatalog {
            let ours = sourceCatalog.metadata["created_at"]
            let theirs = destinationCatalog.metadata["created_at"]
            if ours != theirs {
                throw DataFolioError(
                    .folderNotEmpty,
                    "\(destination.location) holds another folio (created \(theirs?.stringValue ?? "at an unknown time"), not \(ours?.stringValue ?? "at an unknown time")); choose another destination, or replace it explicitly.",
                    path: destination.location)
            }
            if destinationCatalog.revision > sourceCatalog.revision {
                throw DataFolioError(
                    .concurrentWrite,
                    "\(destination.location) is at revision \(destinationCatalog.revision), newer than the \(sourceCatalog.revision) of \(source.location): it has changes the source lacks. Copy it the other way first, or replace it explicitly.",
                    path: destination.location)
            }
            return
        }
        guard let root = try destination.status("") else { return }
        guard root.kind == .folder else {
            throw DataFolioError(.folderNotEmpty, "\(destination.location) is a file; choose a folder or a prefix.", path: destination.location)
        }
        let allowed: Set<String> = Set(ItemKind.categoryFolders + ["README.md", "CONTENTS.md", "items.json.lock", "metadata.json", "snapshots.json"])
        if let foreign = try destination.list("").first(where: { !allowed.contains($0.name) }) {
            throw DataFolioError(
                .folderNotEmpty,
                "\(destination.location) holds other files ('\(foreign.name)') and no folio; choose an empty or new destination, or replace it explicitly.",
                path: destination.location)
        }
    }

    /// The catalog bytes to write at the destination: the source's as they are, or with
    /// payload MD5s moved to the key the destination's kind of store uses.
    func catalogBytes() -> [UInt8] {
        guard source.isLocal != destination.isLocal, !sourceCatalog.isLegacyLayout else { return sourceBytes }
        var catalog = sourceCatalog
        var changed = false
        for index in catalog.items.indices {
            let converted = catalog.items[index].recordingChecksum(forLocalStore: destination.isLocal)
            if converted != catalog.items[index] {
                catalog.replaceEntry(at: index, with: converted)
                changed = true
            }
        }
        return changed ? catalog.encoded() : sourceBytes
    }

    /// Writes the small files and the catalog, then removes payloads only the old
    /// destination catalog needed.
    func publish(copied: [String], counts: TransferCounts) throws(DataFolioError) -> FolioTransfer.Summary {
        try destination.persist(copied)
        for name in ["README.md", "CONTENTS.md"] {
            if let bytes = try Self.readIfPresent(name, in: source) {
                try destination.replace(name, with: bytes, condition: .always, durable: false)
            }
        }
        if sourceCatalog.isLegacyLayout {
            for name in ["metadata.json", "snapshots.json"] {
                if let bytes = try Self.readIfPresent(name, in: source) {
                    try destination.replace(name, with: bytes, condition: .always, durable: true)
                }
            }
        }
        let condition: ReplaceCondition = destinationVersion.map { .version($0) } ?? .absent
        do {
            try destination.replace("items.json", with: catalogBytes(), condition: condition, durable: true)
        } catch where error.code == .preconditionFailed {
            throw DataFolioError(
                .concurrentWrite,
                "Another writer changed the catalog at \(destination.location) during the copy, so it was not replaced (the payloads copied stay and are reused). Look at the destination, then copy again.",
                path: destination.location)
        }
        var removed = [String]()
        if let destinationCatalog {
            let needed = Set(files.map(\.path)).union(sourceCatalog.referencedPayloadPaths)
            for path in destinationCatalog.referencedPayloadPaths.subtracting(needed).sorted() {
                if (try? destination.delete(path)) != nil { removed.append(path) }
            }
        }
        return FolioTransfer.Summary(
            copiedFiles: counts.copiedFiles, skippedFiles: counts.skippedFiles, copiedBytes: counts.copiedBytes,
            skippedBytes: counts.skippedBytes, revision: sourceCatalog.revision, removedObsolete: removed)
    }
}

struct TransferCounts: Sendable {
    var copiedFiles = 0
    var skippedFiles = 0
    var copiedBytes = 0
    var skippedBytes = 0
}

/// The payload copies of one transfer, on several threads.
private final class TransferRun: @unchecked Sendable {
    // Everything mutable is guarded by `condition`.
    let plan: TransferPlan
    let options: FolioTransfer.Options
    let progressHandler: (@Sendable (FolioTransfer.Progress) -> Void)?
    private let condition = NSCondition()
    private var next = 0
    private var failure: DataFolioError?
    private var budget: Int
    private var state: FolioTransfer.Progress
    private(set) var counts = TransferCounts()
    private(set) var copiedPaths = [String]()
    private var lastReport = DispatchTime(uptimeNanoseconds: 0)

    init(plan: TransferPlan, options: FolioTransfer.Options, progress: (@Sendable (FolioTransfer.Progress) -> Void)?) {
        self.plan = plan
        self.options = options
        progressHandler = progress
        budget = max(options.bytesInFlight, 1)
        state = FolioTransfer.Progress(
            totalFiles: plan.files.count, totalBytes: plan.files.reduce(0) { $0 + $1.size }, finishedFiles: 0, finishedBytes: 0,
            skippedFiles: 0, copiedBytes: 0)
    }

    func copyPayloads() throws(DataFolioError) {
        report(force: true)
        let workers = max(1, min(options.concurrency, plan.files.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                work()
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        if let failure { throw failure }
        report(force: true)
    }

    private func work() {
        while let file = take() {
            let weight = min(max(file.size, 1), budget(for: file))
            acquire(weight)
            do throws(DataFolioError) {
                try transfer(file)
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                condition.unlock()
            }
            release(weight)
        }
    }

    private func budget(for file: TransferPlan.File) -> Int {
        min(options.bytesInFlight, 64 << 20)
    }

    private func take() -> TransferPlan.File? {
        condition.lock()
        defer { condition.unlock() }
        guard failure == nil, next < plan.files.count else { return nil }
        defer { next += 1 }
        return plan.files[next]
    }

    private func acquire(_ weight: Int) {
        condition.lock()
        while budget < weight && failure == nil { condition.wait() }
        budget -= weight
        condition.unlock()
    }

    private func release(_ weight: Int) {
        condition.lock()
        budget += weight
        condition.broadcast()
        condition.unlock()
    }

    private func transfer(_ file: TransferPlan.File) throws(DataFolioError) {
        let source = plan.source
        let destination = plan.destination
        let found: StoredObject?
        if let index = plan.destinationIndex { found = index[file.path] } else { found = try destination.status(file.path) }
        if let existing = found {
            if existing.kind == .object, existing.size == file.size, try sameContent(file, existing: existing) {
                finished(file, skipped: true)
                return
            }
            if let recorded = plan.destinationChecksums[file.path], let expected = file.md5, recorded != expected {
                throw DataFolioError(
                    .concurrentWrite,
                    "\(destination.location)/\(file.path) is recorded there with MD5 \(recorded), but \(source.location) has \(expected) under the same name: the two folios have diverged. Nothing was replaced.",
                    path: file.path)
            }
            // A leftover of an interrupted copy or a failed write: copy it again.
            try destination.delete(file.path)
        }
        let writer: any StoredObjectWriter
        if let md5 = file.md5 {
            writer = try destination.createObject(file.path, md5: md5)
        } else {
            writer = try destination.createObject(file.path)
        }
        let written: WrittenObject
        do {
            try source.read(file.path, into: CountingOutput(writer) { [self] count in advance(count) })
            written = try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
        if let expected = file.md5, expected != written.md5 {
            try? destination.delete(file.path)
            throw DataFolioError(
                .checksumMismatch,
                "\(source.location)/\(file.path) has MD5 \(written.md5), but its catalog records \(expected): it changed or was damaged after it was written. Nothing was published; run validate on the source.",
                path: file.path, remedy: .validate)
        }
        condition.lock()
        copiedPaths.append(file.path)
        condition.unlock()
        finished(file, skipped: false)
    }

    /// Whether the destination's object holds the source's bytes, by MD5: what the
    /// catalog or the stores recorded, or (on a local disk, cheap to read) computed.
    private func sameContent(_ file: TransferPlan.File, existing: StoredObject) throws(DataFolioError) -> Bool {
        let source = plan.source
        let destination = plan.destination
        let destinationMD5 = destination.isLocal ? try destination.md5(of: file.path) : try destination.recordedMD5(file.path)
        guard let destinationMD5 else { return false }
        var sourceMD5 = file.md5
        if sourceMD5 == nil { sourceMD5 = try source.recordedMD5(file.path) }
        if sourceMD5 == nil && source.isLocal { sourceMD5 = try source.md5(of: file.path) }
        return sourceMD5?.lowercased() == destinationMD5.lowercased()
    }

    private func advance(_ count: Int) {
        condition.lock()
        state.finishedBytes += count
        state.copiedBytes += count
        condition.unlock()
        report(force: false)
    }

    private func finished(_ file: TransferPlan.File, skipped: Bool) {
        condition.lock()
        state.finishedFiles += 1
        if skipped {
            state.skippedFiles += 1
            state.finishedBytes += file.size
            counts.skippedFiles += 1
            counts.skippedBytes += file.size
        } else {
            counts.copiedFiles += 1
            counts.copiedBytes += file.size
        }
        condition.unlock()
        report(force: true)
    }

    /// Calls the progress handler after every file, and while bytes flow at most ten
    /// times a second.
    private func report(force: Bool) {
        guard let progressHandler else { return }
        condition.lock()
        let now = DispatchTime.now()
        guard force || now.uptimeNanoseconds >= lastReport.uptimeNanoseconds + 100_000_000 else {
            condition.unlock()
            return
        }
        lastReport = now
        let snapshot = state
        condition.unlock()
        progressHandler(snapshot)
    }
}

/// Passes bytes on and counts them.
private final class CountingOutput: ByteOutput {
    let next: any ByteOutput
    let counted: (Int) -> Void

    init(_ next: any ByteOutput, counted: @escaping (Int) -> Void) {
        self.next = next
        self.counted = counted
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        try next.write(bytes)
        counted(bytes.count)
    }
}
