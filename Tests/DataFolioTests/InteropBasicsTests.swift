import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Python datafolio 2.3.0 reads what Swift writes (basics)", .serialized)
struct InteropBasicsTests {
    @Test(.interop) func pythonReadsJSONTimestampsFilesAndReferences() throws {
        let temp = TemporaryFolder("interop-basics")
        let folio = try DataFolio(at: temp.path("folio"), metadata: ["project": "interop", "nested": ["lr": 0.1, "tags": ["a", "é"]]])
        #expect(throws: DataFolioError.self, "NaN is refused, never written as null") {
            try folio.add("cfg", ["lr": 0.01, "nan": .double(.nan)])
        }
        try folio.add("cfg", ["lr": 0.01, "layers": [64, 32], "name": "x/y", "nan": .null], description: "config")
        try folio.add("n", 42)
        try folio.add("f", 1e-7)
        try folio.add("s", "hello")
        try folio.add("b", true)
        try folio.add("none", JSONValue.null)
        try folio.add("list", [1, "two", 3.5], inputs: ["cfg"])
        try folio.add("ts", Date(timeIntervalSince1970: 1_705_314_600.123456))
        let notes = temp.url.appendingPathComponent("notes.txt")
        try Data("hello notes\n".utf8).write(to: notes)
        try folio.add("notes", file: notes, category: "docs", description: "a file")
        let csv = temp.url.appendingPathComponent("ref.csv")
        try Data("a,b\n1,2\n".utf8).write(to: csv)
        try folio.add("ref", reference: csv.path, description: "external")
        try folio.add("a_f32", try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float]))
        try folio.add("a_i64", NDArray([Int64.min, -1, Int64.max]))
        try folio.add("a_u8", NDArray([0, 255] as [UInt8]))
        try folio.add("a_bool", NDArray([true, false]))
        try folio.add("a_str", try NDArray(shape: [2], strings: ["ab", "é"]))
        try folio.add("a_0d", NDArray(scalar: 2.5))
        try folio.add("a_empty", try NDArray.zeros(shape: [0, 3], dtype: .float64))
        let folder = temp.url.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("one".utf8).write(to: folder.appendingPathComponent("a.txt"))
        try Data("two".utf8).write(to: folder.appendingPathComponent("sub/b.txt"))
        try folio.add("images", file: folder, description: "a folder")
        try folio.updateMetadata { $0["status"] = "done" }
        let script = #"""
import sys, json, datetime
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
out = {}
out["validate"] = f.validate()
out["cfg"] = f.get("cfg")
out["n"] = f.get("n"); out["f"] = f.get("f"); out["s"] = f.get("s"); out["b"] = f.get("b"); out["none"] = f.get("none")
out["list"] = f.get("list")
out["ts"] = f.get("ts").isoformat()
out["notes"] = open(f.get("notes"), "rb").read().decode()
out["ref"] = f.get("ref").to_dict(orient="list")
import numpy as np, os
arrays = {}
for name in ["a_f32", "a_i64", "a_u8", "a_bool", "a_str", "a_0d", "a_empty"]:
    a = f.get(name)
    arrays[name] = {"dtype": str(a.dtype), "shape": list(a.shape), "values": a.tolist()}
out["arrays"] = arrays
out["images"] = sorted(os.listdir(f.get("images")))
out["describe"] = f.describe(return_string=True)
out["lineage"] = f.get_inputs("list") if hasattr(f, "get_inputs") else None
f.add("from_python", {"k": [1, 2]})
out["meta"] = f.metadata["status"]
print(json.dumps(out))
"""#
        let output = try InteropPython.run(script, arguments: [folio.location])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["validate"]?.objectValue?.values.allSatisfy { $0 == true } == true, "\(result["validate"] ?? nil)")
        #expect(result["cfg"] == ["lr": 0.01, "layers": [64, 32], "name": "x/y", "nan": nil])
        #expect(result["n"] == 42)
        #expect(result["f"] == 1e-7)
        #expect(result["s"] == "hello")
        #expect(result["b"] == true)
        #expect(result["none"] == .some(.null))
        #expect(result["list"] == [1, "two", 3.5])
        #expect(result["ts"] == "2024-01-15T10:30:00.123456+00:00")
        #expect(result["notes"] == "hello notes\n")
        #expect(result["ref"] == ["a": [1], "b": [2]])
        #expect(result["meta"] == "done")
        #expect(result["arrays"]?["a_f32"] == ["dtype": "float32", "shape": [2, 3], "values": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]])
        #expect(result["arrays"]?["a_i64"] == ["dtype": "int64", "shape": [3], "values": [.int(Int64.min), -1, .int(Int64.max)]])
        #expect(result["arrays"]?["a_u8"]?["values"] == [0, 255])
        #expect(result["arrays"]?["a_bool"]?["values"] == [true, false])
        #expect(result["arrays"]?["a_str"] == ["dtype": "<U2", "shape": [2], "values": ["ab", "é"]])
        #expect(result["arrays"]?["a_0d"] == ["dtype": "float64", "shape": [], "values": 2.5])
        #expect(result["arrays"]?["a_empty"] == ["dtype": "float64", "shape": [0, 3], "values": []])
        #expect(result["images"] == ["a.txt", "sub"])
        let describe = result["describe"]?.stringValue ?? ""
        for name in ["cfg", "n", "f", "s", "b", "none", "list", "ts", "notes", "ref", "a_f32", "a_str", "images"] {
            #expect(describe.contains("• \(name)"), "describe misses \(name)")
        }
        // Swift sees Python's addition and keeps reading everything.
        let value: JSONValue = try folio.get("from_python")
        #expect(value == ["k": [1, 2]])
        #expect(folio.itemNames.count == 19)
        #expect(folio.validate().isValid)
    }
}
