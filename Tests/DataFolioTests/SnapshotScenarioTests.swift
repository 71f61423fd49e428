@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Snapshot scenarios")
struct SnapshotScenarioTests {
    /// A folio with one item of each kind that has a payload or a reference.
    func makeFolio(_ temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("f"), metadata: ["lr": 0.01])
        let file = temp.url.appendingPathComponent("plot.png")
        try Data([1, 2, 3]).write(to: file)
        let csv = temp.url.appendingPathComponent("raw.csv")
        try Data("a\n1\n".utf8).write(to: csv)
        try folio.add("raw", reference: csv.path, description: "raw v1")
        try folio.add("config", ["v": 1], description: "config v1")
        try folio.add("emb", NDArray([1, 2, 3] as [Float]), description: "emb v1", inputs: ["raw"])
        try folio.add("start", Date(timeIntervalSince1970: 100), description: "start v1")
        try folio.add("plot", file: file, description: "plot v1")
        return folio
    }

    // 10. Creating: name rules, duplicates, versions, metadata copy, tags, description, git.
    @Test func scenario10Create() throws {
        let temp = TemporaryFolder("s10")
        let folio = try makeFolio(temp)
        for bad in ["", "a b", "a/b", "..", String(repeating: "x", count: 101), "é"] {
            #expect(throws: DataFolioError.self, "'\(bad)' accepted") { try folio.createSnapshot(bad) }
        }
        let summary = try folio.createSnapshot("v1.0_a-b", tags: ["t1", "t2"], capture: [])
        #expect(summary.itemCount == 5)
        #expect(summary.description == nil)
        #expect(throws: DataFolioError.self) { try folio.createSnapshot("v1.0_a-b") }
        let record = try folio.snapshotSummary("v1.0_a-b").record
        #expect(record.keys == ["name", "timestamp", "item_versions", "metadata_snapshot", "tags"])
        #expect(record["item_versions"]?["emb"] == .string(try folio.item("emb").versionID ?? ""))
        #expect(record["metadata_snapshot"]?["lr"] == 0.01)
        #expect(record["tags"] == ["t1", "t2"])
        try folio.createSnapshot("described", description: "with text", capture: [])
        #expect(try folio.snapshotSummary("described").record["description"] == "with text")
        #expect(throws: DataFolioError.self) { try folio.batch { try $0.createSnapshot("inside", capture: []) } }
    }

    @Test func gitContextIsRecordedWithoutCredentials() throws {
        let temp = TemporaryFolder("git")
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", temp.path] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        try git("init", "-q", "-b", "main")
        try git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "x")
        try git("remote", "add", "origin", "https://user:s3cret@github.com/o/r.git")
        let block = try #require(SnapshotContext.git(in: temp.path))
        #expect(block.keys == ["commit", "commit_short", "branch", "dirty", "remote"])
        #expect(block["remote"] == "https://github.com/o/r.git")
        #expect(block["branch"] == "main")
        #expect(block["dirty"] == false)
        #expect(block["commit"]?.stringValue?.count == 40)
        #expect(SnapshotContext.removingCredentials("git@github.com:o/r.git") == "git@github.com:o/r.git")
        #expect(SnapshotContext.removingCredentials("https://tok@host:8443/a@b/r") == "https://host:8443/a@b/r")
        #expect(SnapshotContext.git(in: temp.path("nowhere")) == nil)
    }

    // 11 and 12. Overwrites and deletes after a snapshot never touch what it pinned.
    @Test func scenarios11And12PinnedVersionsSurvive() throws {
        let temp = TemporaryFolder("s11")
        let folio = try makeFolio(temp)
        let csv2 = temp.url.appendingPathComponent("raw2.csv")
        try Data("a\n2\n".utf8).write(to: csv2)
        try folio.createSnapshot("v1", capture: [])
        let file2 = temp.url.appendingPathComponent("plot2.png")
        try Data([9, 9]).write(to: file2)
        try folio.add("raw", reference: csv2.path, overwrite: true)
        try folio.add("config", ["v": 2], overwrite: true)
        try folio.add("emb", NDArray([9] as [Float]), overwrite: true)
        try folio.add("start", Date(timeIntervalSince1970: 200), overwrite: true)
        try folio.add("plot", file: file2, overwrite: true)
        try folio.delete("config")
        for reopened in [false, true] {
            let current = reopened ? try DataFolio(at: folio.location) : folio
            let snapshot = try current.snapshot("v1")
            #expect(try snapshot.get("config") as JSONValue == ["v": 1])
            #expect(try (snapshot.get("emb") as NDArray).values(as: Float.self) == [1, 2, 3])
            #expect(try snapshot.get("start") as Date == Date(timeIntervalSince1970: 100))
            #expect(try Data(contentsOf: snapshot.get("plot") as URL) == Data([1, 2, 3]))
            #expect(try snapshot.item("raw").fields["path"]?.stringValue?.hasSuffix("raw.csv") == true)
            #expect(!current.contains("config"))
            #expect(try (current.get("emb") as NDArray).values(as: Float.self) == [9])
            #expect(try Data(contentsOf: current.get("plot") as URL) == Data([9, 9]))
            #expect(current.validate().isValid)
            #expect(snapshot.validate().isValid)
        }
    }

    // 13. A snapshot view is read-only, shows the snapshot's items and metadata, and stays pinned.
    @Test func scenario13SnapshotViews() throws {
        let temp = TemporaryFolder("s13")
        let folio = try makeFolio(temp)
        try folio.createSnapshot("v1", description: "first", capture: [])
        try folio.setMetadata("lr", 0.02)
        try folio.add("later", 1)
        try folio.add("config", ["v": 2], description: "config v2", overwrite: true)
        let view = try DataFolio.snapshot("v1", of: folio.location)
        #expect(view.isReadOnly)
        #expect(view.snapshotName == "v1")
        #expect(view.metadata["lr"] == 0.01)
        #expect(!view.contains("later"))
        #expect(try view.item("config").description == "config v1")
        try folio.add("even_later", 2)
        #expect(!view.contains("even_later"))
        #expect(view.itemNames.count == 5)
        do {
            try view.add("x", 1)
            Issue.record("write accepted")
        } catch {
            #expect(error.code == .readOnly)
            #expect(error.message.contains("snapshot 'v1'"))
        }
        #expect(throws: DataFolioError.self) { try view.setMetadata("a", 1) }
        #expect(throws: DataFolioError.self) { try view.createSnapshot("v2") }
        #expect(view.description.hasSuffix("[READ-ONLY] [snapshot: v1]"))
        let text = view.describe(DescribeOptions(timeZone: TimeZone(identifier: "UTC") ?? .current))
        #expect(text.hasPrefix("Snapshot: v1\nCreated: "))
        #expect(text.contains("[READ-ONLY MODE]"))
        #expect(text.contains("• config: config v1"))
        #expect(text.contains("• start: start v1"))
        #expect(throws: DataFolioError.self) { try folio.snapshot("nope") }
    }

    // 15 and 16. Listing, diff (newest by default, bookkeeping ignored) and compare.
    @Test func scenarios15And16ListDiffCompare() throws {
        let temp = TemporaryFolder("s15")
        let folio = try makeFolio(temp)
        #expect(throws: DataFolioError.self) { try folio.changes() }
        try folio.createSnapshot("v1", capture: [])
        try folio.add("extra", 1)
        try folio.add("config", ["v": 2], overwrite: true)
        try folio.delete("plot")
        try folio.setMetadata("lr", 0.02)
        try folio.createSnapshot("v2", capture: [])
        try folio.add("newest", 1)
        #expect(folio.snapshots.map(\.name) == ["v2", "v1"])
        let sinceNewest = try folio.changes()
        #expect(sinceNewest.from == "v2")
        #expect(sinceNewest.added == ["newest"])
        #expect(sinceNewest.removed.isEmpty && sinceNewest.modified.isEmpty)
        #expect(sinceNewest.metadataChanges.isEmpty)
        let sinceFirst = try folio.changes(since: "v1")
        #expect(sinceFirst.added == ["extra", "newest"])
        #expect(sinceFirst.removed == ["plot"])
        #expect(sinceFirst.modified == ["config"])
        #expect(sinceFirst.unchanged == ["emb", "raw", "start"])
        let comparison = try folio.compareSnapshots("v1", "v2")
        #expect(comparison.added == ["extra"])
        #expect(comparison.removed == ["plot"])
        #expect(comparison.modified == ["config"])
        #expect(comparison.unchanged == ["emb", "raw", "start"])
        #expect(comparison.metadataChanges.map(\.key) == ["lr"])
        #expect(comparison.metadataChanges.first?.old == 0.01)
        #expect(comparison.metadataChanges.first?.new == 0.02)
    }

    // 17. Delete a snapshot, then clean up: dry run vs real; pinned and current versions stay,
    // also when a snapshot name is reused.
    @Test func scenario17DeleteAndCleanUp() throws {
        let temp = TemporaryFolder("s17")
        let folio = try makeFolio(temp)
        try folio.createSnapshot("s", capture: [])
        try folio.add("config", ["v": 2], overwrite: true)
        try folio.createSnapshot("keep", capture: [])
        try folio.add("config", ["v": 3], overwrite: true)
        try folio.deleteSnapshot("s")
        try folio.createSnapshot("s", capture: [])   // reused name
        try folio.add("config", ["v": 4], overwrite: true)
        let wouldRemove = try folio.collectGarbage(dryRun: true)
        #expect(wouldRemove.removed == ["artifacts/config--r3.json"])
        #expect(FileManager.default.fileExists(atPath: temp.path("f/artifacts/config--r3.json")))
        let removed = try folio.collectGarbage()
        #expect(removed == wouldRemove)
        #expect(try folio.snapshot("keep").get("config") as JSONValue == ["v": 2])
        #expect(try folio.snapshot("s").get("config") as JSONValue == ["v": 3])
        #expect(try folio.get("config") as JSONValue == ["v": 4])
        #expect(try folio.collectGarbage(dryRun: true).removed.isEmpty)
        // Files nothing refers to (a crashed write) are collected too.
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: temp.path("f/artifacts/ghost--r99.json")))
        #expect(try folio.collectGarbage(dryRun: true).orphanedPayloads == ["artifacts/ghost--r99.json"])
        let removedWithSnapshot = try folio.deleteSnapshot("keep", removingOrphans: true)
        #expect(Set(removedWithSnapshot.removed) == ["artifacts/config--r8.json", "artifacts/ghost--r99.json"])
        #expect(folio.validate().isValid)
        #expect(try folio.snapshot("s").validate().isValid)
    }

    // 18. Restore brings back metadata, changed and deleted items with their
    // descriptions; removes later items.
    @Test func scenario18Restore() throws {
        let temp = TemporaryFolder("s18")
        let folio = try makeFolio(temp)
        try folio.createSnapshot("v1", capture: [])
        try folio.add("config", ["v": 2], description: "config v2", overwrite: true)
        try folio.delete("emb")
        try folio.add("later", 1)
        try folio.setMetadata("lr", 0.5)
        try folio.restoreSnapshot("v1")
        #expect(Set(folio.itemNames) == ["raw", "config", "emb", "start", "plot"])
        #expect(try folio.get("config") as JSONValue == ["v": 1])
        #expect(try folio.item("config").description == "config v1")
        #expect(try folio.item("emb").description == "emb v1")
        #expect(try folio.inputs(of: "emb") == ["raw"])
        #expect(try (folio.get("emb") as NDArray).values(as: Float.self) == [1, 2, 3])
        #expect(folio.metadata["lr"] == 0.01)
        #expect(folio.validate().isValid)
        #expect(try folio.changes(since: "v1").isEmpty)
        // Later items' payloads are gone; the snapshot still works.
        #expect(!FileManager.default.fileExists(atPath: temp.path("f/artifacts/later--r10.json")))
        #expect(try folio.snapshot("v1").validate().isValid)
    }

    // 19. Export: standalone, writable, descriptions, lineage and references kept.
    @Test func scenario19Export() throws {
        let temp = TemporaryFolder("s19")
        let folio = try makeFolio(temp)
        try folio.createSnapshot("v1", description: "first", tags: ["paper"], capture: [])
        try folio.add("config", ["v": 2], overwrite: true)
        let exported = try folio.exportSnapshot("v1", to: temp.path("exported"))
        #expect(exported.snapshots.isEmpty)
        #expect(Set(exported.itemNames) == ["raw", "config", "emb", "start", "plot"])
        #expect(try exported.get("config") as JSONValue == ["v": 1])
        #expect(try exported.item("emb").description == "emb v1")
        #expect(try exported.inputs(of: "emb") == ["raw"])
        #expect(try exported.item("raw").fields["path"] == folio.item("raw").fields["path"])
        #expect(exported.metadata["lr"] == 0.01)
        #expect(exported.metadata["_source_snapshot"]?["name"] == "v1")
        #expect(exported.metadata["_source_snapshot"]?["tags"] == ["paper"])
        #expect(exported.validate().isValid)
        try exported.add("new", 1)
        #expect(throws: DataFolioError.self) { try folio.exportSnapshot("v1", to: temp.path("exported")) }
        let plain = try folio.exportSnapshot("v1", to: temp.path("plain"), recordingSource: false)
        #expect(plain.metadata["_source_snapshot"] == nil)
    }
}
