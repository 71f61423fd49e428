import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// The folio's writer lock: a holder that never commits makes others give up after the
/// timeout; a queue of writers that keep committing does not.
@Suite("Writer lock", .serialized)
struct WriteLockTests {
    @Test func aHolderThatNeverCommitsEndsTheWait() throws {
        let temp = TemporaryFolder("write-lock")
        let path = temp.path("folio")
        _ = try DataFolio(at: path)
        let holder = try #require(try LocalFolioStorage(path: path).lockForWriting(timeout: 1))
        defer { holder.release() }

        let started = Date()
        var code: DataFolioError.Code?
        do {
            _ = try LocalFolioStorage(path: path).lockForWriting(timeout: 0.3)
        } catch {
            code = error.code
        }
        #expect(code == .lockTimeout)
        #expect(Date().timeIntervalSince(started) >= 0.3)
    }

    @Test func commitsByOthersKeepTheWaitGoing() throws {
        let temp = TemporaryFolder("write-lock")
        let path = temp.path("folio")
        _ = try DataFolio(at: path)
        let holder = try #require(try LocalFolioStorage(path: path).lockForWriting(timeout: 1))

        // The holder "commits" (replaces items.json) every 50 ms for 1.2 s, four times the
        // waiter's timeout, then lets go.
        let catalog = URL(fileURLWithPath: path).appendingPathComponent("items.json")
        let contents = try Data(contentsOf: catalog)
        nonisolated(unsafe) let releasedByCommitter = holder
        let committer = Thread {
            for round in 0..<24 {
                let next = catalog.deletingLastPathComponent().appendingPathComponent("items.json.next-\(round)")
                try? contents.write(to: next)
                _ = rename(next.path, catalog.path)
                Thread.sleep(forTimeInterval: 0.05)
            }
            releasedByCommitter.release()
        }
        let started = Date()
        committer.start()
        let lock = try LocalFolioStorage(path: path).lockForWriting(timeout: 0.3)
        #expect(lock != nil)
        #expect(Date().timeIntervalSince(started) >= 1.0)
        lock?.release()
    }
}
