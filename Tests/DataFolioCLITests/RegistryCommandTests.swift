import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("The datafolio command: aliases, recents, find and completion")
struct RegistryCommandTests {
    @Test func aliasesAndRecents() throws {
        let temp = TemporaryFolder("cli-alias")
        let env = ["DATAFOLIO_HOME": temp.path("home")]
        let registry = FolioRegistry(home: temp.path("home"))
        let base = FolioRegistry.normalizedLocation(temp.path)
        let created = try CLI.run(["init", temp.path("a"), "--alias", "alpha"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("  Alias: alpha → \(base)/a\n"))
        #expect(created.stdout.contains("datafolio -a alpha add FILE"))
        #expect(try registry.location(ofAlias: "alpha") == base + "/a")
        // -a works before and after the command name.
        #expect(try CLI.run(["-a", "alpha", "meta", "set", "k", "1"], environment: env).status == 0)
        #expect(try CLI.run(["meta", "--alias", "alpha", "--json"], environment: env).stdout.contains("\"k\": 1"))
        let both = try CLI.run(["-a", "alpha", "-f", temp.path("a"), "list"], environment: env)
        #expect(both.status == 1)
        #expect(both.stderr.contains("either --folio/-f or --alias/-a"))
        let unknown = try CLI.run(["-a", "alhpa", "list"], environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("No folio registered as 'alhpa'. Known aliases: alpha. Did you mean 'alpha'?"))
        #expect(unknown.stderr.contains("Register one with 'datafolio folios alias NAME PATH'."))
        // folios alias / list / unalias.
        _ = try DataFolio(at: temp.path("b"))
        #expect(try CLI.run(["folios", "alias", "beta", temp.path("b")], environment: env).stdout == "✓ beta → \(base)/b\n")
        #expect(try CLI.run(["-f", temp.path("b"), "folios", "alias", "beta2"], environment: env).status == 0)
        let taken = try CLI.run(["folios", "alias", "beta", temp.path("a")], environment: env)
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("Pass --overwrite to replace it."))
        #expect(try CLI.run(["folios", "alias", "beta", temp.path("a"), "--overwrite"], environment: env).status == 0)
        #expect(try CLI.run(["folios", "alias", "nope", temp.path("missing")], environment: env).status == 1)
        #expect(try CLI.run(["folios", "alias", "remote", "s3://bucket/f/"], environment: env).stdout == "✓ remote → s3://bucket/f\n")
        let list = try JSONValue(parsing: try CLI.run(["folios", "list", "--json"], environment: env).stdout)
        #expect(list.arrayValue?.map { $0["alias"] } == ["alpha", "beta2", "remote"])
        #expect(list.arrayValue?.last?["exists"] == .null)
        let text = try CLI.run(["folios", "list"], environment: env).stdout
        #expect(text.hasPrefix("Folios\nAlias   Path"))
        #expect(try CLI.run(["folios", "unalias", "beta2"], environment: env).stdout == "✓ Removed alias beta2\n")
        #expect(try CLI.run(["folios", "unalias", "beta2"], environment: env).status == 1)
        // Commands that succeed remember their folio; failures do not.
        #expect(try CLI.run(["-f", temp.path("b"), "describe"], environment: env).status == 0)
        #expect(registry.recents.first?.location == base + "/b")
        #expect(try CLI.run(["-f", temp.path("a"), "show", "nope"], environment: env).status == 1)
        #expect(registry.recents.first?.location == base + "/b")
        #expect(try CLI.run(["folios", "forget", temp.path("b")], environment: env).stdout == "✓ Forgot \(temp.path("b"))\n")
        #expect(try CLI.run(["folios", "forget", temp.path("b")], environment: env).status == 1)
        try FileManager.default.removeItem(atPath: temp.path("a"))
        let pruned = try CLI.run(["folios", "prune"], environment: env)
        #expect(pruned.stdout == "  ✗ \(base)/a\n✓ Pruned 1 missing folio(s)\n")
        #expect(registry.aliases.map(\.name) == ["remote"])
        #expect(try CLI.run(["folios", "prune"], environment: env).stdout == "Nothing to prune.\n")
    }

    @Test func findAcrossFolios() throws {
        let temp = TemporaryFolder("cli-find")
        let env = ["DATAFOLIO_HOME": temp.path("home")]
        let registry = FolioRegistry(home: temp.path("home"))
        let cells = try DataFolio(at: temp.path("cells"), metadata: ["dataset": "minnie65"])
        try cells.add("cells_clean", Table([Column(name: "a", [1] as [Int64])]), description: "The synapse table")
        try cells.add("cells_cfg", ["k": 1])
        try cells.setAlias("cells", registry: registry)
        let soma = try DataFolio(at: temp.path("soma"))
        try soma.add("soma_table", Table([Column(name: "b", [2] as [Int64])]))
        registry.recordRecent(soma.location)
        let found = try CLI.run(["find", "cells*"], environment: env)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout == """
            Matches for 'cells*'
            Folio  Item         Type            Description
            -----  -----------  --------------  -----------------
            cells  cells_clean  included_table  The synapse table
            cells  cells_cfg    json_data

            """)
        let json = try JSONValue(parsing: try CLI.run(["find", "*", "--type", "table", "--json"], environment: env).stdout)
        #expect(json.arrayValue?.map { $0["name"] } == ["cells_clean", "soma_table"])
        #expect(json.arrayValue?.last?["alias"] == .null)
        #expect(json.arrayValue?.last?["description"] == .null)
        #expect(json.arrayValue?.first?.objectValue?.keys == ["alias", "folio_path", "name", "item_type", "description", "created_at"])
        let none = try CLI.run(["find", "synapse"], environment: env)
        #expect(none.status == 1)
        #expect(none.stdout == "No matches for 'synapse'.\n1 item mentions it in its description; add --desc to include it.\n")
        #expect(try CLI.run(["find", "synapse", "--desc", "--json"], environment: env).stdout.contains("cells_clean"))
        #expect(try CLI.run(["find", "nothing", "--json"], environment: env).stdout == "[]\n")
        #expect(try CLI.run(["find", "nothing", "--json"], environment: env).status == 1)
        let metadata = try JSONValue(parsing: try CLI.run(["find", "dataset=minnie*", "--metadata", "--json"], environment: env).stdout)
        #expect(metadata == [["alias": "cells", "folio_path": .string(FolioRegistry.normalizedLocation(temp.path("cells"))), "key": "dataset", "value": "minnie65"]])
        #expect(try CLI.run(["find", "*", "--in", temp.path("soma"), "--json"], environment: env).stdout.contains("soma_table"))
        #expect(try !CLI.run(["-a", "cells", "find", "*", "--json"], environment: env).stdout.contains("soma_table"))
        #expect(try CLI.run(["find", "soma", "--aliases-only", "--regex"], environment: env).status == 1)
        #expect(try CLI.run(["find", "*", "--type", "tabel"], environment: env).status != 0)
        // A folio that is gone is reported and skipped.
        try registry.setAlias("gone", to: temp.path("gone"))
        let skipped = try CLI.run(["find", "cells*"], environment: env)
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("⚠ Skipping folio 'gone' ("))
    }

    /// An alias set by Python's command works in Swift's, and the other way round; both
    /// remember the folios they use in the same list.
    @Test(.interop) func aliasesAreSharedWithPythonsCommand() throws {
        let temp = TemporaryFolder("cli-alias-py")
        let env = ["DATAFOLIO_HOME": temp.path("home")]
        let python = try #require(InteropPython.executable)
        let pythonCLI = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("datafolio").path
        func runPython(_ arguments: [String]) throws -> CLI.Result {
            try CLI.run(arguments, environment: env, executable: pythonCLI)
        }
        let fromPython = try DataFolio(at: temp.path("py"))
        try fromPython.add("made_in_python_folder", 1)
        let fromSwift = try DataFolio(at: temp.path("sw"))
        try fromSwift.add("made_in_swift_folder", 2)
        let pyAlias = try runPython(["folios", "alias", "pyalias", temp.path("py")])
        #expect(pyAlias.status == 0, "\(pyAlias.stdout)\(pyAlias.stderr)")
        #expect(try CLI.run(["-a", "pyalias", "list"], environment: env).stdout.hasPrefix("made_in_python_folder"))
        #expect(try CLI.run(["folios", "alias", "swalias", temp.path("sw")], environment: env).status == 0)
        let described = try runPython(["-a", "swalias", "describe"])
        #expect(described.status == 0, "\(described.stderr)")
        #expect(described.stdout.contains("made_in_swift_folder"))
        // Python's command recorded the folio it described; Swift lists it.
        let base = FolioRegistry.normalizedLocation(temp.path)
        #expect(FolioRegistry(home: temp.path("home")).recents.first?.location == base + "/sw")
        let listed = try runPython(["folios", "list"])
        #expect(listed.stdout.contains("pyalias"))
        #expect(listed.stdout.contains("swalias"))
        // Swift's find sees both; Python's folios prune keeps both.
        let found = try JSONValue(parsing: try CLI.run(["find", "made*", "--json"], environment: env).stdout)
        #expect(found.arrayValue?.compactMap { $0["alias"]?.stringValue } == ["pyalias", "swalias"])
        #expect(try runPython(["folios", "unalias", "swalias"]).status == 0)
        #expect(try CLI.run(["-a", "swalias", "list"], environment: env).status == 1)
    }

    /// Runs the bash completion script the command generates, as bash would on TAB.
    @Test func bashCompletesItemsSnapshotsAndAliases() throws {
        let temp = TemporaryFolder("cli-complete")
        let env = ["DATAFOLIO_HOME": temp.path("home")]
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("config", 1)
        try folio.add("clean", 2)
        try folio.add("emb", 3)
        try folio.createSnapshot("paper-v1", capture: [])
        try folio.createSnapshot("paper-v2", capture: [])
        try folio.setAlias("demo", registry: FolioRegistry(home: temp.path("home")))
        let script = try CLI.run(["--generate-completion-script", "bash"], environment: env)
        #expect(script.status == 0)
        try Data(script.stdout.utf8).write(to: temp.url.appendingPathComponent("completion.bash"))
        let executable = try BuiltProducts.executable("datafolio")
        func complete(_ words: [String]) throws -> [String] {
            let line = ([executable] + words).joined(separator: " ")
            let quoted = ([executable] + words).map { "'\($0)'" }.joined(separator: " ")
            let driver = """
                source '\(temp.path("completion.bash"))'
                COMP_WORDS=(\(quoted))
                COMP_CWORD=\(words.count)
                COMP_LINE='\(line)'
                COMP_POINT=${#COMP_LINE}
                _datafolio '\(executable)' '\(words.last ?? "")' '\(words.dropLast().last ?? executable)'
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", driver]
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in env { environment[key] = value }
            environment.removeValue(forKey: "DATAFOLIO_PATH")
            process.environment = environment
            process.currentDirectoryURL = temp.url
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
        }
        #expect(try complete(["-f", temp.path("f"), "show", "c"]) == ["clean", "config"])
        #expect(try complete(["show", "-f", temp.path("f"), ""]) == ["clean", "config", "emb"])
        #expect(try complete(["-a", "demo", "cat", "e"]) == ["emb"])
        #expect(try complete(["-f", temp.path("f"), "snapshot", "show", "pap"]) == ["paper-v1", "paper-v2"])
        #expect(try complete(["-f", temp.path("f"), "describe", "--snapshot", "paper-v"]) == ["paper-v1", "paper-v2"])
        #expect(try complete(["folios", "unalias", "d"]) == ["demo"])
        #expect(try complete(["list", "-a", ""]) == ["demo"])
        // A relative folio path, from the current folder.
        #expect(try complete(["--folio", "f", "delete", "em"]) == ["emb"])
        // zsh and fish scripts call back into the command the same way.
        for shell in ["zsh", "fish"] {
            let generated = try CLI.run(["--generate-completion-script", shell], environment: env)
            #expect(generated.status == 0)
            #expect(generated.stdout.contains("---completion"), "\(shell) completes names by asking the command")
        }
        // The callback itself, as every shell makes it.
        let direct = try CLI.run(["---completion", "show", "--", "positional@0", "4", "1", "datafolio", "-f", temp.path("f"), "show", "e"], environment: env)
        #expect(direct.stdout == "emb\n")
    }
}
