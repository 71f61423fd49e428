import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioTestSupport
import Foundation
import Testing

/// The `datafolio` command with `-f s3://…`: every command works on a bucket.
@Suite("The datafolio command on a bucket", .seaweed)
struct RemoteCLITests {
    @Test func everyCommandTakesARemoteFolio() throws {
        let server = try RemoteFixture.server()
        let temp = TemporaryFolder("remote-cli")
        let cache = TemporaryFolder("remote-cache")
        let environment = RemoteFixture.environment(server, cache: cache)
        let location = RemoteFixture.location(RemoteFixture.freshPrefix("cli"), endpoint: server.endpoint)
        func run(_ arguments: [String], _ sourceLocation: SourceLocation = #_sourceLocation) throws -> RemoteCLI.Result {
            let result = try RemoteCLI.run(["-f", location] + arguments, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            return result
        }

        let created = try RemoteCLI.run(["init", location, "-d", "Remote demo"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("✓ Created folio at s3://"))
        let array = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Double])
        try array.writeNPY(toFile: temp.path("emb.npy"))
        try Data("x,y\n1,a\n2,b\n".utf8).write(to: URL(fileURLWithPath: temp.path("table.csv")))
        try Data(#"{"lr": 0.01, "layers": [64, 32]}"#.utf8).write(to: URL(fileURLWithPath: temp.path("config.json")))
        try Data("# Notes\n".utf8).write(to: URL(fileURLWithPath: temp.path("notes.md")))
        _ = try run(["add", temp.path("table.csv"), "--name", "table", "--description", "A table"])
        _ = try run(["add", temp.path("emb.npy"), "--inputs", "table"])
        _ = try run(["add", temp.path("config.json")])
        _ = try run(["add", temp.path("notes.md"), "--category", "docs"])

        let list = try run(["list"])
        #expect(Set(list.stdout.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }).isSuperset(of: ["table", "emb", "config", "notes"]))
        let describe = try run(["describe"])
        #expect(describe.stdout.contains("Remote demo"))
        #expect(describe.stdout.contains("A table"))
        let json = try run(["describe", "--json"])
        #expect(json.stdout.contains("\"path\": \"s3://"))
        _ = try run(["show", "emb"])
        let head = try run(["head", "table"])
        #expect(head.stdout.contains("a"))
        let lineage = try run(["lineage"])
        #expect(lineage.stdout.contains("table"))

        _ = try run(["export", "emb", "--to", temp.path("out.npy")])
        #expect(try NDArray(contentsOfNPY: temp.path("out.npy")) == array)
        _ = try run(["export", "table", "--to", temp.path("out.csv")])
        #expect(try String(contentsOfFile: temp.path("out.csv"), encoding: .utf8) == "x,y\n1,a\n2,b\n")
        _ = try run(["export", "config", "--to", temp.path("out.json")])
        #expect(try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: temp.path("out.json"))))) == ["lr": 0.01, "layers": [64, 32]])
        _ = try run(["export", "notes", "--to", temp.path("out.md")])
        #expect(try String(contentsOfFile: temp.path("out.md"), encoding: .utf8) == "# Notes\n")

        _ = try run(["snapshot", "create", "s1", "--no-git", "-d", "first"])
        let snapshots = try run(["snapshot", "list"])
        #expect(snapshots.stdout.contains("s1"))
        _ = try run(["snapshot", "show", "s1"])
        _ = try run(["delete", "config", "--yes"])
        let afterDelete = try run(["list"])
        #expect(!afterDelete.stdout.contains("config"))
        let restored = try RemoteCLI.run(["-f", location, "snapshot", "restore", "s1", "--yes"], environment: environment)
        #expect(restored.status == 0, "\(restored.stderr)")
        let validate = try run(["validate"])
        #expect(validate.stdout.contains("valid") || validate.stdout.contains("✓"))
        _ = try run(["snapshot", "gc"])
        _ = try run(["snapshot", "export", "s1", "--to", temp.path("exported")])
        let exported = try RemoteCLI.run(["-f", temp.path("exported"), "validate"], environment: environment)
        #expect(exported.status == 0, "\(exported.stdout)\(exported.stderr)")
        #expect(try DataFolio(at: temp.path("exported"), options: .readOnly).item("emb").fields["checksum"]?.stringValue?.count == 32)

        let folio = try DataFolio(storage: try RemoteFixture.storage(String(location.split(separator: "/").last ?? "")), options: .readOnly)
        #expect(Set(folio.itemNames) == ["table", "emb", "config", "notes"])
        #expect(folio.snapshots.map(\.name) == ["s1"])

        // The cache holds what was mapped or handed out as a file, and can be cleared.
        let info = try RemoteCLI.run(["cache", "info", "--json"], environment: environment)
        #expect(info.status == 0, "\(info.stderr)")
        let document = try JSONValue(parsing: Array(info.stdout.utf8))
        #expect(document["folder"] == .string(cache.path))
        #expect((document["entries"]?.intValue ?? 0) >= 2, "the array and the notes file")
        let cleared = try RemoteCLI.run(["cache", "clear"], environment: environment)
        #expect(cleared.stdout.contains("✓ Removed"))
        let empty = try RemoteCLI.run(["cache", "info"], environment: environment)
        #expect(empty.stdout.contains("Entries: 0"))
    }
}
