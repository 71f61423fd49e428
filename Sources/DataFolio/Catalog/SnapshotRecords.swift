import DataFolioJSON
import Foundation

/// The catalog's snapshot records by name, in catalog order.
///
/// A snapshot record lists a version for every item, so on a folio of many items the
/// records are a large part of `items.json`, and most commands never look at them.
/// Records read from the file stay as their (checked) bytes until something asks for
/// one, and a commit writes back unchanged records as they were read.
struct SnapshotRecords: Sendable, Equatable, Sequence {
    private var records: [Record] = []

    /// One named record: its bytes as read, or its value.
    private struct Record: Sendable {
        let name: String
        let storage: RecordStorage
    }

    /// No snapshots.
    init() {}

    /// The records of a parsed `snapshots` object.
    init(_ object: JSONObject) {
        records = object.members.map { Record(name: $0.key, storage: RecordStorage(value: $0.value)) }
    }

    /// Records as `items.json` holds them: each name with the checked bytes of its value,
    /// `canonical` when laid out as this library writes a record.
    init(reading entries: [(name: String, bytes: ArraySlice<UInt8>, canonical: Bool)], lock: NSLock) {
        records = entries.map { Record(name: $0.name, storage: RecordStorage(bytes: $0.bytes, canonical: $0.canonical, lock: lock)) }
    }

    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    /// The snapshot names in catalog order.
    var keys: [String] { records.map(\.name) }

    /// Every record, parsed, in catalog order.
    var members: [(key: String, value: JSONValue)] { records.map { ($0.name, $0.storage.value) } }

    func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { members.makeIterator() }

    /// What a listing shows of every record, in catalog order, read without parsing the
    /// records' `item_versions` (a member per pinned item).
    var headlines: [SnapshotHeadline] { records.map { $0.storage.headline(name: $0.name) } }

    /// Names compare by their exact Unicode scalars, as JSON object keys do.
    private func position(of name: String) -> Int? {
        records.firstIndex { $0.name.utf8.elementsEqual(name.utf8) }
    }

    /// Whether a snapshot of this name exists (without reading any record).
    func contains(_ name: String) -> Bool { position(of: name) != nil }

    /// The record of `name`; setting `nil` removes it, setting a new name adds it last.
    subscript(name: String) -> JSONValue? {
        get { position(of: name).map { records[$0].storage.value } }
        set {
            guard let newValue else {
                removeValue(forKey: name)
                return
            }
            let record = Record(name: name, storage: RecordStorage(value: newValue))
            if let index = position(of: name) {
                records[index] = record
            } else {
                records.append(record)
            }
        }
    }

    @discardableResult
    mutating func removeValue(forKey name: String) -> JSONValue? {
        guard let index = position(of: name) else { return nil }
        return records.remove(at: index).storage.value
    }

    /// All records as one object.
    var object: JSONObject { JSONObject(members) }

    static func == (lhs: SnapshotRecords, rhs: SnapshotRecords) -> Bool {
        guard lhs.records.count == rhs.records.count else { return false }
        return zip(lhs.records, rhs.records).allSatisfy { a, b in
            a.name.utf8.elementsEqual(b.name.utf8) && (a.storage === b.storage || a.storage.hasSameBytes(as: b.storage) || a.storage.value == b.storage.value)
        }
    }

    /// Appends the `snapshots` object as the catalog holds it (one level deep), offering
    /// `out` to `flush` after every record.
    func write<Failure: Error>(into out: inout [UInt8], flush: (inout [UInt8]) throws(Failure) -> Void) throws(Failure) {
        guard !records.isEmpty else {
            out.append(contentsOf: [0x7B, 0x7D])
            return
        }
        out.append(0x7B)
        for (index, record) in records.enumerated() {
            out.append(contentsOf: (index == 0 ? "\n    " : ",\n    ").utf8)
            JSONValue.string(record.name).write(into: &out, indented: true, depth: 2)
            out.append(contentsOf: [0x3A, 0x20])
            record.storage.writeEncoded(into: &out)
            try flush(&out)
        }
        out.append(contentsOf: "\n  }".utf8)
    }
}

/// A snapshot record's bytes as read and its value once parsed, shared by copies of the
/// catalog on several threads (so the parse is locked).
private final class RecordStorage: @unchecked Sendable {
    /// The record's text as read, or `nil` for a record made here.
    private let text: CatalogText?
    // Guarded by `lock`.
    private var parsed: JSONValue?
    /// Possibly shared with the other records read from the same catalog.
    private let lock: NSLock

    init(value: JSONValue) {
        text = nil
        parsed = value
        lock = NSLock()
    }

    init(bytes: ArraySlice<UInt8>, canonical: Bool, lock: NSLock) {
        text = CatalogText(bytes: bytes, canonical: canonical)
        self.lock = lock
    }

    var value: JSONValue {
        lock.withLock {
            if let parsed { return parsed }
            let value = text?.parsed() ?? .null
            parsed = value
            return value
        }
    }

    /// The record's headline: from its text while it is unparsed, which skips over
    /// `item_versions` and counts its keys instead of building a value per item (a
    /// record that is not an object has none of the members, as when parsed).
    func headline(name: String) -> SnapshotHeadline {
        let alreadyParsed = lock.withLock { parsed }
        guard alreadyParsed == nil, let text else { return SnapshotHeadline(name: name, record: value.objectValue ?? [:]) }
        let members = text.members(["timestamp", "description", "tags", "item_versions"])
        return SnapshotHeadline(
            name: name, timestamp: members[0]?.parsed(), description: members[1]?.parsed(), tags: members[2]?.parsed(),
            itemCount: members[3]?.keyCount ?? 0)
    }

    func hasSameBytes(as other: RecordStorage) -> Bool { CatalogText.same(text, other.text) }

    /// The record two levels deep: its text when it is what the writer would write.
    func writeEncoded(into out: inout [UInt8]) {
        if text?.writeIfCanonical(into: &out) != true {
            value.write(into: &out, indented: true, depth: 2)
        }
    }
}
