#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import Foundation

/// A local cache of the payloads of folios on other stores (S3, web servers), so that
/// arrays, tensors and PyTorch weights of a remote folio can be memory-mapped and file
/// items handed to other programs as local files — downloaded once, not at every read.
///
/// Payloads are immutable, so an entry never goes stale: entries are keyed by the MD5 the
/// catalog records (or, for payloads without one, by the object's ETag and size, or a
/// folder's `tree_checksum`). A download goes to a temporary file, is checked against its
/// MD5, and is renamed into place, so a reader never sees a partial entry, and several
/// processes can share the cache. When the cache grows past ``sizeLimit`` the entries used
/// least recently are removed (an entry larger than the limit is kept alone). The catalog
/// itself is never cached.
///
/// The folder is `$DATAFOLIO_CACHE_DIR` when set, else `$XDG_CACHE_HOME/datafolio` or
/// `~/.cache/datafolio` (Linux), `~/Library/Caches/datafolio` (macOS); the limit is
/// `$DATAFOLIO_CACHE_SIZE` (bytes, or with a `K`, `M`, `G` or `T` suffix), else 10 GiB.
///
/// ```swift
/// let folio = try DataFolio(at: "s3://lab/runs/baseline")
/// folio.payloadCache = PayloadCache(folder: "/scratch/datafolio-cache", sizeLimit: 100 << 30)
/// let weights = try folio.get("embeddings", memoryMapped: true)   // mapped from the cache
/// print(try PayloadCache.standard.info())
/// ```
public struct PayloadCache: Sendable, Hashable {
    /// The cache folder.
    public var folder: String
    /// The size in bytes above which the least recently used entries are removed.
    public var sizeLimit: Int

    /// The default limit: 10 GiB.
    public static let defaultSizeLimit = 10 << 30

    /// A cache in `folder`, holding up to `sizeLimit` bytes.
    ///
    /// ```swift
    /// let cache = PayloadCache(folder: "/scratch/cache", sizeLimit: 50 << 30)
    /// ```
    public init(folder: String, sizeLimit: Int = PayloadCache.defaultSizeLimit) {
        self.folder = LocalPaths.absolute(folder)
        self.sizeLimit = max(0, sizeLimit)
    }

    /// The cache in the user's cache folder, with the limit from the environment (see the
    /// type's documentation).
    ///
    /// ```swift
    /// print(PayloadCache.standard.folder)   // ~/.cache/datafolio
    /// ```
    public static var standard: PayloadCache {
        let environment = ProcessInfo.processInfo.environment
        let limit = environment["DATAFOLIO_CACHE_SIZE"].flatMap(parseSize) ?? defaultSizeLimit
        return PayloadCache(folder: defaultFolder(environment), sizeLimit: limit)
    }

    static func defaultFolder(_ environment: [String: String]) -> String {
        if let explicit = environment["DATAFOLIO_CACHE_DIR"], !explicit.isEmpty { return explicit }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        #if os(macOS)
        return home + "/Library/Caches/datafolio"
        #else
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/datafolio" }
        return home + "/.cache/datafolio"
        #endif
    }

    /// `1073741824`, `512M`, `10G`, `1.5T` → bytes.
    static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024, "T": 1024 * 1024 * 1024 * 1024]
        var number = Substring(trimmed)
        if number.hasSuffix("B") { number = number.dropLast() }
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value >= 0, value.isFinite, value * scale < 9e18 else { return nil }
        return Int(value * scale)
    }

    /// What the cache holds.
    ///
    /// ```swift
    /// let info = try PayloadCache.standard.info()
    /// print(info.entryCount, info.totalBytes)
    /// ```
    public func info() throws(DataFolioError) -> PayloadCacheInfo {
        let entries = try scanEntries()
        return PayloadCacheInfo(
            folder: folder, entryCount: entries.count, totalBytes: entries.reduce(0) { $0 + $1.size }, sizeLimit: sizeLimit)
    }

    /// Removes every entry (and leftovers of interrupted downloads); returns what the
    /// cache held before.
    ///
    /// ```swift
    /// let removed = try PayloadCache.standard.clear()
    /// print("freed \(removed.totalBytes) bytes")
    /// ```
    @discardableResult
    public func clear() throws(DataFolioError) -> PayloadCacheInfo {
        guard try store.status("") != nil else {
            return PayloadCacheInfo(folder: folder, entryCount: 0, totalBytes: 0, sizeLimit: sizeLimit)
        }
        return try withLock(exclusive: true) { () throws(DataFolioError) -> PayloadCacheInfo in
            let entries = try scanEntries()
            for entry in entries { try store.delete(entry.path) }
            for leftover in try store.list("tmp") { try store.delete(leftover.path) }
            return PayloadCacheInfo(
                folder: folder, entryCount: entries.count, totalBytes: entries.reduce(0) { $0 + $1.size }, sizeLimit: sizeLimit)
        }
    }
}

/// What a ``PayloadCache`` holds.
public struct PayloadCacheInfo: Sendable, Hashable, Codable {
    /// The cache folder.
    public var folder: String
    /// The number of cached payloads (files or folders).
    public var entryCount: Int
    /// Their total size in bytes.
    public var totalBytes: Int
    /// The size above which old entries are removed.
    public var sizeLimit: Int
}

/// One payload to find in (or bring into) the cache.
struct CacheRequest {
    /// The object or folder path in the remote store.
    var path: String
    /// Whether it is a folder of files (a folder artifact).
    var isFolder: Bool
    /// The MD5 the catalog records for a file.
    var md5: String?
    /// The `tree_checksum` the catalog records for a folder.
    var treeChecksum: String?

    /// The file or folder name inside the entry: the payload's own name, so that programs
    /// given the file see its extension.
    var name: String { path.split(separator: "/").last.map(String.init) ?? "payload" }
}

extension PayloadCache {
    /// The local store holding the cache: every deletion in it never follows a link.
    var store: LocalFolioStorage { LocalFolioStorage(path: folder) }

    /// Runs `body` with the path of a local copy of a remote payload, downloading it first
    /// when the cache does not hold it. The entry cannot be evicted while `body` runs.
    func withLocalCopy<R>(
        of request: CacheRequest, in storage: any FolioStorage, _ body: (String) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R {
        let key = try key(for: request, in: storage)
        let relative = "entries/\(key)/\(request.name)"
        if let result = try withExistingEntry(key: key, relative: relative, body) { return result }
        try download(request, from: storage, key: key)
        try evictIfNeeded(keeping: key)
        if let result = try withExistingEntry(key: key, relative: relative, body) { return result }
        throw DataFolioError(
            .ioFailure, "The cached copy of \(storage.location)/\(request.path) disappeared from \(folder) right after it was downloaded.",
            path: folder)
    }

    /// Runs `body` with the cached copy when the cache holds it (no download, and no
    /// request to the store when the catalog records the MD5).
    func withCachedCopy<R>(
        of request: CacheRequest, in storage: any FolioStorage, _ body: (String) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R? {
        guard request.md5 != nil || request.treeChecksum != nil else { return nil }
        let key = try key(for: request, in: storage)
        return try withExistingEntry(key: key, relative: "entries/\(key)/\(request.name)", body)
    }

    /// The key of a payload: its recorded MD5 (or tree checksum) and name; without one,
    /// the object's identity in the store (its ETag and size, or for a folder the listing
    /// of its files), which changes whenever the content does.
    private func key(for request: CacheRequest, in storage: any FolioStorage) throws(DataFolioError) -> String {
        let nameHash = String(Self.md5Hex(Array(request.name.utf8)).prefix(8))
        if !request.isFolder, let md5 = request.md5, Self.isHexMD5(md5) { return "f-\(md5.lowercased())-\(nameHash)" }
        if request.isFolder, let tree = request.treeChecksum, Self.isHexMD5(tree) { return "t-\(tree.lowercased())-\(nameHash)" }
        var identity = "\(storage.location)\n\(request.path)\n"
        if request.isFolder {
            for file in try Self.files(under: request.path, in: storage) {
                identity += "\(file.path)\t\(file.size)\t\(file.version ?? "")\n"
            }
        } else {
            guard let status = try storage.status(request.path), status.kind == .object else {
                throw DataFolioError(.fileNotFound, "No object '\(request.path)' at \(storage.location).", path: request.path)
            }
            guard let version = status.version else {
                throw DataFolioError(
                    .unsupportedFeature,
                    "\(storage.location) gives no version for '\(request.path)' and the catalog records no checksum, so a cached copy could not be told apart from a changed object.",
                    path: request.path)
            }
            identity += "\(version)\n\(status.size)"
        }
        return "v-" + Self.md5Hex(Array(identity.utf8))
    }

    private func withExistingEntry<R>(
        key: String, relative: String, _ body: (String) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R? {
        guard try store.status("") != nil else { return nil }
        return try withLock(exclusive: false) { () throws(DataFolioError) -> R? in
            guard try store.status(relative) != nil else { return nil }
            // The entry folder's modification time is its last use.
            _ = utimensat(AT_FDCWD, store.absolutePath("entries/\(key)"), nil, AT_SYMLINK_NOFOLLOW)
            return try body(store.absolutePath(relative))
        }
    }

    /// Downloads a payload into a temporary folder, checks it, and renames the folder
    /// into place as the entry (when another process got there first, its entry stays).
    private func download(_ request: CacheRequest, from storage: any FolioStorage, key: String) throws(DataFolioError) {
        try store.createFolder("")
        try store.createFolder("entries")
        try store.createFolder("tmp")
        let temporary = "tmp/\(UUID().uuidString.lowercased())"
        try store.createFolder(temporary)
        var placed = false
        defer { if !placed { try? store.delete(temporary) } }
        let target = temporary + "/" + request.name
        if request.isFolder {
            try store.createFolder(target)
            var listing = [(path: String, md5: String)]()
            for file in try Self.files(under: request.path, in: storage) {
                let relative = String(file.path.dropFirst(request.path.count + 1))
                if let slash = relative.lastIndex(of: "/") { try store.createFolder(target + "/" + relative[..<slash]) }
                let md5 = try copy(file.path, size: file.size, from: storage, to: target + "/" + relative, expected: nil)
                listing.append((relative, md5))
            }
            if let tree = request.treeChecksum, Self.isHexMD5(tree), FolderChecksum.of(listing) != tree.lowercased() {
                throw DataFolioError(
                    .checksumMismatch,
                    "The folder \(storage.location)/\(request.path) does not match the tree checksum the catalog records; it changed or was damaged after it was written.",
                    path: request.path)
            }
        } else {
            _ = try copy(request.path, size: nil, from: storage, to: target, expected: request.md5)
        }
        try withLock(exclusive: false) { () throws(DataFolioError) in
            let from = store.absolutePath(temporary)
            let to = store.absolutePath("entries/\(key)")
            if rename(from, to) == 0 {
                placed = true
                return
            }
            let code = errno
            // Another process placed the same entry first: keep it, drop this copy.
            guard code == EEXIST || code == ENOTEMPTY else {
                throw DataFolioError(.ioFailure, "Cannot place a downloaded payload in the cache \(folder): \(LocalFile.errnoDescription(code)).", path: folder)
            }
        }
    }

    /// Streams one object into a new cache file, checking its MD5 (against the catalog's
    /// or, failing that, the one the store recorded) and its size; returns the MD5.
    private func copy(
        _ path: String, size: Int?, from storage: any FolioStorage, to target: String, expected: String?
    ) throws(DataFolioError) -> String {
        let writer = try store.createObject(target)
        let written: WrittenObject
        do {
            try storage.read(path, into: writer)
            written = try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
        let reference = expected.flatMap { Self.isHexMD5($0) ? $0.lowercased() : nil } ?? (try? storage.recordedMD5(path)) ?? nil
        if let reference, reference != written.md5 {
            throw DataFolioError(
                .checksumMismatch,
                "\(storage.location)/\(path) has MD5 \(written.md5), but \(expected == nil ? "the store recorded" : "the catalog records") \(reference); it changed or was damaged after it was written.",
                path: path, remedy: .validate)
        }
        if let size, size != written.size {
            throw DataFolioError(
                .truncatedData, "\(storage.location)/\(path) was listed with \(size) bytes but \(written.size) arrived.", path: path)
        }
        return written.md5
    }

    /// Every file below a folder of a store, recursively, sorted by path.
    static func files(under folder: String, in storage: any FolioStorage) throws(DataFolioError) -> [StoredObject] {
        var files = [StoredObject]()
        for entry in try storage.list(folder) {
            switch entry.kind {
            case .object: files.append(entry)
            case .folder: files += try Self.files(under: entry.path, in: storage)
            case .symbolicLink, .other:
                throw DataFolioError(
                    .unsupportedFeature, "'\(entry.path)' in \(storage.location) is a link or a special file; folios never copy through links.",
                    path: entry.path, remedy: .validate)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    // MARK: Eviction

    struct Entry {
        var path: String
        var size: Int
        var lastUse: Date
    }

    /// The entries with their sizes and last use.
    func scanEntries() throws(DataFolioError) -> [Entry] {
        guard try store.status("entries")?.kind == .folder else { return [] }
        var entries = [Entry]()
        for entry in try store.list("entries") where entry.kind == .folder {
            entries.append(Entry(path: entry.path, size: try treeSize(entry.path), lastUse: entry.modified ?? .distantPast))
        }
        return entries
    }

    private func treeSize(_ path: String) throws(DataFolioError) -> Int {
        var total = 0
        for entry in try store.list(path) {
            switch entry.kind {
            case .object: total += entry.size
            case .folder: total += try treeSize(entry.path)
            case .symbolicLink, .other: continue
            }
        }
        return total
    }

    /// Removes the least recently used entries (never `key`, just placed) until the cache
    /// fits its limit, and downloads abandoned more than a day ago.
    private func evictIfNeeded(keeping key: String) throws(DataFolioError) {
        try withLock(exclusive: true) { () throws(DataFolioError) in
            var entries = try scanEntries()
            var total = entries.reduce(0) { $0 + $1.size }
            if total > sizeLimit {
                entries.sort { $0.lastUse < $1.lastUse }
                for entry in entries where total > sizeLimit && entry.path != "entries/\(key)" {
                    try store.delete(entry.path)
                    total -= entry.size
                }
            }
            let dayAgo = Date().addingTimeInterval(-86_400)
            for leftover in try store.list("tmp") where (leftover.modified ?? .distantFuture) < dayAgo {
                try? store.delete(leftover.path)
            }
        }
    }

    /// Runs `body` holding the cache's lock file: shared while entries are looked up and
    /// used, exclusive while entries are removed.
    private func withLock<R>(exclusive: Bool, _ body: () throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        try store.createFolder("")
        let path = store.absolutePath("cache.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DataFolioError(
                .ioFailure,
                "Cannot open the cache lock \(path): \(LocalFile.errnoDescription()). Check the cache folder, or choose another with DATAFOLIO_CACHE_DIR.",
                path: path)
        }
        defer { close(fd) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            throw DataFolioError(.ioFailure, "Cannot lock the cache \(path): \(LocalFile.errnoDescription()).", path: path)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    static func md5Hex(_ bytes: [UInt8]) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize().hexString
    }

    static func isHexMD5(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }
}
