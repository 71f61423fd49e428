import DataFolioSupport
import Foundation

/// Where a folio's objects live: a folder on the local disk, a prefix in an object
/// store, a web server.
///
/// Every file access of a folio goes through this interface — the catalog, payloads
/// (whole, by byte range, streamed), listings and deletions — so a folio works the same
/// on any store. ``LocalFolioStorage`` is the local folder; the `DataFolioS3` product
/// adds S3-compatible object stores and read-only HTTP(S).
///
/// Object paths are relative to the folio root and use `/` (`items.json`,
/// `tables/clean--r3.parquet`). A store refuses paths with empty, `.` or `..` segments.
///
/// ## Writing a folio safely
///
/// A commit writes new payload objects (never over existing ones), makes them durable
/// with ``persist(_:)``, then replaces `items.json` with
/// ``replace(_:with:condition:durable:)``, conditioned on the version it read. A store
/// that can take a writer lock (``lockForWriting(timeout:)``) lets writers wait for each
/// other; a store without one relies on the condition alone: a rejected condition makes
/// the folio re-read the catalog and apply its change again.
///
/// ```swift
/// struct LoggingStorage: FolioStorage {
///     let base: LocalFolioStorage
///     var location: String { base.location }
///     func read(_ path: String) throws(DataFolioError) -> [UInt8] {
///         print("read", path)
///         return try base.read(path)
///     }
///     // … forward the other requirements to `base`
/// }
/// let folio = try DataFolio(storage: LoggingStorage(base: LocalFolioStorage(path: "runs/a")))
/// ```
public protocol FolioStorage: Sendable {
    /// The folio's location as the user gave it (a path or a URL), for messages.
    var location: String { get }

    /// Whether the store refuses every change (a web server, for example).
    var isReadOnly: Bool { get }

    /// Whether every writer takes ``lockForWriting(timeout:)`` for the whole of a commit,
    /// so that no other writer's upload can be in flight while a commit runs.
    var locksWriters: Bool { get }

    /// Whether objects are files on the local disk, which readers may memory-map through
    /// ``LocalFolioStorage``. Other stores are read through a local cache.
    var isLocal: Bool { get }

    /// Reads a whole object.
    ///
    /// - Throws: `fileNotFound` when it does not exist.
    func read(_ path: String) throws(DataFolioError) -> [UInt8]

    /// Reads the bytes of `range` of an object (a Parquet footer, one column chunk, an
    /// `.npy` header).
    ///
    /// - Throws: `fileNotFound` when it does not exist, `truncatedData` when the range
    ///   passes its end.
    func read(_ path: String, range: Range<Int>) throws(DataFolioError) -> [UInt8]

    /// Streams a whole object into `output`, in bounded memory.
    func read(_ path: String, into output: any ByteOutput) throws(DataFolioError)

    /// Reads a whole object together with its version, or returns `nil` when it does not
    /// exist. The version is what ``replace(_:with:condition:durable:)`` compares.
    func readVersioned(_ path: String) throws(DataFolioError) -> VersionedObject?

    /// Facts about an object or folder, or `nil` when nothing is there.
    func status(_ path: String) throws(DataFolioError) -> StoredObject?

    /// The objects and folders directly inside a folder, sorted by name (empty when the
    /// folder does not exist).
    func list(_ folder: String) throws(DataFolioError) -> [StoredObject]

    /// Starts writing a new object; it must not exist yet (payloads are immutable).
    func createObject(_ path: String) throws(DataFolioError) -> any StoredObjectWriter

    /// Starts writing a new object whose MD5 is known in advance (a copy of an object
    /// from another store), so the store can keep the MD5 with the object and refuse
    /// bytes that do not match it. Stores that cannot use it write as
    /// ``createObject(_:)`` does.
    func createObject(_ path: String, md5: String) throws(DataFolioError) -> any StoredObjectWriter

    /// The MD5 of an object as the store recorded it when the object was written (an S3
    /// ETag of a single-part upload, or the MD5 given to ``createObject(_:md5:)``), or
    /// `nil` when only reading the object would tell.
    func recordedMD5(_ path: String) throws(DataFolioError) -> String?

    /// Replaces an object with `bytes`, so readers see the old or the new content, never
    /// a mix, if `condition` holds.
    ///
    /// - Parameters:
    ///   - path: The object's path inside the folio.
    ///   - bytes: The new content.
    ///   - condition: What must be true of the current object for the replacement to happen.
    ///   - durable: Wait until the bytes are durable (the catalog); derived,
    ///     informational files such as `CONTENTS.md` pass `false`.
    /// - Returns: The version of the object just written (what ``status(_:)`` reports for
    ///   it while nobody replaces it), or `nil` when the store does not say. It must come
    ///   from the write itself: asking ``status(_:)`` afterwards may already describe
    ///   another writer's object.
    /// - Throws: `preconditionFailed` when the condition does not hold.
    @discardableResult
    func replace(_ path: String, with bytes: [UInt8], condition: ReplaceCondition, durable: Bool) throws(DataFolioError) -> String?

    /// Replaces an object with what `content` writes, as
    /// ``replace(_:with:condition:durable:)`` does, without holding the whole content in
    /// memory where the store can stream it (a local folder writes it straight into the
    /// new file). The default implementation collects the content, then calls
    /// ``replace(_:with:condition:durable:)``.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// try storage.replace("notes.txt", condition: .always, durable: false) { output throws(DataFolioError) in
    ///     for line in ["a", "b"] { try output.write(Array((line + "\n").utf8)) }
    /// }
    /// ```
    ///
    /// - Throws: `preconditionFailed` when the condition does not hold, or what `content`
    ///   throws (then nothing is replaced).
    @discardableResult
    func replace(
        _ path: String, condition: ReplaceCondition, durable: Bool, writing content: (any ByteOutput) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> String?

    /// Creates a folder and the folders above it (object stores, which have no folders,
    /// do nothing).
    func createFolder(_ path: String) throws(DataFolioError)

    /// Deletes an object, or a folder and everything in it. A missing object is not an
    /// error. Symbolic links are removed as links, never followed.
    func delete(_ path: String) throws(DataFolioError)

    /// Makes new objects durable before the catalog that refers to them is published
    /// (local files and their folders are flushed to disk; object stores acknowledge a
    /// write only once it is durable, so they do nothing).
    func persist(_ paths: [String]) throws(DataFolioError)

    /// Takes the writer lock that every writer of this folio shares (Swift or Python),
    /// waiting up to `timeout` seconds, or returns `nil` for a store whose conditional
    /// writes stand in for a lock.
    func lockForWriting(timeout: Double) throws(DataFolioError) -> (any FolioWriteLock)?
}

extension FolioStorage {
    @discardableResult
    public func replace(
        _ path: String, condition: ReplaceCondition, durable: Bool, writing content: (any ByteOutput) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> String? {
        let collected = MemoryOutput()
        try content(collected)
        return try replace(path, with: collected.bytes, condition: condition, durable: durable)
    }

    public var isReadOnly: Bool { false }
    public var isLocal: Bool { false }
    public var locksWriters: Bool { false }

    /// Streams the object in ranges of 8 MiB.
    ///
    /// ```swift
    /// let copy = MemoryOutput()
    /// try storage.read("items.json", into: copy)   // storage: any FolioStorage
    /// ```
    public func read(_ path: String, into output: any ByteOutput) throws(DataFolioError) {
        guard let object = try status(path) else {
            throw DataFolioError(.fileNotFound, "No object '\(path)' in the folio at \(location).", path: path)
        }
        let chunk = 8 << 20
        var offset = 0
        while offset < object.size {
            let end = offset + min(chunk, object.size - offset)
            try output.write(try read(path, range: offset..<end))
            offset = end
        }
    }

    /// Does nothing: the store acknowledges a write only once it is durable.
    ///
    /// ```swift
    /// try storage.persist(["tables/clean--r3.parquet"])   // storage: any FolioStorage
    /// ```
    public func persist(_ paths: [String]) throws(DataFolioError) {}

    /// Writes as ``createObject(_:)`` does, without using the MD5.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// let writer = try storage.createObject("artifacts/notes.txt", md5: "5d41402abc4b2a76b9719d911017c592")
    /// ```
    public func createObject(_ path: String, md5: String) throws(DataFolioError) -> any StoredObjectWriter {
        try createObject(path)
    }

    /// Returns `nil`: only reading the object tells its MD5.
    ///
    /// ```swift
    /// let storage = LocalFolioStorage(path: "runs/baseline")
    /// let md5 = try storage.recordedMD5("tables/clean--r3.parquet")   // nil
    /// ```
    public func recordedMD5(_ path: String) throws(DataFolioError) -> String? { nil }

    /// Does nothing, for stores without folders.
    ///
    /// ```swift
    /// try storage.createFolder("artifacts/images")   // storage: any FolioStorage
    /// ```
    public func createFolder(_ path: String) throws(DataFolioError) {}
}

/// Facts about one object or folder of a store.
public struct StoredObject: Sendable, Hashable {
    /// What the entry is.
    public enum Kind: String, Sendable, Hashable {
        /// An object (a regular file).
        case object
        /// A folder (a directory, or a common prefix in an object store).
        case folder
        /// A symbolic link, which folios never follow.
        case symbolicLink
        /// Something else (a FIFO, a device, a socket), which folios never read.
        case other
    }

    /// The path relative to the folio root.
    public var path: String
    /// What the entry is.
    public var kind: Kind
    /// The size in bytes (0 for folders).
    public var size: Int
    /// A token that changes whenever the object is replaced (an ETag, or the file's
    /// device, inode, size and modification time).
    public var version: String?
    /// When the object was last written, when the store knows.
    public var modified: Date?

    /// Creates a description of an entry.
    ///
    /// ```swift
    /// let entry = StoredObject(path: "items.json", kind: .object, size: 2_048)
    /// ```
    public init(path: String, kind: Kind, size: Int, version: String? = nil, modified: Date? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.version = version
        self.modified = modified
    }

    /// The last path segment.
    public var name: String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// An object's bytes and the version they were read at.
public struct VersionedObject: Sendable {
    /// The content.
    public var bytes: [UInt8]
    /// The version token (see ``StoredObject/version``).
    public var version: String

    /// Pairs content with its version.
    ///
    /// ```swift
    /// let object = VersionedObject(bytes: Array("{}".utf8), version: "1")
    /// ```
    public init(bytes: [UInt8], version: String) {
        self.bytes = bytes
        self.version = version
    }
}

/// When ``FolioStorage/replace(_:with:condition:durable:)`` may replace an object.
public enum ReplaceCondition: Sendable, Hashable {
    /// Always.
    case always
    /// Only when nothing exists at the path yet.
    case absent
    /// Only when the object is still at this version.
    case version(String)
}

/// A new object being written.
///
/// Bytes are appended with `write(_:)`; nothing
/// is visible at the path until ``finish()`` succeeds, or — on a local disk — the
/// partial file is removed by ``abort()``.
public protocol StoredObjectWriter: ByteOutput {
    /// Completes the object and returns its size and the MD5 of its bytes.
    func finish() throws(DataFolioError) -> WrittenObject
    /// Discards a partial object.
    func abort()
}

/// What was written: the facts the catalog records about a payload.
public struct WrittenObject: Sendable, Hashable {
    /// The size in bytes.
    public var size: Int
    /// The lowercase hex MD5 of the bytes.
    public var md5: String

    /// Records a written object.
    ///
    /// ```swift
    /// let written = WrittenObject(size: 5, md5: "5d41402abc4b2a76b9719d911017c592")
    /// ```
    public init(size: Int, md5: String) {
        self.size = size
        self.md5 = md5
    }
}

/// A held writer lock, released by ``release()`` (or when the value goes away).
public protocol FolioWriteLock: AnyObject {
    /// Releases the lock.
    func release()
}
