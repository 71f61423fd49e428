import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// The catalog is read as bytes: entries and snapshot records stay as read until asked
/// for, and a commit writes back what it did not change. What that must never change:
/// what a reader sees, what gets refused, and the layout of what is written.
@Suite("Catalog reading")
struct CatalogReadingTests {
    /// A folio with items of several kinds, lineage, an archived item, an overwrite and a snapshot.
    func makeFolio(_ temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("raw", ["a": 1, "b": [1.5, "x"]], description: "raw values")
        try folio.add("weights", NDArray([Float](repeating: 0.5, count: 6)), inputs: ["raw"])
        try folio.add("when", Date(timeIntervalSince1970: 1_700_000_000), description: "a | pipe\nand a newline")
        try folio.createSnapshot("first", description: "before the overwrite", tags: ["t"], capture: [])
        try folio.add("raw", ["a": 2], description: "raw values, again", overwrite: true)
        try folio.add("notes", "é日😀 \"quoted\" \\ /", inputs: ["raw", "weights"])
        try folio.archive(["when"])
        return folio
    }

    func catalogText(_ temp: TemporaryFolder) throws -> String {
        String(decoding: try LocalFile.read(temp.path("f/items.json")), as: UTF8.self)
    }

    @Test func everyFieldReadsAsTheParsedCatalogHasIt() throws {
        let temp = TemporaryFolder("reading")
        _ = try makeFolio(temp)
        let parsed = try JSONValue(parsing: try LocalFile.read(temp.path("f/items.json")))
        let entries = (parsed["items"]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["is_current"]?.boolValue == true }
        let reopened = try DataFolio(at: temp.path("f"))
        #expect(entries.count == 4)
        for entry in entries {
            let name = try #require(entry["name"]?.stringValue)
            let item = try reopened.item(name)
            #expect(item.fields == entry)
            #expect(item.itemType == entry["item_type"]?.stringValue)
            #expect(item.versionID == entry["version_id"]?.stringValue)
            #expect(item.filename == entry["filename"]?.stringValue)
            #expect(item.checksum == entry["checksum"]?.stringValue)
            #expect(item.createdAt == entry["created_at"]?.stringValue)
            #expect(item.description == entry["description"]?.stringValue)
            #expect(item.isArchived == (entry["archived"]?.boolValue ?? false))
            #expect(item.inputs == (entry["inputs"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        #expect(try reopened.item("notes").inputs == ["raw", "weights"])
        #expect(try reopened.item("when").isArchived)
        let summary = try reopened.snapshotSummary("first")
        #expect(summary.itemCount == 3)
        #expect(summary.record == parsed["snapshots"]?["first"]?.objectValue)
    }

    @Test func aCommitWritesUnchangedEntriesAndSnapshotsBackAsTheyWere() throws {
        let temp = TemporaryFolder("reading")
        _ = try makeFolio(temp)
        let before = try catalogText(temp)
        let reopened = try DataFolio(at: temp.path("f"))
        try reopened.add("late", 3)
        let after = try catalogText(temp)
        // Each entry and the snapshot record, as text, is still there byte for byte.
        let parsed = try JSONValue(parsing: before)
        for entry in parsed["items"]?.arrayValue ?? [] {
            var text = [UInt8]()
            entry.write(into: &text, depth: 2)
            #expect(after.contains(String(decoding: text, as: UTF8.self)))
        }
        // And the whole file is exactly what writing the parsed catalog gives.
        #expect(Array(after.utf8) == (try JSONValue(parsing: after)).formattedBytes())
        #expect(after.contains("\"late\""))
    }

    @Test func entriesLaidOutByAnotherWriterAreRewrittenInTheUsualLayout() throws {
        let temp = TemporaryFolder("reading")
        _ = try makeFolio(temp)
        // Another tool rewrote the catalog without indentation (still valid JSON).
        let compact = try JSONValue(parsing: try LocalFile.read(temp.path("f/items.json"))).formattedBytes(indented: false)
        try LocalFile.writeAtomically(compact, to: temp.path("f/items.json"))
        let reopened = try DataFolio(at: temp.path("f"))
        #expect(try reopened.item("raw").description == "raw values, again")
        try reopened.add("late", 3)
        let after = try LocalFile.read(temp.path("f/items.json"))
        #expect(after == (try JSONValue(parsing: after)).formattedBytes())
        #expect(try reopened.snapshotSummary("first").itemCount == 3)
    }

    @Test func damageAnywhereInAnEntryIsRefusedWhenTheFolioOpens() throws {
        let temp = TemporaryFolder("reading")
        _ = try makeFolio(temp)
        let good = try LocalFile.read(temp.path("f/items.json"))
        let text = String(decoding: good, as: UTF8.self)
        // Damage in keys no command decodes up front: an entry's data type, a snapshot's tags.
        let damaged: [[UInt8]] = [
            Array(text.replacingOccurrences(of: "\"data_type\": \"dict\"", with: "\"data_type\": \"di\\qct\"").utf8),
            Array(text.replacingOccurrences(of: "\"tags\": [", with: "\"tags\": [,").utf8),
            Array(text.replacingOccurrences(of: "\"dtype\": \"float32\"", with: "\"dtype\": \"float32\u{1}\"").utf8),
            Array(text.replacingOccurrences(of: "\"data_type\": \"dict\"", with: "\"data_type\": \"d\u{FFFD}ct\"").utf8)
                .map { $0 == 0xEF ? 0xFF : $0 },
        ]
        for bytes in damaged {
            #expect(bytes != good)
            try LocalFile.writeAtomically(bytes, to: temp.path("f/items.json"))
            #expect(throws: DataFolioError.self) { try DataFolio(at: temp.path("f")) }
        }
    }

    @Test func entriesOfOlderWritersAreNormalized() throws {
        let temp = TemporaryFolder("reading")
        _ = try makeFolio(temp)
        var catalog = try #require(try JSONValue(parsing: try LocalFile.read(temp.path("f/items.json"))).objectValue)
        var entries = catalog["items"]?.arrayValue ?? []
        var first = try #require(entries.first?.objectValue)
        first["in_snapshots"] = ["first"]
        first.removeValue(forKey: "is_current")
        entries[0] = .object(first)
        catalog["items"] = .array(entries)
        try LocalFile.writeAtomically(JSONValue.object(catalog).formattedBytes(), to: temp.path("f/items.json"))
        let reopened = try DataFolio(at: temp.path("f"))
        let name = try #require(first["name"]?.stringValue)
        #expect(try reopened.item(name).fields["in_snapshots"] == nil)
        #expect(try reopened.item(name).isCurrent)
        try reopened.add("late", 3)
        let rewritten = try JSONValue(parsing: try LocalFile.read(temp.path("f/items.json")))
        let entry = try #require(rewritten["items"]?.arrayValue?.first { $0["name"]?.stringValue == name })
        #expect(entry["in_snapshots"] == nil)
        #expect(entry["is_current"] == true)
    }

    @Test func aLaterCurrentEntryOfTheSameNameWins() throws {
        let temp = TemporaryFolder("reading")
        _ = try makeFolio(temp)
        var catalog = try #require(try JSONValue(parsing: try LocalFile.read(temp.path("f/items.json"))).objectValue)
        var entries = catalog["items"]?.arrayValue ?? []
        var copy = try #require(entries.first { $0["name"]?.stringValue == "notes" }?.objectValue)
        copy["description"] = "the later one"
        entries.insert(.object(copy), at: 1)
        catalog["items"] = .array(entries)
        try LocalFile.writeAtomically(JSONValue.object(catalog).formattedBytes(), to: temp.path("f/items.json"))
        let reopened = try DataFolio(at: temp.path("f"))
        #expect(try reopened.item("notes").description == nil)
        #expect(reopened.itemNames.filter { $0 == "notes" }.count == 1)
    }
}
