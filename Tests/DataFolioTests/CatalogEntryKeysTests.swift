@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// The keys the catalog reader decodes from an entry's bytes (and the ones it leaves
/// where they lie until asked for) must read exactly as parsing the entry gives them,
/// whatever another writer put there: escapes, nulls, numbers where text is expected,
/// repeated keys, keys longer than the reader's fast comparison.
@Suite("Catalog entry keys")
struct CatalogEntryKeysTests {
    /// Entries as another writer might have left them, some in the usual layout and some
    /// on one line.
    static let entries = [
        #"""
        {
              "name": "esc\u00e9",
              "item_type": "json_data",
              "filename": "a\/b.json",
              "checksum": null,
              "description": "say \"hi\"\n\ttabbed",
              "created_at": 5,
              "version_id": "esc--r1",
              "is_current": true,
              "size_bytes": 12,
              "data_type": "d\u0069ct"
            }
        """#,
        #"{"name": "dup", "item_type": "numpy_array", "description": "first", "description": "second", "is_current": true, "archived": true, "inputs": ["esc\u00e9", 3, "x"], "models": ["m", "x"], "file_size": 7, "size_bytes": "12", "data_type": "list", "data_type": null}"#,
        #"{"name": "ref", "item_type": "referenced_table", "path": "s3://b/k \u2603", "is_current": true, "inputs": "not a list", "archived": null, "size_bytes": -3, "filename": "x", "filename": null}"#,
        #"{"name": "odd", "item_type": "some_future_kind", "a_key_longer_than_sixteen_bytes": {"a": [1, 2.5e3]}, "is_current": "yes", "version_id": 4, "size_bytes": 2.0, "file_size": 9, "checksum": "c\u0041fe", "content_md5": "ffff", "data_type": 3, "data_type": "str", "tricky": ["] }", {"k": "\" ,", "n": -0.5}, [], {}], "key\u0041": 2, "last": true}"#,
        #"{"name": "old", "item_type": "json_data", "is_current": false, "version_id": "old--r1", "description": "", "created_at": "2024-01-01T00:00:00+00:00"}"#,
    ]

    func makeCatalog(_ temp: TemporaryFolder) throws -> String {
        let folio = try DataFolio(at: temp.path("f"))
        _ = folio
        let text = """
            {
              "schema_version": 2,
              "revision": 3,
              "metadata": {},
              "items": [
                \(CatalogEntryKeysTests.entries.joined(separator: ",\n    "))
              ],
              "snapshots": {}
            }
            """
        try LocalFile.writeAtomically(Array(text.utf8), to: temp.path("f/items.json"))
        return text
    }

    @Test func decodedKeysReadAsTheParsedEntry() throws {
        let temp = TemporaryFolder("entry-keys")
        let text = try makeCatalog(temp)
        let parsed = try JSONValue(parsing: Array(text.utf8))
        let entries = (parsed["items"]?.arrayValue ?? []).compactMap(\.objectValue)
        let folio = try DataFolio(at: temp.path("f"))
        let read = folio.catalog.items
        #expect(read.count == entries.count)
        for entry in entries {
            let name = try #require(entry["name"]?.stringValue)
            let item = try #require(read.first { $0.name == name })
            #expect(item.itemType == entry["item_type"]?.stringValue ?? "")
            #expect(item.versionID == entry["version_id"]?.stringValue)
            #expect(item.filename == entry["filename"]?.stringValue)
            #expect(item.checksum == entry["checksum"]?.stringValue ?? entry["content_md5"]?.stringValue)
            #expect(item.createdAt == entry["created_at"]?.stringValue)
            let description = entry["description"]?.stringValue
            #expect(item.description == (description?.isEmpty == false ? description : nil))
            #expect(item.referencePath == entry["path"]?.stringValue)
            #expect(item.isArchived == (entry["archived"]?.boolValue ?? false))
            #expect(item.isCurrent == (entry["is_current"]?.boolValue ?? true))
            #expect(item.recordedSize == (entry["size_bytes"].flatMap(KeyFields.size) ?? entry["file_size"].flatMap(KeyFields.size)))
            #expect(item.ownInputs == entry["inputs"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            // One key at a time, before the entry is parsed whole, then after.
            for key in entry.keys + ["absent"] {
                #expect(item.field(key) == entry[key], "\(name).\(key)")
            }
            #expect(item.fields == entry)
            for key in entry.keys { #expect(item.field(key) == entry[key]) }
        }
        #expect(read.first { $0.name == "esc\u{e9}" }?.description == "say \"hi\"\n\ttabbed")
        #expect(read.first { $0.name == "dup" }?.description == "second", "a repeated key: the last one counts, as in a parse")
        #expect(read.first { $0.name == "dup" }?.inputs == ["esc\u{e9}", "x", "m"])
        #expect(read.first { $0.name == "dup" }?.recordedSize == 7, "size_bytes is text, so file_size counts")
        #expect(read.first { $0.name == "ref" }?.filename == nil, "the later null wins")
        #expect(read.first { $0.name == "ref" }?.recordedSize == nil, "a negative size is no size")
        #expect(read.first { $0.name == "odd" }?.checksum == "cAfe")
        #expect(read.first { $0.name == "odd" }?.itemType == "some_future_kind")
        #expect(read.first { $0.name == "dup" }?.ownInputs == ["esc\u{e9}", "x"])
        #expect(read.first { $0.name == "odd" }?.field("data_type") == "str")
        #expect(read.first { $0.name == "dup" }?.field("data_type") == .null)
    }

    @Test func describeShowsRecordedSizesAndMeasuresTheRest() throws {
        let temp = TemporaryFolder("entry-keys")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("config", ["lr": 0.01])
        try folio.add("weights", NDArray([Float](repeating: 1, count: 8)))
        let config = try folio.item("config")
        let stored = try #require(try FileManager.default.attributesOfItem(atPath: temp.path("f/artifacts/config--r2.json"))[.size] as? Int)
        #expect(config.recordedSize == stored)
        // `describe` shows the size an entry records, without asking the store, and
        // measures an entry that records none (as Python writes them).
        var text = String(decoding: try LocalFile.read(temp.path("f/items.json")), as: UTF8.self)
        let weights = try #require(folio.item("weights").recordedSize)
        text = text.replacingOccurrences(of: ",\n      \"size_bytes\": \(weights)\n", with: "\n")
        text = text.replacingOccurrences(of: "\"size_bytes\": \(stored)\n", with: "\"size_bytes\": 4096\n")
        try LocalFile.writeAtomically(Array(text.utf8), to: temp.path("f/items.json"))
        let reopened = try DataFolio(at: temp.path("f"))
        #expect(try reopened.item("weights").recordedSize == nil)
        let lines = reopened.describe().split(separator: "\n").map(String.init)
        let configSize = try #require(lines.firstIndex { $0.hasPrefix("  • config") }).advanced(by: 2)
        let weightsSize = try #require(lines.firstIndex { $0.hasPrefix("  • weights") }).advanced(by: 2)
        #expect(lines[configSize] == "    ↳ size: 4.0 KB")
        #expect(lines[weightsSize] == "    ↳ size: \(weights) B")
        // The payload sizes the API reports are always measured.
        #expect(reopened.payloadSizes(of: reopened.items)["config"] == stored)
    }

    /// `describe` lists snapshots from their records' text without parsing the items they
    /// pin: what it shows must be what the parsed records say, for records another writer
    /// laid out its own way (repeated and escaped keys, a record that is not an object).
    @Test func describeListsSnapshotsAsTheParsedRecordsSayThem() throws {
        let temp = TemporaryFolder("entry-keys")
        let text = try makeCatalog(temp).replacingOccurrences(of: #""snapshots": {}"#, with: #"""
            "snapshots": {"a": {"timestamp": "2024-01-02T00:00:00+00:00", "item_versions": {"x": "x--r1", "\u0078": "x--r2", "y": "y--r1", "e\u0301": "1", "é": "2"}, "tags": ["t1", 2, "t\"3"], "description": "first \u2603"}, "odd": 5, "b": {"item_versions": [], "description": "", "timestamp": "2024-01-03T00:00:00+00:00", "description": "second"}, "c": {"timestamp": "2024-01-01T00:00:00+00:00", "item_versions": {}, "timestamp": "2025-01-01T00:00:00+00:00"}}
            """#)
        try LocalFile.writeAtomically(Array(text.utf8), to: temp.path("f/items.json"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let utc = try #require(TimeZone(identifier: "UTC"))
        let lines = try DataFolio(at: temp.path("f")).describe(DescribeOptions(now: now, timeZone: utc))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let summaries = try DataFolio(at: temp.path("f")).snapshots
        #expect(summaries.map(\.name) == ["c", "b", "a", "odd"])
        #expect(summaries.map(\.itemCount) == [0, 0, 4, 0])
        let start = try #require(lines.firstIndex(of: "Snapshots (4):"))
        var expected = [String]()
        for summary in summaries {
            expected.append("  • \(summary.name): \(summary.description ?? "(no description)")")
            let created = HumanTime(now: now, timeZone: utc).describe(summary.timestampText)
            expected.append("    ↳ created: \(created), items: \(summary.itemCount)")
            if !summary.tags.isEmpty { expected.append("    ↳ tags: " + summary.tags.joined(separator: ", ")) }
        }
        #expect(Array(lines[(start + 1)...].prefix(expected.count)) == expected)
        #expect(expected.contains("    ↳ tags: t1, t\"3"))
    }
}
