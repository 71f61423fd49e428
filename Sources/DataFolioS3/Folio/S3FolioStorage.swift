import DataFolio
import DataFolioSupport
import Foundation

/// A folio under a prefix of an S3-compatible bucket (AWS S3, SeaweedFS, MinIO, Ceph, R2…).
///
/// Objects are keys below the prefix; folders are key prefixes. The version of an object
/// is its ETag, so the catalog is replaced with `If-Match` on the ETag that was read (or
/// created with `If-None-Match: *`), and payloads are created with `If-None-Match: *`, so
/// two writers can never overwrite each other's work — there is no lock object. Before its
/// first write in a process, the store is probed once per bucket; a store that ignores
/// conditional writes is refused with an error instead of racing silently. The catalog is
/// always read from the bucket (`items.json` is written with `Cache-Control: no-cache`, as
/// the Python `datafolio` writes it).
///
/// Most programs never create one: call ``RemoteStorage/register()`` once and open
/// `s3://…` locations with `DataFolio(at:)`.
///
/// ```swift
/// let storage = try S3FolioStorage("s3://lab/experiments/churn")
/// let folio = try DataFolio(storage: storage)
/// ```
public struct S3FolioStorage: FolioStorage {
    /// The location as given.
    public let location: String
    /// The bucket and prefix.
    public let s3Location: S3Location
    /// The client of the bucket.
    public let client: S3Client
    /// How payloads are uploaded: one PUT up to the threshold, parallel parts above it.
    public var uploadOptions: S3UploadOptions

    /// A folio at a parsed location, through a client of its bucket.
    ///
    /// ```swift
    /// let location = try S3Location(parsing: "s3://lab/run")
    /// let storage = S3FolioStorage(location: location, client: try S3Client(location: location))
    /// ```
    public init(location: S3Location, client: S3Client, uploadOptions: S3UploadOptions = S3FolioStorage.defaultUploadOptions) {
        self.location = location.description
        self.s3Location = location
        self.client = client
        self.uploadOptions = uploadOptions
    }

    /// A folio at `s3://bucket/prefix` (or cloud-files' `s3://http://host:port/bucket/prefix`),
    /// configured from the environment and credential files like ``S3Client/init(location:credentials:environment:)``.
    ///
    /// ```swift
    /// let storage = try S3FolioStorage("s3://lab/run", credentials: S3Credentials(accessKeyID: "…", secretAccessKey: "…"))
    /// ```
    public init(
        _ location: String, credentials: S3Credentials? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DataFolioError) {
        let parsed = try S3Location(parsing: location)
        let client = try S3Client(location: parsed, credentials: credentials, environment: environment)
        self.init(location: parsed, client: client)
    }

    /// Payloads up to 16 MiB go in one PUT (whose ETag is their MD5, which lets copies
    /// recognise them); larger ones in 16 MiB parts, four at a time.
    public static let defaultUploadOptions = S3UploadOptions(multipartThreshold: 16 << 20, partSize: 16 << 20, partsInFlight: 4)

    // MARK: Reading

    public func read(_ path: String) throws(DataFolioError) -> [UInt8] {
        try client.getObject(try key(path))
    }

    public func read(_ path: String, range: Range<Int>) throws(DataFolioError) -> [UInt8] {
        try client.exactBytes(try key(path), range: range, path: path, location: location)
    }

    public func read(_ path: String, into output: any ByteOutput) throws(DataFolioError) {
        try client.copyObject(try key(path), into: output)
    }

    public func readVersioned(_ path: String) throws(DataFolioError) -> VersionedObject? {
        do {
            let object = try client.getObjectWithInfo(try key(path), range: nil)
            return VersionedObject(bytes: object.bytes, version: object.info.etag ?? "")
        } catch where error.code == .fileNotFound {
            return nil
        }
    }

    public func status(_ path: String) throws(DataFolioError) -> StoredObject? {
        if path.isEmpty {
            let page = try client.listObjectsPage(prefix: s3Location.folderPrefix, maxKeys: 1)
            return page.objects.isEmpty ? nil : StoredObject(path: "", kind: .folder, size: 0)
        }
        let objectKey = try key(path)
        if let info = try client.headObject(objectKey) {
            return StoredObject(path: path, kind: .object, size: info.size, version: info.etag, modified: info.lastModified)
        }
        let page = try client.listObjectsPage(prefix: objectKey + "/", maxKeys: 1)
        return page.objects.isEmpty ? nil : StoredObject(path: path, kind: .folder, size: 0)
    }

    public func list(_ folder: String) throws(DataFolioError) -> [StoredObject] {
        let prefix = folder.isEmpty ? s3Location.folderPrefix : try key(folder) + "/"
        let listing = try client.listObjects(prefix: prefix, delimiter: "/")
        var entries = [StoredObject]()
        let base = folder.isEmpty ? "" : folder + "/"
        for object in listing.objects {
            let name = String(object.key.dropFirst(prefix.count))
            // A key ending in "/" (a folder marker some tools create) is not an object.
            guard !name.isEmpty, !name.contains("/"), !ConditionalWrites.isProbe(name) else { continue }
            entries.append(StoredObject(path: base + name, kind: .object, size: object.size, version: object.etag, modified: object.lastModified))
        }
        for common in listing.commonPrefixes {
            var name = Substring(common.dropFirst(prefix.count))
            if name.hasSuffix("/") { name = name.dropLast() }
            guard !name.isEmpty, !name.contains("/") else { continue }
            entries.append(StoredObject(path: base + name, kind: .folder, size: 0))
        }
        return entries.sorted { $0.name < $1.name }
    }

    public func recordedMD5(_ path: String) throws(DataFolioError) -> String? {
        guard let info = try client.headObject(try key(path)) else { return nil }
        if let recorded = info.metadata[Self.md5MetadataName], ConditionalWrites.isHexMD5(recorded) { return recorded.lowercased() }
        // A single-part upload's ETag is the MD5 of its bytes; a multipart one's ends in "-<parts>".
        if let etag = info.etagValue, ConditionalWrites.isHexMD5(etag) { return etag.lowercased() }
        return nil
    }

    // MARK: Writing

    public func createObject(_ path: String) throws(DataFolioError) -> any StoredObjectWriter {
        try makeWriter(path, md5: nil)
    }

    public func createObject(_ path: String, md5: String) throws(DataFolioError) -> any StoredObjectWriter {
        try makeWriter(path, md5: md5)
    }

    private func makeWriter(_ path: String, md5: String?) throws(DataFolioError) -> any StoredObjectWriter {
        let objectKey = try key(path)
        try ensureConditionalWrites()
        var options = uploadOptions
        options.put.condition = .ifNoneMatch
        options.put.contentType = Self.contentType(of: path)
        if let md5 {
            options.put.metadata[Self.md5MetadataName] = md5.lowercased()
            options.put.expectedMD5 = md5.lowercased()
        }
        return S3ObjectWriter(writer: client.makeUploadWriter(objectKey, options: options), location: location, path: path)
    }

    @discardableResult
    public func replace(_ path: String, with bytes: [UInt8], condition: ReplaceCondition, durable: Bool) throws(DataFolioError) -> String? {
        let objectKey = try key(path)
        try ensureConditionalWrites()
        var options = S3PutOptions(contentType: Self.contentType(of: path))
        switch condition {
        case .always: break
        case .absent: options.condition = .ifNoneMatch
        case .version(let etag): options.condition = .ifMatch(etag)
        }
        if path == "items.json" { options.cacheControl = "no-cache" }
        // The ETag of the answer to this PUT: a HEAD afterwards could see another writer's.
        let etag = try client.putObject(objectKey, bytes: bytes, options: options)
        return etag.isEmpty ? nil : etag
    }

    public func delete(_ path: String) throws(DataFolioError) {
        try ensureConditionalWrites()
        let prefix: String
        if path.isEmpty {
            prefix = s3Location.folderPrefix
        } else {
            let objectKey = try key(path)
            try client.deleteObject(objectKey)
            prefix = objectKey + "/"
        }
        // A folder is every key below its prefix.
        let keys = try client.listObjects(prefix: prefix).objects.map(\.key)
        guard !keys.isEmpty else { return }
        let failures = try client.deleteObjects(keys)
        if let first = failures.first {
            throw DataFolioError(
                .ioFailure, "Cannot delete \(failures.count) object(s) under \(location)/\(path), e.g. \(first.key): \(first.reason).",
                path: path)
        }
    }

    public func lockForWriting(timeout: Double) throws(DataFolioError) -> (any FolioWriteLock)? {
        // Conditional writes of the catalog stand in for a lock.
        nil
    }

    // MARK: Internals

    /// The user metadata that carries the MD5 of an object copied in with a known MD5.
    static let md5MetadataName = "datafolio-md5"

    /// The full key of a folio path; paths with empty, `.` or `..` segments are refused.
    func key(_ path: String) throws(DataFolioError) -> String {
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty || segment == "." || segment == ".." {
                throw DataFolioError(.invalidArgument, "'\(path)' is not a valid path inside a folio (empty, '.' or '..' segment).", path: path)
            }
        }
        return s3Location.key(path)
    }

    private func ensureConditionalWrites() throws(DataFolioError) {
        try ConditionalWrites.check(client: client, prefix: s3Location.folderPrefix)
    }

    static func contentType(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last ?? "").lowercased() : ""
        switch ext {
        case "json": return "application/json"
        case "md": return "text/markdown; charset=utf-8"
        case "csv": return "text/csv"
        case "txt": return "text/plain; charset=utf-8"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "svg": return "image/svg+xml"
        case "pdf": return "application/pdf"
        case "html": return "text/html; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}

/// A payload being uploaded to a bucket.
final class S3ObjectWriter: StoredObjectWriter {
    private let writer: S3UploadWriter
    private let location: String
    private let path: String

    init(writer: S3UploadWriter, location: String, path: String) {
        self.writer = writer
        self.location = location
        self.path = path
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        try writer.write(bytes)
    }

    func finish() throws(DataFolioError) -> WrittenObject {
        do {
            let result = try writer.finish()
            return WrittenObject(size: result.size, md5: result.md5)
        } catch where error.code == .preconditionFailed {
            throw DataFolioError(
                .ioFailure, "Cannot create \(location)/\(path): an object already exists there (payloads are never overwritten).",
                path: path)
        }
    }

    func abort() {
        writer.abort()
    }
}

/// The once-per-process check that a bucket enforces conditional writes.
enum ConditionalWrites {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var verified: Set<String> = []

    /// Probes the bucket on the first call for it (per endpoint and bucket); throws when
    /// the store ignores `If-None-Match` or `If-Match`. A failed probe (the network) is
    /// not remembered, so the next write probes again.
    static func check(client: S3Client, prefix: String) throws(DataFolioError) {
        let id = "\(client.configuration.endpoint)|\(client.bucket)"
        if lock.withLock({ verified.contains(id) }) { return }
        let support = try client.probeConditionalWrites(under: prefix)
        guard support.isEnforced else {
            let missing = [support.ifNoneMatch ? nil : "If-None-Match", support.ifMatch ? nil : "If-Match"].compactMap { $0 }
            throw DataFolioError(
                .unsupportedFeature,
                "\(client.configuration.endpoint) ignores conditional writes (\(missing.joined(separator: " and "))) in bucket '\(client.bucket)', so writers could overwrite each other's changes; DataFolio does not write to such a store. Use one that enforces them (AWS S3, MinIO, SeaweedFS, Ceph, R2), or only read this folio.")
        }
        _ = lock.withLock { verified.insert(id) }
    }

    static func isProbe(_ name: String) -> Bool { name.hasPrefix(".datafolio-probe-") }

    static func isHexMD5(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }
}
