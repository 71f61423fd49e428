import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// What Swift does not understand in a catalog, it keeps.
@Suite("Catalog preservation")
struct CatalogPreservationTests {
    @Test func unknownTypesAndKeysSurviveWrites() throws {
        let temp = TemporaryFolder("preserve")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("known", 1)
        // Another tool adds an item of its own type and extra keys everywhere.
        var catalog = try JSONValue(parsing: try LocalFile.read(temp.path("f/items.json"))).objectValue ?? [:]
        var items = catalog["items"]?.arrayValue ?? []
        var known = items[0].objectValue ?? [:]
        known["custom_key"] = ["nested": [1, 2]]
        items[0] = .object(known)
        items.append([
            "name": "special", "item_type": "swift_special", "filename": "special.bin", "extra_field": [1, 2],
            "is_current": true,
        ])
        catalog["items"] = .array(items)
        catalog["revision"] = .int(Int64(folio.revision + 1))
        var metadata = catalog["metadata"]?.objectValue ?? [:]
        metadata["tool_setting"] = ["a": nil]
        catalog["metadata"] = .object(metadata)
        try LocalFile.writeAtomically(JSONValue.object(catalog).formattedBytes(), to: temp.path("f/items.json"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: temp.path("f/special.bin")))

        #expect(folio.contains("special"))
        let special = try folio.value("special")
        #expect(special.unreadableReason != nil)
        #expect(special.item.fields["extra_field"] == [1, 2])
        #expect(folio.validate()["special"]?.status == .unchecked)
        #expect(folio.describe().contains("Other Items (1):\n  • special (swift_special): (no description)"))

        try folio.add("another", 2)
        try folio.delete("special")
        let after = try JSONValue(parsing: try LocalFile.read(temp.path("f/items.json")))
        #expect(after["items"]?[0]?["custom_key"] == ["nested": [1, 2]])
        #expect(after["metadata"]?["tool_setting"] == ["a": nil])
        #expect(FileManager.default.fileExists(atPath: temp.path("f/special.bin")), "a file whose folder is unknown is never deleted")
        #expect(after["items"]?.arrayValue?.count == 2)
    }

    @Test func catalogBytesMatchTheFormat() throws {
        let temp = TemporaryFolder("bytes")
        let folio = try DataFolio(at: temp.path("f"), metadata: ["é": "ü/\u{2028}", "n": 1e16, "x": 0.00001, "y": 3.0])
        try folio.add("a", ["k": [], "o": [:]], description: "d|e\nf")
        let text = try String(contentsOfFile: temp.path("f/items.json"), encoding: .utf8)
        #expect(text.contains("\"é\": \"ü/\u{2028}\""))
        #expect(text.contains("\"n\": 1e+16"))
        #expect(text.contains("\"x\": 0.00001"))
        #expect(text.contains("\"y\": 3.0"))
        #expect(!text.hasSuffix("\n"))
        let payload = try String(contentsOfFile: temp.path("f/artifacts/a--r2.json"), encoding: .utf8)
        #expect(payload == "{\n  \"k\": [],\n  \"o\": {}\n}")
        let contents = try String(contentsOfFile: temp.path("f/CONTENTS.md"), encoding: .utf8)
        #expect(contents.hasSuffix("| a | json_data | artifacts/a--r2.json | d\\|e f |\n"))
        #expect(contents.contains("manifest revision **2**"))
    }
}
