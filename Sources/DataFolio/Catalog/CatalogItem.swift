import Foundation
import DataFolioJSON

/// One item version's catalog entry (a "descriptor" in `items.json`).
///
/// The entry keeps every key it was read with, in order, so keys this library does not
/// know survive every rewrite. The properties below are decoded when the catalog is
/// read; ``fields`` is parsed from the entry's text the first time it is asked for, and
/// an entry nothing changed is written back exactly as it was read.
///
/// ```swift
/// let entry = try folio.item("clean")
/// print(entry.itemType, entry.versionID ?? "-", entry.inputs)
/// print(entry.fields["num_rows"]?.intValue ?? 0)
/// ```
public struct CatalogItem: Sendable, Hashable {
    /// Every key of the entry, in catalog order.
    ///
    /// An entry read from `items.json` is kept as its bytes until something asks for
    /// its fields; the properties below come from keys decoded when the catalog is read.
    public internal(set) var fields: JSONObject {
        get { storage.fields }
        set { storage = EntryStorage(fields: newValue) }
    }

    /// The value of one key of ``fields``. On an entry whose fields were not parsed yet,
    /// only that key's value is parsed from the entry's text, so listings that print a
    /// key or two of every entry do not parse them all.
    func field(_ key: String) -> JSONValue? {
        storage.field(key)
    }

    /// The values of several keys of ``fields``, found in one pass over the entry's text
    /// when its fields were not parsed yet.
    func fields(_ keys: [String]) -> [JSONValue?] {
        storage.fields(keys)
    }

    /// The entry's bytes, decoded keys, parsed fields and encodings, shared by copies of
    /// the entry (so a copy costs one reference).
    private var storage: EntryStorage
    /// The keys every catalog operation reads.
    private var keys: KeyFields { storage.keys }

    /// The item name.
    public var name: String { keys.name }
    /// The raw `item_type` string (`included_table`, `numpy_array`, …).
    public var itemType: String { keys.itemType }
    /// Whether this is the working version of its name (`false` for versions kept for snapshots).
    public var isCurrent: Bool { keys.isCurrent }
    /// The version identifier (`name--rN`), absent in catalogs written before version ids existed.
    public var versionID: String? { keys.versionID }

    /// Wraps catalog fields.
    ///
    /// ```swift
    /// let entry = CatalogItem(fields: ["name": "config", "item_type": "json_data"])
    /// ```
    public init(fields: JSONObject) {
        storage = EntryStorage(fields: fields)
    }

    /// An entry as `items.json` holds it: its bytes (checked JSON; `canonical` when laid
    /// out as this library writes an entry) and the keys decoded from them.
    init(entryBytes: ArraySlice<UInt8>, canonical: Bool, keys: KeyFields, lock: NSLock) {
        storage = EntryStorage(bytes: entryBytes, canonical: canonical, keys: keys, lock: lock)
    }

    public static func == (lhs: CatalogItem, rhs: CatalogItem) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.hasSameBytes(as: rhs.storage) || lhs.fields == rhs.fields
    }

    /// Hashes the entry's catalog fields.
    ///
    /// ```swift
    /// let seen: Set<CatalogItem> = [try folio.item("clean")]
    /// ```
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

    /// Appends the entry as an element of the catalog's `items` array (two levels deep):
    /// its bytes as read when nothing changed them, else its fields encoded once.
    func writeCatalogEntry(into out: inout [UInt8]) {
        storage.writeEncoded(into: &out)
    }

    /// The kind of item (`item_type`).
    public var kind: ItemKind { ItemKind(rawValue: itemType) }
    /// The payload file name relative to the item's category folder, for items that own a file.
    public var filename: String? { storage.text(.filename) }
    /// The MD5 of the stored payload (32 hex digits), when recorded.
    ///
    /// Folios in object stores keep it under `content_md5` and leave `checksum` null, as
    /// the Python `datafolio` expects of cloud folios (it cannot check a checksum there
    /// and would report a recorded one as damaged).
    public var checksum: String? { storage.text(.checksum) ?? storage.text(.remoteChecksum) }

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
        guard let text = storage.text(.description), !text.isEmpty else { return nil }
        return text
    }
    /// When this version was written (catalog text, UTC ISO 8601).
    public var createdAt: String? { storage.text(.createdAt) }

    /// Where a referenced table lives (`path`), for listings.
    var referencePath: String? { storage.text(.path) }

    /// Hands `body` the UTF-8 of a text value (`nil` when the entry has none), without
    /// building a string when the catalog's text holds it as it is.
    func withText<Result>(_ key: KeyFields.TextKey, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        storage.withText(key, body)
    }
    /// Whether the item is hidden from listings (`archived: true`).
    public var isArchived: Bool { keys.isArchived }

    /// The payload's size as the catalog records it (`size_bytes`, or `file_size` of
    /// files and folders), when it does.
    var recordedSize: Int? { keys.recordedSize }

    /// The names of the items this one was made from: `inputs`, plus the legacy
    /// `models` list of old table entries, without duplicates.
    public var inputs: [String] { keys.inputs }

    /// The names of the entry's own `inputs` list, without the legacy `models` merged
    /// into ``inputs``.
    var ownInputs: [String] {
        keys.inputsAreOwn ? keys.inputs : field("inputs")?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The names of the legacy `models` list of old table entries (merged into ``inputs``).
    var legacyModels: [String] {
        keys.inputsAreOwn ? [] : field("models")?.arrayValue?.compactMap(\.stringValue) ?? []
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

/// The keys of an entry that listings, lineage, snapshots and commits read, decoded
/// once: from the fields, or straight from the entry's bytes when the catalog is read.
///
/// Text values most commands never print (file names, checksums, descriptions, dates)
/// are kept as where they lie in the entry's text and decoded when asked for, so a
/// folio of many items costs no string per such key on opening.
struct KeyFields: Sendable {
    var name = ""
    var itemType = ""
    var isCurrent = true
    var versionID: String?
    var isArchived = false
    /// `size_bytes`, or else `file_size`: the payload's size as the writer recorded it.
    var recordedSize: Int?
    /// `inputs`, then the legacy `models` list of old table entries, without duplicates.
    var inputs: [String] = []
    /// Whether ``inputs`` is the entry's own `inputs` list as it is (no `models` merged in).
    var inputsAreOwn = true
    // Where the values of the `TextKey` keys lie in the entry's text (for an entry read
    // as text; an entry built from fields answers from its fields). Stored inline: an
    // array would cost an allocation per entry.
    private var filenameSpan = TextSpan.absent
    private var checksumSpan = TextSpan.absent
    private var remoteChecksumSpan = TextSpan.absent
    private var descriptionSpan = TextSpan.absent
    private var createdAtSpan = TextSpan.absent
    private var pathSpan = TextSpan.absent
    private var dataTypeSpan = TextSpan.absent

    init() {}

    init(_ fields: JSONObject) {
        var inputNames: [String] = []
        var modelNames: [String] = []
        var sizeBytes: Int?
        var fileSize: Int?
        for (key, value) in fields {
            switch Key(key) {
            case .name?: name = value.stringValue ?? ""
            case .itemType?: itemType = value.stringValue ?? ""
            case .isCurrent?: isCurrent = value.boolValue ?? true
            case .versionID?: versionID = value.stringValue
            case .archived?: isArchived = value.boolValue ?? false
            case .sizeBytes?: sizeBytes = KeyFields.size(value)
            case .fileSize?: fileSize = KeyFields.size(value)
            case .inputs?: inputNames = value.arrayValue?.compactMap(\.stringValue) ?? []
            case .models?: modelNames = value.arrayValue?.compactMap(\.stringValue) ?? []
            default: break
            }
        }
        setInputs(inputNames, models: modelNames)
        recordedSize = sizeBytes ?? fileSize
    }

    /// A recorded size: a non-negative integer.
    static func size(_ value: JSONValue) -> Int? {
        guard case .int(let size) = value, size >= 0 else { return nil }
        return Int(exactly: size)
    }

    /// Merges `inputs` and `models`: `inputs` names come first, whichever key the entry
    /// lists first.
    mutating func setInputs(_ inputNames: [String], models modelNames: [String]) {
        inputsAreOwn = modelNames.isEmpty
        guard !modelNames.isEmpty else {
            inputs = inputNames
            return
        }
        var seen = Set<String>()
        inputs = (inputNames + modelNames).filter { seen.insert($0).inserted }
    }

    /// The text keys kept as spans.
    enum TextKey: Int, CaseIterable {
        case filename, checksum, remoteChecksum, description, createdAt, path, dataType

        var text: String {
            switch self {
            case .filename: return "filename"
            case .checksum: return "checksum"
            case .remoteChecksum: return CatalogItem.remoteChecksumKey
            case .description: return "description"
            case .createdAt: return "created_at"
            case .path: return "path"
            case .dataType: return "data_type"
            }
        }
    }

    /// Where a string value lies in the entry's text, relative to the entry's start.
    struct TextSpan: Sendable {
        var start: UInt32
        /// The content's length; the high bit marks content with escapes.
        var length: UInt32

        static let absent = TextSpan(start: .max, length: 0)
        static let maximumLength = Int(UInt32.max >> 1)

        var isAbsent: Bool { start == .max }
        var isEscaped: Bool { length >> 31 != 0 }
        var range: Range<Int> { Int(start)..<(Int(start) + Int(length & ~(1 << 31))) }
    }

    subscript(span key: TextKey) -> TextSpan {
        get {
            switch key {
            case .filename: return filenameSpan
            case .checksum: return checksumSpan
            case .remoteChecksum: return remoteChecksumSpan
            case .description: return descriptionSpan
            case .createdAt: return createdAtSpan
            case .path: return pathSpan
            case .dataType: return dataTypeSpan
            }
        }
        set {
            switch key {
            case .filename: filenameSpan = newValue
            case .checksum: checksumSpan = newValue
            case .remoteChecksum: remoteChecksumSpan = newValue
            case .description: descriptionSpan = newValue
            case .createdAt: createdAtSpan = newValue
            case .path: pathSpan = newValue
            case .dataType: dataTypeSpan = newValue
            }
        }
    }

    /// The keys the reader looks for; an entry's other keys are left in its bytes.
    enum Key: Int, CaseIterable {
        case name, itemType, isCurrent, versionID, archived, inputs, models, inSnapshots, sizeBytes, fileSize,
            filename, checksum, remoteChecksum, description, createdAt, path, dataType

        /// The key as `items.json` spells it.
        var text: String {
            switch self {
            case .name: return "name"
            case .itemType: return "item_type"
            case .isCurrent: return "is_current"
            case .versionID: return "version_id"
            case .archived: return "archived"
            case .inputs: return "inputs"
            case .models: return "models"
            case .inSnapshots: return "in_snapshots"
            case .sizeBytes: return "size_bytes"
            case .fileSize: return "file_size"
            case .filename: return TextKey.filename.text
            case .checksum: return TextKey.checksum.text
            case .remoteChecksum: return TextKey.remoteChecksum.text
            case .description: return TextKey.description.text
            case .createdAt: return TextKey.createdAt.text
            case .path: return TextKey.path.text
            case .dataType: return TextKey.dataType.text
            }
        }

        /// The span this key's value is kept as, for the text keys.
        var textKey: TextKey? {
            switch self {
            case .filename: return .filename
            case .checksum: return .checksum
            case .remoteChecksum: return .remoteChecksum
            case .description: return .description
            case .createdAt: return .createdAt
            case .path: return .path
            case .dataType: return .dataType
            default: return nil
            }
        }

        init?(_ text: String) {
            guard let key = Key.allCases.first(where: { $0.text == text }) else { return nil }
            self = key
        }

        /// Every key, for matching keys without building strings.
        static let table = JSONScanner.KeyTable(allCases.map(\.text))
    }

    /// The `item_type` spelled by `bytes`: a known kind's own string (shared, so no
    /// string is built for it), or a new one.
    static func itemType(_ bytes: UnsafeRawBufferPointer) -> String {
        if let known = knownKindTable.index(of: bytes) { return knownKinds[known] }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let knownKinds = [
        ItemKind.jsonData, .includedTable, .referencedTable, .numpyArray, .timestamp, .artifact, .model, .legacyPyTorchModel,
    ].map(\.rawValue)
    private static let knownKindTable = JSONScanner.KeyTable(knownKinds)
}

/// An entry's bytes as read from `items.json`, its fields once parsed, and its encodings
/// once computed. Copies of an entry share one instance; they can live in several folios
/// committing on several threads, so access is locked.
private final class EntryStorage: @unchecked Sendable {
    /// The entry's text as read, or `nil` for an entry built from fields.
    private let text: CatalogText?
    let keys: KeyFields
    // Guarded by `lock`.
    private var parsedFields: JSONObject?
    private var encoded: [UInt8]?
    /// Possibly shared with the other entries read from the same catalog.
    private let lock: NSLock

    init(fields: JSONObject) {
        text = nil
        parsedFields = fields
        keys = KeyFields(fields)
        lock = NSLock()
    }

    init(bytes: ArraySlice<UInt8>, canonical: Bool, keys: KeyFields, lock: NSLock) {
        text = CatalogText(bytes: bytes, canonical: canonical)
        self.keys = keys
        self.lock = lock
    }

    var fields: JSONObject {
        lock.withLock {
            if let parsedFields { return parsedFields }
            let parsed = text?.parsed()?.objectValue ?? [:]
            parsedFields = parsed
            return parsed
        }
    }

    func field(_ key: String) -> JSONValue? {
        guard let text, lock.withLock({ parsedFields == nil }) else { return fields[key] }
        // A text key whose (last) value is a string is where the reader left it.
        if let textKey = KeyFields.TextKey.allCases.first(where: { $0.text == key }), !keys[span: textKey].isAbsent {
            return self.text(textKey).map(JSONValue.string)
        }
        return text.member(key)
    }

    func fields(_ keys: [String]) -> [JSONValue?] {
        guard let text, lock.withLock({ parsedFields == nil }) else { return keys.map { fields[$0] } }
        return text.members(keys).map { $0?.parsed() }
    }

    /// The string value of a text key: decoded from where it lies in the text, or taken
    /// from the fields of an entry built from them.
    func text(_ key: KeyFields.TextKey) -> String? {
        guard let bytes = text?.bytes else { return fields[key.text]?.stringValue }
        let span = keys[span: key]
        guard !span.isAbsent else { return nil }
        return bytes.withUnsafeBytes { JSONScanner.string(in: $0, content: span.range, escaped: span.isEscaped) }
    }

    /// Hands `body` the UTF-8 of a text key's string value (`nil` without one): the
    /// entry's own bytes when they hold it unescaped, so no string is built.
    func withText<Result>(_ key: KeyFields.TextKey, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        if let bytes = text?.bytes {
            let span = keys[span: key]
            if span.isAbsent { return body(nil) }
            if !span.isEscaped {
                return bytes.withUnsafeBytes { entry in
                    span.range.upperBound <= entry.count ? body(UnsafeRawBufferPointer(rebasing: entry[span.range])) : body(nil)
                }
            }
        }
        guard var string = text(key) else { return body(nil) }
        return string.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    func hasSameBytes(as other: EntryStorage) -> Bool { CatalogText.same(text, other.text) }

    func writeEncoded(into out: inout [UInt8]) {
        if text?.writeIfCanonical(into: &out) == true { return }
        if let cached = lock.withLock({ encoded }) {
            out.append(contentsOf: cached)
            return
        }
        var encoding = [UInt8]()
        JSONValue.object(fields).write(into: &encoding, indented: true, depth: 2)
        lock.withLock { encoded = encoding }
        out.append(contentsOf: encoding)
    }
}
