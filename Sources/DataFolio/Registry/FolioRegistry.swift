#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioJSON
import DataFolioSupport
import Foundation

/// The per-user registry of folio aliases and recently used folios — the same file the
/// Python datafolio (2.2 and later) keeps, so an alias set by either is used by both.
///
/// The registry is `registry.json` in `$DATAFOLIO_HOME`, or in `~/.datafolio` when that
/// variable is not set. It holds:
/// - **aliases**: names chosen by the user for folios (`churn` → `/data/churn-v3`, or
///   `s3://lab/churn`), set only on request;
/// - **recents**: the folios most recently used from the command line (at most 50). The
///   library never records a folio by itself; ``recordRecent(_:)`` is there for tools
///   that want to.
///
/// Every call reads the file again, so separate processes see each other's changes.
/// Changes take the file lock `registry.json.lock` (shared with Python) and replace the
/// file atomically.
///
/// ```swift
/// let registry = FolioRegistry()
/// try registry.setAlias("churn", to: "experiments/churn-v3")
/// let folio = try DataFolio(alias: "churn")
/// for known in registry.folios() { print(known.alias ?? "-", known.location) }
/// ```
public struct FolioRegistry: Sendable {
    /// The folder holding `registry.json`.
    public let home: String

    /// The registry file.
    public var file: String { home + "/" + FolioRegistry.fileName }

    static let fileName = "registry.json"
    static let formatVersion = 1
    /// How many recently used folios are kept (the least recent are dropped).
    public static let recentLimit = 50
    /// How long a change waits for another process's lock, in seconds.
    static let lockTimeout = 10.0

    /// The registry in `home`, or — by default — in `$DATAFOLIO_HOME`, else `~/.datafolio`.
    ///
    /// ```swift
    /// let scratch = FolioRegistry(home: "/tmp/registry-test")
    /// ```
    public init(home: String? = nil) {
        self.home = home.map(FolioRegistry.expandingTilde) ?? FolioRegistry.defaultHome
    }

    /// `$DATAFOLIO_HOME` (with `~` expanded), else `~/.datafolio`.
    public static var defaultHome: String {
        if let custom = ProcessInfo.processInfo.environment["DATAFOLIO_HOME"], !custom.isEmpty {
            return expandingTilde(custom)
        }
        return homeFolder + "/.datafolio"
    }

    // MARK: Aliases

    /// Registers `alias` as a name for the folio at `location` and returns the location
    /// as recorded (see ``normalizedLocation(_:)``).
    ///
    /// ```swift
    /// try FolioRegistry().setAlias("demo", to: "~/analysis/demo")
    /// ```
    ///
    /// - Parameters:
    ///   - alias: The name to register.
    ///   - location: The folio's folder or URI.
    ///   - overwrite: Point an existing alias at a different folio.
    /// - Throws: `invalidName` for an alias other than letters, digits, `.`, `_` and `-`
    ///   (at most 100); `aliasExists` when it already names another folio and
    ///   `overwrite` is not set.
    @discardableResult
    public func setAlias(_ alias: String, to location: String, overwrite: Bool = false) throws(DataFolioError) -> String {
        try FolioRegistry.validateAlias(alias)
        let target = FolioRegistry.normalizedLocation(location)
        try modify { (data: inout JSONObject) throws(DataFolioError) -> Bool in
            var aliases = data["aliases"]?.objectValue ?? [:]
            if let existing = aliases[alias]?.objectValue {
                if existing["path"]?.stringValue == target { return false }
                if !overwrite {
                    throw DataFolioError(
                        .aliasExists, "Alias '\(alias)' already points to \(existing["path"].map(PythonText.str) ?? "None").",
                        path: alias, remedy: .overwrite)
                }
            }
            aliases[alias] = ["path": .string(target), "created_at": .string(ISOTimestamp.now())]
            data["aliases"] = .object(aliases)
            return true
        }
        return target
    }

    /// The location registered for `alias`.
    ///
    /// ```swift
    /// let path = try FolioRegistry().location(ofAlias: "demo")
    /// ```
    ///
    /// - Throws: `aliasNotFound`, listing the known aliases.
    public func location(ofAlias alias: String) throws(DataFolioError) -> String {
        let known = aliases
        guard let match = known.first(where: { $0.name == alias }) else {
            let names = known.map(\.name)
            var message = "No folio registered as '\(alias)'. Known aliases: \(names.isEmpty ? "(none)" : names.joined(separator: ", "))."
            let nearest = NameSuggestions.nearest(to: alias, among: names)
            if !nearest.isEmpty { message += " Did you mean " + nearest.map { "'\($0)'" }.joined(separator: " or ") + "?" }
            throw DataFolioError(.aliasNotFound, message, path: alias, remedy: .registerAlias)
        }
        return match.location
    }

    /// Removes an alias; the folio itself is untouched.
    ///
    /// ```swift
    /// try FolioRegistry().removeAlias("demo")
    /// ```
    ///
    /// - Throws: `aliasNotFound`.
    public func removeAlias(_ alias: String) throws(DataFolioError) {
        try modify { (data: inout JSONObject) throws(DataFolioError) -> Bool in
            var aliases = data["aliases"]?.objectValue ?? [:]
            guard aliases.removeValue(forKey: alias) != nil else {
                throw DataFolioError(.aliasNotFound, "No folio registered as '\(alias)'.", path: alias)
            }
            data["aliases"] = .object(aliases)
            return true
        }
    }

    /// Every alias, sorted by name.
    public var aliases: [FolioAlias] {
        let object = read()["aliases"]?.objectValue ?? [:]
        return object.members.compactMap { member -> FolioAlias? in
            guard let entry = member.value.objectValue, let path = entry["path"]?.stringValue else { return nil }
            return FolioAlias(name: member.key, location: path, createdAt: entry["created_at"]?.stringValue)
        }.sorted { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) }
    }

    /// The aliases that name the folio at `location`, sorted.
    ///
    /// ```swift
    /// print(FolioRegistry().aliases(of: "experiments/churn-v3"))
    /// ```
    public func aliases(of location: String) -> [String] {
        let target = FolioRegistry.normalizedLocation(location)
        return aliases.filter { $0.location == target }.map(\.name)
    }

    // MARK: Recently used folios

    /// Records that the folio at `location` was just used, at the top of the recents.
    ///
    /// Best effort, as in Python: a registry that cannot be written (a read-only home
    /// folder, a lock held too long) is left as it is, without an error.
    ///
    /// ```swift
    /// FolioRegistry().recordRecent(folio.location)
    /// ```
    public func recordRecent(_ location: String) {
        let target = FolioRegistry.normalizedLocation(location)
        try? modify { (data: inout JSONObject) throws(DataFolioError) -> Bool in
            var recent = (data["recent"]?.arrayValue ?? []).filter { entry in
                guard case .object(let object) = entry else { return false }
                return object["path"]?.stringValue != target
            }
            recent.insert(["path": .string(target), "last_accessed": .string(ISOTimestamp.now())], at: 0)
            data["recent"] = .array(Array(recent.prefix(FolioRegistry.recentLimit)))
            return true
        }
    }

    /// The recently used folios, most recent first.
    public var recents: [RecentFolio] {
        (read()["recent"]?.arrayValue ?? []).compactMap { entry -> RecentFolio? in
            guard let object = entry.objectValue, let path = object["path"]?.stringValue else { return nil }
            return RecentFolio(location: path, lastAccessed: object["last_accessed"]?.stringValue ?? "")
        }
    }

    /// Removes a folio from the recents (its aliases are kept).
    ///
    /// ```swift
    /// try FolioRegistry().forget("~/scratch/tmp-folio")
    /// ```
    ///
    /// - Returns: Whether it was in the list.
    @discardableResult
    public func forget(_ location: String) throws(DataFolioError) -> Bool {
        let target = FolioRegistry.normalizedLocation(location)
        var removed = false
        try modify { (data: inout JSONObject) throws(DataFolioError) -> Bool in
            let before = data["recent"]?.arrayValue ?? []
            let after = before.filter { $0.objectValue?["path"]?.stringValue != target }
            removed = after.count != before.count
            if removed { data["recent"] = .array(after) }
            return removed
        }
        return removed
    }

    /// Drops the aliases and recents whose local folder no longer exists. Remote
    /// locations are never pruned: checking them needs the network, and a passing
    /// failure must not lose an alias.
    ///
    /// ```swift
    /// let gone = try FolioRegistry().prune()
    /// ```
    ///
    /// - Returns: The locations removed, sorted.
    @discardableResult
    public func prune() throws(DataFolioError) -> [String] {
        var removed = Set<String>()
        try modify { (data: inout JSONObject) throws(DataFolioError) -> Bool in
            func isGone(_ value: JSONValue) -> Bool {
                guard let path = value.objectValue?["path"]?.stringValue, !path.isEmpty else { return false }
                if FolioRegistry.isMissingLocally(path) {
                    removed.insert(path)
                    return true
                }
                return false
            }
            let aliases = JSONObject((data["aliases"]?.objectValue ?? [:]).members.filter { !isGone($0.value) }.map { ($0.key, $0.value) })
            let recent = (data["recent"]?.arrayValue ?? []).filter { !isGone($0) }
            guard !removed.isEmpty else { return false }
            data["aliases"] = .object(aliases)
            data["recent"] = .array(recent)
            return true
        }
        return removed.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    // MARK: Every known folio

    /// Every folio the registry knows, each once: aliased folios first (by alias; a
    /// folio with several aliases under the first), then recently used folios without an
    /// alias, most recent first — the order `find` searches them in.
    ///
    /// ```swift
    /// for folio in FolioRegistry().folios() {
    ///     print(folio.alias ?? "", folio.location, folio.lastAccessed ?? "", folio.exists.map(String.init) ?? "?")
    /// }
    /// ```
    ///
    /// - Parameter aliasesOnly: Only aliased folios.
    public func folios(aliasesOnly: Bool = false) -> [RegisteredFolio] {
        let data = read()
        var lastUsed = [String: String]()
        var recentPaths = [String]()
        for entry in data["recent"]?.arrayValue ?? [] {
            guard let object = entry.objectValue, let path = object["path"]?.stringValue else { continue }
            if lastUsed[path] == nil { lastUsed[path] = object["last_accessed"]?.stringValue ?? "" }
            recentPaths.append(path)
        }
        var seen = Set<String>()
        var result = [RegisteredFolio]()
        let aliasEntries = (data["aliases"]?.objectValue ?? [:]).members.sorted {
            $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars)
        }
        for member in aliasEntries {
            guard let path = member.value.objectValue?["path"]?.stringValue, !path.isEmpty, seen.insert(path).inserted else { continue }
            result.append(RegisteredFolio(alias: member.key, location: path, lastAccessed: lastUsed[path]))
        }
        if !aliasesOnly {
            for path in recentPaths where !path.isEmpty && seen.insert(path).inserted {
                result.append(RegisteredFolio(alias: nil, location: path, lastAccessed: lastUsed[path]))
            }
        }
        return result
    }

    // MARK: Locations and names

    /// A location as the registry records it: a local path made absolute, with `~`
    /// expanded and symbolic links resolved (as Python's `Path.resolve()` does); a
    /// remote URL as given, without a trailing `/`; a `file://` URL as its path.
    ///
    /// ```swift
    /// FolioRegistry.normalizedLocation("s3://lab/folio/")   // "s3://lab/folio"
    /// ```
    public static func normalizedLocation(_ location: String) -> String {
        var text = location
        if text.hasPrefix("file://") { text.removeFirst("file://".count) }
        if isRemote(text) {
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return LocalPaths.resolved(expandingTilde(text))
    }

    /// Whether a location is a URL of a remote store (`s3://`, `gs://`, `https://`, …)
    /// rather than a local path.
    public static func isRemote(_ location: String) -> Bool {
        guard let scheme = FolioLocations.scheme(of: location) else { return false }
        return scheme != "file"
    }

    /// Checks an alias: letters, digits, `.`, `_` and `-`, at most 100 characters (the
    /// rules of snapshot names, as in Python).
    ///
    /// - Throws: `invalidName`.
    public static func validateAlias(_ alias: String) throws(DataFolioError) {
        if alias.isEmpty { throw DataFolioError(.invalidName, "An alias cannot be empty.") }
        if alias.trimmingCharacters(in: .whitespacesAndNewlines) != alias {
            throw DataFolioError(.invalidName, "Alias '\(alias)' cannot have leading or trailing whitespace.")
        }
        let allowed = alias.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2E, 0x5F, 0x2D: return true
            default: return false
            }
        }
        guard allowed else {
            throw DataFolioError(.invalidName, "Alias '\(alias)' can only contain letters, digits, dots, underscores and hyphens.")
        }
        if alias.unicodeScalars.count > 100 {
            throw DataFolioError(.invalidName, "Alias '\(alias)' is too long (at most 100 characters).")
        }
    }

    static func isMissingLocally(_ path: String) -> Bool {
        guard !isRemote(path) else { return false }
        var info = stat()
        return stat(path, &info) != 0
    }

    // MARK: The file

    /// The registry's content; a missing or unreadable file reads as empty, as in Python.
    func read() -> JSONObject {
        var data: JSONObject = [:]
        if let bytes = FileManager.default.contents(atPath: file),
           let value = try? JSONValue(parsing: Array(bytes), options: JSONParsingOptions(sourceName: FolioRegistry.fileName)),
           case .object(let object) = value
        {
            data = object
        }
        if data["version"] == nil { data["version"] = .int(Int64(FolioRegistry.formatVersion)) }
        if data["aliases"]?.objectValue == nil { data["aliases"] = .object([:]) }
        if data["recent"]?.arrayValue == nil { data["recent"] = .array([]) }
        return data
    }

    /// Reads, changes and (when `change` returns `true`) rewrites the registry under the
    /// lock. Keys this library does not know are kept.
    private func modify(_ change: (inout JSONObject) throws(DataFolioError) -> Bool) throws(DataFolioError) {
        try createHome()
        let path = file + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DataFolioError(.ioFailure, "Cannot open the registry lock \(path): \(LocalFile.errnoDescription()).", path: path)
        }
        let timeout = FolioRegistry.lockTimeout
        let lock = try FileLock(
            descriptor: fd, timeout: timeout, maximumPause: 50_000,
            timedOut: {
                DataFolioError(
                    .lockTimeout, "Another writer (in this process or another) has held the folio registry lock \(path) for more than \(Int(timeout)) s. Try again.",
                    path: path)
            },
            failed: { code in
                DataFolioError(.ioFailure, "Cannot lock the folio registry (\(path)): \(LocalFile.errnoDescription(code)).", path: path)
            })
        defer { lock.release() }
        var data = read()
        guard try change(&data) else { return }
        try write(data)
    }

    private func createHome() throws(DataFolioError) {
        do {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        } catch {
            throw DataFolioError(.ioFailure, "Cannot create the folio registry folder \(home): \(error.localizedDescription)", path: home)
        }
    }

    /// Writes a temporary file `.registry-XXXXXXXX.tmp` next to the registry (mode 0600,
    /// as Python's `mkstemp` makes it) and renames it over the registry.
    private func write(_ data: JSONObject) throws(DataFolioError) {
        let bytes = JSONValue.object(data).formattedBytes()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_")
        var generator = SystemRandomNumberGenerator()
        var fd: Int32 = -1
        var temporary = ""
        for _ in 0..<100 where fd < 0 {
            let suffix = String((0..<8).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            temporary = home + "/.registry-" + suffix + ".tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 && errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw DataFolioError(.ioFailure, "Cannot write the folio registry in \(home): \(String(cString: strerror(errno))).", path: file)
        }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count, let base = raw.baseAddress {
                let count = Foundation.write(fd, base + written, raw.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += count
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && rename(temporary, file) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw DataFolioError(.ioFailure, "Cannot write the folio registry \(file): \(String(cString: strerror(failure))).", path: file)
        }
    }

    // MARK: Home folder

    static var homeFolder: String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    /// `~` and `~/…` expanded with the home folder, as Python's `expanduser` does.
    static func expandingTilde(_ path: String) -> String {
        if path == "~" { return homeFolder }
        if path.hasPrefix("~/") { return homeFolder + path.dropFirst() }
        return path
    }
}

/// An alias in the ``FolioRegistry``.
///
/// ```swift
/// for alias in FolioRegistry().aliases { print(alias.name, "→", alias.location) }
/// ```
public struct FolioAlias: Sendable, Hashable {
    /// The alias.
    public var name: String
    /// The folio it names (as ``FolioRegistry/normalizedLocation(_:)`` records it).
    public var location: String
    /// When it was set (ISO 8601 text), when recorded.
    public var createdAt: String?
}

/// A recently used folio in the ``FolioRegistry``.
///
/// ```swift
/// let last = FolioRegistry().recents.first?.location
/// ```
public struct RecentFolio: Sendable, Hashable {
    /// The folio's location.
    public var location: String
    /// When it was last used from the command line (ISO 8601 text).
    public var lastAccessed: String
}

/// A folio the ``FolioRegistry`` knows, by alias or from recent use.
///
/// ```swift
/// let missing = FolioRegistry().folios().filter { $0.exists == false }
/// ```
public struct RegisteredFolio: Sendable, Hashable {
    /// Its alias (the first, when it has several), or `nil` for a recently used folio
    /// without one.
    public var alias: String?
    /// Its location.
    public var location: String
    /// When it was last used from the command line, if it was.
    public var lastAccessed: String?

    /// Whether the local folder exists, or `nil` for a remote location (not checked).
    public var exists: Bool? {
        FolioRegistry.isRemote(location) ? nil : !FolioRegistry.isMissingLocally(location)
    }
}

extension DataFolioError.Code {
    /// No folio is registered under the alias.
    public static let aliasNotFound = Self("aliasNotFound")
    /// The alias already names another folio.
    public static let aliasExists = Self("aliasExists")
}

extension DataFolioError.Remedy {
    /// Register the alias first.
    public static let registerAlias = DataFolioError.Remedy(
        "registerAlias", advice: "Register it first with FolioRegistry().setAlias(_:to:).")
}
