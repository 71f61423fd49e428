import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

struct Customer: Codable, Equatable {
    var id: Int
    var city: String?
    var score: Double
    var active: Bool
}

@Suite("Tables in the folio")
struct TableItemTests {
    func sampleTable() throws -> Table {
        try Table([
            Column(name: "id", [1, 2, 3] as [Int64]),
            Column(name: "city", strings: ["Oslo", nil, "Zürich"]),
            Column(name: "score", [0.5, -1.25, .nan] as [Double]),
            Column(name: "ok", [true, nil, false] as [Bool?]),
            Column(name: "when", timestamps: [Date(timeIntervalSince1970: 0), nil, Date(timeIntervalSince1970: 1_705_314_600.5)], timeZone: "UTC"),
            Column(name: "day", dates: [Date(timeIntervalSince1970: 86_400 * 3), nil, Date(timeIntervalSince1970: 0)]),
            Column(name: "kind", categories: ["a", "b", nil]),
            Column(name: "n32", [7, nil, -7] as [Int32?]),
        ])
    }

    @Test func storedTablesRoundTrip() throws {
        let temp = TemporaryFolder("tables")
        let folio = try DataFolio(at: temp.path("f"))
        let table = try sampleTable()
        try folio.add("t", table, description: "sample", inputs: ["raw"])
        let entry = try folio.item("t")
        #expect(entry.fields.keys.prefix(11) == ["name", "item_type", "filename", "table_format", "is_directory", "checksum", "num_rows", "num_cols", "columns", "dtypes", "created_at"])
        #expect(entry.fields["num_rows"] == 3)
        #expect(entry.fields["columns"] == ["id", "city", "score", "ok", "when", "day", "kind", "n32"])
        #expect(entry.fields["dtypes"]?["when"] == "timestamp[us, tz=UTC]")
        let back: Table = try folio.get("t")
        #expect(back == table)
        let projected = try folio.get("t", columns: ["city", "id"])
        #expect(projected.columnNames == ["city", "id"])
        #expect(folio.validate().isValid)
        #expect(try folio.tableSchema("t").columns.map(\.name) == table.columnNames)
        #expect(try folio.tableSchema("t").rowCount == table.rowCount)
    }

    @Test func codableRowsRoundTrip() throws {
        let temp = TemporaryFolder("rows")
        let folio = try DataFolio(at: temp.path("f"))
        let customers = [Customer(id: 1, city: "Oslo", score: 0.5, active: true), Customer(id: 2, city: nil, score: 2, active: false)]
        try folio.add("customers", rows: customers)
        let rows: [Customer] = try folio.get("customers")
        #expect(rows == customers)
        do {
            let _: Customer = try folio.get("customers")
            Issue.record("a table decoded as one row")
        } catch {
            #expect(error.code == .typeMismatch)
        }
    }

    @Test func referencedTablesAreRead() throws {
        let temp = TemporaryFolder("refs")
        let folio = try DataFolio(at: temp.path("f"))
        let table = try sampleTable()
        try table.writeParquet(to: temp.path("one.parquet"))
        try FileManager.default.createDirectory(atPath: temp.path("shards/year=2024"), withIntermediateDirectories: true)
        try table.rows(0..<2).writeParquet(to: temp.path("shards/year=2024/part-0.parquet"))
        try table.rows(2..<3).writeParquet(to: temp.path("shards/year=2024/part-1.parquet"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: temp.path("shards/_SUCCESS")))
        try Data("a,b,c\n1,x,2024-01-15\n2,,2024-01-16\n".utf8).write(to: URL(fileURLWithPath: temp.path("plain.csv")))
        try folio.add("one", reference: temp.path("one.parquet"))
        try folio.add("shards", reference: temp.path("shards"))
        try folio.add("csv", reference: temp.path("plain.csv"))
        try folio.add("remote", reference: "s3://bucket/data.parquet")
        #expect(try folio.get("one") as Table == table)
        #expect(try folio.get("shards") as Table == table)
        let csv: Table = try folio.get("csv")
        #expect(csv.rowCount == 2)
        #expect(csv["c"]?.type == .date)
        #expect(csv["b"]?.isNull(1) == true)
        do {
            let _: Table = try folio.get("remote")
            Issue.record("a remote table was read")
        } catch {
            #expect(error.code == .unsupportedFeature)
        }
        let report = folio.validate()
        #expect(report["remote"]?.status == .unchecked)
        #expect(report.isValid)
    }

    @Test func parquetFilesAreImportedByteForByte() throws {
        let temp = TemporaryFolder("import")
        let folio = try DataFolio(at: temp.path("f"))
        try sampleTable().writeParquet(to: temp.path("in.parquet"))
        try folio.add("imported", tableFile: URL(fileURLWithPath: temp.path("in.parquet")))
        let stored = try LocalFile.read(try #require(folio.location(of: try folio.item("imported"))))
        #expect(stored == (try LocalFile.read(temp.path("in.parquet"))))
        #expect(try folio.item("imported").fields["checksum"] == .string(MD5.hex(of: stored)))
    }

    /// Python 2.3.0 writes DataFrames and a Series; Swift reads them through the folio.
    /// Swift writes a table; Python gets a DataFrame with the same values and dtypes.
    @Test(.interop) func tablesTravelBetweenPythonAndSwift() throws {
        let temp = TemporaryFolder("table-interop")
        let make = #"""
import sys, datetime
import numpy as np, pandas as pd
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
df = pd.DataFrame({
    "i": [1, 2, 3], "f": [0.5, None, 2.5], "s": ["a", None, "é"],
    "t": pd.to_datetime(["2024-01-15 10:30:00.123456", None, "2024-01-16 00:00:00.000000"]),
    "tz": pd.to_datetime(["2024-01-15 10:30", "2024-01-15 11:30", None]).tz_localize("UTC"),
    "c": pd.Categorical(["x", "y", "x"]), "I": pd.array([1, None, 3], dtype="Int64"), "b": [True, False, True],
})
f.add("frame", df, description="a frame")
f.add("series", pd.Series([3, 1, 2], index=["x", "y", "z"], name="counts"))
"""#
        try InteropPython.run(make, arguments: [temp.path("py")])
        let python = try DataFolio(at: temp.path("py"))
        let frame: Table = try python.get("frame")
        #expect(frame.columnNames == ["i", "f", "s", "t", "tz", "c", "I", "b"])
        #expect(try #require(frame["i"]).values(as: Int64.self) == [1, 2, 3])
        #expect(try #require(frame["f"]).doubles() == [0.5, nil, 2.5])
        #expect(try #require(frame["s"]).strings() == ["a", nil, "é"])
        #expect(frame["c"]?.type == .dictionary(.string, ordered: false))
        #expect(try #require(frame["I"]).values(as: Int64.self) == [1, nil, 3])
        #expect(frame["t"]?[0] == .timestamp(1_705_314_600_123_456, .microsecond, timeZone: nil))
        #expect(frame["tz"]?.type == .timestamp(.microsecond, timeZone: "UTC") || frame["tz"]?.type == .timestamp(.nanosecond, timeZone: "UTC"))
        let series: Table = try python.get("series")
        #expect(series.indexColumnNames == ["index"])
        #expect(try #require(series["counts"]).values(as: Int64.self) == [3, 1, 2])
        #expect(python.validate().isValid)

        let folio = try DataFolio(at: temp.path("swift"))
        try folio.add("t", try sampleTable(), description: "from swift")
        let check = #"""
import sys, json, math
import pandas as pd
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
df = f.get("t")
out = {
  "valid": all(f.validate().values()),
  "dtypes": {k: str(v) for k, v in df.dtypes.items()},
  "id": df["id"].tolist(),
  "city": [None if pd.isna(x) else x for x in df["city"]],
  "score": [None if (isinstance(x, float) and math.isnan(x)) else x for x in df["score"]],
  "ok": [None if pd.isna(x) else bool(x) for x in df["ok"]],
  "when": [None if pd.isna(x) else x.isoformat() for x in df["when"]],
  "kind": [None if pd.isna(x) else x for x in df["kind"]],
  "n32": [None if pd.isna(x) else int(x) for x in df["n32"]],
}
print(json.dumps(out))
"""#
        let output = try InteropPython.run(check, arguments: [temp.path("swift")])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["valid"] == true)
        #expect(result["id"] == [1, 2, 3])
        #expect(result["city"] == ["Oslo", nil, "Zürich"])
        #expect(result["score"] == [0.5, -1.25, nil])
        #expect(result["ok"] == [true, nil, false])
        #expect(result["when"] == ["1970-01-01T00:00:00+00:00", nil, "2024-01-15T10:30:00.500000+00:00"])
        #expect(result["kind"] == ["a", "b", nil])
        #expect(result["n32"] == [7, nil, -7])
        #expect(result["dtypes"]?["id"] == "int64")
        #expect(result["dtypes"]?["kind"] == "category")
        #expect(result["dtypes"]?["n32"] == "Int32")
        #expect(result["dtypes"]?["when"]?.stringValue?.hasPrefix("datetime64[") == true)
    }

    struct Visit: Codable, Equatable {
        var at: Int64
        var tags: [String]
    }

    struct Person: Codable, Equatable {
        var name: String
        var address: Address?
        var visits: [Visit]?
        var scores: [String: Double]
        struct Address: Codable, Equatable { var city: String; var zip: String? }
    }

    /// Nested columns between Swift and Python datafolio 2.3.0: Swift's Codable rows read
    /// back through `get` as a DataFrame of dicts and lists, and a DataFrame of dicts and
    /// lists written by Python reads in Swift as struct, list and map columns.
    @Test(.interop) func nestedTablesTravelBetweenPythonAndSwift() throws {
        let temp = TemporaryFolder("nested-table-interop")
        let people = [
            Person(
                name: "a", address: .init(city: "Lyon", zip: nil), visits: [.init(at: 1, tags: ["x", "y"]), .init(at: 2, tags: [])],
                scores: ["math": 1.5, "art": 2]),
            Person(name: "b", address: nil, visits: nil, scores: [:]),
            Person(name: "c", address: .init(city: "Oslo", zip: "0150"), visits: [], scores: ["x": -1]),
        ]
        let folio = try DataFolio(at: temp.path("swift"))
        try folio.add("people", try Table(rows: people), description: "nested rows")
        let check = #"""
import sys, json, math
import numpy as np
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
df = f.get("people")
def plain(v):
    if isinstance(v, np.ndarray): return [plain(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)): return [plain(x) for x in v]
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items()}
    if isinstance(v, float) and math.isnan(v): return None
    if isinstance(v, np.generic): return v.item()
    return v
print(json.dumps({
    "valid": all(f.validate().values()),
    "columns": list(df.columns),
    "address": [plain(v) for v in df["address"]],
    "visits": [plain(v) for v in df["visits"]],
    "scores": [plain(v) for v in df["scores"]],
}))
"""#
        let output = try InteropPython.run(check, arguments: [temp.path("swift")])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["valid"] == true)
        #expect(result["columns"] == ["name", "address", "visits", "scores"])
        #expect(result["address"] == [["city": "Lyon", "zip": nil], nil, ["city": "Oslo", "zip": "0150"]])
        #expect(result["visits"] == [[["at": 1, "tags": ["x", "y"]], ["at": 2, "tags": []]], nil, []])
        // pandas holds a map as a list of (key, value) pairs.
        #expect(result["scores"] == [[["art", 2.0], ["math", 1.5]], [], [["x", -1.0]]])

        let make = #"""
import sys
import pandas as pd
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
df = pd.DataFrame({
    "id": [1, 2, 3],
    "point": [{"x": 1.5, "y": None}, None, {"x": -2.0, "y": 4.0}],
    "events": [[{"t": 1, "label": "go"}], [], None],
    "grid": [[[1, 2], []], None, [[3]]],
})
f.add("frame", df, description="nested frame")
"""#
        try InteropPython.run(make, arguments: [temp.path("py")])
        let frame: Table = try DataFolio(at: temp.path("py")).get("frame")
        #expect(frame["point"]?.type == .struct([.init("x", .float64), .init("y", .float64)]))
        #expect(frame["point"]?.values == [.struct([("x", 1.5), ("y", .null)]), .null, .struct([("x", -2.0), ("y", 4.0)])])
        #expect(frame["events"]?.type == .list(.struct([.init("t", .int64), .init("label", .string)])))
        #expect(frame["events"]?.values == [.list([.struct([("t", 1), ("label", "go")])]), .list([]), .null])
        #expect(frame["grid"]?.values == [.list([.list([1, 2]), .list([])]), .null, .list([.list([3])])])
    }
}
