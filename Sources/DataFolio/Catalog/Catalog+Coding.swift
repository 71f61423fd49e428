import DataFolioJSON
import DataFolioSupport

extension Catalog {
    /// The catalog schema this library writes.
    static let schemaVersion = 2

    /// Reads a catalog from the bytes of `items.json` and, for the old layout, of the
    /// `metadata.json` and `snapshots.json` sidecar files.
    ///
    /// Accepts schema 2 (`{"schema_version": 2, "revision", "metadata", "items",
    /// "snapshots"}`), schema 0/1 (`{"items": [...]}` plus sidecars) and the oldest bare
    /// array. Entries lose their `in_snapshots` key and get `is_current: true` when it is
    /// missing, exactly as the Python reader does.
    init(
        itemsFile: [UInt8]?,
        sidecars: () throws(DataFolioError) -> (metadata: [UInt8]?, snapshots: [UInt8]?)
    ) throws(DataFolioError) {
        if let itemsFile, let catalog = try CatalogReader.read(itemsFile) {
            self = catalog
            return
        }
        var version = 0
        var revision = 0
        var rawItems: [JSONValue] = []
        var metadata = JSONObject()
        var snapshots = JSONObject()
        if let itemsFile {
            let root = try JSONValue(parsing: itemsFile, options: JSONParsingOptions(sourceName: "items.json"))
            switch root {
            case .array(let elements):
                rawItems = elements
            case .object(let object):
                version = try Catalog.integer(object["schema_version"], key: "schema_version", range: 0...Int(Int32.max))
                guard (0...Catalog.schemaVersion).contains(version) else {
                    throw DataFolioError(
                        .unsupportedCatalogVersion,
                        "items.json has schema_version \(version), which this version of DataFolio does not know (it reads 0 to 2). Update DataFolio to open this folio.")
                }
                revision = try Catalog.integer(object["revision"], key: "revision", range: 0...Catalog.maximumRevision)
                switch object["items"] {
                case nil, .null?: rawItems = []
                case .array(let elements)?: rawItems = elements
                default: throw DataFolioError(.catalogUnreadable, "items.json: 'items' is not a list. The catalog is damaged.")
                }
                if version == 2 {
                    metadata = try Catalog.object(object["metadata"], key: "metadata")
                    snapshots = try Catalog.object(object["snapshots"], key: "snapshots")
                }
            default:
                throw DataFolioError(.catalogUnreadable, "items.json holds neither a list nor an object. The catalog is damaged.")
            }
        }
        if version < 2 {
            let (metadataFile, snapshotsFile) = try sidecars()
            if let metadataFile {
                let value = try JSONValue(parsing: metadataFile, options: JSONParsingOptions(sourceName: "metadata.json"))
                guard case .object(let object) = value else {
                    throw DataFolioError(.catalogUnreadable, "metadata.json does not hold an object. The folio metadata is damaged.")
                }
                metadata = object
            }
            if let snapshotsFile {
                let value = try JSONValue(parsing: snapshotsFile, options: JSONParsingOptions(sourceName: "snapshots.json"))
                snapshots = try Catalog.object(value["snapshots"], key: "snapshots")
            }
        }
        var parsed = [CatalogItem]()
        parsed.reserveCapacity(rawItems.count)
        for raw in rawItems {
            guard case .object(var fields) = raw else {
                throw DataFolioError(.catalogUnreadable, "items.json: an entry of 'items' is not an object. The catalog is damaged.")
            }
            fields.removeValue(forKey: "in_snapshots")
            if fields["is_current"] == nil { fields["is_current"] = .bool(true) }
            parsed.append(CatalogItem(fields: fields))
        }
        self.init(loadedSchemaVersion: version, revision: revision, metadata: metadata, entries: parsed, snapshots: SnapshotRecords(snapshots))
    }

    /// A catalog as read: two current entries for one name mean the later one wins, as
    /// in Python, so the earlier ones are dropped.
    init(loadedSchemaVersion: Int, revision: Int, metadata: JSONObject, entries: [CatalogItem], snapshots: SnapshotRecords) {
        self.init(schemaVersion: loadedSchemaVersion, revision: revision, metadata: metadata, items: entries, snapshots: snapshots)
        guard currentNameCount < currentEntryCount else { return }
        let winners = Set(entries.indices.filter { currentIndex(entries[$0].name) == $0 })
        let kept = entries.enumerated().filter { index, item in !item.isCurrent || winners.contains(index) }.map(\.element)
        replaceAllEntries(kept)
    }

    /// The largest revision accepted: far beyond any real folio, and far enough from
    /// `Int.max` that counting on from it never overflows.
    static let maximumRevision = 1 << 52

    private static func integer(_ value: JSONValue?, key: String, range: ClosedRange<Int>) throws(DataFolioError) -> Int {
        let number: Int
        switch value {
        case nil, .null?: return 0
        case .int(let integer)?: number = Int(integer)
        case .double(let double)? where double == double.rounded() && abs(double) < 1e15: number = Int(double)
        case .bool(let flag)?: return flag ? 1 : 0
        default:
            throw DataFolioError(.catalogUnreadable, "items.json: '\(key)' is not an integer. The catalog is damaged.")
        }
        guard range.contains(number) else {
            throw DataFolioError(
                .catalogUnreadable,
                "items.json: '\(key)' is \(number), outside \(range.lowerBound)...\(range.upperBound). The catalog is damaged or was edited by hand.")
        }
        return number
    }

    private static func object(_ value: JSONValue?, key: String) throws(DataFolioError) -> JSONObject {
        switch value {
        case nil, .null?: return [:]
        case .object(let object)?: return object
        default:
            throw DataFolioError(.catalogUnreadable, "items.json: '\(key)' is not an object. The catalog is damaged.")
        }
    }

    /// The schema-2 JSON of the catalog, in the exact layout the Python datafolio writes.
    func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(1024 + items.count * 512)
        // Never flushes: everything stays in `out`.
        encode(into: &out) { (_: inout [UInt8]) -> Void in }
        return out
    }

    /// Writes what ``encoded()`` returns to `output` in pieces of about a megabyte, so a
    /// catalog of many items is never held twice in memory.
    func write(to output: any ByteOutput) throws(DataFolioError) {
        var out = [UInt8]()
        out.reserveCapacity(Catalog.writeChunk + (64 << 10))
        try encode(into: &out) { (chunk: inout [UInt8]) throws(DataFolioError) in
            guard chunk.count >= Catalog.writeChunk else { return }
            try output.write(chunk)
            chunk.removeAll(keepingCapacity: true)
        }
        try output.write(out)
    }

    static let writeChunk = 1 << 20

    /// Appends the catalog's JSON to `out`, offering it to `flush` after every entry and
    /// snapshot record.
    private func encode<Failure: Error>(into out: inout [UInt8], flush: (inout [UInt8]) throws(Failure) -> Void) throws(Failure) {
        out.append(contentsOf: "{\n  \"schema_version\": \(Catalog.schemaVersion),\n  \"revision\": \(revision),\n  \"metadata\": ".utf8)
        JSONValue.object(metadata).write(into: &out, depth: 1)
        out.append(contentsOf: ",\n  \"items\": ".utf8)
        if items.isEmpty {
            out.append(contentsOf: [0x5B, 0x5D])
        } else {
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                out.append(contentsOf: (i == 0 ? "\n    " : ",\n    ").utf8)
                item.writeCatalogEntry(into: &out)
                try flush(&out)
            }
            out.append(contentsOf: "\n  ]".utf8)
        }
        out.append(contentsOf: ",\n  \"snapshots\": ".utf8)
        try snapshots.write(into: &out, flush: flush)
        out.append(contentsOf: "\n}".utf8)
    }
}
