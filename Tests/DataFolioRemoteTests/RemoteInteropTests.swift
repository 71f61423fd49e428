import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Swift and Python datafolio 2.3.0 on the same bucket: Python reaches it through
/// cloud-files with its secret file under a test home, at `s3://http://127.0.0.1:PORT/…`.
@Suite("Remote folios shared with Python 2.3.0", .seaweed, .interop)
struct RemoteInteropTests {
    static let pythonWrites = #"""
import sys, datetime
import numpy as np, pandas as pd
from datafolio import DataFolio
f = DataFolio(sys.argv[1], metadata={"project": "remote"})
f.add("table", pd.DataFrame({"i": [1, 2, 3], "f": [0.5, None, 2.5], "s": ["a", "b", "é"]}), description="a table")
f.add("arr", np.arange(12, dtype=np.float32).reshape(3, 4))
f.add("ints", np.array([[1, -2], [3, 4]], dtype=np.int64))
f.add("cfg", {"lr": 0.01, "layers": [64, 32], "nested": {"a": None, "b": True}})
f.add("count", 42)
f.add("started", datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
open(sys.argv[2] + "/notes.txt", "w").write("from python\n")
f.add_file(sys.argv[2] + "/notes.txt", name="notes", category="docs")
f.create_snapshot("v1", capture_git=False)
f.add("cfg", {"lr": 0.02}, overwrite=True)
print(f.get("notes"))
"""#

    @Test func swiftReadsWhatPythonWrites() throws {
        let server = try RemoteFixture.server()
        let home = try RemoteFixture.pythonHome(server)
        let cache = TemporaryFolder("remote-cache")
        let prefix = RemoteFixture.freshPrefix("pywrites")
        let location = RemoteFixture.location(prefix, endpoint: server.endpoint)
        let output = try InteropPython.run(
            Self.pythonWrites, arguments: [location, home.path], environment: RemoteFixture.pythonEnvironment(home: home))
        #expect(output.stdout.hasPrefix("s3://"), "Python gives a cloud path for files: \(output.stdout)")

        let folio = try DataFolio(storage: try RemoteFixture.storage(prefix), options: .readOnly)
        folio.payloadCache = PayloadCache(folder: cache.path)
        #expect(Set(folio.itemNames) == ["table", "arr", "ints", "cfg", "count", "started", "notes"])
        #expect(folio.metadata["project"] == "remote")
        let table: Table = try folio.get("table")
        #expect(table.rowCount == 3)
        #expect(try table["i"]?.int64s() == [1, 2, 3])
        #expect(try table["f"]?.doubles() == [0.5, nil, 2.5])
        #expect(table["s"]?.strings() == ["a", "b", "é"])
        let arr: NDArray = try folio.get("arr")
        #expect(arr.shape == [3, 4])
        #expect(try arr.values(as: Float.self) == (0..<12).map(Float.init))
        #expect(try folio.get("arr", memoryMapped: true) == arr)
        #expect(try (folio.get("ints") as NDArray).values(as: Int64.self) == [1, -2, 3, 4])
        #expect(try folio.get("cfg") as JSONValue == ["lr": 0.02])
        #expect(try folio.get("count") as Int == 42)
        #expect(try folio.get("started") as Date == Date(timeIntervalSince1970: 1_767_323_045))
        let notes: URL = try folio.get("notes")
        #expect(try String(contentsOf: notes, encoding: .utf8) == "from python\n")
        #expect(try folio.snapshot("v1").get("cfg") as JSONValue == ["lr": 0.01, "layers": [64, 32], "nested": ["a": nil, "b": true]])
        #expect(try folio.item("arr").fields["checksum"] == .null, "Python records no checksum on a bucket")
        let report = folio.validate()
        #expect(report.isValid, "\(report.damaged)")

        // A Swift write keeps everything Python wrote.
        let writable = try DataFolio(storage: try RemoteFixture.storage(prefix))
        let before = try JSONValue(parsing: try writable.storage.read("items.json"))
        try writable.add("from_swift", ["ok": true])
        let after = try JSONValue(parsing: try writable.storage.read("items.json"))
        let afterItems = after["items"]?.arrayValue ?? []
        for item in before["items"]?.arrayValue ?? [] {
            #expect(afterItems.contains(item), "lost \(item["name"]?.stringValue ?? "?")")
        }
        #expect(after["snapshots"] == before["snapshots"])
    }

    static let pythonReads = #"""
import sys, json
import numpy as np
from datafolio import DataFolio
from cloudfiles import CloudFile
f = DataFolio(sys.argv[1], read_only=True)
validity = f.validate()
table = f.get("table")
notes_path = f.get("notes")
out = {
    "valid": all(validity.values()),
    "invalid": [name for name, ok in validity.items() if not ok],
    "contents": {k: sorted(v) for k, v in f.list_contents().items() if v},
    "table": {"columns": list(table.columns), "i": table["i"].tolist(), "s": table["s"].tolist()},
    "arr": f.get("arr").tolist(),
    "arr_dtype": str(f.get("arr").dtype),
    "cfg": f.get("cfg"),
    "count": f.get("count"),
    "started": f.get("started").isoformat(),
    "notes": CloudFile(notes_path).get().decode(),
    "snapshots": [s["name"] for s in f.list_snapshots()],
    "describe": "arr" in f.describe(return_string=True),
}
print(json.dumps(out))
"""#

    @Test func pythonReadsWhatSwiftWrites() throws {
        let server = try RemoteFixture.server()
        let home = try RemoteFixture.pythonHome(server)
        let local = TemporaryFolder("remote-files")
        let cache = TemporaryFolder("remote-cache")
        let (folio, prefix) = try RemoteFixture.newFolio("swiftwrites", cache: cache)
        try folio.add("table", try Table([
            Column(name: "i", [1, 2, 3] as [Int64]),
            Column(name: "s", strings: ["a", "b", "é"]),
        ]))
        try folio.add("arr", try NDArray(shape: [2, 2], [1.5, 2.5, 3.5, 4.5] as [Double]))
        try folio.add("cfg", ["lr": 0.01, "layers": [64, 32]])
        try folio.add("count", 7)
        try folio.add("started", Date(timeIntervalSince1970: 1_767_323_045))
        try Data("from swift\n".utf8).write(to: URL(fileURLWithPath: local.path("notes.md")))
        try folio.add("notes", file: URL(fileURLWithPath: local.path("notes.md")))
        try folio.createSnapshot("v1", capture: [])
        try folio.add("count", 8, overwrite: true)

        let output = try InteropPython.run(
            Self.pythonReads, arguments: [RemoteFixture.location(prefix, endpoint: server.endpoint)],
            environment: RemoteFixture.pythonEnvironment(home: home))
        let result = try JSONValue(parsing: Array(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).utf8))
        #expect(result["valid"] == true, "\(result["invalid"] ?? nil)")
        #expect(result["table"] == ["columns": ["i", "s"], "i": [1, 2, 3], "s": ["a", "b", "é"]])
        #expect(result["arr"] == [[1.5, 2.5], [3.5, 4.5]])
        #expect(result["arr_dtype"] == "float64")
        #expect(result["cfg"] == ["lr": 0.01, "layers": [64, 32]])
        #expect(result["count"] == 8)
        #expect(result["started"] == "2026-01-02T03:04:05+00:00")
        #expect(result["notes"] == "from swift\n")
        #expect(result["snapshots"] == ["v1"])
        #expect(result["describe"] == true)
    }
}
