import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Folios written by Python datafolio 2.3.0 with every type it supports, a snapshot and
/// an overwrite: Swift lists them, reads every value exactly, validates them, and writes
/// without losing anything Python wrote.
@Suite("Swift reads what Python datafolio 2.3.0 writes", .serialized)
struct InteropPythonWrittenTests {
    static let makeFolio = #"""
import sys, json, datetime, dataclasses
import numpy as np, pandas as pd
from datafolio import DataFolio
from sklearn.linear_model import LogisticRegression

@dataclasses.dataclass
class RunConfig:
    lr: float
    layers: list

root = sys.argv[1]
f = DataFolio(root + "/folio", metadata={"project": "probe", "nested": {"lr": 0.1, "tags": ["a", "é"]}})
f.add("table1", pd.DataFrame({"i": [1, 2, 3], "f": [0.5, 1.5, None], "s": ["a", "b", "é"]}), description="a table")
f.add("series1", pd.Series([3, 1, 2], index=["x", "y", "z"], name="counts"))
f.add("arr", np.arange(12, dtype=np.float32).reshape(3, 4))
f.add("arr_f", np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3)))
f.add("arr_u", np.array(["ab", "ç", ""]))
f.add("arr_b", np.array([True, False]))
f.add("arr_c", np.array([1 + 2j, 3.5 - 1j], dtype=np.complex64))
f.add("arr_t", np.array(["2024-01-15T10:30:00.123456789"], dtype="datetime64[ns]"))
f.add("arr_h", np.array([0.5, -2.0, 65504.0], dtype=np.float16))
f.add("arr_0d", np.array(3.25))
f.add("cfg_dict", {"lr": 0.01, "layers": [64, 32], "nested": {"a": None, "b": True}})
f.add("cfg_list", [1, "two", 3.0])
f.add("j_int", 42)
f.add("j_float", 0.1)
f.add("j_big", 1.2345678901234568e+18)
f.add("j_str", "hello / \"quoted\" é\n")
f.add("j_bool", True)
f.add("j_none", None)
f.add("j_tuple", (1, 2))
f.add("j_dataclass", RunConfig(0.5, [1, 2]))
f.add("j_set", {3, 1, 2})
f.add("j_nan", float("nan"))
f.add("ts", datetime.datetime(2024, 1, 15, 10, 30, 0, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))))
open(root + "/notes.txt", "w").write("some notes\n")
f.add_file(root + "/notes.txt", category="docs", description="a file")
pd.DataFrame({"a": [1, 2]}).to_parquet(root + "/ref.parquet")
f.reference_table("ref", root + "/ref.parquet", description="external", num_rows=2)
f.add("ns/sub/arr", np.zeros((2, 2)))
clf = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
f.add_model("clf_joblib", clf)
f.add_model("clf_skops", clf, custom=True)
f.create_snapshot("v1", description="first", tags=["t1"], capture_git=False)
f.add("table1", pd.DataFrame({"i": [9]}), overwrite=True)
f.add("j_int", 43, overwrite=True)
f.metadata["status"] = "done"
print(json.dumps({"revision": f._manifest_revision if hasattr(f, "_manifest_revision") else None}))
"""#

    @Test(.interop) func everyTypeReadsExactlyAndSurvivesASwiftWrite() throws {
        let temp = TemporaryFolder("pywritten")
        try InteropPython.run(Self.makeFolio, arguments: [temp.path])
        let path = temp.path("folio")
        let folio = try DataFolio(at: path)
        let expectedNames: Set = [
            "table1", "series1", "arr", "arr_f", "arr_u", "arr_b", "arr_c", "arr_t", "arr_h", "arr_0d", "cfg_dict", "cfg_list",
            "j_int", "j_float", "j_big", "j_str", "j_bool", "j_none", "j_tuple", "j_dataclass", "j_set", "j_nan", "ts", "notes",
            "ref", "ns/sub/arr", "clf_joblib", "clf_skops",
        ]
        #expect(Set(folio.itemNames) == expectedNames)
        #expect(folio.metadata["nested"] == ["lr": 0.1, "tags": ["a", "é"]])
        #expect(folio.metadata["status"] == "done")

        // JSON, exactly.
        #expect(try folio.get("cfg_dict") as JSONValue == ["lr": 0.01, "layers": [64, 32], "nested": ["a": nil, "b": true]])
        #expect(try folio.get("cfg_list") as JSONValue == [1, "two", 3.0])
        #expect(try folio.get("j_int") as Int == 43)
        #expect(try folio.get("j_float") as Double == 0.1)
        #expect(try folio.get("j_big") as Double == 1.2345678901234568e+18)
        #expect(try folio.get("j_str") as String == "hello / \"quoted\" é\n")
        #expect(try folio.get("j_bool") as Bool == true)
        #expect(try folio.get("j_none") as JSONValue == .null)
        #expect(try folio.get("j_tuple") as [Int] == [1, 2])
        #expect(try folio.get("j_set") as [Int] == [1, 2, 3])
        #expect(try folio.get("j_nan") as JSONValue == .null)
        #expect(try folio.item("j_dataclass").fields["data_type"] == "RunConfig")
        struct RunConfig: Decodable, Equatable { var lr: Double; var layers: [Int] }
        #expect(try folio.get("j_dataclass") as RunConfig == RunConfig(lr: 0.5, layers: [1, 2]))

        // Arrays, exactly.
        let arr: NDArray = try folio.get("arr")
        #expect(arr.shape == [3, 4])
        #expect(arr.dtype == .float32)
        #expect(try arr.values(as: Float.self) == (0..<12).map(Float.init))
        #expect(try (folio.get("arr_f") as NDArray).values(as: Int64.self) == [0, 1, 2, 3, 4, 5])
        #expect(try (folio.get("arr_u") as NDArray).strings() == ["ab", "ç", ""])
        #expect(try (folio.get("arr_b") as NDArray).values(as: Bool.self) == [true, false])
        #expect(try (folio.get("arr_c") as NDArray).jsonValue() == [[1.0, 2.0], [3.5, -1.0]])
        let times: NDArray = try folio.get("arr_t")
        #expect(times.dtype == .datetime64(.nanosecond))
        #expect(try times.values(as: Int64.self) == [1_705_314_600_123_456_789])
        #expect(try (folio.get("arr_h") as NDArray).values(as: Float.self) == [0.5, -2.0, 65504.0])
        let scalar: NDArray = try folio.get("arr_0d")
        #expect(scalar.shape == [])
        #expect(try scalar.values(as: Double.self) == [3.25])
        #expect(try (folio.get("ns/sub/arr") as NDArray).values(as: Double.self) == [0, 0, 0, 0])
        #expect(try folio.item("arr_u").fields["dtype"] == "<U2")

        // Timestamps, files, references.
        let ts: Date = try folio.get("ts")
        #expect(try folio.item("ts").fields["iso_string"] == "2024-01-15T15:30:00.123456+00:00")
        #expect(abs(ts.timeIntervalSince1970 - 1_705_332_600.123456) < 1e-6)
        let notes: URL = try folio.get("notes")
        #expect(try String(contentsOf: notes, encoding: .utf8) == "some notes\n")
        #expect(try folio.item("ref").fields["path"]?.stringValue?.hasPrefix("file://") == true)

        // Tables and models are listed and validated.
        #expect(try folio.item("table1").fields["num_rows"] == 1)
        #expect(try folio.item("clf_skops").fields["serialization_format"] == "skops")
        #expect(folio.validate().isValid, "\(folio.validate().damagedItems)")
        #expect(folio.snapshots.map(\.name) == ["v1"])

        // A Swift write keeps every key and every retained version Python wrote.
        let before = try JSONValue(parsing: try LocalFile.read(path + "/items.json"))
        try folio.add("from_swift", ["ok": true])
        let after = try JSONValue(parsing: try LocalFile.read(path + "/items.json"))
        let beforeItems = before["items"]?.arrayValue ?? []
        let afterItems = after["items"]?.arrayValue ?? []
        for item in beforeItems { #expect(afterItems.contains(item), "lost \(item["name"] ?? nil)") }
        #expect(after["snapshots"] == before["snapshots"])
        var metadata = before["metadata"]?.objectValue ?? [:]
        metadata["updated_at"] = after["metadata"]?["updated_at"]
        #expect(after["metadata"] == .object(metadata))
        let check = #"""
import sys, json
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
print(json.dumps({"valid": all(f.validate().values()), "n": len(f.list_contents()["json_data"]), "from_swift": f.get("from_swift")}))
"""#
        let output = try InteropPython.run(check, arguments: [path])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result == ["valid": true, "n": 13, "from_swift": ["ok": true]])
    }
}
