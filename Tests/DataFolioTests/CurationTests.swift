@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Archive, unarchive and edit")
struct CurationTests {
    func makeFolio(_ temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("f"))
        folio.warningHandler = { _ in }
        try folio.add("raw", [1, 2], description: "Raw values")
        try folio.add("debug_output", ["x": 1])
        try folio.add("intermediate/a", 1, inputs: ["raw"])
        try folio.add("intermediate/b", 2, inputs: ["intermediate/a"])
        return folio
    }

    @Test func archiveByNameListAndPattern() throws {
        let temp = TemporaryFolder("archive")
        let folio = try makeFolio(temp)
        #expect(try folio.archive("debug_output") == ["debug_output"])
        #expect(try folio.item("debug_output").isArchived)
        #expect(try folio.item("debug_output").fields.keys.last == "archived")
        #expect(try folio.archive("intermediate/*") == ["intermediate/a", "intermediate/b"])
        // Hidden from listings, still there and readable.
        #expect(folio.items(matching: "*", includeArchived: false).map(\.name) == ["raw"])
        #expect(folio.itemNames.count == 4)
        #expect(try folio.get("intermediate/b", as: Int.self) == 2)
        let text = folio.describe()
        #expect(!text.contains("debug_output"))
        #expect(folio.describe(DescribeOptions(includeArchived: true)).contains("debug_output"))
        // Persisted: another instance sees it.
        let other = try DataFolio(at: temp.path("f"), options: .readOnly)
        #expect(other.items.filter(\.isArchived).map(\.name) == ["debug_output", "intermediate/a", "intermediate/b"])
        // Unarchive removes the key.
        #expect(try folio.unarchive(["debug_output", "intermediate/a"]) == ["debug_output", "intermediate/a"])
        #expect(try folio.item("debug_output").fields["archived"] == nil)
        #expect(try folio.item("intermediate/b").isArchived)
        #expect(folio.validate().isValid)
    }

    @Test func unknownNamesChangeNothingAndEmptyPatternsCommitNothing() throws {
        let temp = TemporaryFolder("archive-missing")
        let folio = try makeFolio(temp)
        let revision = folio.revision
        #expect(throws: DataFolioError.self) { try folio.archive(["raw", "nope"]) }
        #expect(try !folio.item("raw").isArchived)
        #expect(try folio.archive("nothing/*") == [])
        #expect(folio.revision == revision)
        do {
            try folio.archive("rwa")
            Issue.record("an unknown name was accepted")
        } catch {
            #expect(error.code == .itemNotFound)
            #expect(error.problem.contains("Did you mean 'raw'"))
        }
    }

    @Test func archivingAPinnedItemIsCopyOnWrite() throws {
        let temp = TemporaryFolder("archive-pinned")
        let folio = try makeFolio(temp)
        try folio.createSnapshot("v1", capture: [])
        let pinned = try folio.item("raw")
        try folio.archive("raw")
        let current = try folio.item("raw")
        #expect(current.isArchived)
        #expect(current.versionID != pinned.versionID)
        #expect(current.versionID == "raw--r\(folio.revision)")
        #expect(current.filename == pinned.filename, "the payload is shared")
        // Python's key order: the copy's keys as they were, then the new key.
        #expect(current.fields.keys == pinned.fields.keys + ["archived"])
        let retained = folio.catalog.items.filter { !$0.isCurrent }
        #expect(retained.map(\.fields) == [pinned.retained().fields])
        // The snapshot still sees the item as it was.
        let view = try folio.snapshot("v1")
        #expect(try !view.item("raw").isArchived)
        #expect(try view.get("raw", as: [Int].self) == [1, 2])
        // Deleting the snapshot and collecting garbage keeps the shared payload.
        try folio.deleteSnapshot("v1", removingOrphans: true)
        #expect(folio.validate().isValid)
        #expect(try folio.get("raw", as: [Int].self) == [1, 2])
    }

    @Test func updateItemSetsAndClearsDescriptionAndInputs() throws {
        let temp = TemporaryFolder("update")
        let folio = try makeFolio(temp)
        let before = try folio.item("intermediate/a")
        let updated = try folio.updateItem("intermediate/a", description: "First step")
        #expect(updated.description == "First step")
        #expect(updated.versionID == before.versionID, "an unpinned item is edited in place")
        #expect(updated.fields.keys == before.fields.keys + ["description"])
        try folio.updateItem("intermediate/a", inputs: ["raw", "debug_output"])
        #expect(try folio.item("intermediate/a").inputs == ["raw", "debug_output"])
        try folio.updateItem("intermediate/a", description: "", inputs: [])
        let cleared = try folio.item("intermediate/a")
        #expect(cleared.fields["description"] == nil)
        #expect(cleared.fields["inputs"] == nil)
        #expect(try folio.dependents(of: "raw").isEmpty)
        // Nothing to change: no commit.
        let revision = folio.revision
        try folio.updateItem("raw")
        #expect(folio.revision == revision)
        #expect(throws: DataFolioError.self) { try folio.updateItem("nope", description: "x") }
        #expect(throws: DataFolioError.self) { try folio.updateItem("raw", inputs: ["raw"]) }
        #expect(throws: DataFolioError.self) { try folio.updateItem("raw", inputs: [""]) }
    }

    @Test func updateItemWarnsAboutUnknownInputs() throws {
        let temp = TemporaryFolder("update-warn")
        let folio = try makeFolio(temp)
        let warnings = WarningCollector()
        folio.warningHandler = { warnings.append($0) }
        try folio.updateItem("raw", inputs: ["elsewhere"])
        #expect(warnings.warnings.map(\.kind) == [.brokenLineage])
        #expect(warnings.warnings.first?.message.contains("elsewhere") == true)
        #expect(try folio.item("raw").inputs == ["elsewhere"])
    }

    @Test func editingAPinnedItemKeepsTheSnapshotsVersion() throws {
        let temp = TemporaryFolder("update-pinned")
        let folio = try makeFolio(temp)
        try folio.createSnapshot("v1", capture: [])
        let pinned = try folio.item("raw")
        try folio.updateItem("raw", description: "Raw values, checked")
        let current = try folio.item("raw")
        #expect(current.description == "Raw values, checked")
        #expect(current.versionID != pinned.versionID)
        #expect(current.filename == pinned.filename)
        #expect(current.fields.keys == pinned.fields.keys, "description existed, so it keeps its place")
        #expect(try folio.snapshot("v1").item("raw").description == "Raw values")
        #expect(try folio.changes(since: "v1").modified == ["raw"])
        // A second edit of the new (unpinned) version is in place.
        try folio.updateItem("raw", description: "again")
        #expect(try folio.item("raw").versionID == current.versionID)
        #expect(folio.catalog.items.filter { !$0.isCurrent }.count == 1)
    }

    @Test func concurrentEditsOfOtherItemsAreReapplied() throws {
        let temp = TemporaryFolder("update-race")
        let first = try makeFolio(temp)
        let second = try DataFolio(at: temp.path("f"))
        _ = second.items
        try first.archive("debug_output")
        // `second` has not seen that commit; its edit of another item goes on top.
        try second.updateItem("raw", description: "changed elsewhere")
        let check = try DataFolio(at: temp.path("f"), options: .readOnly)
        #expect(try check.item("debug_output").isArchived)
        #expect(try check.item("raw").description == "changed elsewhere")
    }
}
