import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Folios in the old three-file layout (datafolio 1.3.0)", .serialized)
struct InteropOldLayoutTests {
    static let makeOldFolio = #"""
import sys, datetime
import numpy as np, pandas as pd
import datafolio
assert datafolio.__version__.startswith("1."), datafolio.__version__
f = datafolio.DataFolio(sys.argv[1], metadata={"project": "old", "nested": {"lr": 0.1}})
f.add_table("table1", pd.DataFrame({"i": [1, 2], "s": ["a", "b"]}), description="a table")
f.add_numpy("arr", np.arange(6, dtype=np.int16).reshape(2, 3), description="an array")
f.add_json("cfg", {"a": 1, "b": [1, 2]}, description="config")
f.add_json("n", 7)
f.add_timestamp("ts", datetime.datetime(2024, 1, 15, 10, 30, 0, 123456, tzinfo=datetime.timezone.utc))
f.reference_table("ref", sys.argv[2], table_format="csv", description="external")
open(sys.argv[1] + "/../notes.txt", "w").write("old notes")
f.add_artifact("notes", sys.argv[1] + "/../notes.txt", category="docs")
f.create_snapshot("v1", description="first", tags=["t"], capture_git=False)
f.add_table("table1", pd.DataFrame({"i": [3], "s": ["c"]}), overwrite=True)
f.metadata["status"] = "x"
"""#

    @Test(.interop) func openedMigratedAndReadBackByPython() throws {
        let temp = TemporaryFolder("old")
        let path = temp.path("folio")
        let csv = temp.path("ext.csv")
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: csv))
        try InteropPython.run(Self.makeOldFolio, arguments: [path, csv], environment: try InteropPython.oldDatafolioEnvironment)
        #expect(FileManager.default.fileExists(atPath: path + "/metadata.json"))
        let itemsBefore = try Data(contentsOf: URL(fileURLWithPath: path + "/items.json"))

        // Opening and reading never writes.
        let folio = try DataFolio(at: path)
        #expect(folio.revision == 0)
        #expect(Set(folio.itemNames) == ["table1", "arr", "cfg", "n", "ts", "ref", "notes"])
        #expect(folio.metadata["project"] == "old")
        #expect(folio.metadata["status"] == "x")
        let cfg: JSONValue = try folio.get("cfg")
        #expect(cfg == ["a": 1, "b": [1, 2]])
        let n: Int = try folio.get("n")
        #expect(n == 7)
        let arr: NDArray = try folio.get("arr")
        #expect(arr.shape == [2, 3])
        #expect(try arr.values(as: Int16.self) == [0, 1, 2, 3, 4, 5])
        let ts: Date = try folio.get("ts")
        #expect(abs(ts.timeIntervalSince1970 - 1_705_314_600.123456) < 1e-6)
        let notes: URL = try folio.get("notes")
        #expect(try String(contentsOf: notes, encoding: .utf8) == "old notes")
        #expect(try folio.item("table1").isCurrent)
        #expect(folio.snapshots.map(\.name) == ["v1"])
        #expect(folio.validate().isValid, "\(folio.validate().results)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/items.json")) == itemsBefore)
        #expect(!FileManager.default.fileExists(atPath: path + "/items.json.lock"))

        // The first write migrates to schema 2 and removes the sidecar files.
        try folio.add("from_swift", ["ok": true], inputs: ["cfg"])
        #expect(folio.revision == 1)
        #expect(!FileManager.default.fileExists(atPath: path + "/metadata.json"))
        #expect(!FileManager.default.fileExists(atPath: path + "/snapshots.json"))
        let text = try String(contentsOfFile: path + "/items.json", encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"schema_version\": 2,\n  \"revision\": 1,"))
        #expect(!text.contains("in_snapshots"))
        #expect(text.contains("\"v_20"), "legacy snapshot tokens are kept verbatim")

        let check = #"""
import sys, json
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
out = {"names": sorted(f.list_contents()["json_data"] + f.list_contents()["numpy_arrays"] + f.list_contents()["included_tables"] + f.list_contents()["timestamps"] + f.list_contents()["referenced_tables"] + f.list_contents()["artifacts"]),
       "valid": f.validate(), "from_swift": f.get("from_swift"), "cfg": f.get("cfg"),
       "arr": f.get("arr").tolist(), "table1": f.get("table1").to_dict(orient="list"),
       "meta": f.metadata["project"], "snapshots": [s["name"] for s in f.list_snapshots()]}
f.add("from_python", 1)
print(json.dumps(out))
"""#
        let output = try InteropPython.run(check, arguments: [path])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["names"] == ["arr", "cfg", "from_swift", "n", "notes", "ref", "table1", "ts"])
        #expect(result["valid"]?.objectValue?.values.allSatisfy { $0 == true } == true, "\(result["valid"] ?? nil)")
        #expect(result["from_swift"] == ["ok": true])
        #expect(result["arr"] == [[0, 1, 2], [3, 4, 5]])
        #expect(result["table1"] == ["i": [3], "s": ["c"]])
        #expect(result["snapshots"] == ["v1"])
        let fromPython: Int = try folio.get("from_python")
        #expect(fromPython == 1)
        #expect(folio.revision == 2)
    }
}
