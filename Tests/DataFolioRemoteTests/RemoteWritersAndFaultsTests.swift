import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Many writers on one remote folio, and what failures of the server do to it.
@Suite("Remote writers and faults", .seaweed, .serialized)
struct RemoteWritersAndFaultsTests {
    @Test func fourProcessesLoseNoUpdate() throws {
        let server = try RemoteFixture.server()
        let cache = TemporaryFolder("remote-cache")
        let prefix = RemoteFixture.freshPrefix("writers")
        let location = RemoteFixture.location(prefix, endpoint: server.endpoint)
        _ = try DataFolio(storage: try RemoteFixture.storage(prefix))
        let writer = try BuiltProducts.executable("DataFolioTestWriter")
        let barrier = TemporaryFolder("remote-barrier")
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in RemoteFixture.environment(server, cache: cache) { environment[key] = value }
        environment["DATAFOLIO_TEST_BARRIER"] = barrier.path
        let perWriter = 15
        var processes = [(Process, Pipe)]()
        for prefix in ["a", "b", "c", "d"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: writer)
            process.arguments = [location, prefix, String(perWriter)]
            process.environment = environment
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append((process, errors))
        }
        // Release every writer at once, so their commits really interleave.
        let deadline = Date().addingTimeInterval(120)
        while (try FileManager.default.contentsOfDirectory(atPath: barrier.path)).count < 4 && Date() < deadline {
            usleep(10_000)
        }
        _ = FileManager.default.createFile(atPath: barrier.path("go"), contents: nil)
        for (process, errors) in processes {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(message)")
        }
        let folio = try DataFolio(storage: try RemoteFixture.storage(prefix), options: .readOnly)
        let expected = Set(["a", "b", "c", "d"].flatMap { prefix in (0..<perWriter).map { "\(prefix)\($0)" } })
        #expect(Set(folio.itemNames) == expected)
        #expect(folio.revision == 61)
        #expect(folio.validate().isValid)
        for name in ["a0", "b14", "d7"] {
            let value: JSONValue = try folio.get(name)
            #expect(value["writer"]?.stringValue == String(name.prefix(1)))
        }
        let payloads = try folio.storage.list("artifacts").filter { $0.kind == .object }
        #expect(payloads.count == 60, "no orphan or missing payloads")
    }

    @Test func aServerStoppedMidUploadLeavesTheFolioAsItWas() throws {
        let server = try SeaweedServer(label: "seaweed-stopped")
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        let client = try RemoteFixture.client(endpoint: proxy.endpoint, server: server)
        try client.createBucket()
        let location = try S3Location(parsing: RemoteFixture.location(RemoteFixture.freshPrefix("stopped"), endpoint: proxy.endpoint))
        let storage = S3FolioStorage(location: location, client: client)
        let folio = try DataFolio(storage: storage)
        try folio.add("small", ["ok": true])
        let catalogBefore = try storage.read("items.json")

        let big = try NDArray(shape: [24 << 20], [Float](repeating: 1.5, count: 24 << 20))   // 96 MiB: a multipart upload
        final class Outcome: @unchecked Sendable { var value: DataFolioError? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let startBytes = proxy.requestBodyBytes
        let thread = Thread {
            do throws(DataFolioError) {
                try folio.add("big", big)
            } catch {
                outcome.value = error
            }
            done.signal()
        }
        thread.start()
        let deadline = Date().addingTimeInterval(60)
        while proxy.requestBodyBytes - startBytes < 20 << 20 && Date() < deadline { usleep(2_000) }
        server.stop()
        done.wait()
        #expect(outcome.value != nil, "the add failed")
        #expect(outcome.value?.message.contains("\n") == false)

        try server.start()
        let reopened = try DataFolio(storage: storage)
        #expect(try storage.read("items.json") == catalogBefore, "the catalog is exactly as before")
        #expect(reopened.itemNames == ["small"])
        #expect(reopened.revision == 2)
        #expect(reopened.validate().isValid)
        #expect(try storage.list("artifacts").map(\.name) == [try reopened.item("small").filename ?? ""], "no partial payload is visible")
        try reopened.add("after", 1)
        #expect(reopened.revision == 3)
    }

    @Test func injectedServerErrorsAreRetried() throws {
        let server = try RemoteFixture.server()
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        let cache = TemporaryFolder("remote-cache")
        let prefix = RemoteFixture.freshPrefix("slowdown")
        let folio = try DataFolio(storage: try RemoteFixture.storage(prefix, endpoint: proxy.endpoint))
        folio.payloadCache = PayloadCache(folder: cache.path)
        proxy.inject(.slowDown, count: 3)
        try folio.add("a", NDArray([1, 2, 3] as [Double]))
        #expect(proxy.faultsInjected == 3)
        proxy.inject(.slowDown, count: 2)
        proxy.inject(.dropResponse(afterBytes: 100))
        #expect(try folio.get("a", memoryMapped: true) == NDArray([1, 2, 3] as [Double]))
        #expect(proxy.faultsInjected == 6)
        #expect(folio.revision == 2)
        #expect(folio.validate().isValid)
    }

    @Test func aWrongSecretIsOneLineThatSaysWhatToFix() throws {
        let server = try RemoteFixture.server()
        let prefix = RemoteFixture.freshPrefix("secret")
        _ = try DataFolio(storage: try RemoteFixture.storage(prefix))
        let error = #expect(throws: DataFolioError.self) {
            try DataFolio(storage: try RemoteFixture.storage(prefix, secret: "not-the-secret"))
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.message.contains("secret") == true)
        #expect(error?.message.contains("\n") == false)

        let cache = TemporaryFolder("remote-cache")
        var environment = RemoteFixture.environment(server, cache: cache)
        environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        let result = try RemoteCLI.run(["-f", RemoteFixture.location(prefix, endpoint: server.endpoint), "describe"], environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.contains("AWS_SECRET_ACCESS_KEY"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
