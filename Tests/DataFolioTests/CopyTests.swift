@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Copying a folio")
struct CopyTests {
    /// raw → clean → model → report, plus an archived scratch item, a reference and a
    /// snapshot taken before `clean` was overwritten.
    func makeFolio(_ temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("source"), metadata: ["experiment": "baseline", "lr": 0.01])
        folio.warningHandler = { _ in }
        let csv = temp.url.appendingPathComponent("external.csv")
        try Data("a\n1\n".utf8).write(to: csv)
        try folio.add("raw", reference: csv.path, description: "External rows")
        try folio.add("clean", [1, 2, 3], description: "Clean v1", inputs: ["raw"])
        try folio.add("model", ["depth": 3], inputs: ["clean"])
        try folio.add("report", "fine", inputs: ["model", "gone"])
        try folio.add("scratch/tmp", NDArray([1, 2] as [Float]))
        try folio.archive("scratch/tmp")
        try folio.createSnapshot("v1", capture: [])
        try folio.add("clean", [1, 2, 3, 4], description: "Clean v2", inputs: ["raw"], overwrite: true)
        return folio
    }

    @Test func copiesCurrentItemsVerbatimWithoutSnapshots() throws {
        let temp = TemporaryFolder("copy")
        let folio = try makeFolio(temp)
        let copy = try folio.copy(to: temp.path("copy"), options: CopyOptions(metadataUpdates: ["status": "forked", "lr": 0.02]))
        #expect(copy.itemNames == ["raw", "clean", "model", "report"], "archived items stay behind")
        for name in copy.itemNames {
            #expect(try copy.item(name).fields == folio.item(name).fields, "'\(name)' is copied verbatim")
        }
        #expect(copy.snapshots.isEmpty)
        #expect(!copy.catalog.items.contains { !$0.isCurrent })
        #expect(copy.revision == 2, "created, then one commit")
        #expect(copy.metadata["created_at"] == folio.metadata["created_at"])
        #expect(copy.metadata["_datafolio"] == folio.metadata["_datafolio"])
        #expect(copy.metadata["experiment"] == "baseline")
        #expect(copy.metadata["lr"] == 0.02)
        #expect(copy.metadata["status"] == "forked")
        #expect(copy.metadata.keys.prefix(2) == ["experiment", "lr"], "updated keys keep their place")
        #expect(copy.validate().isValid)
        #expect(try copy.get("clean", as: [Int].self) == [1, 2, 3, 4])
        // Only the current payloads are copied.
        let artifacts = try FileManager.default.contentsOfDirectory(atPath: temp.path("copy/artifacts")).sorted()
        #expect(artifacts == [try copy.item("clean").filename, try copy.item("model").filename, try copy.item("report").filename].compactMap { $0 }.sorted())
        // The source is unchanged and the copy is independent.
        try copy.add("new", 1)
        #expect(!folio.contains("new"))
    }

    @Test func includeExcludeAndLineage() throws {
        let temp = TemporaryFolder("copy-select")
        let folio = try makeFolio(temp)
        let one = try folio.copy(to: temp.path("one"), options: CopyOptions(include: ["report"]))
        #expect(one.itemNames == ["report"])
        let closure = try folio.copy(to: temp.path("closure"), options: CopyOptions(include: ["report"], followLineage: true))
        #expect(closure.itemNames == ["raw", "clean", "model", "report"])
        let pattern = try folio.copy(to: temp.path("pattern"), options: CopyOptions(include: ["*e*"], exclude: ["mod?l"]))
        #expect(pattern.itemNames == ["clean", "report"])
        let archived = try folio.copy(to: temp.path("archived"), options: CopyOptions(include: ["scratch/*"], includeArchived: true))
        #expect(archived.itemNames == ["scratch/tmp"])
        #expect(try archived.item("scratch/tmp").isArchived, "the flag travels with the item")
        let hidden = try folio.copy(to: temp.path("hidden"), options: CopyOptions(include: ["scratch/*"]))
        #expect(hidden.itemNames.isEmpty, "an archived item is only copied with includeArchived")
        do {
            try folio.copy(to: temp.path("typo"), options: CopyOptions(include: ["reprot"]))
            Issue.record("a typo was accepted")
        } catch {
            #expect(error.code == .itemNotFound)
        }
        #expect(!FileManager.default.fileExists(atPath: temp.path("typo")), "nothing is created")
        #expect(throws: DataFolioError.self) { try folio.copy(to: temp.path("lineage"), options: CopyOptions(followLineage: true)) }
    }

    @Test func keepsSnapshotsWhenAsked() throws {
        let temp = TemporaryFolder("copy-snapshots")
        let folio = try makeFolio(temp)
        let copy = try folio.copy(to: temp.path("copy"), options: CopyOptions(keepSnapshots: true))
        #expect(copy.itemNames == folio.itemNames, "archived items too")
        #expect(copy.snapshots.map(\.name) == ["v1"])
        #expect(copy.catalog.snapshots == folio.catalog.snapshots)
        #expect(copy.catalog.items == folio.catalog.items)
        let view = try copy.snapshot("v1")
        #expect(try view.get("clean", as: [Int].self) == [1, 2, 3])
        #expect(try view.item("clean").description == "Clean v1")
        #expect(copy.validate().isValid)
        #expect(throws: DataFolioError.self) {
            try folio.copy(to: temp.path("mixed"), options: CopyOptions(include: ["clean"], keepSnapshots: true))
        }
        // Garbage no snapshot needs stays behind.
        try folio.deleteSnapshot("v1")
        let slim = try folio.copy(to: temp.path("slim"), options: CopyOptions(keepSnapshots: true))
        #expect(!slim.catalog.items.contains { !$0.isCurrent })
    }

    @Test func aSnapshotViewCopiesWhatItFroze() throws {
        let temp = TemporaryFolder("copy-view")
        let folio = try makeFolio(temp)
        let copy = try folio.snapshot("v1").copy(to: temp.path("copy"))
        #expect(try copy.get("clean", as: [Int].self) == [1, 2, 3])
        #expect(copy.metadata["lr"] == 0.01)
        #expect(throws: DataFolioError.self) {
            try folio.snapshot("v1").copy(to: temp.path("again"), options: CopyOptions(keepSnapshots: true))
        }
    }

    @Test func destinationsThatAreNotNewOrEmptyAreRefused() throws {
        let temp = TemporaryFolder("copy-target")
        let folio = try makeFolio(temp)
        #expect(throws: DataFolioError.self) { try folio.copy(to: temp.path("source")) }
        try FileManager.default.createDirectory(atPath: temp.path("full"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: temp.url.appendingPathComponent("full/notes.txt"))
        #expect(throws: DataFolioError.self) { try folio.copy(to: temp.path("full")) }
        #expect(try String(contentsOfFile: temp.path("full/notes.txt"), encoding: .utf8) == "keep")
        try FileManager.default.createDirectory(atPath: temp.path("empty"), withIntermediateDirectories: true)
        let copy = try folio.copy(to: temp.path("empty"))
        #expect(copy.itemNames.count == 4)
        let random = try folio.copy(to: temp.path("rand"), options: CopyOptions(randomSuffix: true))
        #expect(random.location.hasPrefix(temp.path("rand-")))
    }

    @Test func aDamagedPayloadRemovesThePartialCopy() throws {
        let temp = TemporaryFolder("copy-damaged")
        let folio = try makeFolio(temp)
        let model = try #require(folio.location(of: try folio.item("model")))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: model))
        do {
            try folio.copy(to: temp.path("copy"))
            Issue.record("a damaged payload was copied")
        } catch {
            #expect(error.code == .corruptData)
        }
        #expect(!FileManager.default.fileExists(atPath: temp.path("copy")))
        // Into an empty folder that existed before: the folder stays, empty.
        try FileManager.default.createDirectory(atPath: temp.path("kept"), withIntermediateDirectories: true)
        #expect(throws: DataFolioError.self) { try folio.copy(to: temp.path("kept")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path("kept")).isEmpty)
    }

    @Test func copiesThroughAnyStorage() throws {
        let temp = TemporaryFolder("copy-storage")
        let folio = try makeFolio(temp)
        let copy = try folio.copy(to: LocalFolioStorage(path: temp.path("copy")))
        #expect(copy.itemNames.count == 4)
        // Copy of the copy, to a store opened by location.
        let second = try copy.copy(to: "file://" + temp.path("second"))
        #expect(try second.get("clean", as: [Int].self) == [1, 2, 3, 4])
    }

    @Test func mutableReferencesAreNamed() throws {
        let temp = TemporaryFolder("mutable")
        let folio = try makeFolio(temp)
        #expect(folio.mutableReferences == ["raw"])
        #expect(try folio.snapshotSummary("v1").mutableReferences == ["raw"])
        #expect(folio.snapshots.first?.mutableReferences == ["raw"])
        try folio.delete("raw")
        let summary = try folio.createSnapshot("v2", capture: [])
        #expect(summary.mutableReferences.isEmpty)
        #expect(folio.mutableReferences.isEmpty)
        #expect(try folio.snapshotSummary("v1").mutableReferences == ["raw"], "the pinned version is still a reference")
    }

    @Test func aReplicaIsTheWholeFolioAndARepeatMovesOnlyWhatChanged() throws {
        let temp = TemporaryFolder("replica")
        let folio = try makeFolio(temp)
        let last = ReplicaProgress()
        var options = CopyOptions.replica
        options.progress = { last.value = $0 }
        let replica = try folio.copy(to: temp.path("replica"), options: options)
        #expect(replica.revision == folio.revision, "the catalog as it is, not a new history")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: temp.path("replica/items.json")))
                == Data(contentsOf: URL(fileURLWithPath: temp.path("source/items.json"))))
        #expect(replica.itemNames == folio.itemNames, "archived items too")
        #expect(replica.snapshots.map(\.name) == ["v1"])
        #expect(try replica.snapshot("v1").get("clean", as: [Int].self) == [1, 2, 3])
        #expect(replica.validate().isValid)
        // clean (two versions), model, report, scratch/tmp.
        #expect(last.value?.copiedFiles == 5)
        #expect(last.value?.skippedFiles == 0)

        try folio.add("late", 1)
        try folio.copy(to: temp.path("replica"), options: options)
        #expect(last.value?.copiedFiles == 1, "only the new item")
        #expect(last.value?.skippedFiles == 5)
        try folio.add("late", 2, overwrite: true)
        try folio.copy(to: temp.path("replica"), options: options)
        #expect(last.value?.copiedFiles == 1)
        #expect(last.value?.removedFiles == 1, "the first version of late, which no snapshot pins")
        #expect(try DataFolio(at: temp.path("replica")).get("late") as JSONValue == 2)

        // Another folio is never replaced, and a replica takes no fork options.
        let unrelated = try DataFolio(at: temp.path("unrelated"), metadata: ["created_at": "2020-01-01T00:00:00"])
        try unrelated.add("x", 1)
        let other = #expect(throws: DataFolioError.self) { try folio.copy(to: temp.path("unrelated"), options: .replica) }
        #expect(other?.code == .folderNotEmpty)
        var mixed = CopyOptions.replica
        mixed.include = ["clean"]
        let refused = #expect(throws: DataFolioError.self) { try folio.copy(to: temp.path("mixed"), options: mixed) }
        #expect(refused?.code == .invalidArgument)
    }
}

/// The last progress a copy reported.
private final class ReplicaProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: CopyProgress?
    var value: CopyProgress? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
