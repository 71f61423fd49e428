import DataFolioJSON
import DataFolioSupport
import Foundation

/// A folio: one folder that keeps the data behind an analysis — tables, arrays, JSON,
/// models, tensor weights, files — each under a name, with a description and the
/// names of the items it was made from.
///
/// The folder layout and the catalog `items.json` are those of the Python `datafolio`
/// package, so Swift programs and Python notebooks can share a folio, even at the
/// same time: writers take the same lock, and every read notices commits made by other
/// processes.
///
/// ```swift
/// let folio = try DataFolio(at: "experiments/churn-v3")   // opens, or creates when absent
/// try folio.add("config", ["lr": 0.01, "layers": [64, 32]], description: "Training settings")
/// try folio.add("embeddings", try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float]), inputs: ["config"])
/// let config: JSONValue = try folio.get("config")
/// print(folio.describe())
/// ```
///
/// A `DataFolio` is safe to use from several tasks at once: reads run concurrently,
/// and writes from one instance are applied one after the other.
public final class DataFolio: @unchecked Sendable {
    // State is guarded by `stateLock`; mutations are serialized by `writeLock`, which is
    // recursive so that a batch's body can call the public mutators.

    /// The folio location as given when it was opened.
    public let path: String
    /// Whether every change is refused.
    public let isReadOnly: Bool
    /// The name of the snapshot this instance shows, when it is a snapshot view.
    public let snapshotName: String?

    let storage: any FolioStorage
    let lockTimeout: Double
    private let stateLock = NSLock()
    let writeLock = NSRecursiveLock()
    private var state: State
    var activeTransaction: Transaction?
    private var warningHandlerStorage: (@Sendable (FolioWarning) -> Void)?

    struct State {
        var catalog: Catalog
        /// What `items.json` looked like when `catalog` was loaded or published: a
        /// rename-based write always changes it, so an equal status means "unchanged".
        var catalogStatus: FileStatus?
        /// Version ids this instance has handed out (never reused, even after a failure).
        var mintedIDs: Set<String> = []
    }

    /// Options for opening or creating a folio.
    public struct OpenOptions: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Refuse every change; a missing folio is an error instead of being created.
        public static let readOnly = OpenOptions(rawValue: 1 << 0)
        /// Do not create a folio when none exists at the path.
        public static let doNotCreate = OpenOptions(rawValue: 1 << 1)
        /// Allow creating a folio inside an existing folder that holds other files.
        public static let allowExistingFolder = OpenOptions(rawValue: 1 << 2)
        /// Create a new folio at `<path>-<adjective>-<color>-<noun>` (an unused name).
        public static let randomSuffix = OpenOptions(rawValue: 1 << 3)
    }

    /// Called for every warning (for example when a deleted item still has dependents).
    /// `nil` (the default) writes warnings to standard error; set `{ _ in }` to silence them.
    public var warningHandler: (@Sendable (FolioWarning) -> Void)? {
        get { stateLock.withLock { warningHandlerStorage } }
        set { stateLock.withLock { warningHandlerStorage = newValue } }
    }

    /// Opens the folio at `path`, or creates it when nothing is there.
    ///
    /// A folder is a folio when it holds `items.json` (or the `metadata.json` of the
    /// old layout). A new folio is created when the path does not exist or is an empty
    /// folder; `metadata` is recorded then and ignored when opening.
    ///
    /// ```swift
    /// let folio = try DataFolio(at: "runs/baseline", metadata: ["experiment": "baseline"])
    /// let frozen = try DataFolio(at: "runs/baseline", options: .readOnly)
    /// ```
    ///
    /// - Throws: ``DataFolioError`` with code `notAFolio` when the path does not hold a
    ///   folio and may not be created, `folderNotEmpty` for a non-empty folder that is
    ///   not a folio, `unsupportedCatalogVersion` or `catalogUnreadable` for a catalog
    ///   that cannot be read.
    public convenience init(at path: String, options: OpenOptions = [], metadata: JSONObject = [:]) throws(DataFolioError) {
        try self.init(path: path, options: options, metadata: metadata, lockTimeout: 30)
    }

    /// Opens or creates the folio at a file URL (see ``init(at:options:metadata:)-(String,_,_)``).
    public convenience init(at url: URL, options: OpenOptions = [], metadata: JSONObject = [:]) throws(DataFolioError) {
        try self.init(at: url.path, options: options, metadata: metadata)
    }

    init(path: String, options: OpenOptions, metadata: JSONObject, lockTimeout: Double) throws(DataFolioError) {
        var target = path
        if options.contains(.randomSuffix) && !options.contains(.readOnly) {
            target = try FolioCreation.unusedRandomPath(base: path)
        }
        self.path = target
        self.isReadOnly = options.contains(.readOnly)
        self.snapshotName = nil
        self.lockTimeout = lockTimeout
        let root = FolioCreation.absolutePath(target)
        self.storage = LocalFolioStorage(location: target, root: root)
        let situation = try FolioCreation.inspect(root)
        switch situation {
        case .folio:
            let (catalog, status) = try DataFolio.loadCatalog(from: storage)
            state = State(catalog: catalog, catalogStatus: status)
        case .file:
            throw DataFolioError(.notAFolio, "'\(target)' is a file, not a folio folder.", path: target)
        case .absent, .emptyFolder, .foreignFolder:
            if options.contains(.readOnly) || options.contains(.doNotCreate) {
                throw DataFolioError(
                    .notAFolio,
                    "No folio at '\(target)'" + (options.contains(.readOnly) ? " (read-only mode never creates one)." : ", and creating one was not allowed.")
                        + " Check the path, or open it without the read-only / no-create option to create a folio.",
                    path: target)
            }
            if situation == .foreignFolder && !options.contains(.allowExistingFolder) {
                throw DataFolioError(
                    .folderNotEmpty,
                    "'\(target)' is a folder with other files in it and not a folio. Choose an empty or new folder, or pass the allowExistingFolder option to create the folio there anyway.",
                    path: target)
            }
            state = State(catalog: Catalog(metadata: [:]))
            try create(metadata: metadata)
        }
    }

    /// A read-only view of a snapshot (used by the snapshot API).
    init(snapshotOf source: DataFolio, name: String, catalog: Catalog) {
        path = source.path
        isReadOnly = true
        snapshotName = name
        storage = source.storage
        lockTimeout = source.lockTimeout
        state = State(catalog: catalog, catalogStatus: nil)
        warningHandlerStorage = source.warningHandler
    }

    // MARK: Catalog state

    /// Loads `items.json` (and the old layout's sidecar files) from storage.
    static func loadCatalog(from storage: any FolioStorage) throws(DataFolioError) -> (Catalog, FileStatus?) {
        let status = try storage.status("items.json")
        let items = try storage.readIfPresent("items.json")
        let catalog = try Catalog(itemsFile: items) { () throws(DataFolioError) in
            (try storage.readIfPresent("metadata.json"), try storage.readIfPresent("snapshots.json"))
        }
        return (catalog, status)
    }

    /// The catalog, reloaded first when another process has committed since it was read.
    ///
    /// The check is one `stat` of `items.json`: every writer (Swift or Python) replaces
    /// the file by a rename, which changes its inode.
    var catalog: Catalog {
        if let staged = stagedCatalog { return staged }
        refreshIfChanged()
        return stateLock.withLock { state.catalog }
    }

    /// Inside a batch, the batch's thread sees its own uncommitted changes.
    private var stagedCatalog: Catalog? {
        guard writeLock.try() else { return nil }
        defer { writeLock.unlock() }
        return activeTransaction?.catalog
    }

    /// The status of `items.json` when the catalog was loaded or published.
    var cachedCatalogStatus: FileStatus? {
        stateLock.withLock { state.catalogStatus }
    }

    /// The catalog as loaded, without checking the disk.
    var cachedCatalog: Catalog {
        stateLock.withLock { state.catalog }
    }

    func refreshIfChanged() {
        guard snapshotName == nil else { return }
        // While this instance commits, its state is about to change anyway.
        guard writeLock.try() else { return }
        defer { writeLock.unlock() }
        if activeTransaction != nil { return }
        let known = stateLock.withLock { state.catalogStatus }
        guard let status = try? storage.status("items.json"), status != known else { return }
        guard let (fresh, freshStatus) = try? DataFolio.loadCatalog(from: storage) else { return }
        stateLock.withLock {
            // Only move forward: an older or equal revision on disk is never adopted by a
            // read (a rolled-back catalog is refused at the next write instead).
            if fresh.revision > state.catalog.revision || state.catalog.isLegacyLayout && fresh != state.catalog {
                state.catalog = fresh
                state.catalogStatus = freshStatus
            }
        }
    }

    /// Reloads the catalog from disk, accepting whatever is there (also an older
    /// revision, for example after a backup was restored).
    ///
    /// Call it after a ``DataFolioError/Code/concurrentWrite`` error, then re-apply the change.
    public func refresh() throws(DataFolioError) {
        guard snapshotName == nil else { return }
        writeLock.lock()
        defer { writeLock.unlock() }
        if activeTransaction != nil {
            throw DataFolioError(.invalidArgument, "refresh() cannot run inside a batch; call it before or after the batch.")
        }
        let (fresh, status) = try DataFolio.loadCatalog(from: storage)
        stateLock.withLock {
            state.catalog = fresh
            state.catalogStatus = status
        }
    }

    func install(_ catalog: Catalog, status: FileStatus?, minted: Set<String>) {
        stateLock.withLock {
            state.catalog = catalog
            state.catalogStatus = status
            state.mintedIDs.formUnion(minted)
        }
    }

    var mintedIDs: Set<String> { stateLock.withLock { state.mintedIDs } }

    func recordMinted(_ ids: Set<String>) {
        stateLock.withLock { state.mintedIDs.formUnion(ids) }
    }

    func emit(_ warning: FolioWarning) {
        if let handler = warningHandler {
            handler(warning)
        } else {
            FileHandle.standardError.write(Data(("warning: " + warning.message + "\n").utf8))
        }
    }

    // MARK: Basic facts

    /// The catalog revision: the number of commits made to this folio.
    public var revision: Int { catalog.revision }

    /// The names of the current items, in catalog order (archived items included).
    public var itemNames: [String] { Array(catalog.currentNames) }

    /// Whether an item with this name exists.
    public func contains(_ name: String) -> Bool {
        catalog.current(name) != nil
    }

    /// The catalog entry of an item.
    ///
    /// - Throws: ``DataFolioError`` `itemNotFound`.
    public func item(_ name: String) throws(DataFolioError) -> CatalogItem {
        let catalog = self.catalog
        guard let item = catalog.current(name) else {
            throw DataFolioError.itemNotFound(name, available: Array(catalog.currentNames))
        }
        return item
    }

    /// The catalog entries of the current items, in catalog order.
    public var items: [CatalogItem] { catalog.currentItems }
}

extension DataFolio: CustomStringConvertible {
    public var description: String {
        let catalog = self.catalog
        var text = "DataFolio(path: '\(path)', items: \(catalog.currentItems.count), snapshots: \(catalog.snapshots.count))"
        if isReadOnly { text += " [READ-ONLY]" }
        if let snapshotName { text += " [snapshot: \(snapshotName)]" }
        return text
    }
}

/// Something the caller should know that is not an error, such as deleting an item
/// that other items list as an input.
public struct FolioWarning: Sendable, Hashable, CustomStringConvertible {
    /// What the warning is about.
    public enum Kind: String, Sendable {
        /// A deleted item is still listed as an input of others.
        case brokenLineage
        /// A value was converted on the way in (for example NaN to null).
        case valueConverted
        /// Anything else.
        case other
    }

    /// What the warning is about.
    public var kind: Kind
    /// The item concerned.
    public var item: String?
    /// The sentence to show.
    public var message: String

    public var description: String { message }
}
