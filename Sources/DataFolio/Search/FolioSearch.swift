import DataFolioJSON
import DataFolioSupport
import Foundation

/// A search for items (or folio metadata) across many folios: every folio the
/// ``FolioRegistry`` knows, or the ones named — the Python datafolio's `find`.
///
/// Only each folio's catalog is read, never item data, and folios are read in parallel,
/// so searching a hundred folios takes a fraction of a second.
///
/// ```swift
/// var search = FolioSearch("cells*")
/// search.itemTypes = ["table"]
/// let result = try search.run()
/// for item in result.items { print(item.alias ?? item.folioLocation, item.name, item.itemType) }
///
/// var byMetadata = FolioSearch("dataset=minnie*")
/// byMetadata.searchesMetadata = true
/// ```
public struct FolioSearch: Sendable {
    /// A shell pattern matched against the whole item name (`*` matches everything, also
    /// `/`), or a regular expression found anywhere in it with ``isRegularExpression``.
    /// With ``searchesMetadata`` it matches metadata keys, and `KEY=VALUE` also matches
    /// the value's text (as Python's `str()` shows it).
    public var pattern: String
    /// Read ``pattern`` as a regular expression (searched anywhere in the text).
    public var isRegularExpression = false
    /// Only items of these types: `table`, `model`, `artifact`, `array`, `json`,
    /// `timestamp`, or an exact `item_type` such as `referenced_table`. Ignored for
    /// metadata searches.
    public var itemTypes: [String]?
    /// Match folio metadata keys instead of item names.
    public var searchesMetadata = false
    /// Search these folios — aliases or locations — instead of every registered one.
    public var folios: [String]?
    /// Only aliased folios (not the recently used ones without an alias).
    public var aliasesOnly = false
    /// Skip remote folios.
    public var localOnly = false
    /// Include archived items.
    public var includeArchived = false
    /// Match letter case exactly (the default ignores it).
    public var caseSensitive = false
    /// Also match item descriptions: an item matches when its name matches or its
    /// description contains the pattern.
    public var matchesDescriptions = false
    /// How many folios are read at once.
    public var maximumConcurrency = 16
    /// The registry that lists the folios and resolves aliases.
    public var registry = FolioRegistry()

    /// A search for `pattern` (every item with the default `*`).
    ///
    /// ```swift
    /// let search = FolioSearch("cells*")
    /// ```
    public init(_ pattern: String = "*") {
        self.pattern = pattern
    }

    /// The item type groups and the exact types they stand for.
    public static let itemTypeGroups: [String: [ItemKind]] = [
        "table": [.includedTable, .referencedTable],
        "model": [.model],
        "artifact": [.artifact],
        "array": [.numpyArray],
        "json": [.jsonData],
        "timestamp": [.timestamp],
    ]

    /// The kinds a search lists, in the order it lists them within a folio (Python's
    /// `list_contents` order).
    static let listedKinds: [ItemKind] = [.referencedTable, .includedTable, .numpyArray, .jsonData, .timestamp, .model, .artifact]

    /// Runs the search.
    ///
    /// A folio that cannot be read (moved, deleted, no credentials) does not stop the
    /// search: it is reported in ``FolioSearchResult/skipped``.
    ///
    /// ```swift
    /// let result = try FolioSearch("cells*").run()
    /// for item in result.items { print(item.folioLocation, item.name) }
    /// ```
    ///
    /// - Throws: `invalidArgument` for an unknown item type or an invalid regular
    ///   expression.
    public func run() throws(DataFolioError) -> FolioSearchResult {
        let types = try resolvedTypes()
        let matchers = try Matchers(self)
        var targets = self.targets()
        if localOnly { targets = targets.filter { !FolioRegistry.isRemote($0.location) } }
        let outcomes = ConcurrentSlots<Result<[FolioSearchResult.Row], DataFolioError>>(count: targets.count)
        let gate = DispatchSemaphore(value: max(1, min(maximumConcurrency, targets.count)))
        let group = DispatchGroup()
        let search = self
        for (index, target) in targets.enumerated() {
            gate.wait()
            group.enter()
            DispatchQueue.global().async {
                defer {
                    gate.signal()
                    group.leave()
                }
                outcomes[index] = Result { () throws(DataFolioError) -> [FolioSearchResult.Row] in
                    try search.search(target, matchers: matchers, types: types)
                }
            }
        }
        group.wait()
        var result = FolioSearchResult()
        for (index, target) in targets.enumerated() {
            switch outcomes[index] {
            case .success(let rows)?:
                for row in rows {
                    switch row {
                    case .item(let item): result.items.append(item)
                    case .metadata(let entry): result.metadata.append(entry)
                    }
                }
            case .failure(let error)?:
                result.skipped.append(SkippedFolio(alias: target.alias, location: target.location, reason: error.problem))
            case nil:
                result.skipped.append(SkippedFolio(alias: target.alias, location: target.location, reason: "it was not searched"))
            }
        }
        return result
    }

    /// Runs the search without blocking the calling task's thread.
    ///
    /// ```swift
    /// let result = try await FolioSearch("cells*").run()
    /// ```
    public func run() async throws(DataFolioError) -> FolioSearchResult {
        let search = self
        return try await BlockingWork.run { () throws(DataFolioError) in try search.run() }
    }

    // MARK: Targets

    /// The folios to search: the registry's, or the named ones with the alias that names
    /// each (the first, alphabetically), without repeats.
    func targets() -> [RegisteredFolio] {
        guard let folios else { return registry.folios(aliasesOnly: aliasesOnly) }
        let aliases = registry.aliases
        var aliasOfPath = [String: String]()
        for alias in aliases where aliasOfPath[alias.location] == nil { aliasOfPath[alias.location] = alias.name }
        var seen = Set<String>()
        var result = [RegisteredFolio]()
        for requested in folios {
            let alias: String?
            let path: String
            if let match = aliases.first(where: { $0.name == requested }) {
                alias = match.name
                path = match.location
            } else {
                path = FolioRegistry.normalizedLocation(requested)
                alias = aliasOfPath[path]
            }
            if seen.insert(path).inserted { result.append(RegisteredFolio(alias: alias, location: path, lastAccessed: nil)) }
        }
        return result
    }

    private func resolvedTypes() throws(DataFolioError) -> Set<ItemKind>? {
        guard let itemTypes else { return nil }
        let known = Set(FolioSearch.itemTypeGroups.values.flatMap { $0 })
        var kinds = Set<ItemKind>()
        for name in itemTypes {
            if let group = FolioSearch.itemTypeGroups[name] {
                kinds.formUnion(group)
            } else if known.contains(ItemKind(rawValue: name)) {
                kinds.insert(ItemKind(rawValue: name))
            } else {
                throw DataFolioError(
                    .invalidArgument,
                    "Unknown item type '\(name)'. Use one of \(FolioSearch.itemTypeGroups.keys.sorted().joined(separator: ", ")) or an exact type (\(known.map(\.rawValue).sorted().joined(separator: ", "))).")
            }
        }
        return kinds
    }

    // MARK: One folio

    private func search(_ target: RegisteredFolio, matchers: Matchers, types: Set<ItemKind>?) throws(DataFolioError) -> [FolioSearchResult.Row] {
        let folio = try DataFolio(at: target.location, options: .readOnly)
        let catalog = folio.catalog
        var rows = [FolioSearchResult.Row]()
        if searchesMetadata {
            for (key, value) in catalog.metadata where matchers.name.matches(key) {
                if let valueMatcher = matchers.value, !valueMatcher.matches(PythonText.str(value)) { continue }
                rows.append(.metadata(FoundMetadata(alias: target.alias, folioLocation: target.location, key: key, value: value)))
            }
            return rows
        }
        var byKind = [ItemKind: [CatalogItem]]()
        for item in catalog.currentItems where includeArchived || !item.isArchived {
            byKind[item.kind, default: []].append(item)
        }
        for kind in FolioSearch.listedKinds {
            if let types, !types.contains(kind) { continue }
            for item in byKind[kind] ?? [] {
                let description = item.description ?? ""
                guard matchers.name.matches(item.name) || (matchers.description?.matches(description) ?? false) else { continue }
                rows.append(.item(FoundItem(
                    alias: target.alias, folioLocation: target.location, name: item.name, itemType: item.itemType,
                    description: item.description, createdAt: item.createdAt)))
            }
        }
        return rows
    }

    /// The compiled patterns of a search.
    struct Matchers: Sendable {
        var name: TextMatcher
        var value: TextMatcher?
        var description: TextMatcher?

        init(_ search: FolioSearch) throws(DataFolioError) {
            let pattern = search.pattern
            let regex = search.isRegularExpression
            let exact = search.caseSensitive
            if search.searchesMetadata, let equals = pattern.firstIndex(of: "=") {
                name = try TextMatcher(String(pattern[..<equals]), regex: regex, caseSensitive: exact)
                value = try TextMatcher(String(pattern[pattern.index(after: equals)...]), regex: regex, caseSensitive: exact)
            } else {
                name = try TextMatcher(pattern, regex: regex, caseSensitive: exact)
            }
            if search.matchesDescriptions && !search.searchesMetadata {
                if regex {
                    description = name
                } else {
                    // Anywhere in the text: `*pattern*`, with the pattern's own stars trimmed.
                    let core = pattern.trimmingCharacters(in: CharacterSet(charactersIn: "*"))
                    description = try TextMatcher("*" + core + "*", regex: false, caseSensitive: exact)
                }
            }
        }
    }
}

/// A shell pattern matched against the whole text, or a regular expression found
/// anywhere in it, as Python's `fnmatch` and `re.search` match.
struct TextMatcher: @unchecked Sendable {
    // NSRegularExpression is immutable once compiled and safe to share between threads.
    private let glob: GlobPattern?
    private let expression: NSRegularExpression?
    private let caseSensitive: Bool

    init(_ pattern: String, regex: Bool, caseSensitive: Bool) throws(DataFolioError) {
        self.caseSensitive = caseSensitive
        if regex {
            do {
                expression = try NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive])
            } catch {
                throw DataFolioError(.invalidArgument, "Invalid regular expression '\(pattern)': \(error.localizedDescription)")
            }
            glob = nil
        } else {
            glob = GlobPattern(caseSensitive ? pattern : pattern.lowercased())
            expression = nil
        }
    }

    func matches(_ text: String) -> Bool {
        if let expression {
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            return expression.firstMatch(in: text, options: [], range: range) != nil
        }
        return glob?.matches(caseSensitive ? text : text.lowercased()) ?? false
    }
}

/// What ``FolioSearch/run()-3lfer`` found.
///
/// ```swift
/// let result = try FolioSearch("cells*").run()
/// for skipped in result.skipped { print("not searched:", skipped.location, skipped.reason) }
/// ```
public struct FolioSearchResult: Sendable, Hashable {
    /// Matching items, folio by folio (in the order the folios were listed), and within a
    /// folio by kind (references, tables, arrays, JSON, timestamps, models, files) in
    /// catalog order.
    public var items: [FoundItem] = []
    /// Matching metadata keys, for a metadata search.
    public var metadata: [FoundMetadata] = []
    /// Folios that could not be read, and why.
    public var skipped: [SkippedFolio] = []

    /// Whether nothing matched.
    public var isEmpty: Bool { items.isEmpty && metadata.isEmpty }

    enum Row: Sendable {
        case item(FoundItem)
        case metadata(FoundMetadata)
    }
}

/// An item ``FolioSearch`` found.
///
/// ```swift
/// for item in try FolioSearch("*model*").run().items {
///     let folio = try DataFolio(at: item.folioLocation, options: .readOnly)
///     print(item.name, try folio.item(item.name).itemType)
/// }
/// ```
public struct FoundItem: Sendable, Hashable {
    /// The alias of its folio, if it has one.
    public var alias: String?
    /// Its folio's location.
    public var folioLocation: String
    /// The item name.
    public var name: String
    /// Its `item_type`.
    public var itemType: String
    /// Its description, if any.
    public var description: String?
    /// When it was written (ISO 8601 text).
    public var createdAt: String?
}

/// A folio metadata key ``FolioSearch`` found.
///
/// ```swift
/// var search = FolioSearch("dataset=minnie*")
/// search.searchesMetadata = true
/// let folios = try search.run().metadata.map(\.folioLocation)
/// ```
public struct FoundMetadata: Sendable, Hashable {
    /// The alias of its folio, if it has one.
    public var alias: String?
    /// Its folio's location.
    public var folioLocation: String
    /// The key.
    public var key: String
    /// Its value.
    public var value: JSONValue
}

/// A folio ``FolioSearch`` could not read.
///
/// ```swift
/// let unreadable = try FolioSearch().run().skipped.map(\.location)
/// ```
public struct SkippedFolio: Sendable, Hashable {
    /// Its alias, if it has one.
    public var alias: String?
    /// Its location.
    public var location: String
    /// Why it was skipped.
    public var reason: String
}

/// One result slot per task, written from several threads.
private final class ConcurrentSlots<Value>: @unchecked Sendable {
    // Guarded by `lock`.
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    subscript(index: Int) -> Value? {
        get { lock.withLock { values[index] } }
        set { lock.withLock { values[index] = newValue } }
    }
}
