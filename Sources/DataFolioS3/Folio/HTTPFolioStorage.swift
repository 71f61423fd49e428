import DataFolio
import DataFolioSupport
import Foundation

/// A folio served by a web server (`http://` or `https://`): a public bucket's HTTPS
/// address, or any server that serves a folio folder as static files. Read-only:
/// describe, list, get, export and snapshot views work; every change is refused.
///
/// A web server cannot list folders, so a folio is recognised by its `items.json`, and
/// folder items (whose files would have to be listed) cannot be read. Servers that
/// ignore `Range` work: the wanted bytes are cut from the whole answer.
///
/// ```swift
/// let folio = try DataFolio(storage: try HTTPFolioStorage("https://data.example.org/folios/churn"))
/// print(folio.describe())
/// ```
public struct HTTPFolioStorage: FolioStorage {
    /// The location as given.
    public let location: String
    /// The reader of the folder.
    public let reader: HTTPReader

    /// A folio at an `http://` or `https://` folder URL.
    ///
    /// ```swift
    /// let storage = try HTTPFolioStorage("http://127.0.0.1:8000/churn")
    /// ```
    public init(_ location: String, timeouts: Timeouts = Timeouts(), retry: RetryPolicy = RetryPolicy()) throws(DataFolioError) {
        let parsed = try HTTPLocation(parsing: location)
        self.location = parsed.description.hasSuffix("/") ? String(parsed.description.dropLast()) : parsed.description
        reader = HTTPReader(location: parsed, timeouts: timeouts, retry: retry)
    }

    /// A folio read through an existing reader.
    ///
    /// ```swift
    /// let storage = HTTPFolioStorage(reader: HTTPReader(location: try HTTPLocation(parsing: "https://example.org/run")))
    /// ```
    public init(reader: HTTPReader) {
        let description = reader.location.description
        location = description.hasSuffix("/") ? String(description.dropLast()) : description
        self.reader = reader
    }

    public var isReadOnly: Bool { true }

    public func read(_ path: String) throws(DataFolioError) -> [UInt8] {
        try reader.getObject(try checked(path))
    }

    public func read(_ path: String, range: Range<Int>) throws(DataFolioError) -> [UInt8] {
        try reader.exactBytes(try checked(path), range: range, path: path, location: location)
    }

    public func read(_ path: String, into output: any ByteOutput) throws(DataFolioError) {
        try reader.copyObject(try checked(path), into: output)
    }

    public func readVersioned(_ path: String) throws(DataFolioError) -> VersionedObject? {
        do {
            let object = try reader.getObjectWithInfo(try checked(path), range: nil)
            return VersionedObject(bytes: object.bytes, version: Self.version(of: object.info))
        } catch where error.code == .fileNotFound {
            return nil
        }
    }

    public func status(_ path: String) throws(DataFolioError) -> StoredObject? {
        if path.isEmpty {
            // The folder exists, as far as a web server can tell, when it serves a catalog.
            for catalog in ["items.json", "metadata.json"] {
                if try reader.headObject(catalog) != nil { return StoredObject(path: "", kind: .folder, size: 0) }
            }
            return nil
        }
        guard let info = try reader.headObject(try checked(path)) else { return nil }
        return StoredObject(path: path, kind: .object, size: info.size, version: Self.version(of: info), modified: info.lastModified)
    }

    public func list(_ folder: String) throws(DataFolioError) -> [StoredObject] {
        throw DataFolioError(
            .unsupportedFeature,
            "\(location) is a web server, which cannot list the folder '\(folder)'; read folder items from a copy of the folio (datafolio pull) or through its s3:// location.",
            path: folder)
    }

    public func createObject(_ path: String) throws(DataFolioError) -> any StoredObjectWriter {
        throw refusal()
    }

    public func replace(_ path: String, with bytes: [UInt8], condition: ReplaceCondition, durable: Bool) throws(DataFolioError) -> String? {
        throw refusal()
    }

    public func delete(_ path: String) throws(DataFolioError) {
        throw refusal()
    }

    public func lockForWriting(timeout: Double) throws(DataFolioError) -> (any FolioWriteLock)? {
        throw refusal()
    }

    // MARK: Internals

    private func refusal() -> DataFolioError {
        DataFolioError(
            .readOnly,
            "The folio at \(location) is served over HTTP(S), which is read-only; copy it to a folder or bucket (datafolio pull) and change the copy.",
            path: location)
    }

    private func checked(_ path: String) throws(DataFolioError) -> String {
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty || segment == "." || segment == ".." {
                throw DataFolioError(.invalidArgument, "'\(path)' is not a valid path inside a folio (empty, '.' or '..' segment).", path: path)
            }
        }
        return path
    }

    /// The ETag when the server sends one, else the size and modification time (what a
    /// static server changes when a file is replaced).
    static func version(of info: RemoteObjectInfo) -> String {
        if let etag = info.etag { return etag }
        return "\(info.size)@\(info.lastModified.map { String(Int64($0.timeIntervalSince1970)) } ?? "?")"
    }
}
