import DataFolioJSON
import Foundation
import DataFolioSupport

/// Reads a schema-2 `items.json` without building a JSON tree of its entries: each entry
/// is checked, its often-read keys are decoded (``KeyFields``) and the rest stays as its
/// bytes, parsed only when something asks for the entry's fields. Opening a folio of
/// many items then costs one pass over the text, and a commit writes back the bytes of
/// every entry it did not change.
enum CatalogReader {
    /// The catalog in `bytes`, or `nil` when they are not a schema-2 catalog object (an
    /// older layout, which the tree reader handles).
    static func read(_ bytes: [UInt8]) throws(DataFolioError) -> Catalog? {
        var result: Result<Catalog?, DataFolioError> = .success(nil)
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                result = .success(try read(raw, storage: bytes))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    private static func read(_ raw: UnsafeRawBufferPointer, storage: [UInt8]) throws(DataFolioError) -> Catalog? {
        var scanner = JSONScanner(bytes: raw, sourceName: "items.json")
        scanner.skipByteOrderMark()
        scanner.skipWhitespace(expectingIndent: nil)
        guard scanner.consume(0x7B) else { return nil }
        var version: JSONValue?
        var revision: JSONValue?
        var metadata: JSONValue?
        var snapshots: JSONValue?
        var items: [CatalogItem]?
        var snapshotRecords = SnapshotRecords()
        // One lock for the entries and records of one read: each guards its lazily parsed
        // value with it, and a lock each would cost an allocation each.
        let lock = NSLock()
        scanner.skipWhitespace(expectingIndent: nil)
        if !scanner.consume(0x7D) {
            repeat {
                scanner.skipWhitespace(expectingIndent: nil)
                var ignored = true
                let key = try scanner.readKey(canonical: &ignored)
                scanner.skipWhitespace(expectingIndent: nil)
                switch key {
                case "schema_version": version = try scanner.readValue(level: 1)
                case "revision": revision = try scanner.readValue(level: 1)
                case "metadata": metadata = try scanner.readValue(level: 1)
                case "snapshots":
                    if scanner.next == 0x7B {
                        snapshotRecords = try readSnapshotRecords(&scanner, storage: storage, lock: lock)
                    } else {
                        snapshots = try scanner.readValue(level: 1)
                    }
                case "items":
                    guard scanner.next == 0x5B else {
                        // Not a list: the tree reader words the error.
                        return nil
                    }
                    items = try readEntries(&scanner, raw: raw, storage: storage, lock: lock)
                default: _ = try scanner.skipValue(level: 1)
                }
                scanner.skipWhitespace(expectingIndent: nil)
            } while scanner.consume(0x2C)
            try scanner.expect(0x7D, "',' or '}' in an object")
        }
        scanner.skipWhitespace(expectingIndent: nil)
        guard scanner.next == nil else { throw scanner.error("unexpected text after the value") }
        // Only the current layout is read here; the rules for the others (and the
        // wording of every complaint about the top-level keys) live in the tree reader.
        guard case .int(2)? = version, case .int(let counter)? = revision, (0...Int64(Catalog.maximumRevision)).contains(counter)
        else { return nil }
        let metadataObject: JSONObject
        switch metadata {
        case nil, .null?: metadataObject = [:]
        case .object(let object)?: metadataObject = object
        default: return nil
        }
        switch snapshots {
        case nil, .null?: break
        default: return nil
        }
        return Catalog(
            loadedSchemaVersion: 2, revision: Int(counter), metadata: metadataObject, entries: items ?? [], snapshots: snapshotRecords)
    }

    /// The entries of the `items` list, each kept as its bytes.
    private static func readEntries(
        _ scanner: inout JSONScanner, raw: UnsafeRawBufferPointer, storage: [UInt8], lock: NSLock
    ) throws(DataFolioError) -> [CatalogItem] {
        // Loaded once: reading a global per key would retain and release its arrays.
        let keyTable = KeyFields.Key.table
        try scanner.expect(0x5B, "'['")
        var entries = [CatalogItem]()
        scanner.skipWhitespace(expectingIndent: nil)
        if scanner.consume(0x5D) { return entries }
        repeat {
            scanner.skipWhitespace(expectingIndent: nil)
            entries.append(try readEntry(&scanner, raw: raw, storage: storage, lock: lock, keyTable: keyTable))
            scanner.skipWhitespace(expectingIndent: nil)
        } while scanner.consume(0x2C)
        try scanner.expect(0x5D, "',' or ']' in an array")
        return entries
    }

    /// The `snapshots` object: each record checked and kept as its bytes.
    private static func readSnapshotRecords(
        _ scanner: inout JSONScanner, storage: [UInt8], lock: NSLock
    ) throws(DataFolioError) -> SnapshotRecords {
        try scanner.expect(0x7B, "'{'")
        var records = [(name: String, bytes: ArraySlice<UInt8>, canonical: Bool)]()
        scanner.skipWhitespace(expectingIndent: nil)
        if !scanner.consume(0x7D) {
            repeat {
                scanner.skipWhitespace(expectingIndent: nil)
                var ignored = true
                let name = try scanner.readKey(canonical: &ignored)
                scanner.skipWhitespace(expectingIndent: nil)
                let start = scanner.position
                // Records sit at level 2: `{"snapshots": {"name": {…}}}`.
                let canonical = try scanner.skipValue(level: 2)
                let record = (name: name, bytes: storage[start..<scanner.position], canonical: canonical)
                // A repeated name: the last record wins, in the first one's place, as a parse would have it.
                if let first = records.firstIndex(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
                    records[first] = record
                } else {
                    records.append(record)
                }
                scanner.skipWhitespace(expectingIndent: nil)
            } while scanner.consume(0x2C)
            try scanner.expect(0x7D, "',' or '}' in an object")
        }
        return SnapshotRecords(reading: records, lock: lock)
    }

    /// One entry: checked to the end, its kept keys decoded, its bytes sliced out.
    private static func readEntry(
        _ scanner: inout JSONScanner, raw: UnsafeRawBufferPointer, storage: [UInt8], lock: NSLock,
        keyTable: JSONScanner.KeyTable
    ) throws(DataFolioError) -> CatalogItem {
        let start = scanner.position
        guard scanner.consume(0x7B) else {
            throw DataFolioError(.catalogUnreadable, "items.json: an entry of 'items' is not an object. The catalog is damaged.")
        }
        // Entries sit two levels deep (`{"items": [{…}]}`), so their members are at level 3.
        var keys = KeyFields()
        var inputNames: [String] = []
        var modelNames: [String] = []
        var sizeBytes: Int?
        var fileSize: Int?
        var hasCurrentFlag = false
        var needsNormalizing = false
        var canonical = true
        scanner.skipWhitespace(expectingIndent: nil)
        if scanner.consume(0x7D) {
            canonical = false
        } else {
            var afterOpening = true
            repeat {
                // The whitespace after `{` was skipped above, the one after `,` is skipped here.
                if afterOpening {
                    afterOpening = false
                    canonical = isIndent(raw, (start + 1)..<scanner.position, level: 3)
                } else {
                    canonical = scanner.skipWhitespace(expectingIndent: 3) && canonical
                }
                let key = try scanner.readKey(among: keyTable, canonical: &canonical).flatMap(KeyFields.Key.init(rawValue:))
                switch key {
                case .isCurrent?: hasCurrentFlag = true
                case .inSnapshots?: needsNormalizing = true
                default: break
                }
                let first = scanner.next
                switch key {
                case nil, .inSnapshots?:
                    canonical = try scanner.skipValue(level: 3) && canonical
                case let key? where first == 0x22:
                    let (content, escaped) = try scanner.skipString()
                    if let textKey = key.textKey {
                        // Kept as where it lies, relative to the entry; an entry too
                        // large for that is kept as its parsed fields instead.
                        let offset = content.lowerBound - start
                        if offset < Int(UInt32.max), content.count <= KeyFields.TextSpan.maximumLength {
                            keys[span: textKey] = KeyFields.TextSpan(
                                start: UInt32(offset), length: UInt32(content.count) | (escaped ? 1 << 31 : 0))
                        } else {
                            needsNormalizing = true
                        }
                    } else {
                        // The scanner checked the string, so it decodes.
                        let string = { JSONScanner.string(in: raw, content: content, escaped: escaped) ?? "" }
                        switch key {
                        case .name: keys.name = string()
                        case .itemType:
                            keys.itemType = escaped ? string() : KeyFields.itemType(UnsafeRawBufferPointer(rebasing: raw[content]))
                        case .versionID: keys.versionID = string()
                        // Not a flag or a list: what reading the fields makes of it.
                        case .isCurrent: keys.isCurrent = true
                        case .archived: keys.isArchived = false
                        case .inputs: inputNames = []
                        case .models: modelNames = []
                        case .sizeBytes: sizeBytes = nil
                        case .fileSize: fileSize = nil
                        default: break
                        }
                    }
                case let key?:
                    // Flags, lists of names, nulls: checked for layout, then taken in.
                    let valueStart = scanner.position
                    canonical = try scanner.skipValue(level: 3) && canonical
                    switch key {
                    case .name: keys.name = ""
                    case .itemType: keys.itemType = ""
                    case .versionID: keys.versionID = nil
                    case .isCurrent: keys.isCurrent = first != 0x66
                    case .archived: keys.isArchived = first == 0x74
                    case .sizeBytes, .fileSize:
                        let size: Int?
                        if first == 0x5B || first == 0x7B {
                            size = nil
                        } else if let plain = digits(UnsafeRawBufferPointer(rebasing: raw[valueStart..<scanner.position])) {
                            size = plain
                        } else {
                            size = KeyFields.size(try parse(raw, valueStart..<scanner.position))
                        }
                        if key == .sizeBytes { sizeBytes = size } else { fileSize = size }
                    case .inputs, .models:
                        let names = first == 0x5B ? try parse(raw, valueStart..<scanner.position).arrayValue?.compactMap(\.stringValue) ?? [] : []
                        if key == .inputs { inputNames = names } else { modelNames = names }
                    default:
                        if let textKey = key.textKey { keys[span: textKey] = .absent }
                    }
                }
                let spaceStart = scanner.position
                scanner.skipWhitespace(expectingIndent: nil)
                if scanner.consume(0x2C) {
                    canonical = canonical && scanner.position == spaceStart + 1
                    continue
                }
                canonical = canonical && isIndent(raw, spaceStart..<scanner.position, level: 2)
                try scanner.expect(0x7D, "',' or '}' in an object")
                break
            } while true
        }
        let end = scanner.position
        keys.setInputs(inputNames, models: modelNames)
        keys.recordedSize = sizeBytes ?? fileSize
        if needsNormalizing || !hasCurrentFlag {
            // Entries of older writers (an `in_snapshots` key, no `is_current`) are
            // rebuilt from their parsed fields, as the tree reader does; so are entries
            // too large to keep offsets into.
            let text = UnsafeRawBufferPointer(rebasing: raw[start..<end])
            var fields = try JSONValue(parsing: text, options: JSONParsingOptions(sourceName: "items.json")).objectValue ?? [:]
            fields.removeValue(forKey: "in_snapshots")
            if fields["is_current"] == nil { fields["is_current"] = .bool(true) }
            return CatalogItem(fields: fields)
        }
        return CatalogItem(entryBytes: storage[start..<end], canonical: canonical, keys: keys, lock: lock)
    }

    /// The value of a member whose text the scanner just checked.
    private static func parse(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) throws(DataFolioError) -> JSONValue {
        var value = JSONScanner(bytes: UnsafeRawBufferPointer(rebasing: raw[range]), sourceName: "items.json")
        return try value.readValue(level: 3)
    }

    /// The value of checked number text of up to 18 plain digits (a size as writers write
    /// it), without building a value; `nil` for any other spelling.
    private static func digits(_ text: UnsafeRawBufferPointer) -> Int? {
        guard (1...18).contains(text.count) else { return nil }
        var value = 0
        for byte in text {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Whether `range` of `raw` is a newline and `2 × level` spaces.
    private static func isIndent(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, level: Int) -> Bool {
        guard range.count == 1 + 2 * level, raw[range.lowerBound] == 0x0A else { return false }
        return raw[(range.lowerBound + 1)..<range.upperBound].allSatisfy { $0 == 0x20 }
    }
}

/// A value's text as `items.json` holds it: checked by the reader with the parser's own
/// rules, and `canonical` when laid out exactly as this library writes it there (so it
/// can be written back as it is).
struct CatalogText: Sendable {
    let bytes: ArraySlice<UInt8>
    let canonical: Bool

    /// The parsed value. The reader checked these bytes, so the parse succeeds; `nil`
    /// stands in should it ever not.
    func parsed() -> JSONValue? {
        bytes.withUnsafeBytes { try? JSONValue(parsing: $0, options: JSONParsingOptions(sourceName: "items.json")) }
    }

    /// The value of member `key` of this object's text (the last one, should the key
    /// repeat), parsed alone; `nil` when there is none.
    func member(_ key: String) -> JSONValue? {
        // Entries and records sit two levels deep in `items.json`.
        bytes.withUnsafeBytes { JSONScanner.member(key, ofCheckedObject: $0, level: 2) }
    }

    /// The texts of the members `keys` of this object's text (the last of a repeated
    /// key), found in one pass; `nil` for a key it does not have.
    func members(_ keys: [String]) -> [CatalogText?] {
        let ranges = bytes.withUnsafeBytes { JSONScanner.memberRanges(keys, ofCheckedObject: $0) }
        let base = bytes.startIndex
        return ranges.map { range in
            range.map { CatalogText(bytes: bytes[(base + $0.lowerBound)..<(base + $0.upperBound)], canonical: false) }
        }
    }

    /// How many distinct keys this object's text has; `nil` when it is not an object.
    var keyCount: Int? {
        bytes.withUnsafeBytes { JSONScanner.keyCount(ofCheckedObject: $0) }
    }

    /// Whether both are the same text (then their values are equal).
    static func same(_ a: CatalogText?, _ b: CatalogText?) -> Bool {
        guard let a, let b else { return false }
        return a.bytes == b.bytes
    }

    /// Appends the text when it can be written as it is; returns whether it did.
    func writeIfCanonical(into out: inout [UInt8]) -> Bool {
        guard canonical else { return false }
        out.append(contentsOf: bytes)
        return true
    }
}
