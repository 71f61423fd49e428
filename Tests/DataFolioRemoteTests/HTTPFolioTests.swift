import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioTestSupport
import Foundation
import Testing

/// A folio served by a plain web server (Python's `http.server`, which ignores `Range`).
@Suite("Read-only folios over HTTP", .interop)
struct HTTPFolioTests {
    /// A local folio with a few kinds of items and a snapshot, served over HTTP.
    static func servedFolio() throws -> (TemporaryFolder, PythonHTTPServer, DataFolio) {
        let temp = TemporaryFolder("http-folio")
        let folio = try DataFolio(at: temp.path("site/churn"))
        try folio.add("clean", try RemoteFolioTests.sampleTable())
        try folio.add("embeddings", try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float]))
        try folio.add("config", ["lr": 0.01, "layers": [64, 32]])
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: temp.path("notes.txt")))
        try folio.add("notes", file: URL(fileURLWithPath: temp.path("notes.txt")))
        try folio.createSnapshot("v1", capture: [])
        try folio.add("config", ["lr": 0.02], overwrite: true)
        let server = try PythonHTTPServer(serving: temp.path("site"))
        RemoteFixture.registerLoopbackStores()
        return (temp, server, folio)
    }

    @Test func describeListGetAndSnapshotViews() throws {
        let (temp, server, local) = try Self.servedFolio()
        defer { server.stop() }
        let folio = try DataFolio(at: server.url + "/churn")
        folio.payloadCache = PayloadCache(folder: temp.path("cache"))
        #expect(folio.isReadOnly)
        #expect(folio.revision == local.revision)
        #expect(Set(folio.itemNames) == Set(local.itemNames))
        #expect(try folio.get("clean") as Table == (try RemoteFolioTests.sampleTable()))
        #expect(try folio.get("clean", columns: ["count"]) == (try RemoteFolioTests.sampleTable().selecting(["count"])))
        #expect(try folio.get("embeddings") as NDArray == (try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])))
        #expect(try folio.get("embeddings", memoryMapped: true) == (try local.get("embeddings") as NDArray))
        #expect(try folio.get("config") as JSONValue == ["lr": 0.02])
        let notes = try folio.get("notes", as: URL.self)
        #expect(notes.path.hasPrefix(temp.path("cache")))
        #expect(try String(contentsOf: notes, encoding: .utf8) == "hello\n")
        #expect(try folio.snapshot("v1").get("config") as JSONValue == ["lr": 0.01, "layers": [64, 32]])
        #expect(folio.describe().contains("config"))
        #expect(folio.validate().isValid)
    }

    @Test func writesAreRefusedWithAClearError() throws {
        let (temp, server, _) = try Self.servedFolio()
        defer { server.stop() }
        let folio = try DataFolio(at: server.url + "/churn")
        #expect(FileManager.default.fileExists(atPath: temp.path("site/churn/items.json")))
        let error = #expect(throws: DataFolioError.self) { try folio.add("x", 1) }
        #expect(error?.code == .readOnly)
        #expect(error?.message.contains("read-only store") == true)
        let missing = #expect(throws: DataFolioError.self) { try DataFolio(at: server.url + "/nothing-here") }
        #expect(missing?.code == .notAFolio)
    }

    @Test func theCommandReadsAndRefusesToWrite() throws {
        let (temp, server, _) = try Self.servedFolio()
        defer { server.stop() }
        let location = server.url + "/churn"
        let environment = ["DATAFOLIO_CACHE_DIR": temp.path("cli-cache")]
        let describe = try RemoteCLI.run(["-f", location, "describe"], environment: environment)
        #expect(describe.status == 0, "\(describe.stderr)")
        #expect(describe.stdout.contains("embeddings"))
        let list = try RemoteCLI.run(["-f", location, "list"], environment: environment)
        #expect(list.stdout.contains("notes"))
        let export = try RemoteCLI.run(["-f", location, "export", "clean", "--to", temp.path("clean.csv")], environment: environment)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try String(contentsOfFile: temp.path("clean.csv"), encoding: .utf8).hasPrefix("sensor,reading,count,valid\n"))
        let exportArray = try RemoteCLI.run(["-f", location, "export", "embeddings", "--to", temp.path("e.npy")], environment: environment)
        #expect(exportArray.status == 0, "\(exportArray.stderr)")
        #expect(try NDArray(contentsOfNPY: temp.path("e.npy")) == (try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])))
        let snapshot = try RemoteCLI.run(["-f", location, "describe", "--snapshot", "v1"], environment: environment)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        let validate = try RemoteCLI.run(["-f", location, "validate"], environment: environment)
        #expect(validate.status == 0, "\(validate.stderr)\(validate.stdout)")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: temp.path("x.json")))
        let add = try RemoteCLI.run(["-f", location, "add", temp.path("x.json")], environment: environment)
        #expect(add.status == 1)
        #expect(add.stderr.hasPrefix("error: "))
        #expect(add.stderr.contains("read-only"))
        #expect(add.stderr.split(separator: "\n").count == 1, "one line: \(add.stderr)")
    }
}
