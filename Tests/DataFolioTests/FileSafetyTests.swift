import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Nothing outside the folio is read, written or deleted through a link planted inside
/// it, and nothing the folio did not write is deleted.
@Suite("Files outside the folio are never touched")
struct FileSafetyTests {
    /// A folder outside the folio with a file in it, to aim links at.
    func outsideFolder(_ temp: TemporaryFolder) throws -> URL {
        let outside = temp.url.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: outside.appendingPathComponent("keep.txt"))
        return outside
    }

    func link(_ path: String, to target: URL) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target.path)
    }

    func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    @Test func garbageCollectionNeverFollowsALink() throws {
        let temp = TemporaryFolder("safe-gc")
        let outside = try outsideFolder(temp)
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("a", 1)
        // A link to a folder, named like nothing the folio writes, and one named like a payload.
        try link(temp.path("f/artifacts/junk"), to: outside)
        try link(temp.path("f/artifacts/ghost--r9.json"), to: outside.appendingPathComponent("keep.txt"))
        try link(temp.path("f/tables/ghost--r7"), to: outside)
        let collected = try folio.collectGarbage()
        #expect(collected.foreignFiles == ["artifacts/junk"])
        #expect(Set(collected.orphanedPayloads) == ["artifacts/ghost--r9.json", "tables/ghost--r7"])
        #expect(try String(contentsOf: outside.appendingPathComponent("keep.txt"), encoding: .utf8) == "precious")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["keep.txt"])
        #expect(isLink(temp.path("f/artifacts/junk")), "a foreign link is left alone")
        #expect(!isLink(temp.path("f/artifacts/ghost--r9.json")), "an orphan link is removed as a link")
        #expect(!isLink(temp.path("f/tables/ghost--r7")))
    }

    @Test func deletingAFolderItemRemovesALinkInsideItAsALink() throws {
        let temp = TemporaryFolder("safe-delete")
        let outside = try outsideFolder(temp)
        let source = temp.url.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: source.appendingPathComponent("a.png"))
        let folio = try DataFolio(at: temp.path("f"))
        let item = try folio.add("images", file: source)
        let payload = try #require(folio.location(of: item))
        try link(payload + "/escape", to: outside)
        #expect(!folio.validate().isValid, "a link inside a folder payload is damage")
        try folio.delete("images")
        #expect(!FileManager.default.fileExists(atPath: payload))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["keep.txt"])
        #expect(try String(contentsOf: outside.appendingPathComponent("keep.txt"), encoding: .utf8) == "precious")
    }

    @Test func rewrittenFilesReplaceALinkInsteadOfWritingThroughIt() throws {
        let temp = TemporaryFolder("safe-contents")
        let outside = try outsideFolder(temp)
        let folio = try DataFolio(at: temp.path("f"))
        try FileManager.default.removeItem(atPath: temp.path("f/CONTENTS.md"))
        try link(temp.path("f/CONTENTS.md"), to: outside.appendingPathComponent("keep.txt"))
        try folio.add("a", 1)
        #expect(try String(contentsOf: outside.appendingPathComponent("keep.txt"), encoding: .utf8) == "precious")
        #expect(!isLink(temp.path("f/CONTENTS.md")))
        #expect(try String(contentsOfFile: temp.path("f/CONTENTS.md"), encoding: .utf8).contains("| a | json_data |"))
    }

    @Test func payloadsThatAreLinksAreRefused() throws {
        let temp = TemporaryFolder("safe-read")
        let outside = try outsideFolder(temp)
        let folio = try DataFolio(at: temp.path("f"))
        let item = try folio.add("config", ["a": 1])
        let payload = try #require(folio.location(of: item))
        // Same content, but through a link: still refused.
        try FileManager.default.copyItem(atPath: payload, toPath: outside.appendingPathComponent("config.json").path)
        try FileManager.default.removeItem(atPath: payload)
        try link(payload, to: outside.appendingPathComponent("config.json"))
        #expect { try folio.get("config", as: JSONValue.self) } throws: { error in
            (error as? DataFolioError)?.message.contains("symbolic link") == true
        }
        #expect(throws: DataFolioError.self) { try folio.readPayload(of: "config", into: MemoryOutput()) }
        #expect(folio.validate()["config"]?.problem?.contains("symbolic link") == true)
    }

    @Test func aCategoryFolderThatIsALinkIsNeverWrittenThrough() throws {
        let temp = TemporaryFolder("safe-folder")
        let outside = try outsideFolder(temp)
        let folio = try DataFolio(at: temp.path("f"))
        try FileManager.default.removeItem(atPath: temp.path("f/artifacts"))
        try link(temp.path("f/artifacts"), to: outside)
        #expect { try folio.add("a", 1) } throws: { error in
            (error as? DataFolioError)?.message.contains("symbolic link") == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["keep.txt"])
        #expect(folio.revision == 1, "nothing was committed")
    }

    @Test func sourcesThatCannotBeCopiedAreRefused() throws {
        let temp = TemporaryFolder("safe-sources")
        let folio = try DataFolio(at: temp.path("parent/f"))
        // The folder that holds the folio (and the folio itself).
        for folder in [temp.path("parent"), temp.path("parent/f")] {
            #expect { try folio.add("all", file: URL(fileURLWithPath: folder)) } throws: { error in
                (error as? DataFolioError)?.message.contains("contains this folio") == true
            }
        }
        // A FIFO would block forever; a device never ends.
        let fifo = temp.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: DataFolioError.self) { try folio.add("pipe", file: URL(fileURLWithPath: fifo)) }
        #expect(throws: DataFolioError.self) { try folio.add("zero", file: URL(fileURLWithPath: "/dev/zero")) }
        // A folder holding a link is refused, not followed.
        let images = temp.url.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try link(images.appendingPathComponent("root").path, to: URL(fileURLWithPath: "/"))
        #expect(throws: DataFolioError.self) { try folio.add("images", file: images) }
        #expect(folio.itemNames.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path("parent/f/artifacts")).isEmpty)
    }

    @Test func remoteLocationsNeverBecomeLocalFolders() throws {
        #expect { try DataFolio(at: "unregistered-scheme://lab/experiment") } throws: { error in
            (error as? DataFolioError)?.code == .unsupportedFeature
        }
        #expect(!FileManager.default.fileExists(atPath: "unregistered-scheme:"))
    }
}

@Suite("Nothing the folio did not write is deleted")
struct GarbageCollectionSafetyTests {
    @Test func onlyFilesOfFolioWritersAreRemoved() throws {
        let temp = TemporaryFolder("gc-own")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("config", ["v": 1])
        try Data("mine".utf8).write(to: URL(fileURLWithPath: temp.path("f/artifacts/notes.txt")))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: temp.path("f/tables/export.parquet")))
        try FileManager.default.createDirectory(atPath: temp.path("f/models/handmade"), withIntermediateDirectories: true)
        try Data("left by a crash".utf8).write(to: URL(fileURLWithPath: temp.path("f/artifacts/config--r9.json")))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: temp.path("f/tmpa1b2c3d4.tmp")))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: temp.path("f/artifacts/tmp_x9y8z7w.tmp")))
        let preview = try folio.collectGarbage(dryRun: true)
        #expect(preview.orphanedPayloads == ["artifacts/config--r9.json"])
        #expect(preview.temporaryFiles == ["artifacts/tmp_x9y8z7w.tmp", "tmpa1b2c3d4.tmp"])
        #expect(preview.foreignFiles == ["artifacts/notes.txt", "models/handmade", "tables/export.parquet"])
        #expect(FileManager.default.fileExists(atPath: temp.path("f/artifacts/config--r9.json")), "a dry run removes nothing")
        let collected = try folio.collectGarbage()
        #expect(collected == preview)
        for kept in ["artifacts/notes.txt", "tables/export.parquet", "models/handmade", "artifacts/config--r2.json"] {
            #expect(FileManager.default.fileExists(atPath: temp.path("f/" + kept)), "\(kept)")
        }
        for removed in ["artifacts/config--r9.json", "tmpa1b2c3d4.tmp", "artifacts/tmp_x9y8z7w.tmp"] {
            #expect(!FileManager.default.fileExists(atPath: temp.path("f/" + removed)), "\(removed)")
        }
        #expect(try folio.get("config", as: JSONValue.self) == ["v": 1])
    }

    @Test func payloadsOfUnknownKindsStayLive() throws {
        let temp = TemporaryFolder("gc-unknown")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("a", 1)
        // Another tool's kind: its file lives in a category folder this version cannot derive.
        try Data("future".utf8).write(to: URL(fileURLWithPath: temp.path("f/artifacts/future--r3.bin")))
        var catalog = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: temp.path("f/items.json")))))
        guard case .object(var root) = catalog, case .array(var items)? = root["items"] else { Issue.record("catalog"); return }
        items.append([
            "name": "future", "item_type": "future_kind", "filename": "future--r3.bin", "version_id": "future--r3",
            "created_at": "2026-01-01T00:00:00+00:00", "is_current": true,
        ])
        root["items"] = .array(items)
        root["revision"] = .int(3)
        catalog = .object(root)
        try Data(catalog.formattedBytes()).write(to: URL(fileURLWithPath: temp.path("f/items.json")))
        try folio.createSnapshot("pin", capture: [])
        try folio.delete("future")   // kept as a retained version for the snapshot
        let collected = try folio.collectGarbage()
        #expect(collected.removed.isEmpty)
        #expect(FileManager.default.fileExists(atPath: temp.path("f/artifacts/future--r3.bin")))
        try folio.deleteSnapshot("pin", removingOrphans: true)
        #expect(FileManager.default.fileExists(atPath: temp.path("f/artifacts/future--r3.bin")), "a folder this version cannot derive is never emptied")
    }

    @Test func retainedVersionsAreValidatedAndRestoreRefusesDamage() throws {
        let temp = TemporaryFolder("gc-pinned")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("config", ["v": 1])
        try folio.createSnapshot("v1", capture: [])
        try folio.add("config", ["v": 2], overwrite: true)
        #expect(folio.validate().results.count == 2)
        #expect(folio.validate().isValid)
        // Damage the version only the snapshot needs.
        try Data("{\"v\": 9}".utf8).write(to: URL(fileURLWithPath: temp.path("f/artifacts/config--r2.json")))
        let report = folio.validate()
        #expect(!report.isValid)
        #expect(report.damagedItems.isEmpty, "the current version is intact")
        #expect(report.damaged.map(\.versionID) == ["config--r2"])
        let revision = folio.revision
        #expect { try folio.restoreSnapshot("v1") } throws: { error in
            (error as? DataFolioError)?.code == .corruptData
        }
        #expect(folio.revision == revision)
        #expect(try folio.get("config", as: JSONValue.self) == ["v": 2])
        try FileManager.default.removeItem(atPath: temp.path("f/artifacts/config--r2.json"))
        #expect(throws: DataFolioError.self) { try folio.restoreSnapshot("v1") }
    }
}
