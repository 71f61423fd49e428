import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Whole folios copied between a folder and a bucket (replicas): push, pull, skip, resume.
@Suite("Copying folios between a folder and a bucket", .seaweed)
struct FolioReplicaTests {
    /// Replicates the folio in `source` to `destination` and returns the final counts.
    @discardableResult
    static func replicate(
        _ source: any FolioStorage, to destination: any FolioStorage, concurrency: Int = 8,
        progress: (@Sendable (CopyProgress) -> Void)? = nil
    ) throws -> CopyProgress {
        let last = LastValue<CopyProgress>()
        var options = CopyOptions.replica
        options.concurrency = concurrency
        options.progress = { value in
            last.set(value)
            progress?(value)
        }
        let copy = try DataFolio(storage: source, options: .readOnly).copy(to: destination, options: options)
        let final = try #require(last.get(), "the copy reports its final counts") as CopyProgress
        #expect(copy.revision == (try DataFolio(storage: source, options: .readOnly).revision))
        return final
    }

    /// A local folio with several kinds, a folder item, a snapshot and a retained version.
    static func localFolio(in temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("local"), metadata: ["project": "push"])
        try folio.add("clean", try RemoteFolioTests.sampleTable())
        try folio.add("embeddings", try NDArray(shape: [64, 64], (0..<4096).map { Float($0) }))
        try folio.add("config", ["lr": 0.01])
        try FileManager.default.createDirectory(atPath: temp.path("images/sub"), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: temp.path("images/a.bin")))
        try Data([4, 5]).write(to: URL(fileURLWithPath: temp.path("images/sub/b.bin")))
        try folio.add("images", file: URL(fileURLWithPath: temp.path("images")))
        try folio.add("weights", try RemoteFolioTests.sampleWeights())
        try folio.createSnapshot("v1", capture: [])
        try folio.add("config", ["lr": 0.02], overwrite: true)
        return folio
    }

    @Test func pushThenPullGivesTheSameFolio() throws {
        let temp = TemporaryFolder("transfer")
        let local = try Self.localFolio(in: temp)
        let prefix = RemoteFixture.freshPrefix("push")
        let remote = try RemoteFixture.storage(prefix)
        let pushed = try Self.replicate(local.storage, to: remote)
        // clean, embeddings, two config versions, weights, and the folder's two files.
        #expect(pushed.copiedFiles == 7)
        #expect(pushed.skippedFiles == 0)
        
        let folio = try DataFolio(storage: remote, options: .readOnly)
        folio.payloadCache = PayloadCache(folder: temp.path("cache"))
        #expect(folio.revision == local.revision)
        #expect(Set(folio.itemNames) == Set(local.itemNames))
        #expect(try folio.get("embeddings") as NDArray == (try local.get("embeddings") as NDArray))
        #expect(try folio.snapshot("v1").get("config") as JSONValue == ["lr": 0.01])
        #expect(folio.validate().isValid, "\(folio.validate().damaged)")
        #expect(try folio.item("clean").fields["checksum"] == .null)
        #expect(try folio.item("clean").fields["content_md5"] == (try local.item("clean").fields["checksum"]))

        let again = try Self.replicate(local.storage, to: remote)
        #expect(again.copiedFiles == 0)
        #expect(again.skippedFiles == 7)

        let pulled = try Self.replicate(remote, to: LocalFolioStorage(path: temp.path("pulled")))
        #expect(pulled.copiedFiles == 7)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: temp.path("pulled/items.json")))
                == Data(contentsOf: URL(fileURLWithPath: temp.path("local/items.json"))),
            "the catalog comes back byte for byte")
        let copy = try DataFolio(at: temp.path("pulled"), options: .readOnly)
        #expect(copy.validate().isValid)
        #expect(try copy.get("images", as: URL.self).path == temp.path("pulled/artifacts/images--r5"))
        let pulledAgain = try Self.replicate(remote, to: LocalFolioStorage(path: temp.path("pulled")))
        #expect(pulledAgain.copiedFiles == 0)
        #expect(pulledAgain.skippedFiles == 7)
    }

    @Test func aMultipartCopyIsRecognisedByTheMD5StoredWithIt() throws {
        let temp = TemporaryFolder("transfer")
        let local = try DataFolio(at: temp.path("local"))
        try local.add("big", try NDArray(shape: [5 << 20], (0..<(5 << 20)).map { Float($0 % 65_521) }))   // 20 MiB: parts
        let remote = try RemoteFixture.storage(RemoteFixture.freshPrefix("multipart"))
        let first = try Self.replicate(local.storage, to: remote)
        #expect(first.copiedFiles == 1)
        let path = try #require(try local.item("big").relativePayloadPath)
        let info = try #require(try remote.client.headObject(remote.s3Location.key(path)))
        #expect(info.etagValue?.contains("-") == true, "a multipart upload, whose ETag is not the MD5")
        #expect(try remote.recordedMD5(path) == (try local.item("big").checksum))
        let again = try Self.replicate(local.storage, to: remote)
        #expect(again.skippedFiles == 1)
        #expect(again.copiedFiles == 0)
    }

    @Test func anInterruptedPushResumes() throws {
        let server = try RemoteFixture.server()
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        let temp = TemporaryFolder("transfer")
        let local = try DataFolio(at: temp.path("local"))
        try local.batch { folio in
            for index in 0..<12 { try folio.add("part\(index)", NDArray((0..<20_000).map { Double($0 + index) })) }
        }
        let prefix = RemoteFixture.freshPrefix("resume")
        let remote = try RemoteFixture.storage(prefix, endpoint: proxy.endpoint)
        let error = #expect(throws: DataFolioError.self) {
            try Self.replicate(local.storage, to: remote, concurrency: 2) { progress in
                // Break the server's answers once a few payloads are there.
                if progress.finishedFiles >= 3 && proxy.pendingFaults == 0 && proxy.faultsInjected == 0 {
                    proxy.inject(.slowDown, count: 10_000)
                }
            }
        }
        #expect(error?.code == .remoteFailure)
        proxy.clearFaults()
        #expect(try remote.status("items.json") == nil, "the catalog goes last: nothing is visible")
        let resumed = try Self.replicate(local.storage, to: remote)
        #expect(resumed.skippedFiles >= 3)
        #expect(resumed.copiedFiles + resumed.skippedFiles == 12)
        let folio = try DataFolio(storage: remote, options: .readOnly)
        #expect(folio.itemNames.count == 12)
        #expect(folio.validate().isValid)
    }

    @Test func anotherFolioIsNeverReplacedAndUpdatesMoveOnlyChanges() throws {
        let temp = TemporaryFolder("transfer")
        let first = try DataFolio(at: temp.path("first"))
        try first.add("a", NDArray([1, 2] as [Double]))
        try first.add("b", ["x": 1])
        usleep(2_000)
        let other = try DataFolio(at: temp.path("other"))
        try other.add("z", 1)
        let remote = try RemoteFixture.storage(RemoteFixture.freshPrefix("mirror"))
        try Self.replicate(first.storage, to: remote)
        let refused = #expect(throws: DataFolioError.self) { try Self.replicate(other.storage, to: remote) }
        #expect(refused?.code == .folderNotEmpty)

        // An update: one new payload, one replaced (its old version no longer needed).
        let oldB = try #require(try first.item("b").relativePayloadPath)
        try first.add("c", 3)
        try first.add("b", ["x": 2], overwrite: true)
        let update = try Self.replicate(first.storage, to: remote)
        #expect(update.copiedFiles == 2)
        #expect(update.skippedFiles == 1)
        #expect(update.removedFiles == 1)
        #expect(try remote.status(oldB) == nil)
        let mirror = try DataFolio(storage: remote, options: .readOnly)
        #expect(try mirror.get("b") as JSONValue == ["x": 2])

        // The remote copy changed by someone else is newer: the local one does not overwrite it.
        let writer = try DataFolio(storage: remote)
        try writer.add("remote-only", 1)
        try writer.add("remote-two", 2)
        let newer = #expect(throws: DataFolioError.self) { try Self.replicate(first.storage, to: remote) }
        #expect(newer?.code == .concurrentWrite)
    }

    @Test func aForkToABucketRecordsTheMD5AsPythonExpectsThere() throws {
        let temp = TemporaryFolder("transfer")
        let local = try Self.localFolio(in: temp)
        let remote = try RemoteFixture.storage(RemoteFixture.freshPrefix("fork"))
        let fork = try local.copy(to: remote, options: CopyOptions(exclude: ["weights"]))
        fork.payloadCache = PayloadCache(folder: temp.path("cache"))
        #expect(Set(fork.itemNames) == Set(local.itemNames).subtracting(["weights"]))
        #expect(fork.snapshots.isEmpty)
        #expect(try fork.item("clean").fields["checksum"] == .null)
        #expect(try fork.item("clean").fields["content_md5"] == (try local.item("clean").fields["checksum"]))
        #expect(fork.validate().isValid, "\(fork.validate().damaged)")
        #expect(try fork.get("embeddings") as NDArray == (try local.get("embeddings") as NDArray))
        // And back to a folder: the MD5 moves back to `checksum`.
        let back = try fork.copy(to: temp.path("back"))
        #expect(try back.item("clean").fields["checksum"] == (try local.item("clean").fields["checksum"]))
        #expect(try back.item("clean").fields["content_md5"] == nil)
        #expect(back.validate().isValid)
    }

    @Test func theCommandPushesAndPulls() throws {
        let server = try RemoteFixture.server()
        let temp = TemporaryFolder("transfer")
        _ = try Self.localFolio(in: temp)
        let cache = TemporaryFolder("remote-cache")
        let environment = RemoteFixture.environment(server, cache: cache)
        let location = RemoteFixture.location(RemoteFixture.freshPrefix("cli-push"), endpoint: server.endpoint)
        let push = try RemoteCLI.run(["push", temp.path("local"), location], environment: environment)
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("7 files copied"))
        #expect(push.stderr.isEmpty, "no progress bar when standard error is not a terminal: \(push.stderr)")
        let again = try RemoteCLI.run(["push", temp.path("local"), location], environment: environment)
        #expect(again.stdout.contains("0 files copied"))
        #expect(again.stdout.contains("7 already there"))
        let quiet = try RemoteCLI.run(["push", "--quiet", temp.path("local"), location], environment: environment)
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty)
        let pull = try RemoteCLI.run(["pull", location, temp.path("pulled")], environment: environment)
        #expect(pull.status == 0, "\(pull.stderr)")
        let describe = try RemoteCLI.run(["-f", temp.path("pulled"), "validate"], environment: environment)
        #expect(describe.status == 0, "\(describe.stdout)\(describe.stderr)")

        // On a terminal, the bar shows bytes, files, rate and time left.
        let tty = try RemoteCLI.run(
            ["-q", "-e", "-c", "\(try BuiltProducts.executable("datafolio")) pull \(location) \(temp.path("pulled-tty"))", "/dev/null"],
            environment: environment, executable: "/usr/bin/script")
        #expect(tty.status == 0, "\(tty.stdout)")
        #expect(tty.stdout.contains("files"))
        #expect(tty.stdout.contains("█"))
        #expect(tty.stdout.contains("✓ Pulled"))
    }
}
