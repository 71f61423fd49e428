import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Every kind of item in a folio on a real S3 server, through the library.
@Suite("Remote folios through the library", .seaweed)
struct RemoteFolioTests {
    struct Settings: Codable, Equatable {
        var seed: Int
        var rate: Double
        var layers: [Int]
    }

    struct Detector: Codable, Equatable {
        var feature: String
        var cutoff: Double
    }

    static func sampleTable() throws -> Table {
        try Table([
            Column(name: "sensor", categories: ["a", "b", "c", "a"]),
            Column(name: "reading", [1.5, 2.25, nil, 1.75] as [Double?]),
            Column(name: "count", [1, 2, 3, 4] as [Int64]),
            Column(name: "valid", [true, true, false, true]),
        ])
    }

    static func sampleWeights() throws -> TensorDictionary {
        var weights = TensorDictionary()
        weights["fc.weight"] = try NDArray(shape: [2, 3], [0.5, -0.25, 1, 0, 0.75, -1] as [Float])
        weights["fc.bias"] = NDArray([0.1, -0.1] as [Float])
        return weights
    }

    @Test func everyKindRoundTripsExactly() throws {
        let cache = TemporaryFolder("remote-cache")
        let local = TemporaryFolder("remote-files")
        let (folio, prefix) = try RemoteFixture.newFolio("kinds", cache: cache)
        #expect(folio.revision == 1)
        #expect(folio.storage.isLocal == false)
        let table = try Self.sampleTable()
        let array = try NDArray(shape: [3, 4], (0..<12).map { Float($0) * 0.5 })
        let settings = Settings(seed: 7, rate: 0.01, layers: [64, 32])
        let weights = try Self.sampleWeights()
        let started = Date(timeIntervalSince1970: 1_764_158_400)
        let notes = Array("# Notes\nremote run\n".utf8)
        try Data(notes).write(to: URL(fileURLWithPath: local.path("notes.md")))
        try FileManager.default.createDirectory(atPath: local.path("images/sub"), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: local.path("images/a.bin")))
        try Data([4, 5]).write(to: URL(fileURLWithPath: local.path("images/sub/b.bin")))
        try Data("x,y\n1,2\n3,4\n".utf8).write(to: URL(fileURLWithPath: local.path("ref.csv")))

        try folio.add("clean", table, description: "Readings")
        try folio.add("embeddings", array, inputs: ["clean"])
        try folio.add("settings", json: settings)
        try folio.add("thresholds", ["low": 0.2, "high": 0.8, "labels": ["ok", "alert"]])
        try folio.add("detector", model: Detector(feature: "reading", cutoff: 2), hyperparameters: ["metric": "f1"])
        try folio.add("net", model: PyTorchModel(stateDict: weights, modelClass: "Net", modelModule: "nets", initArguments: ["input_dim": 3]))
        try folio.add("net_export", weights, metadata: ["format": "pt"])
        try folio.add("started", started)
        try folio.add("notes", file: URL(fileURLWithPath: local.path("notes.md")), category: "docs")
        try folio.add("images", file: URL(fileURLWithPath: local.path("images")))
        try folio.add("ref", reference: local.path("ref.csv"))
        try folio.createSnapshot("first", capture: [])
        try folio.add("thresholds", ["low": 0.3], overwrite: true)
        #expect(folio.revision == 14)

        // A second instance, as another process would open it: everything from the bucket.
        let reopened = try DataFolio(storage: try RemoteFixture.storage(prefix), options: .readOnly)
        reopened.payloadCache = PayloadCache(folder: cache.path("second"))
        #expect(reopened.revision == 14)
        #expect(try reopened.get("clean") as Table == table)
        #expect(try reopened.get("clean", columns: ["count"]) == (try table.selecting(["count"])))
        #expect(try reopened.get("embeddings") as NDArray == array)
        #expect(try reopened.get("embeddings", memoryMapped: true) == array)
        #expect(try reopened.get("settings", as: Settings.self) == settings)
        #expect(try reopened.get("thresholds") as JSONValue == ["low": 0.3])
        #expect(try reopened.get("detector", as: Detector.self) == Detector(feature: "reading", cutoff: 2))
        let net = try reopened.get("net", as: PyTorchModel.self)
        #expect(net.stateDict == weights)
        #expect(net.modelClass == "Net")
        #expect(try reopened.get("net_export") as TensorDictionary == weights)
        #expect(try reopened.get("started") as Date == started)
        let notesURL = try reopened.get("notes", as: URL.self)
        #expect(notesURL.path.hasPrefix(cache.path("second")))
        #expect(Array(try Data(contentsOf: notesURL)) == notes)
        #expect(notesURL.lastPathComponent == (try reopened.item("notes").filename))
        let imagesURL = try reopened.get("images", as: URL.self)
        #expect(Array(try Data(contentsOf: imagesURL.appendingPathComponent("sub/b.bin"))) == [4, 5])
        let reference: Table = try reopened.get("ref")
        #expect(reference.rowCount == 2)

        // The snapshot view pins the version it saw.
        let first = try reopened.snapshot("first")
        #expect(try first.get("thresholds") as JSONValue == ["low": 0.2, "high": 0.8, "labels": ["ok", "alert"]])

        // Python's layout for cloud folios: checksum null, the MD5 beside it.
        let entry = try reopened.item("embeddings")
        #expect(entry.fields["checksum"] == .null)
        #expect(entry.fields["content_md5"]?.stringValue?.count == 32)
        #expect(entry.checksum == entry.fields["content_md5"]?.stringValue)

        let report = reopened.validate()
        #expect(report.isValid, "\(report.damaged)")
        #expect(report.results.count == 12, "11 current items and the pinned version")
        let text = reopened.describe()
        #expect(text.contains("clean"))
        #expect(text.contains("embeddings"))
        #expect(!text.contains("size:"), "remote items show no size line, as in Python")
    }

    @Test func garbageCollectionAndSnapshotsOnABucket() throws {
        let cache = TemporaryFolder("remote-cache")
        let (folio, prefix) = try RemoteFixture.newFolio("gc", cache: cache)
        let storage = try RemoteFixture.storage(prefix)
        try folio.add("a", NDArray([1, 2, 3] as [Double]))
        let firstPath = try #require(try folio.item("a").relativePayloadPath)
        try folio.createSnapshot("keep", capture: [])
        try folio.add("a", NDArray([4, 5] as [Double]), overwrite: true)
        #expect(try storage.status(firstPath) != nil, "a pinned version stays")
        #expect(try folio.snapshot("keep").get("a") as NDArray == NDArray([1, 2, 3] as [Double]))
        // An orphan as a crashed writer would leave it: young, so left alone without a lock.
        let orphan = "artifacts/ghost--r99.npy"
        try storage.client.putObject(storage.s3Location.key(orphan), bytes: [1, 2, 3])
        let removed = try folio.deleteSnapshot("keep", removingOrphans: true)
        #expect(removed.unpinnedVersions == [firstPath])
        #expect(removed.orphanedPayloads.isEmpty, "another writer's upload may still be on its way")
        #expect(try storage.status(firstPath) == nil)
        #expect(try storage.status(orphan) != nil)
        let gone = #expect(throws: DataFolioError.self) { try folio.snapshot("keep") }
        #expect(gone?.code == .snapshotNotFound)
    }

    @Test func payloadsAreMappedFromTheCacheAndDownloadedOnce() throws {
        let server = try RemoteFixture.server()
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        let cache = TemporaryFolder("remote-cache")
        let prefix = RemoteFixture.freshPrefix("cache")
        let writer = try DataFolio(storage: try RemoteFixture.storage(prefix))
        let big = try NDArray(shape: [256, 1024], (0..<(256 * 1024)).map { Float($0 % 977) })
        try writer.add("big", big)
        try writer.add("weights", try Self.sampleWeights())
        try writer.add("net", model: PyTorchModel(stateDict: try Self.sampleWeights()))

        let folio = try DataFolio(storage: try RemoteFixture.storage(prefix, endpoint: proxy.endpoint), options: .readOnly)
        folio.payloadCache = PayloadCache(folder: cache.path)
        let before = proxy.responseBytes
        #expect(try folio.get("big", memoryMapped: true) == big)
        let firstRead = proxy.responseBytes - before
        #expect(firstRead >= 1 << 20, "the array was downloaded")
        let again = proxy.responseBytes
        #expect(try folio.get("big", memoryMapped: true) == big)
        #expect(try folio.get("big") as NDArray == big)
        #expect(proxy.responseBytes - again < 4096, "read from the cache: only catalog checks went out")
        #expect(try folio.get("weights") as TensorDictionary == (try Self.sampleWeights()))
        #expect(try folio.get("net", as: PyTorchModel.self).stateDict == (try Self.sampleWeights()))
        let info = try folio.payloadCache.info()
        #expect(info.entryCount == 3)
        #expect(info.totalBytes > 1 << 20)
        let cleared = try folio.payloadCache.clear()
        #expect(cleared.entryCount == 3)
        #expect(try folio.payloadCache.info().entryCount == 0)
    }

    @Test func cacheEvictsTheLeastRecentlyUsed() throws {
        let cache = TemporaryFolder("remote-cache")
        let (folio, _) = try RemoteFixture.newFolio("evict", cache: cache)
        for name in ["a", "b", "c"] {
            try folio.add(name, NDArray((0..<12_500).map { Double($0) + (name == "a" ? 0 : name == "b" ? 1 : 2) }))
        }
        // Each .npy is 100,128 bytes; room for two.
        folio.payloadCache = PayloadCache(folder: cache.path, sizeLimit: 250_000)
        _ = try folio.get("a", memoryMapped: true)
        usleep(20_000)
        _ = try folio.get("b", memoryMapped: true)
        usleep(20_000)
        _ = try folio.get("a", memoryMapped: true)   // a is now used more recently than b
        usleep(20_000)
        _ = try folio.get("c", memoryMapped: true)
        let info = try folio.payloadCache.info()
        #expect(info.entryCount == 2)
        #expect(info.totalBytes <= 250_000)
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path("entries")).flatMap { entry in
            try FileManager.default.contentsOfDirectory(atPath: cache.path("entries/\(entry)"))
        }
        #expect(Set(names) == ["a--r2.npy", "c--r4.npy"])
    }

    @Test func aDamagedPayloadNeverEntersTheCache() throws {
        let cache = TemporaryFolder("remote-cache")
        let (folio, prefix) = try RemoteFixture.newFolio("damaged", cache: cache)
        try folio.add("a", NDArray([1, 2, 3, 4] as [Double]))
        let storage = try RemoteFixture.storage(prefix)
        let path = try #require(try folio.item("a").relativePayloadPath)
        var bytes = try storage.read(path)
        bytes[bytes.count - 1] ^= 0xFF
        try storage.client.putObject(storage.s3Location.key(path), bytes: bytes)
        let error = #expect(throws: DataFolioError.self) { try folio.get("a", memoryMapped: true) }
        #expect(error?.code == .checksumMismatch)
        #expect(try folio.payloadCache.info().entryCount == 0)
        #expect(!folio.validate().isValid)
    }

    @Test func aStoreThatIgnoresConditionalWritesIsRefused() throws {
        let server = try RemoteFixture.server()
        try RemoteFixture.client(endpoint: server.endpoint, server: server, bucket: SeaweedServer.openBucket).createBucket()
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        proxy.stripConditionalHeaders()
        let location = try S3Location(parsing: "s3://\(proxy.endpoint)/\(SeaweedServer.openBucket)/\(RemoteFixture.freshPrefix("ignored"))")
        let configuration = S3Configuration(
            endpoint: try S3Endpoint(parsing: proxy.endpoint), credentials: .anonymous,
            retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.05, maxTotalTime: 5))
        let storage = S3FolioStorage(location: location, client: S3Client(bucket: SeaweedServer.openBucket, configuration: configuration))
        let error = #expect(throws: DataFolioError.self) { try DataFolio(storage: storage) }
        #expect(error?.code == .unsupportedFeature)
        #expect(error?.message.contains("ignores conditional writes") == true)
        #expect(error?.message.contains("\n") == false)
        #expect(try storage.status("items.json") == nil, "nothing was written")
    }
}
