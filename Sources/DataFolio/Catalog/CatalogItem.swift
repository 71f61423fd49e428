import Foundation
import DataFolioJSON

/// One item version's catalog entry (a "descriptor" in `items.json`).
///
/// The entry is kept as the ordered JSON object it was read from, so keys this
/// library does not know survive every rewrite; the properties below read and write
/// the well-known keys.
///
/// ```swift
/// let entry = try folio.item("clean")
/// print(entry.itemType, entry.versionID ?? "-", entry.inputs)
/// print(entry.fields["num_rows"]?.intValue ?? 0)
/// ```
public struct CatalogItem: Sendable, Hashable {
    /// Every key of the entry, in catalog order.
    public internal(set) var fields: JSONObject {
        didSet {
            encodingCache = EncodingCache()
            cacheKeyFields()
        }
    }

    /// The keys every catalog operation reads, kept out of the object for speed.
    public private(set) var name: String = ""
    /// The raw `item_type` string (`included_table`, `numpy_array`, …).
    public private(set) var itemType: String = ""
    /// Whether this is the working version of its name (`false` for versions kept for snapshots).
    public private(set) var isCurrent: Bool = true
    /// The version identifier (`name--rN`), absent in catalogs written before version ids existed.
    public private(set) var versionID: String?

    private mutating func cacheKeyFields() {
        name = fields["name"]?.stringValue ?? ""
        itemType = fields["item_type"]?.stringValue ?? ""
        isCurrent = fields["is_current"]?.boolValue ?? true
        versionID = fields["version_id"]?.stringValue
    }

    /// This entry's row of `CONTENTS.md` and its sort key, computed once per entry.
    func contentsRow(_ render: (CatalogItem) -> [UInt8]) -> (key: [UInt8], row: [UInt8]) {
        if let cached = encodingCache.contentsRow { return cached }
        let row = (Array(name.utf8), render(self))
        encodingCache.contentsRow = row
        return row
    }

    /// The entry's JSON text as it appears inside `items.json`, kept so that a commit
    /// re-encodes only the entries that changed.
    private var encodingCache = EncodingCache()

    /// Wraps catalog fields.
    ///
    /// ```swift
    /// let entry = CatalogItem(fields: ["name": "config", "item_type": "json_data"])
    /// ```
    public init(fields: JSONObject) {
        self.fields = fields
        cacheKeyFields()
    }

    public static func == (lhs: CatalogItem, rhs: CatalogItem) -> Bool { lhs.fields == rhs.fields }
    /// Hashes the entry's catalog fields.
    ///
    /// ```swift
    /// let seen: Set<CatalogItem> = [try folio.item("clean")]
    /// ```
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

    /// Appends the entry as an element of the catalog's `items` array (two levels deep).
    func writeCatalogEntry(into out: inout [UInt8]) {
        if let cached = encodingCache.bytes {
            out.append(contentsOf: cached)
            return
        }
        var bytes = [UInt8]()
        JSONValue.object(fields).write(into: &bytes, indented: true, depth: 2)
        encodingCache.bytes = bytes
        out.append(contentsOf: bytes)
    }

    /// The kind of item (`item_type`).
    public var kind: ItemKind { ItemKind(rawValue: itemType) }
    /// The payload file name relative to the item's category folder, for items that own a file.
    public var filename: String? { fields["filename"]?.stringValue }
    /// The MD5 of the stored payload (32 hex digits), when recorded.
    ///
    /// Folios in object stores keep it under `content_md5` and leave `checksum` null, as
    /// the Python `datafolio` expects of cloud folios (it cannot check a checksum there
    /// and would report a recorded one as damaged).
    public var checksum: String? { fields["checksum"]?.stringValue ?? fields[CatalogItem.remoteChecksumKey]?.stringValue }

    /// Where folios in object stores record a payload's MD5 (see ``checksum``).
    static let remoteChecksumKey = "content_md5"

    /// The entry as a folio on `local` (or remote) storage records it: a remote folio
    /// moves the MD5 from `checksum` to `content_md5`, a local one moves it back.
    func recordingChecksum(forLocalStore local: Bool) -> CatalogItem {
        var fields = self.fields
        if local {
            guard let moved = fields[CatalogItem.remoteChecksumKey]?.stringValue, fields["checksum"]?.stringValue == nil else { return self }
            fields["checksum"] = .string(moved)
            fields[CatalogItem.remoteChecksumKey] = nil
        } else {
            guard let checksum = fields["checksum"]?.stringValue else { return self }
            fields["checksum"] = .null
            fields[CatalogItem.remoteChecksumKey] = .string(checksum)
        }
        return CatalogItem(fields: fields)
    }
    /// The one-sentence description, if any.
    public var description: String? {
        guard let text = fields["description"]?.stringValue, !text.isEmpty else { return nil }
        return text
    }
    /// When this version was written (catalog text, UTC ISO 8601).
    public var createdAt: String? { fields["created_at"]?.stringValue }
    /// Whether the item is hidden from listings (`archived: true`).
    public var isArchived: Bool { fields["archived"]?.boolValue ?? false }

    /// The names of the items this one was made from: `inputs`, plus the legacy
    /// `models` list of old table entries, without duplicates.
    public var inputs: [String] {
        var seen = Set<String>()
        var result = [String]()
        for key in ["inputs", "models"] {
            for value in fields[key]?.arrayValue ?? [] {
                if let name = value.stringValue, seen.insert(name).inserted { result.append(name) }
            }
        }
        return result
    }

    /// The category folder that holds this item's payload, when its kind is known.
    public var folder: String? { kind.folder }

    /// The path of the payload relative to the folio, e.g. `artifacts/config--r3.json`.
    public var relativePayloadPath: String? {
        guard let folder, let filename else { return nil }
        return folder + "/" + filename
    }

    /// Whether `token` (a snapshot's pin) designates this version: its version id or, for
    /// snapshots written before version ids existed, its checksum.
    func matches(token: String) -> Bool {
        (versionID != nil && versionID == token) || (checksum != nil && checksum == token)
    }
}

/// The kind of an item: its catalog `item_type`.
///
/// A struct with static members rather than an enum, so that a kind added by a later
/// version of the format (or by the Python package) is a value like any other, and a
/// `switch` over kinds keeps compiling when kinds are added:
///
/// ```swift
/// switch try folio.item("clean").kind {
/// case .includedTable, .referencedTable: print("a table")
/// case .numpyArray: print("an array")
/// default: print("something else")
/// }
/// ```
public struct ItemKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The catalog `item_type` string.
    public let rawValue: String

    /// The kind of this `item_type`.
    ///
    /// ```swift
    /// let kind = ItemKind(rawValue: "numpy_array")   // .numpyArray
    /// ```
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A table stored in the folio as Parquet.
    public static let includedTable = ItemKind(rawValue: "included_table")
    /// A table that stays outside the folio (a path or URI).
    public static let referencedTable = ItemKind(rawValue: "referenced_table")
    /// An array stored as `.npy`.
    public static let numpyArray = ItemKind(rawValue: "numpy_array")
    /// A JSON value.
    public static let jsonData = ItemKind(rawValue: "json_data")
    /// A point in time.
    public static let timestamp = ItemKind(rawValue: "timestamp")
    /// Any file (or folder); tensor sets are `.safetensors` artifacts.
    public static let artifact = ItemKind(rawValue: "artifact")
    /// A model: scikit-learn (joblib or skops, from Python), a Swift `Codable` model
    /// (JSON) or PyTorch weights (`.pt`).
    public static let model = ItemKind(rawValue: "model")
    /// PyTorch weights as older folios stored them (read, never written).
    public static let legacyPyTorchModel = ItemKind(rawValue: "pytorch_model")

    /// The folders that hold payloads.
    public static let categoryFolders = ["tables", "models", "artifacts"]

    /// Whether this library knows the kind (it can read and check such items).
    public var isKnown: Bool { folder != nil }

    /// The category folder of the payload, or `nil` for a kind this library does not know.
    public var folder: String? {
        switch self {
        case .includedTable, .referencedTable: return "tables"
        case .model, .legacyPyTorchModel: return "models"
        case .numpyArray, .jsonData, .timestamp, .artifact: return "artifacts"
        default: return nil
        }
    }

    /// A short human name ("table", "array", …) for messages.
    public var displayName: String {
        switch self {
        case .includedTable: return "table"
        case .referencedTable: return "referenced table"
        case .numpyArray: return "array"
        case .jsonData: return "JSON"
        case .timestamp: return "timestamp"
        case .artifact: return "file"
        case .model: return "model"
        case .legacyPyTorchModel: return "PyTorch model"
        default: return "'\(rawValue)'"
        }
    }

    public var description: String { rawValue }

    /// Decodes the kind from its `item_type` string.
    ///
    /// ```swift
    /// let kind = try JSONDecoder().decode(ItemKind.self, from: Data(#""numpy_array""#.utf8))
    /// ```
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the kind as its `item_type` string.
    ///
    /// ```swift
    /// let json = try JSONEncoder().encode(ItemKind.includedTable)   // "included_table"
    /// ```
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Holds an entry's encoded bytes, shared by the copies of an entry (whose fields are
/// equal). Copies can live in several folios committing on several threads, so access
/// is locked.
private final class EncodingCache: @unchecked Sendable {
    // Guarded by `lock`.
    private var storedBytes: [UInt8]?
    private var storedContentsRow: (key: [UInt8], row: [UInt8])?
    private let lock = NSLock()

    var bytes: [UInt8]? {
        get { lock.withLock { storedBytes } }
        set { lock.withLock { storedBytes = newValue } }
    }

    var contentsRow: (key: [UInt8], row: [UInt8])? {
        get { lock.withLock { storedContentsRow } }
        set { lock.withLock { storedContentsRow = newValue } }
    }
}
