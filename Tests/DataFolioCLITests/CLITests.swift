import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Runs the `datafolio` command built with the tests.
struct CLI {
    /// The folio registry of commands run without their own `DATAFOLIO_HOME`.
    static let scratchHome = TemporaryFolder.forTheWholeRun("cli-home")

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ arguments: [String], in folder: String? = nil, environment: [String: String] = [:], input: String? = nil, executable: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? BuiltProducts.executable("datafolio"))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATAFOLIO_PATH")
        // Commands remember the folios they use; never in the real home folder.
        env["DATAFOLIO_HOME"] = scratchHome.path
        env.removeValue(forKey: "NO_COLOR")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let out = Pipe()
        let err = Pipe()
        let stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: errors, as: UTF8.self))
    }
}

@Suite("The datafolio command")
struct CLITests {
    // 25. Folio resolution: -f, then $DATAFOLIO_PATH, then the current folder.
    @Test func folioResolutionOrder() throws {
        let temp = TemporaryFolder("cli-resolve")
        for name in ["a", "b", "c"] {
            let folio = try DataFolio(at: temp.path(name))
            try folio.add("only_in_\(name)", 1)
        }
        let byFlag = try CLI.run(["-f", temp.path("a"), "list"], in: temp.path("c"), environment: ["DATAFOLIO_PATH": temp.path("b")])
        #expect(byFlag.stdout.hasPrefix("only_in_a"))
        let flagAfter = try CLI.run(["list", "-f", temp.path("a")], in: temp.path("c"))
        #expect(flagAfter.stdout.hasPrefix("only_in_a"))
        let byEnvironment = try CLI.run(["list"], in: temp.path("c"), environment: ["DATAFOLIO_PATH": temp.path("b")])
        #expect(byEnvironment.stdout.hasPrefix("only_in_b"))
        let byFolder = try CLI.run(["list"], in: temp.path("c"))
        #expect(byFolder.stdout.hasPrefix("only_in_c"))
        let missing = try CLI.run(["-f", temp.path("nope"), "describe"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: No folio at '\(temp.path("nope"))'"))
        #expect(missing.stderr.contains("datafolio init"))
        #expect(!FileManager.default.fileExists(atPath: temp.path("nope")), "a read never creates a folio")
        let notAFolio = try CLI.run(["describe"], in: temp.path)
        #expect(notAFolio.status == 1)
        #expect(notAFolio.stderr.hasPrefix("error: No folio at "))
        #expect(!notAFolio.stderr.contains("\n\n"))
    }

    @Test func initInAnEmptyFolderAndAgain() throws {
        let temp = TemporaryFolder("cli-init")
        let created = try CLI.run(["init", "-d", "Demo"], in: temp.path)
        #expect(created.status == 0)
        #expect(created.stdout.contains("✓ Created folio at "))
        let folio = try DataFolio(at: temp.path, options: .readOnly)
        #expect(folio.metadata["description"] == "Demo")
        let again = try CLI.run(["init", "-d", "Other"], in: temp.path)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already exists"))
        #expect(try DataFolio(at: temp.path, options: .readOnly).metadata["description"] == "Demo")
        let elsewhere = try CLI.run(["init", temp.path("sub/new")])
        #expect(elsewhere.status == 0)
        #expect(FileManager.default.fileExists(atPath: temp.path("sub/new/items.json")))
    }

    @Test func addShowExportDeleteAndValidate() throws {
        let temp = TemporaryFolder("cli-items")
        _ = try DataFolio(at: temp.path("f"))
        let json = temp.url.appendingPathComponent("config.json")
        try Data(#"{"lr": 0.01, "layers": [64, 32]}"#.utf8).write(to: json)
        try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float]).writeNPY(toFile: temp.path("emb.npy"))
        try Data("notes".utf8).write(to: temp.url.appendingPathComponent("notes.txt"))
        let f = ["-f", temp.path("f")]
        #expect(try CLI.run(f + ["add", json.path, "--description", "Config"]).stdout == "✓ Added config (json_data) to '\(temp.path("f"))'\n")
        #expect(try CLI.run(f + ["add", temp.path("emb.npy"), "--inputs", "config"]).status == 0)
        #expect(try CLI.run(f + ["add", temp.path("notes.txt"), "--name", "docs/notes", "--category", "docs"]).status == 0)
        let duplicate = try CLI.run(f + ["add", json.path])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("already exists"))
        let show = try CLI.run(f + ["show", "emb", "--json"])
        let shown = try JSONValue(parsing: show.stdout)
        #expect(shown["type"] == "numpy_array")
        #expect(shown["shape"] == [2, 2])
        #expect(shown["inputs"] == ["config"])
        #expect(shown["entry"]?["dtype"] == "float32")
        let described = try JSONValue(parsing: try CLI.run(f + ["describe", "--json"]).stdout)
        #expect(described["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["config", "emb", "docs/notes"])
        #expect(try CLI.run(f + ["export", "emb", "--to", temp.path("out.json")]).status == 0)
        #expect(try String(contentsOfFile: temp.path("out.json"), encoding: .utf8) == "[\n  [\n    1.0,\n    2.0\n  ],\n  [\n    3.0,\n    4.0\n  ]\n]\n")
        #expect(try CLI.run(f + ["export", "emb", "--to", temp.path("out.npy")]).status == 0)
        #expect(try NDArray(contentsOfNPY: temp.path("out.npy")).values(as: Float.self) == [1, 2, 3, 4])
        let lineage = try CLI.run(f + ["lineage", "--format", "dot"])
        #expect(lineage.stdout.contains("\"config\" -> \"emb\";"))
        #expect(try CLI.run(f + ["validate"]).status == 0)
        // Tampering is caught.
        let folio = try DataFolio(at: temp.path("f"), options: .readOnly)
        try Data("xx".utf8).write(to: URL(fileURLWithPath: folio.location(of: try folio.item("config")) ?? ""))
        let invalid = try CLI.run(f + ["validate"])
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("✗ Invalid folio"))
        #expect(invalid.stdout.contains("✗ config: "))
        let report = try JSONValue(parsing: try CLI.run(f + ["validate", "--json"]).stdout)
        #expect(report["valid"] == false)
        // Deleting asks, or takes --yes.
        let refused = try CLI.run(f + ["delete", "emb"])
        #expect(refused.status == 1)
        #expect(try CLI.run(f + ["delete", "emb", "config", "--yes"]).status == 0)
        #expect(try DataFolio(at: temp.path("f"), options: .readOnly).itemNames == ["docs/notes"])
        let unknown = try CLI.run(f + ["delete", "nope", "--yes"])
        #expect(unknown.status == 1)
    }

    @Test func snapshotCommands() throws {
        let temp = TemporaryFolder("cli-snap")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("results", 1, description: "Results v1")
        let f = ["-f", temp.path("f")]
        let created = try CLI.run(f + ["snapshot", "create", "v1", "-d", "Baseline", "-t", "baseline", "-t", "paper", "--no-git"])
        #expect(created.stdout == "✓ Created snapshot 'v1'\n  Items: 1\n  Description: Baseline\n  Tags: baseline, paper\n")
        #expect(try CLI.run(f + ["snapshot", "create", "v1", "--no-git"]).status == 1)
        #expect(try CLI.run(f + ["snapshot", "create", "bad/name", "--no-git"]).status == 1)
        // The command committed in another process; this instance's changes of other
        // items apply on top of that commit.
        try folio.add("extra", 3)
        try folio.add("results", 2, description: "Results v2", overwrite: true)
        #expect(try CLI.run(f + ["snapshot", "create", "v2", "-d", "Second", "--no-git"]).status == 0)
        let list = try CLI.run(f + ["snapshot", "list"])
        #expect(list.stdout.hasPrefix("Snapshots (2)\n"))
        #expect(list.stdout.firstRange(of: "v2")?.lowerBound ?? list.stdout.endIndex < (list.stdout.firstRange(of: "v1 ")?.lowerBound ?? list.stdout.startIndex))
        let tagged = try JSONValue(parsing: try CLI.run(f + ["snapshot", "list", "--tag", "paper", "--json"]).stdout)
        #expect(tagged.arrayValue?.compactMap { $0["name"]?.stringValue } == ["v1"])
        let compare = try JSONValue(parsing: try CLI.run(f + ["snapshot", "compare", "v1", "v2", "--json"]).stdout)
        #expect(compare["added"] == ["extra"])
        #expect(compare["modified"] == ["results"])
        #expect(compare["metadata_changes"] == [:])
        let status = try CLI.run(f + ["snapshot", "status"])
        #expect(status.stdout.contains("Last snapshot: v2"))
        #expect(status.stdout.contains("✓ No changes since last snapshot"))
        let diff = try JSONValue(parsing: try CLI.run(f + ["snapshot", "diff", "v1", "--json"]).stdout)
        #expect(diff["to"] == "current")
        let show = try CLI.run(f + ["snapshot", "show", "v1"])
        #expect(show.stdout.contains("Description: Baseline"))
        let described = try CLI.run(f + ["describe", "--snapshot", "v1"])
        #expect(described.stdout.contains("• results: Results v1"))
        #expect(try CLI.run(f + ["snapshot", "restore", "v1"]).status == 1)
        #expect(try CLI.run(f + ["snapshot", "restore", "v1", "--yes"]).status == 0)
        #expect(try DataFolio(at: temp.path("f"), options: .readOnly).itemNames == ["results"])
        let dryRun = try CLI.run(f + ["snapshot", "gc", "--dry-run"])
        #expect(dryRun.stdout == "Nothing to remove\n")
        #expect(try CLI.run(f + ["snapshot", "delete", "v2"]).status == 1)
        #expect(try CLI.run(f + ["snapshot", "delete", "v2", "--yes", "--cleanup"]).status == 0)
        let exported = try CLI.run(f + ["snapshot", "export", "v1", "--to", temp.path("exported")])
        #expect(exported.status == 0 && exported.stderr.isEmpty, "no progress bar when standard error is not a terminal")
        #expect(try DataFolio(at: temp.path("exported"), options: .readOnly).itemNames == ["results"])
        // On a terminal, the copy shows a bar with bytes and files; --quiet hides it.
        let command = "\(try BuiltProducts.executable("datafolio")) -f \(temp.path("f")) snapshot export v1 --to"
        let tty = try CLI.run(["-q", "-e", "-c", "\(command) \(temp.path("tty"))", "/dev/null"], executable: "/usr/bin/script")
        #expect(tty.status == 0 && tty.stdout.contains("1/1 files") && tty.stdout.contains("█"), "\(tty.stdout)")
        let quiet = try CLI.run(["-q", "-e", "-c", "\(command) \(temp.path("quiet")) --quiet", "/dev/null"], executable: "/usr/bin/script")
        #expect(quiet.status == 0 && !quiet.stdout.contains("█") && quiet.stdout.contains("✓ Exported"), "\(quiet.stdout)")
        let unknown = try CLI.run(f + ["snapshot", "show", "nope"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: No snapshot named 'nope'"))
    }

    @Test func usageErrorsAreOneLine() throws {
        let result = try CLI.run(["frobnicate"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(try CLI.run(["--help"]).status == 0)
        #expect(try CLI.run(["--version"]).stdout == DataFolio.version + "\n")
    }

    @Test func demoBuildsAFolioWithEveryKind() throws {
        let temp = TemporaryFolder("cli-demo")
        let result = try CLI.run(["demo", temp.path("demo")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("DataFolio: "))
        let folio = try DataFolio(at: temp.path("demo"), options: .readOnly)
        #expect(folio.validate().isValid)
        let kinds = Set(folio.items.map(\.itemType))
        #expect(kinds == ["referenced_table", "included_table", "json_data", "numpy_array", "timestamp", "artifact", "model"])
        #expect(try folio.item("net").fields["serialization_format"] == "pytorch_state_dict")
        // Nothing next to the demo folder.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: temp.path)
        #expect(siblings == ["demo"])
    }
}
