@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Archive, edit, copy, the alias registry and `find`, side by side with Python
/// datafolio 2.3.0: the same operations leave the same bytes on disk (timestamps
/// aside), and what one writes the other reads.
@Suite("Archive, edit, copy, registry and find shared with Python datafolio", .serialized)
struct InteropParityTests {
    /// A folio made by Python with a snapshot, so that copy-on-write paths are taken.
    static let makeSource = #"""
import sys, datetime
import numpy as np, pandas as pd
from datafolio import DataFolio
f = DataFolio(sys.argv[1], metadata={"experiment": "baseline", "lr": 0.01})
open(sys.argv[2], "w").write("a\n1\n")
f.reference_table("raw", sys.argv[2], table_format="csv", description="External rows")
f.add("clean", pd.DataFrame({"a": [1, 2, 3]}), description="Clean rows", inputs=["raw"])
f.add("emb", np.arange(4, dtype=np.float32), inputs=["clean"])
f.add("x", {"a": 1})
f.add("inter/a", [1], inputs=["x"])
f.add("inter/b", [2], inputs=["inter/a"])
f.add("debug", "scratch")
f.create_snapshot("v1", capture_git=False)
f.add("x", {"a": 2}, overwrite=True)
"""#

    func makeSource(_ temp: TemporaryFolder) throws -> String {
        try InteropPython.run(InteropParityTests.makeSource, arguments: [temp.path("source"), temp.path("external.csv")])
        return temp.path("source")
    }

    /// Copies a folder as it is (same bytes, same names).
    func duplicate(_ source: String, to target: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: target)
    }

    /// items.json with the commit time blanked, which is all that legitimately differs.
    func catalogText(_ folder: String) throws -> String {
        var catalog = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/items.json"))))
        guard case .object(var root) = catalog, case .object(var metadata)? = root["metadata"] else { return "" }
        metadata["updated_at"] = "-"
        root["metadata"] = .object(metadata)
        catalog = .object(root)
        return catalog.formatted()
    }

    @Test(.interop) func archiveAndEditLeaveTheSameCatalogAsPython() throws {
        let temp = TemporaryFolder("parity-edit")
        let source = try makeSource(temp)
        try duplicate(source, to: temp.path("python"))
        try duplicate(source, to: temp.path("swift"))
        let python = #"""
import sys
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
f.archive("debug")
f.archive("inter/*")
f.update_item("clean", description="Clean rows, checked")
f.update_item("x", description="Settings", inputs=["raw", "clean"])
f.update_item("emb", inputs=[])
f.unarchive(["inter/b"])
f.update_item("inter/a", description="")
f.archive("nothing*")
"""#
        try InteropPython.run(python, arguments: [temp.path("python")])
        let folio = try DataFolio(at: temp.path("swift"))
        folio.warningHandler = { _ in }
        try folio.archive("debug")
        try folio.archive("inter/*")
        try folio.updateItem("clean", description: "Clean rows, checked")
        try folio.updateItem("x", description: "Settings", inputs: ["raw", "clean"])
        try folio.updateItem("emb", inputs: [])
        try folio.unarchive(["inter/b"])
        try folio.updateItem("inter/a", description: "")
        try folio.archive("nothing*")
        #expect(try catalogText(temp.path("swift")) == catalogText(temp.path("python")))
        #expect(try String(contentsOfFile: temp.path("swift/CONTENTS.md"), encoding: .utf8)
            == String(contentsOfFile: temp.path("python/CONTENTS.md"), encoding: .utf8))
        // Python reads what Swift wrote: archived items hidden, still readable, snapshot intact.
        let check = #"""
import sys, json
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
c = f.list_contents()
print(json.dumps({"visible": sorted(n for names in c.values() for n in names),
  "all": sorted(n for names in f.list_contents(include_archived=True).values() for n in names),
  "debug": f.get("debug"), "archived": f.item_info("debug").get("archived"),
  "x_desc": f.item_info("x").get("description"), "x_inputs": f.get_inputs("x"),
  "snap_x": f.get_snapshot("v1").item_info("clean").get("description"),
  "valid": all(f.validate().values())}))
"""#
        let output = try InteropPython.run(check, arguments: [temp.path("swift")])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["visible"] == ["clean", "emb", "inter/b", "raw", "x"])
        #expect(result["all"] == ["clean", "debug", "emb", "inter/a", "inter/b", "raw", "x"])
        #expect(result["debug"] == "scratch")
        #expect(result["archived"] == true)
        #expect(result["x_desc"] == "Settings")
        #expect(result["x_inputs"] == ["raw", "clean"])
        #expect(result["snap_x"] == "Clean rows")
        #expect(result["valid"] == true)
        // And Swift reads what Python wrote.
        let fromPython = try DataFolio(at: temp.path("python"), options: .readOnly)
        #expect(fromPython.items.filter(\.isArchived).map(\.name) == ["inter/a", "debug"])
        #expect(try fromPython.snapshot("v1").item("clean").description == "Clean rows")
    }

    @Test(.interop) func copyMatchesPythonsCopy() throws {
        let temp = TemporaryFolder("parity-copy")
        let source = try makeSource(temp)
        try InteropPython.run(#"""
import sys
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
f.archive("debug")
f.copy(sys.argv[2], metadata_updates={"status": "forked", "lr": 0.02})
f.copy(sys.argv[3], include_items=["emb"], follow_lineage=True)
f.copy(sys.argv[4], exclude_items=["inter/a", "inter/b"], include_archived=True)
"""#, arguments: [source, temp.path("py-all"), temp.path("py-lineage"), temp.path("py-exclude")])
        let folio = try DataFolio(at: source)
        try folio.copy(to: temp.path("sw-all"), options: CopyOptions(metadataUpdates: ["status": "forked", "lr": 0.02]))
        try folio.copy(to: temp.path("sw-lineage"), options: CopyOptions(include: ["emb"], followLineage: true))
        try folio.copy(to: temp.path("sw-exclude"), options: CopyOptions(exclude: ["inter/a", "inter/b"], includeArchived: true))
        for name in ["all", "lineage", "exclude"] {
            let python = try DataFolio(at: temp.path("py-" + name), options: .readOnly)
            let swift = try DataFolio(at: temp.path("sw-" + name), options: .readOnly)
            // Python copies items in set order; the entries themselves must match exactly.
            #expect(Set(swift.items) == Set(python.items), "\(name)")
            #expect(swift.items.map(\.name) == folio.items.map(\.name).filter { swift.contains($0) }, "source order")
            var pythonMetadata = python.metadata
            var swiftMetadata = swift.metadata
            pythonMetadata["updated_at"] = nil
            swiftMetadata["updated_at"] = nil
            #expect(swiftMetadata == pythonMetadata, "\(name)")
            #expect(swift.revision == python.revision)
            #expect(swift.catalog.snapshots.isEmpty && python.catalog.snapshots.isEmpty)
            for folder in ["tables", "models", "artifacts"] {
                let pythonFiles = try FileManager.default.contentsOfDirectory(atPath: temp.path("py-\(name)/\(folder)")).sorted()
                let swiftFiles = try FileManager.default.contentsOfDirectory(atPath: temp.path("sw-\(name)/\(folder)")).sorted()
                #expect(swiftFiles == pythonFiles, "\(name)/\(folder)")
                for file in swiftFiles {
                    #expect(FileManager.default.contentsEqual(atPath: temp.path("sw-\(name)/\(folder)/\(file)"), andPath: temp.path("py-\(name)/\(folder)/\(file)")))
                }
            }
        }
        // Python opens the Swift copies.
        let check = #"""
import sys, json
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
print(json.dumps({"valid": all(f.validate().values()), "clean": f.get("clean")["a"].tolist(), "status": f.metadata["status"],
  "snapshots": f.list_snapshots()}))
"""#
        let output = try InteropPython.run(check, arguments: [temp.path("sw-all")])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["valid"] == true)
        #expect(result["clean"] == [1, 2, 3])
        #expect(result["status"] == "forked")
        #expect(result["snapshots"] == [])
        // A copy that keeps snapshots is a folio Python can travel back in.
        try folio.copy(to: temp.path("sw-history"), options: CopyOptions(keepSnapshots: true))
        let history = try InteropPython.run(#"""
import sys, json
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
print(json.dumps({"x": f.get_snapshot("v1").get("x"), "now": f.get("x"), "valid": all(f.validate().values())}))
"""#, arguments: [temp.path("sw-history")])
        let travelled = try JSONValue(parsing: history.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(travelled == ["x": ["a": 1], "now": ["a": 2], "valid": true])
    }

    @Test(.interop) func aliasesAndRecentsAreShared() throws {
        let temp = TemporaryFolder("parity-registry")
        let home = temp.path("home")
        let registry = FolioRegistry(home: home)
        let swiftFolio = try DataFolio(at: temp.path("swift"))
        try swiftFolio.add("from_swift", 1)
        try swiftFolio.setAlias("sw", registry: registry)
        registry.recordRecent(temp.path("swift"))
        let script = #"""
import sys, json, datafolio
from datafolio import DataFolio
f = DataFolio(alias="sw")
py = DataFolio(sys.argv[1], alias="py")
py.add("from_python", 2)
from datafolio.folio_registry import FolioRegistry
FolioRegistry().record_recent(sys.argv[1])
df = datafolio.list_folios()
print(json.dumps({"names": f.list_contents()["json_data"], "folios": df["alias"].tolist(),
  "paths": df["path"].tolist(), "exists": df["exists"].tolist()}))
"""#
        let output = try InteropPython.run(script, arguments: [temp.path("python")], environment: ["DATAFOLIO_HOME": home])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let base = FolioRegistry.normalizedLocation(temp.path)
        #expect(result["names"] == ["from_swift"])
        #expect(result["folios"] == ["py", "sw"])
        #expect(result["paths"] == [.string(base + "/python"), .string(base + "/swift")])
        #expect(result["exists"] == [true, true])
        // Swift uses the alias Python set, and sees Python's recent entry first.
        #expect(try DataFolio(alias: "py", registry: registry).contains("from_python"))
        #expect(registry.recents.map(\.location) == [base + "/python", base + "/swift"])
        #expect(registry.folios().map(\.alias) == ["py", "sw"])
        // Both write under the same lock: nothing is lost when they write at once.
        let writer = #"""
import sys
from datafolio.folio_registry import FolioRegistry
r = FolioRegistry()
for i in range(40):
    r.set_alias(f"p{i}", f"s3://bucket/p{i}")
    r.record_recent(f"s3://bucket/rp{i}")
"""#
        let pythonDone = DispatchSemaphore(value: 0)
        let failure = LockedBox<String?>(nil)
        DispatchQueue.global().async {
            do {
                try InteropPython.run(writer, environment: ["DATAFOLIO_HOME": home])
            } catch {
                failure.value = "\(error)"
            }
            pythonDone.signal()
        }
        for index in 0..<40 {
            try registry.setAlias("s\(index)", to: "s3://bucket/s\(index)")
            registry.recordRecent("s3://bucket/rs\(index)")
        }
        pythonDone.wait()
        #expect(failure.value == nil)
        let names = Set(registry.aliases.map(\.name))
        let missing = (0..<40).flatMap { ["p\($0)", "s\($0)"] }.filter { !names.contains($0) }
        #expect(missing.isEmpty)
        #expect(registry.recents.count == FolioRegistry.recentLimit)
    }

    @Test(.interop) func findMatchesPythonsFind() throws {
        let temp = TemporaryFolder("parity-find")
        let home = temp.path("home")
        let registry = FolioRegistry(home: home)
        try InteropPython.run(#"""
import sys, datetime
import numpy as np, pandas as pd
from datafolio import DataFolio
a = DataFolio(sys.argv[1], metadata={"dataset": "minnie65", "version": 3}, alias="cells")
open(sys.argv[3], "w").write("a\n1\n")
a.reference_table("cells_raw", sys.argv[3], table_format="csv", description="The synapse table I liked")
a.add("cells_clean", pd.DataFrame({"a": [1]}))
a.add("Cells_cfg", {"depth": 3}, description="Cells settings")
a.add("notes", "cells everywhere")
a.add("old_cells", [1])
a.archive("old_cells")
b = DataFolio(sys.argv[2], metadata={"dataset": "v1dd"}, alias="soma")
b.add("soma_table", pd.DataFrame({"b": [2]}), description="Somas")
b.add("emb", np.arange(3))
b.add("when", datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
"""#, arguments: [temp.path("cells"), temp.path("soma"), temp.path("cells.csv")], environment: ["DATAFOLIO_HOME": home])
        // A Swift folio, used recently and not aliased, with items of every searched kind.
        let swift = try DataFolio(at: temp.path("swift"), metadata: ["dataset": "minnie65"])
        try swift.add("cells_swift", Table([Column(name: "c", [1] as [Int64])]))
        try swift.add("model", json: ["k": 1] as [String: Int])
        try swift.add("cells/plot", file: try writeFile(temp, "plot.png"), description: "A plot of cells")
        registry.recordRecent(swift.location)
        try registry.setAlias("gone", to: temp.path("gone"))

        struct Case {
            var pattern: String
            var python: String
            var configure: (inout FolioSearch) -> Void
        }
        let cases: [Case] = [
            Case(pattern: "cells*", python: "", configure: { _ in }),
            Case(pattern: "cells*", python: "case_sensitive=True", configure: { $0.caseSensitive = true }),
            Case(pattern: "^soma|raw$", python: "regex=True", configure: { $0.isRegularExpression = true }),
            Case(pattern: "*", python: "item_type=['table']", configure: { $0.itemTypes = ["table"] }),
            Case(pattern: "*", python: "item_type=['array', 'timestamp', 'artifact']", configure: { $0.itemTypes = ["array", "timestamp", "artifact"] }),
            Case(pattern: "*", python: "item_type='referenced_table'", configure: { $0.itemTypes = ["referenced_table"] }),
            Case(pattern: "synapse", python: "descriptions=True", configure: { $0.matchesDescriptions = true }),
            Case(pattern: "cells", python: "descriptions=True", configure: { $0.matchesDescriptions = true }),
            Case(pattern: "*", python: "include_archived=True", configure: { $0.includeArchived = true }),
            Case(pattern: "*", python: "aliases_only=True", configure: { $0.aliasesOnly = true }),
            Case(pattern: "*", python: "folios=['soma', sys.argv[1]]", configure: { $0.folios = ["soma", temp.path("swift")] }),
            Case(pattern: "nothing", python: "", configure: { _ in }),
            Case(pattern: "dataset", python: "metadata=True", configure: { $0.searchesMetadata = true }),
            Case(pattern: "dataset=minnie*", python: "metadata=True", configure: { $0.searchesMetadata = true }),
            Case(pattern: "version=3", python: "metadata=True", configure: { $0.searchesMetadata = true }),
            Case(pattern: "^data", python: "metadata=True, regex=True", configure: { $0.searchesMetadata = true; $0.isRegularExpression = true }),
        ]
        var script = """
            import sys, json, math, warnings
            import datafolio
            warnings.simplefilter("ignore")
            def rows(df):
                out = []
                for record in df.to_dict("records"):
                    out.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()})
                return out
            results = []

            """
        for test in cases {
            let literal = JSONValue.string(test.pattern).formatted()
            script += "results.append(rows(datafolio.find(\(literal)\(test.python.isEmpty ? "" : ", " + test.python))))\n"
        }
        script += "print(json.dumps(results, default=str))\n"
        let output = try InteropPython.run(script, arguments: [temp.path("swift")], environment: ["DATAFOLIO_HOME": home])
        let expected = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        for (index, test) in cases.enumerated() {
            var search = FolioSearch(test.pattern)
            search.registry = registry
            test.configure(&search)
            let result = try search.run()
            let rows: [JSONValue]
            if search.searchesMetadata {
                rows = result.metadata.map { entry in
                    ["alias": entry.alias.map(JSONValue.string) ?? .null, "folio_path": .string(entry.folioLocation), "key": .string(entry.key), "value": entry.value]
                }
            } else {
                rows = result.items.map { item in
                    [
                        "alias": item.alias.map(JSONValue.string) ?? .null, "folio_path": .string(item.folioLocation),
                        "name": .string(item.name), "item_type": .string(item.itemType),
                        "description": item.description.map(JSONValue.string) ?? .null, "created_at": item.createdAt.map(JSONValue.string) ?? .null,
                    ]
                }
            }
            #expect(JSONValue.array(rows) == expected[index], "find(\(test.pattern), \(test.python))")
            #expect(result.skipped.map(\.alias) == (search.folios == nil ? ["gone"] : []))
        }
    }

    func writeFile(_ temp: TemporaryFolder, _ name: String) throws -> URL {
        let url = temp.url.appendingPathComponent(name)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: url)
        return url
    }
}

/// A value shared between threads.
final class LockedBox<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
