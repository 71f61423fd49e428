import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("The datafolio command: archive, edit, meta, cat, copy, snapshots as of, JSON and colours")
struct ParityCommandTests {
    /// A folio with JSON, text, binary, table, array and a reference, and a snapshot
    /// taken before `config` changed.
    func makeFolio(_ temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("f"), metadata: ["experiment": "baseline"])
        folio.warningHandler = { _ in }
        let csv = temp.url.appendingPathComponent("external.csv")
        try Data("a\n1\n".utf8).write(to: csv)
        try folio.add("raw", reference: csv.path, description: "External rows")
        try folio.add("config", ["lr": 0.01, "layers": [64, 32]], description: "Settings v1")
        try folio.add("clean", Table([Column(name: "id", [1, 2, 3] as [Int64]), Column(name: "city", strings: ["a", "b", "c"])]), inputs: ["raw"])
        try folio.add("emb", NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float]), inputs: ["clean"])
        let notes = temp.url.appendingPathComponent("notes.txt")
        try Data("line one\nline two\n".utf8).write(to: notes)
        try folio.add("notes", file: notes)
        let image = temp.url.appendingPathComponent("plot.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: image)
        try folio.add("plot", file: image)
        try folio.createSnapshot("v1", capture: [])
        try folio.add("config", ["lr": 0.02], description: "Settings v2", overwrite: true)
        return folio
    }

    @Test func archiveUnarchiveAndEdit() throws {
        let temp = TemporaryFolder("cli-archive")
        _ = try makeFolio(temp)
        let f = ["-f", temp.path("f")]
        let archived = try CLI.run(f + ["archive", "plot", "no*"])
        #expect(archived.stdout == "✓ Archived notes, plot\n")
        #expect(try !CLI.run(f + ["list"]).stdout.contains("plot"))
        #expect(try CLI.run(f + ["list", "--include-archived"]).stdout.contains("plot"))
        #expect(try !CLI.run(f + ["describe"]).stdout.contains("notes"))
        #expect(try CLI.run(f + ["cat", "notes"]).stdout == "line one\nline two\n", "archived items are still readable")
        #expect(try CLI.run(f + ["archive", "zzz*"]).stdout.contains("nothing was changed"))
        let missing = try CLI.run(f + ["archive", "plto"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Did you mean 'plot'?"))
        #expect(try CLI.run(f + ["unarchive", "plot"]).stdout == "✓ Unarchived plot\n")
        let edited = try CLI.run(f + ["edit", "emb", "-d", "Embeddings", "--inputs", "clean,config"])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stdout == "✓ Updated emb\n  Description: Embeddings\n  Inputs: clean, config\n")
        #expect(try CLI.run(f + ["edit", "emb", "-d", "", "--inputs", ""]).stdout.contains("Description: (none)\n  Inputs: (none)"))
        #expect(try CLI.run(f + ["edit", "emb"]).status == 1)
        let folio = try DataFolio(at: temp.path("f"), options: .readOnly)
        #expect(try folio.item("emb").fields["inputs"] == nil)
        #expect(try folio.item("notes").isArchived)
        // Edits of snapshotted items keep the snapshot's version.
        #expect(try CLI.run(f + ["edit", "clean", "-d", "Clean rows"]).status == 0)
        #expect(try folio.snapshot("v1").item("clean").description == nil)
    }

    @Test func metadataShowSetAndUnset() throws {
        let temp = TemporaryFolder("cli-meta")
        _ = try makeFolio(temp)
        let f = ["-f", temp.path("f")]
        #expect(try CLI.run(f + ["meta"]).stdout.hasPrefix("experiment  baseline\n"))
        #expect(try CLI.run(f + ["meta", "set", "lr", "0.01"]).stdout == "✓ lr = 0.01\n")
        #expect(try CLI.run(f + ["meta", "set", "layers", "[64, 32]"]).status == 0)
        #expect(try CLI.run(f + ["meta", "set", "note", "two words"]).stdout == "✓ note = 'two words' (text)\n")
        #expect(try CLI.run(f + ["meta", "set", "flag", "true", "--text"]).status == 0)
        #expect(try CLI.run(f + ["meta", "set", "updated_at", "x"]).status == 1)
        let metadata = try JSONValue(parsing: try CLI.run(f + ["meta", "--json"]).stdout)
        #expect(metadata["lr"] == 0.01)
        #expect(metadata["layers"] == [64, 32])
        #expect(metadata["note"] == "two words")
        #expect(metadata["flag"] == "true")
        #expect(try CLI.run(f + ["meta", "unset", "lr"]).stdout == "✓ Removed lr\n")
        let gone = try CLI.run(f + ["meta", "unset", "lr"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("no key 'lr'"))
        #expect(try JSONValue(parsing: try CLI.run(f + ["meta", "show", "--snapshot", "v1", "--json"]).stdout)["lr"] == nil)
        // The metadata of a folio is what Python sees too.
        #expect(try DataFolio(at: temp.path("f"), options: .readOnly).metadata["layers"] == [64, 32])
    }

    @Test func catPrintsEachKind() throws {
        let temp = TemporaryFolder("cli-cat")
        _ = try makeFolio(temp)
        let f = ["-f", temp.path("f")]
        #expect(try CLI.run(f + ["cat", "config"]).stdout == "{\n  \"lr\": 0.02\n}\n")
        #expect(try CLI.run(f + ["cat", "config", "--snapshot", "v1"]).stdout == "{\n  \"lr\": 0.01,\n  \"layers\": [\n    64,\n    32\n  ]\n}\n")
        #expect(try CLI.run(f + ["cat", "notes"]).stdout == "line one\nline two\n")
        let table = try CLI.run(f + ["cat", "clean", "-n", "2"])
        #expect(table.stdout.contains("city"))
        #expect(table.stdout.hasSuffix("(2 of 3 rows)\n"))
        #expect(try CLI.run(f + ["cat", "emb"]).stdout.hasPrefix("[\n  [\n    1.0,"))
        let binary = try CLI.run(f + ["cat", "plot"])
        #expect(binary.status == 1)
        #expect(binary.stdout.isEmpty)
        #expect(binary.stderr.contains("binary"))
        #expect(binary.stderr.contains("datafolio export plot --to FILE"))
    }

    @Test func itemsAsOfASnapshot() throws {
        let temp = TemporaryFolder("cli-as-of")
        _ = try makeFolio(temp)
        let f = ["-f", temp.path("f")]
        let show = try JSONValue(parsing: try CLI.run(f + ["show", "config", "--snapshot", "v1", "--json"]).stdout)
        #expect(show["description"] == "Settings v1")
        #expect(show["entry"]?["version_id"] == "config--r3")
        let current = try JSONValue(parsing: try CLI.run(f + ["show", "config", "--json"]).stdout)
        #expect(current["description"] == "Settings v2")
        #expect(current["entry"]?["is_current"] == true, "the full catalog entry")
        #expect(try CLI.run(f + ["head", "clean", "--snapshot", "v1", "--json"]).stdout.contains("\"city\": \"a\""))
        #expect(try CLI.run(f + ["export", "config", "--snapshot", "v1", "--to", "-"]).stdout.contains("\"layers\""))
        let unknown = try CLI.run(f + ["show", "config", "--snapshot", "v9"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("No snapshot named 'v9'"))
    }

    @Test func copyCommand() throws {
        let temp = TemporaryFolder("cli-copy")
        let folio = try makeFolio(temp)
        try folio.archive("plot")
        let f = ["-f", temp.path("f")]
        let copied = try CLI.run(f + ["copy", temp.path("copy"), "--set", "status=forked", "--set", "lr=0.02"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stdout == "✓ Copied 5 item(s) to \(temp.path("copy"))\n")
        let copy = try DataFolio(at: temp.path("copy"), options: .readOnly)
        #expect(!copy.contains("plot"))
        #expect(copy.metadata["status"] == "forked")
        #expect(copy.metadata["lr"] == 0.02)
        #expect(copy.snapshots.isEmpty)
        let lineage = try CLI.run(f + ["copy", temp.path("lineage"), "--include", "emb", "--follow-lineage"])
        #expect(lineage.status == 0)
        #expect(try DataFolio(at: temp.path("lineage"), options: .readOnly).itemNames == ["raw", "clean", "emb"])
        let history = try CLI.run(f + ["copy", temp.path("history"), "--with-snapshots"])
        #expect(history.stdout.hasSuffix("with 1 snapshot(s)\n"))
        #expect(try CLI.run(f + ["copy", temp.path("history")]).status == 1, "never into an existing folio")
        let conflict = try CLI.run(f + ["copy", temp.path("x"), "--with-snapshots", "--include", "emb"])
        #expect(conflict.status == 1)
        #expect(try CLI.run(f + ["copy", temp.path("y"), "--set", "novalue"]).status == 1)
    }

    @Test func lineageStatusAndPatternOutput() throws {
        let temp = TemporaryFolder("cli-json")
        _ = try makeFolio(temp)
        let f = ["-f", temp.path("f")]
        let lineage = try JSONValue(parsing: try CLI.run(f + ["lineage", "--json"]).stdout)
        let clean = lineage.arrayValue?.first { $0["name"] == "clean" }
        #expect(clean == ["name": "clean", "type": "included_table", "inputs": ["raw"], "dependents": ["emb"]])
        let status = try JSONValue(parsing: try CLI.run(f + ["snapshot", "status", "--json"]).stdout)
        #expect(status["last_snapshot"]?["name"] == "v1")
        #expect(status["changes"]?["modified"] == ["config"])
        let none = try CLI.run(f + ["describe", "--pattern", "zzz*"])
        #expect(none.status == 0)
        #expect(none.stdout.hasSuffix("No items match 'zzz*'.\n"))
        try DataFolio(at: temp.path("f")).archive("plot")
        #expect(try CLI.run(f + ["describe", "--pattern", "pl*"]).stdout.hasSuffix("No items match 'pl*' (1 archived item(s) do; add --include-archived).\n"))
    }

    @Test func referencedTablesAreFlaggedInSnapshots() throws {
        let temp = TemporaryFolder("cli-references")
        _ = try makeFolio(temp)
        let f = ["-f", temp.path("f")]
        let created = try CLI.run(f + ["snapshot", "create", "v2", "--no-git"])
        #expect(created.status == 0)
        #expect(created.stderr.contains("warning: 'v2' includes referenced tables (raw)."))
        #expect(created.stderr.contains("Snapshots preserve the reference link, not the bytes."))
        #expect(try CLI.run(f + ["snapshot", "show", "v1"]).stderr.contains("(raw)"))
        let info = try JSONValue(parsing: try CLI.run(f + ["snapshot", "show", "v1", "--json"]).stdout)
        #expect(info["mutable_references"] == ["raw"])
        #expect(info["mutable_reference_warning"]?.stringValue?.hasPrefix("This snapshot references external tables") == true)
    }

    @Test func coloursFollowTheFlagAndNoColor() throws {
        let temp = TemporaryFolder("cli-colour")
        _ = try makeFolio(temp)
        let f = ["-f", temp.path("f")]
        let escape = "\u{1B}["
        // Piped: plain unless forced.
        #expect(try !CLI.run(f + ["list"]).stdout.contains(escape))
        #expect(try CLI.run(f + ["list", "--color", "always"]).stdout.contains(escape + "36m"))
        #expect(try CLI.run(["--color=always"] + f + ["describe"]).stdout.contains(escape + "1mDataFolio: "))
        #expect(try CLI.run(f + ["snapshot", "list", "--color", "always"]).stdout.contains(escape + "36mv1"))
        let compare = try CLI.run(f + ["snapshot", "diff", "v1", "--color", "always"])
        #expect(compare.stdout.contains(escape + "33m~ config"))
        #expect(try CLI.run(f + ["list", "--color", "always"], environment: ["NO_COLOR": "1"]).stdout.contains(escape), "the flag wins over NO_COLOR")
        #expect(try !CLI.run(f + ["list", "--color", "never"]).stdout.contains(escape))
        let error = try CLI.run(f + ["show", "nope", "--color", "always"])
        #expect(error.stderr.hasPrefix(escape + "1;31merror:" + escape + "0m "))
        #expect(try CLI.run(f + ["list", "--color", "sometimes"]).status == 1)
    }
}
