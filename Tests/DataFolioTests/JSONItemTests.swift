import DataFolio
import DataFolioJSON
import DataFolioTestSupport
import Foundation
import Testing

struct RunSettings: Codable, Equatable {
    var seed: Int
    var epochs: Int
    var name: String
}

@Suite("JSON, timestamps and files")
struct JSONItemTests {
    @Test func jsonRoundTripAndCatalogEntry() throws {
        let temp = TemporaryFolder("json")
        let folio = try DataFolio(at: temp.path)
        try folio.add("config", ["lr": 0.01, "layers": [64, 32]], description: "Training settings")
        try folio.add("run", json: RunSettings(seed: 7, epochs: 20, name: "a"))
        try folio.add("accuracy", 0.95, inputs: ["run"])
        let config: JSONValue = try folio.get("config")
        #expect(config == ["lr": 0.01, "layers": [64, 32]])
        let run: RunSettings = try folio.get("run")
        #expect(run == RunSettings(seed: 7, epochs: 20, name: "a"))
        let accuracy: Double = try folio.get("accuracy")
        #expect(accuracy == 0.95)
        let entry = try folio.item("config")
        #expect(entry.fields.keys == ["name", "item_type", "filename", "checksum", "data_type", "created_at", "description", "version_id", "is_current", "size_bytes"])
        #expect(entry.filename == "config--r2.json")
        let stored = try FileManager.default.attributesOfItem(atPath: temp.path + "/artifacts/config--r2.json")[.size] as? Int
        #expect(entry.fields["size_bytes"]?.intValue == stored, "the payload's size, recorded so listings need not stat it")
        #expect(try folio.item("run").fields["data_type"] == "RunSettings")
        #expect(try folio.item("accuracy").fields["data_type"] == "float")
        #expect(folio.revision == 4)
        let payload = try String(contentsOfFile: temp.path + "/artifacts/config--r2.json", encoding: .utf8)
        #expect(payload == "{\n  \"lr\": 0.01,\n  \"layers\": [\n    64,\n    32\n  ]\n}")
        #expect(folio.validate().isValid)
    }

    @Test func timestampsKeepMicroseconds() throws {
        let temp = TemporaryFolder("ts")
        let folio = try DataFolio(at: temp.path)
        let date = Date(timeIntervalSince1970: 1_705_314_600.123456)
        try folio.add("start", date)
        let entry = try folio.item("start")
        #expect(entry.fields["iso_string"] == "2024-01-15T10:30:00.123456+00:00")
        #expect(entry.fields["unix_timestamp"] == .double(1_705_314_600.123456))
        #expect(entry.fields["checksum"] == nil)
        let back: Date = try folio.get("start")
        #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 1e-6)
    }

    @Test func overwriteRulesAndDescriptionCarryOver() throws {
        let temp = TemporaryFolder("overwrite")
        let folio = try DataFolio(at: temp.path)
        try folio.add("x", 1, description: "first")
        #expect(throws: DataFolioError.self) { try folio.add("x", 2) }
        try folio.add("x", 2, overwrite: true)
        let entry = try folio.item("x")
        #expect(entry.description == "first")
        #expect(entry.fields.keys.suffix(4) == ["version_id", "description", "is_current", "size_bytes"])
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/artifacts/x--r2.json"))
        #expect(FileManager.default.fileExists(atPath: temp.path + "/artifacts/x--r3.json"))
        try folio.add("x", 3, description: "", overwrite: true)
        #expect(try folio.item("x").description == nil)
    }

    @Test(arguments: ["", "../x", "a@b", " x", "x ", "a//b", "_hidden", "a/./b", String(repeating: "a", count: 256), "é"])
    func invalidNamesWriteNothing(_ name: String) throws {
        let temp = TemporaryFolder("names")
        let folio = try DataFolio(at: temp.path)
        do {
            try folio.add(name, 1)
            Issue.record("'\(name)' was accepted")
        } catch {
            #expect(error.code == .invalidName)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path + "/artifacts").isEmpty)
        #expect(folio.revision == 1)
    }

    @Test func namespacedNamesMakeSubfolders() throws {
        let temp = TemporaryFolder("ns")
        let folio = try DataFolio(at: temp.path)
        try folio.add("runs/a/config", ["k": 1])
        #expect(try folio.item("runs/a/config").filename == "runs/a/config--r2.json")
        #expect(FileManager.default.fileExists(atPath: temp.path + "/artifacts/runs/a/config--r2.json"))
        try folio.delete("runs/a/config")
        #expect(!folio.contains("runs/a/config"))
    }

    @Test func filesAreCopiedWithTheirExtension() throws {
        let temp = TemporaryFolder("files")
        let source = temp.url.appendingPathComponent("notes.tar.gz")
        try Data("hello world".utf8).write(to: source)
        let folio = try DataFolio(at: temp.path("folio"))
        try folio.add("notes.tar", file: source, category: "docs", description: "a file")
        let entry = try folio.item("notes.tar")
        #expect(entry.filename == "notes.tar--r2.gz")
        #expect(entry.fields["file_size"] == 11)
        #expect(entry.fields["category"] == "docs")
        let url: URL = try folio.get("notes.tar")
        #expect(try Data(contentsOf: url) == Data("hello world".utf8))
        #expect(folio.validate().isValid)
        try Data("tampered!!!".utf8).write(to: url)
        #expect(!folio.validate().isValid)
        #expect(folio.validate().damagedItems == ["notes.tar"])
    }
}
