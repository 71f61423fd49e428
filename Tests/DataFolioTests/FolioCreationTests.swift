import DataFolio
import DataFolioJSON
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Opening and creating folios")
struct FolioCreationTests {
    @Test func createsTheLayoutAndReopens() throws {
        let temp = TemporaryFolder("create")
        let path = temp.path("folio")
        let folio = try DataFolio(at: path, metadata: ["experiment": "baseline"])
        #expect(folio.revision == 1)
        for name in ["items.json", "items.json.lock", "README.md", "CONTENTS.md", "tables", "models", "artifacts"] {
            #expect(FileManager.default.fileExists(atPath: path + "/" + name), "missing \(name)")
        }
        let text = try String(contentsOfFile: path + "/items.json", encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"schema_version\": 2,\n  \"revision\": 1,\n  \"metadata\": {\n    \"experiment\": \"baseline\",\n    \"created_at\": "))
        #expect(!text.hasSuffix("\n"))
        let reopened = try DataFolio(at: path, metadata: ["ignored": true])
        #expect(reopened.metadata["experiment"] == "baseline")
        #expect(reopened.metadata["ignored"] == nil)
        #expect(reopened.metadata["created_at"] == folio.metadata["created_at"])
        #expect(reopened.metadata["_datafolio"]?["created_by"] == "datafolio-swift")
    }

    @Test func refusesANonEmptyForeignFolder() throws {
        let temp = TemporaryFolder("foreign")
        try Data("x".utf8).write(to: temp.url.appendingPathComponent("notes.txt"))
        #expect(throws: DataFolioError.self) { try DataFolio(at: temp.path) }
        do {
            _ = try DataFolio(at: temp.path)
        } catch {
            #expect(error.code == .folderNotEmpty)
        }
        let folio = try DataFolio(at: temp.path, options: .allowExistingFolder)
        #expect(folio.revision == 1)
    }

    @Test func readOnlyAndNoCreateNeverCreate() throws {
        let temp = TemporaryFolder("nocreate")
        for options: DataFolio.OpenOptions in [.readOnly, .doNotCreate] {
            #expect(throws: DataFolioError.self) { try DataFolio(at: temp.path("missing"), options: options) }
        }
        #expect(!FileManager.default.fileExists(atPath: temp.path("missing")))
    }

    @Test func randomSuffixPicksAnUnusedName() throws {
        let temp = TemporaryFolder("suffix")
        let a = try DataFolio(at: temp.path("run"), options: .randomSuffix)
        let b = try DataFolio(at: temp.path("run"), options: .randomSuffix)
        #expect(a.location != b.location)
        #expect(a.location.hasPrefix(temp.path("run-")))
        #expect(a.location.split(separator: "-").count >= 4)
    }
}
