import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Damaged catalogs and payloads: a clear error, nothing written, no crash.
@Suite("Bad input")
struct BadInputTests {
    static let damagedCatalogs: [(String, String)] = [
        ("empty", ""),
        ("not JSON", "{ this is not json"),
        ("truncated", "{\n  \"schema_version\": 2,\n  \"revision\": 3,\n  \"items\": ["),
        ("a number", "42"),
        ("items not a list", #"{"schema_version": 2, "revision": 1, "items": {"a": 1}}"#),
        ("entry not an object", #"{"schema_version": 2, "revision": 1, "items": [1]}"#),
        ("metadata not an object", #"{"schema_version": 2, "revision": 1, "metadata": [], "items": []}"#),
        ("revision a string", #"{"schema_version": 2, "revision": "x", "items": []}"#),
        ("future schema", #"{"schema_version": 3, "revision": 1, "items": []}"#),
        ("deep nesting", String(repeating: "[", count: 100_000)),
        ("invalid UTF-8", "{\"schema_version\": 2, \"items\": [{\"name\": \"\u{FFFD}\"}]}"),
    ]

    @Test(arguments: damagedCatalogs.map(\.0))
    func damagedCatalogsAreRefusedClearly(_ label: String) throws {
        let temp = TemporaryFolder("badcatalog")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("a", 1)
        var bytes: [UInt8] = Array((Self.damagedCatalogs.first { $0.0 == label }?.1 ?? "").utf8)
        if label == "invalid UTF-8" { bytes = Array(#"{"schema_version": 2, "items": [{"name": ""#.utf8) + [0xFF, 0xFE] + Array(#""}]}"#.utf8) }
        try Data(bytes).write(to: URL(fileURLWithPath: temp.path("f/items.json")))
        do {
            _ = try DataFolio(at: temp.path("f"))
            Issue.record("'\(label)' was accepted")
        } catch {
            #expect([.catalogUnreadable, .corruptData, .unsupportedCatalogVersion, .limitExceeded].contains(error.code), "\(label): \(error.code)")
            #expect(!error.message.isEmpty)
        }
        // An instance opened before the damage keeps reading, and refuses to write over it.
        let value: JSONValue = try folio.get("a")
        #expect(value == 1)
        #expect(throws: DataFolioError.self) { try folio.add("b", 2) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: temp.path("f/items.json"))) == Data(bytes))
    }

    @Test func corruptAndTruncatedArrays() throws {
        let temp = TemporaryFolder("badnpy")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("emb", NDArray((0..<1000).map(Float.init)))
        let path = try #require(folio.location(of: try folio.item("emb")))
        let good = try LocalFile.read(path)
        for damaged in [Array(good.prefix(100)), Array(good.prefix(7)), [UInt8](), Array("not an npy file at all".utf8),
                        Array(good.prefix(10)) + Array(repeating: 0x7B, count: 200)] {
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            do {
                let _: NDArray = try folio.get("emb")
                Issue.record("a damaged array was read")
            } catch {
                #expect([.truncatedData, .corruptData].contains(error.code), "\(error)")
            }
        }
        #expect(folio.validate().damagedItems == ["emb"])
        try FileManager.default.removeItem(atPath: path)
        do {
            let _: NDArray = try folio.get("emb")
            Issue.record("a missing array was read")
        } catch {
            #expect(error.code == .fileNotFound)
            #expect(error.message.contains("validate()"))
        }
    }

    @Test func corruptJSONPayload() throws {
        let temp = TemporaryFolder("badjson")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("cfg", ["a": 1])
        try Data("{\"a\": ".utf8).write(to: URL(fileURLWithPath: folio.location(of: try folio.item("cfg")) ?? ""))
        #expect(throws: DataFolioError.self) { let _: JSONValue = try folio.get("cfg") }
        #expect(!folio.validate().isValid)
    }

    @Test func aFileWhereAFolioShouldBe() throws {
        let temp = TemporaryFolder("file")
        try Data("x".utf8).write(to: temp.url.appendingPathComponent("plain"))
        do {
            _ = try DataFolio(at: temp.path("plain"))
            Issue.record("opened a file as a folio")
        } catch {
            #expect(error.code == .notAFolio)
        }
    }
}
