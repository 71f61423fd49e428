import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// A writer that missed other writers' commits applies its change on top of them, unless
/// they changed the same item, metadata key or snapshot.
@Suite("Changes re-applied on top of other writers' commits")
struct ConcurrentChangeTests {
    /// Two instances of one folio: `stale` read it before `fresh` committed.
    func pair(_ temp: TemporaryFolder) throws -> (stale: DataFolio, fresh: DataFolio) {
        let stale = try DataFolio(at: temp.path("f"))
        try stale.add("shared", ["v": 1])
        try stale.setMetadata("owner", "ana")
        let fresh = try DataFolio(at: temp.path("f"))
        return (stale, fresh)
    }

    @Test func changesToOtherItemsAndKeysAreMerged() throws {
        let temp = TemporaryFolder("merge")
        let (stale, fresh) = try pair(temp)
        try fresh.add("from_fresh", 1)
        try fresh.setMetadata("lr", 0.1)
        try fresh.createSnapshot("s1", capture: [])
        // `stale` has not read any of that; none of it touches what it changes.
        try stale.add("from_stale", 2)
        try stale.setMetadata("epochs", 3)
        try stale.delete("shared")
        let reopened = try DataFolio(at: stale.location, options: .readOnly)
        #expect(Set(reopened.itemNames) == ["from_fresh", "from_stale"])
        #expect(reopened.metadata["lr"] == 0.1 && reopened.metadata["epochs"] == 3 && reopened.metadata["owner"] == "ana")
        #expect(try reopened.snapshot("s1").get("shared", as: JSONValue.self) == ["v": 1], "the snapshot keeps the deleted version")
        #expect(reopened.revision == 9)
        #expect(reopened.validate().isValid)
    }

    @Test func theSameItemChangedMeanwhileIsAConflict() throws {
        let temp = TemporaryFolder("conflict-item")
        let (stale, fresh) = try pair(temp)
        try fresh.add("shared", ["v": 2], overwrite: true)
        let revision = fresh.revision
        #expect { try stale.add("shared", ["v": 3], overwrite: true) } throws: { error in
            guard let error = error as? DataFolioError else { return false }
            return error.code == .concurrentWrite && error.message.contains("item 'shared' was changed") && error.remedy == .reload
                && !error.message.contains("another process")
        }
        #expect(try DataFolio(at: stale.location, options: .readOnly).revision == revision, "nothing was written")
        // The conflict made `stale` read the newer catalog: repeating the change works.
        try stale.add("shared", ["v": 3], overwrite: true)
        #expect(try fresh.get("shared", as: JSONValue.self) == ["v": 3])
    }

    @Test func theSameMetadataKeyChangedMeanwhileIsAConflict() throws {
        let temp = TemporaryFolder("conflict-key")
        let (stale, fresh) = try pair(temp)
        try fresh.setMetadata("owner", "bo")
        #expect { try stale.setMetadata("owner", "cy") } throws: { error in
            (error as? DataFolioError)?.message.contains("metadata key 'owner'") == true
        }
        try stale.setMetadata("owner", "cy")
        #expect(fresh.metadata["owner"] == "cy")
    }

    @Test func aSnapshotTakenAfterOthersCommittedFreezesTheirWorkToo() throws {
        let temp = TemporaryFolder("snapshot")
        let (stale, fresh) = try pair(temp)
        try fresh.add("late", 5)
        try stale.createSnapshot("all", capture: [])
        #expect(Set(try stale.snapshot("all").itemNames) == ["shared", "late"])
    }

    @Test func aBatchIsReappliedAsAWhole() throws {
        let temp = TemporaryFolder("batch")
        let (stale, fresh) = try pair(temp)
        try fresh.add("other", 1)
        try stale.batch { folio in
            try folio.add("x", 1)
            try folio.add("y", 2, inputs: ["x"])
        }
        let reopened = try DataFolio(at: stale.location, options: .readOnly)
        #expect(Set(reopened.itemNames) == ["shared", "other", "x", "y"])
        #expect(reopened.revision == 5)
    }

    /// A store without a lock (as a bucket is) where another writer commits right after
    /// this instance's catalog write: the version this instance keeps must be that of its
    /// own write, or its next commit would go over the other writer's.
    @Test func aCommitRightAfterOursIsNeverWrittenOver() throws {
        let temp = TemporaryFolder("interleaved")
        let base = LocalFolioStorage(path: temp.path("f"))
        _ = try DataFolio(storage: base)
        let interleaving = InterleavingStorage(base)
        let ours = try DataFolio(storage: interleaving)
        let theirs = try DataFolio(storage: base)
        interleaving.afterCatalogWrite = { _ = try? theirs.add("theirs", 2) }
        try ours.add("first", 1)
        #expect(theirs.itemNames.contains("theirs"), "the other writer committed in between")
        try ours.add("second", 3)
        let reopened = try DataFolio(storage: base, options: .readOnly)
        #expect(Set(reopened.itemNames) == ["first", "theirs", "second"])
        #expect(reopened.revision == 4)
    }
}

/// A lock-free view of a local folio that runs a hook once, right after the next
/// catalog write.
private final class InterleavingStorage: FolioStorage, @unchecked Sendable {
    let base: LocalFolioStorage
    // Set before the write that runs it; used on the test's thread only.
    var afterCatalogWrite: (() -> Void)?

    init(_ base: LocalFolioStorage) { self.base = base }

    var location: String { base.location }
    func read(_ path: String) throws(DataFolioError) -> [UInt8] { try base.read(path) }
    func read(_ path: String, range: Range<Int>) throws(DataFolioError) -> [UInt8] { try base.read(path, range: range) }
    func readVersioned(_ path: String) throws(DataFolioError) -> VersionedObject? { try base.readVersioned(path) }
    func status(_ path: String) throws(DataFolioError) -> StoredObject? { try base.status(path) }
    func list(_ folder: String) throws(DataFolioError) -> [StoredObject] { try base.list(folder) }
    func createObject(_ path: String) throws(DataFolioError) -> any StoredObjectWriter { try base.createObject(path) }
    func createFolder(_ path: String) throws(DataFolioError) { try base.createFolder(path) }
    func delete(_ path: String) throws(DataFolioError) { try base.delete(path) }
    func lockForWriting(timeout: Double) throws(DataFolioError) -> (any FolioWriteLock)? { nil }

    func replace(_ path: String, with bytes: [UInt8], condition: ReplaceCondition, durable: Bool) throws(DataFolioError) -> String? {
        let version = try base.replace(path, with: bytes, condition: condition, durable: durable)
        if path == "items.json", let hook = afterCatalogWrite {
            afterCatalogWrite = nil
            hook()
        }
        return version
    }
}
