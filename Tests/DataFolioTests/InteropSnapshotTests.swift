import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Snapshots shared with Python datafolio", .serialized)
struct InteropSnapshotTests {
    /// Python 2.3.0 creates snapshots and overwrites items; Swift lists, opens and
    /// restores them; Python sees the restored state.
    @Test(.interop) func pythonSnapshotsOpenAndRestoreInSwift() throws {
        let temp = TemporaryFolder("snap-py")
        let make = #"""
import sys, datetime
import numpy as np, pandas as pd
from datafolio import DataFolio
f = DataFolio(sys.argv[1], metadata={"lr": 0.01})
f.add("table", pd.DataFrame({"a": [1, 2]}), description="table v1")
f.add("arr", np.arange(3, dtype=np.int32), description="arr v1")
f.add("cfg", {"v": 1}, description="cfg v1")
f.add("ts", datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
f.create_snapshot("v1", description="first", tags=["paper"], capture_git=False)
f.add("table", pd.DataFrame({"a": [3]}), overwrite=True, description="table v2")
f.add("cfg", {"v": 2}, overwrite=True)
f.delete("arr")
f.add("later", [1])
f.metadata["lr"] = 0.02
f.create_snapshot("v2", capture_git=False)
"""#
        try InteropPython.run(make, arguments: [temp.path("f")])
        let folio = try DataFolio(at: temp.path("f"))
        #expect(folio.snapshots.map(\.name) == ["v2", "v1"])
        let v1 = try folio.snapshot("v1")
        #expect(try v1.get("table") as Table == Table([Column(name: "a", [1, 2] as [Int64])]))
        #expect(try v1.item("table").description == "table v1")
        #expect(try (v1.get("arr") as NDArray).values(as: Int32.self) == [0, 1, 2])
        #expect(try v1.get("cfg") as JSONValue == ["v": 1])
        #expect(v1.metadata["lr"] == 0.01)
        #expect(!v1.contains("later"))
        let changes = try folio.compareSnapshots("v1", "v2")
        #expect(changes.added == ["later"])
        #expect(changes.removed == ["arr"])
        #expect(changes.modified == ["cfg", "table"])
        #expect(changes.metadataChanges.map(\.key) == ["lr"])
        try folio.restoreSnapshot("v1")
        let check = #"""
import sys, json
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
print(json.dumps({"names": sorted(f.list_contents()["json_data"] + f.list_contents()["numpy_arrays"] + f.list_contents()["included_tables"] + f.list_contents()["timestamps"]),
  "table": f.get("table")["a"].tolist(), "cfg": f.get("cfg"), "arr": f.get("arr").tolist(),
  "desc": f.item_info("table").get("description"), "lr": f.metadata["lr"], "valid": all(f.validate().values()),
  "snapshots": [s["name"] for s in f.list_snapshots()], "v2_cfg": f.get_snapshot("v2").get("cfg")}))
"""#
        let output = try InteropPython.run(check, arguments: [temp.path("f")])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["names"] == ["arr", "cfg", "table", "ts"])
        #expect(result["table"] == [1, 2])
        #expect(result["cfg"] == ["v": 1])
        #expect(result["arr"] == [0, 1, 2])
        #expect(result["desc"] == "table v1")
        #expect(result["lr"] == 0.01)
        #expect(result["valid"] == true)
        #expect(result["snapshots"] == ["v2", "v1"])
        #expect(result["v2_cfg"] == ["v": 2])
    }

    /// Swift creates snapshots; Python 2.3.0 loads and restores them.
    @Test(.interop) func swiftSnapshotsOpenAndRestoreInPython() throws {
        let temp = TemporaryFolder("snap-swift")
        let folio = try DataFolio(at: temp.path("f"), metadata: ["lr": 0.01])
        try folio.add("table", try Table([Column(name: "a", [1, 2] as [Int64])]), description: "table v1")
        try folio.add("arr", NDArray([1.5, 2.5] as [Double]))
        try folio.add("cfg", ["v": 1], description: "cfg v1")
        try folio.createSnapshot("v1", description: "first", tags: ["paper"], capture: [.git, .environment, .execution])
        try folio.add("cfg", ["v": 2], description: "cfg v2", overwrite: true)
        try folio.delete("arr")
        try folio.setMetadata("lr", 0.02)
        let script = #"""
import sys, json
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
snap = f.get_snapshot("v1")
out = {"list": [s["name"] for s in f.list_snapshots()], "snap_cfg": snap.get("cfg"), "snap_arr": snap.get("arr").tolist(),
       "snap_lr": snap.metadata["lr"], "info_tags": f.get_snapshot_info("v1")["tags"],
       "diff": f.diff_from_snapshot("v1")}
f.restore_snapshot("v1", confirm=True)
out["restored_cfg"] = f.get("cfg")
out["restored_arr"] = f.get("arr").tolist()
out["restored_desc"] = f.item_info("cfg").get("description")
print(json.dumps(out, default=str))
"""#
        let output = try InteropPython.run(script, arguments: [temp.path("f")])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["list"] == ["v1"])
        #expect(result["snap_cfg"] == ["v": 1])
        #expect(result["snap_arr"] == [1.5, 2.5])
        #expect(result["snap_lr"] == 0.01)
        #expect(result["info_tags"] == ["paper"])
        #expect(result["diff"]?["removed_items"] == ["arr"])
        #expect(result["diff"]?["modified_items"] == ["cfg"])
        #expect(result["restored_cfg"] == ["v": 1])
        #expect(result["restored_arr"] == [1.5, 2.5])
        #expect(result["restored_desc"] == "cfg v1")
        // Swift sees Python's restore.
        #expect(try folio.get("cfg") as JSONValue == ["v": 1])
        #expect(folio.contains("arr"))
        #expect(folio.metadata["lr"] == 0.01)
    }

    /// Old-layout snapshots pin timestamps and references with `v_<created_at>` tokens,
    /// which Python 2.3.0 cannot resolve; Swift can.
    @Test(.interop) func oldLayoutSnapshotTokensResolve() throws {
        let temp = TemporaryFolder("snap-old")
        let make = #"""
import sys, datetime
import datafolio
f = datafolio.DataFolio(sys.argv[1])
f.add_json("cfg", {"v": 1})
f.add_timestamp("ts", datetime.datetime(2024, 1, 15, 10, 30, tzinfo=datetime.timezone.utc))
open(sys.argv[1] + "/../ext.csv", "w").write("a\n1\n")
f.reference_table("ref", sys.argv[1] + "/../ext.csv", table_format="csv")
f.create_snapshot("v1", capture_git=False)
"""#
        try InteropPython.run(make, arguments: [temp.path("f")], environment: try InteropPython.oldDatafolioEnvironment)
        let folio = try DataFolio(at: temp.path("f"))
        let record = try folio.snapshotSummary("v1").record
        #expect(record["item_versions"]?["ts"]?.stringValue?.hasPrefix("v_") == true)
        let view = try folio.snapshot("v1")
        #expect(try view.get("ts") as Date == Date(timeIntervalSince1970: 1_705_314_600))
        #expect(try (view.get("ref") as Table).rowCount == 1)
        #expect(try folio.changes(since: "v1").isEmpty)
        // Overwriting a v_-pinned timestamp keeps the pinned version for the snapshot.
        try folio.add("ts", Date(timeIntervalSince1970: 0), overwrite: true)
        #expect(try folio.snapshot("v1").get("ts") as Date == Date(timeIntervalSince1970: 1_705_314_600))
        #expect(try folio.changes(since: "v1").modified == ["ts"])
        try folio.restoreSnapshot("v1")
        #expect(try folio.get("ts") as Date == Date(timeIntervalSince1970: 1_705_314_600))
    }
}
