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

    /// The folio's location as given when it was opened (a path or a URL).
    public var location: String { storage.location }
    /// Where the folio's objects live.
    public let storage: any FolioStorage
    /// Whether every change is refused.
    public let isReadOnly: Bool
    /// The name of the snapshot this instance shows, when it is a snapshot view.
    public let snapshotName: String?

    let lockTimeout: Double
    private let stateLock = NSLock()
    let writeLock = NSRecursiveLock()
    private var state: State
    var activeTransaction: Transaction?
    private var warningHandlerStorage: (@Sendable (FolioWarning) -> Void)?
    private var payloadCacheStorage = PayloadCache.standard

    struct State {
        var catalog: Catalog
        /// The version of `items.json` when `catalog` was loaded or published: every
        /// writer (Swift or Python) replaces the object, which changes its version, so an
        /// equal version means "unchanged".
        var catalogVersion: String?
        /// Version ids this instance has handed out (never reused, even after a failure).
        var mintedIDs: Set<String> = []
    }

    /// Options for opening or creating a folio.
    public struct OpenOptions: OptionSet, Sendable {
        public let rawValue: Int
        /// Creates options from their raw bits.
        ///
        /// ```swift
        /// let options = DataFolio.OpenOptions(rawValue: DataFolio.OpenOptions.readOnly.rawValue)
        /// ```
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Refuse every change; a missing folio is an error instead of being created.
        public static let readOnly = OpenOptions(rawValue: 1 << 0)
        /// Do not create a folio when none exists at the location.
        public static let doNotCreate = OpenOptions(rawValue: 1 << 1)
        /// Allow creating a folio inside an existing folder that holds other files.
        public static let allowExistingFolder = OpenOptions(rawValue: 1 << 2)
        /// Create a new folio at `<location>-<adjective>-<color>-<noun>` (an unused name).
        public static let randomSuffix = OpenOptions(rawValue: 1 << 3)
    }

    /// Where payloads of a remote folio are kept locally for memory mapping and for
    /// handing files to other programs (``PayloadCache/standard`` unless set). Not used
    /// for folios on the local disk.
    ///
    /// ```swift
    /// folio.payloadCache = PayloadCache(folder: "/scratch/datafolio-cache")
    /// ```
    public var payloadCache: PayloadCache {
        get { stateLock.withLock { payloadCacheStorage } }
        set { stateLock.withLock { payloadCacheStorage = newValue } }
    }

    /// Called for every warning (for example when a deleted item still has dependents).
    /// `nil` (the default) writes warnings to standard error; set `{ _ in }` to silence them.
    public var warningHandler: (@Sendable (FolioWarning) -> Void)? {
        get { stateLock.withLock { warningHandlerStorage } }
        set { stateLock.withLock { warningHandlerStorage = newValue } }
    }

    /// Opens the folio at `location`, or creates it when nothing is there.
    ///
    /// The location is a folder path or a `file://` URL; other schemes (`s3://`,
    /// `https://`) open through the store registered for them (the `DataFolioS3`
    /// product registers its stores with ``FolioLocations``). A folder is a folio when it
    /// holds `items.json` (or the `metadata.json` of the old layout). A new folio is
    /// created when nothing is at the location or it is an empty folder; `metadata` is
    /// recorded then and ignored when opening.
    ///
    /// ```swift
    /// let folio = try DataFolio(at: "runs/baseline", metadata: ["experiment": "baseline"])
    /// let frozen = try DataFolio(at: "runs/baseline", options: .readOnly)
    /// ```
    ///
    /// - Throws: `DataFolioError` with code `notAFolio` when the location does not hold
    ///   a folio and may not be created, `folderNotEmpty` for a non-empty folder that is
    ///   not a folio, `unsupportedCatalogVersion` or `catalogUnreadable` for a catalog
    ///   that cannot be read.
    public convenience init(at location: String, options: OpenOptions = [], metadata: JSONObject = [:]) throws(DataFolioError) {
        var target = location
        if options.contains(.randomSuffix) && !options.contains(.readOnly) {
            target = try FolioCreation.unusedRandomLocation(base: location)
        }
        try self.init(storage: FolioLocations.storage(for: target), options: options, metadata: metadata)
    }

    /// Opens or creates the folio at a URL (see ``init(at:options:metadata:)-(String,_,_)``).
    ///
    /// ```swift
    /// let folio = try DataFolio(at: URL(fileURLWithPath: "runs/baseline"))
    /// ```
    public convenience init(at url: URL, options: OpenOptions = [], metadata: JSONObject = [:]) throws(DataFolioError) {
        try self.init(at: url.isFileURL ? url.path : url.absoluteString, options: options, metadata: metadata)
    }

    /// Opens or creates the folio kept in `storage`.
    ///
    /// ```swift
    /// let folio = try DataFolio(storage: LocalFolioStorage(path: "runs/baseline"))
    /// ```
    public convenience init(storage: any FolioStorage, options: OpenOptions = [], metadata: JSONObject = [:]) throws(DataFolioError) {
        try self.init(storage: storage, options: options, metadata: metadata, lockTimeout: 30)
    }

    init(storage: any FolioStorage, options: OpenOptions, metadata: JSONObject, lockTimeout: Double) throws(DataFolioError) {
        self.storage = storage
        self.isReadOnly = options.contains(.readOnly) || storage.isReadOnly
        self.snapshotName = nil
        self.lockTimeout = lockTimeout
        let situation = try FolioCreation.inspect(storage)
        switch situation {
        case .folio:
            let (catalog, version) = try DataFolio.loadCatalog(from: storage)
            state = State(catalog: catalog, catalogVersion: version)
        case .file:
            throw DataFolioError(.notAFolio, "'\(storage.location)' is a file, not a folio folder.", path: storage.location)
        case .absent, .emptyFolder, .foreignFolder:
            if storage.isReadOnly {
                throw DataFolioError(
                    .notAFolio, "No folio at '\(storage.location)' (no items.json there), and this store is read-only; check the address.",
                    path: storage.location)
            }
            if isReadOnly || options.contains(.doNotCreate) {
                throw DataFolioError(.notAFolio, "No folio at '\(storage.location)'.", path: storage.location, remedy: .createFolio)
            }
            if situation == .foreignFolder && !options.contains(.allowExistingFolder) {
                throw DataFolioError(
                    .folderNotEmpty,
                    "'\(storage.location)' is a folder with other files in it and not a folio.",
                    path: storage.location, remedy: .allowExistingFolder)
            }
            state = State(catalog: Catalog(metadata: [:]))
            try create(metadata: metadata)
        }
    }

    /// A read-only view of a snapshot (used by the snapshot API).
    init(snapshotOf source: DataFolio, name: String, catalog: Catalog) {
        isReadOnly = true
        snapshotName = name
        storage = source.storage
        lockTimeout = source.lockTimeout
        state = State(catalog: catalog, catalogVersion: nil)
        warningHandlerStorage = source.warningHandler
        payloadCacheStorage = source.payloadCache
    }

    // MARK: Catalog state

    /// Loads `items.json` (and the old layout's sidecar files) from storage, with the
    /// version of `items.json` (`nil` when only the old layout's files exist).
    static func loadCatalog(from storage: any FolioStorage) throws(DataFolioError) -> (Catalog, String?) {
        let items = try storage.readVersioned("items.json")
        let catalog = try Catalog(itemsFile: items?.bytes) { () throws(DataFolioError) in
            (try readIfPresent("metadata.json", in: storage), try readIfPresent("snapshots.json", in: storage))
        }
        return (catalog, items?.version)
    }

    private static func readIfPresent(_ path: String, in storage: any FolioStorage) throws(DataFolioError) -> [UInt8]? {
        do {
            return try storage.read(path)
        } catch where error.code == .fileNotFound {
            return nil
        }
    }

    /// The catalog, reloaded first when another writer has committed since it was read.
    ///
    /// The check is one status request for `items.json` (a `stat` on a local disk):
    /// every writer replaces the object, which changes its version.
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

    /// The version of `items.json` when the catalog was loaded or published.
    var cachedCatalogVersion: String? {
        stateLock.withLock { state.catalogVersion }
    }

    /// The catalog as loaded, without checking the store.
    var cachedCatalog: Catalog {
        stateLock.withLock { state.catalog }
    }

    func refreshIfChanged() {
        guard snapshotName == nil else { return }
        // While this instance commits, its state is about to change anyway.
        guard writeLock.try() else { return }
        defer { writeLock.unlock() }
        if activeTransaction != nil { return }
        let known = stateLock.withLock { state.catalogVersion }
        guard let status = try? storage.status("items.json"), status.version != known else { return }
        guard let (fresh, freshVersion) = try? DataFolio.loadCatalog(from: storage) else { return }
        stateLock.withLock {
            // Only move forward: an older or equal revision on the store is never adopted
            // by a read (a rolled-back catalog is refused at the next write instead).
            if fresh.revision > state.catalog.revision || state.catalog.isLegacyLayout && fresh != state.catalog {
                state.catalog = fresh
                state.catalogVersion = freshVersion
            }
        }
    }

    /// Reloads the catalog from the store, accepting whatever is there (also an older
    /// revision, for example after a backup was restored).
    ///
    /// Reads notice other writers' commits by themselves; this is only needed to accept
    /// a catalog that went back in time, or after a `DataFolioError.Code.concurrentWrite`
    /// conflict, before applying the change again.
    ///
    /// ```swift
    /// let folio = try DataFolio(at: "runs/baseline")
    /// try folio.refresh()
    /// ```
    public func refresh() throws(DataFolioError) {
        guard snapshotName == nil else { return }
        writeLock.lock()
        defer { writeLock.unlock() }
        if activeTransaction != nil {
            throw DataFolioError(.invalidArgument, "The catalog cannot be reloaded inside a batch; reload it before or after the batch.")
        }
        let (fresh, version) = try DataFolio.loadCatalog(from: storage)
        stateLock.withLock {
            state.catalog = fresh
            state.catalogVersion = version
        }
    }

    func install(_ catalog: Catalog, version: String?, minted: Set<String>) {
        stateLock.withLock {
            state.catalog = catalog
            state.catalogVersion = version
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
    ///
    /// ```swift
    /// if folio.contains("config") { print("configured") }
    /// ```
    public func contains(_ name: String) -> Bool {
        catalog.current(name) != nil
    }

    /// The catalog entry of an item.
    ///
    /// ```swift
    /// let entry = try folio.item("clean")
    /// print(entry.kind, entry.description ?? "")
    /// ```
    ///
    /// - Throws: `DataFolioError` `itemNotFound`.
    public func item(_ name: String) throws(DataFolioError) -> CatalogItem {
        let catalog = self.catalog
        guard let item = catalog.current(name) else {
            throw DataFolioError.noSuchItem(name, available: Array(catalog.currentNames))
        }
        return item
    }

    /// The catalog entries of the current items, in catalog order.
    public var items: [CatalogItem] { catalog.currentItems }
}

extension DataFolio: CustomStringConvertible {
    public var description: String {
        let catalog = self.catalog
        var text = "DataFolio(location: '\(location)', items: \(catalog.currentItems.count), snapshots: \(catalog.snapshots.count))"
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
