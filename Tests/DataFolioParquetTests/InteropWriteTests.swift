import DataFolioJSON
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Files written by Swift, read by pandas, pyarrow, polars and DuckDB: every value and the
/// restored types must match.
@Suite(.serialized) struct InteropWriteTests {
    static let script = #"""
import json, sys
fixtures = sys.argv[1]
sys.path.insert(0, fixtures)
import pandas as pd, pyarrow as pa, pyarrow.parquet as pq
from parquet_dump import dump_table

def attempt(f):
    try:
        return f()
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}

results = {}
for path in sys.argv[2:]:
    entry = {}
    def pandas_read():
        df = pd.read_parquet(path)
        return {"dtypes": {str(k): str(v) for k, v in df.dtypes.items()}, "index": [n for n in df.index.names if n is not None],
                "rows": len(df)}
    entry["pandas"] = attempt(pandas_read)
    def pyarrow_read():
        t = pq.read_table(path)
        return {"types": {f.name: str(f.type) for f in t.schema}, "values": dump_table(t)}
    entry["pyarrow"] = attempt(pyarrow_read)
    def polars_read(column):
        import polars as pl
        return dump_table(pl.read_parquet(path, columns=[column]).to_arrow())
    def duckdb_read(column):
        import duckdb
        return dump_table(duckdb.sql('SELECT "%s" FROM read_parquet(\'%s\')' % (column, path)).fetch_arrow_table())
    names = pq.read_schema(path).names
    entry["polars"] = {c: attempt(lambda: polars_read(c)) for c in names}
    entry["duckdb"] = {c: attempt(lambda: duckdb_read(c)) for c in names}
    results[path] = entry
print(json.dumps(results, ensure_ascii=False))
"""#

    static let variants: [(String, ParquetWriteOptions)] = [
        ("default", ParquetWriteOptions()),
        ("nodict", ParquetWriteOptions(dictionary: false)),
        ("zstd", ParquetWriteOptions(compression: .zstd, rowGroupSize: 70)),
        ("gzip", ParquetWriteOptions(compression: .gzip, pageSize: 512)),
        ("uncompressed", ParquetWriteOptions(compression: .uncompressed, rowGroupSize: 100, dictionary: false)),
        ("lz4", ParquetWriteOptions(compression: .lz4Raw, pageSize: 4096)),
        ("v2", ParquetWriteOptions(compression: .zstd, pageSize: 1024, dataPageVersion: .v2)),
    ]

    /// pandas dtypes expected for the columns of ``SampleTables/everyType(rows:seed:)``.
    static let pandasDtypes: [String: [String]] = [
        "bool": ["boolean"], "int8": ["Int8"], "int16": ["Int16"], "int32": ["Int32"], "int64": ["Int64"],
        "int64_dense": ["int64"], "uint8": ["UInt8"], "uint16": ["UInt16"], "uint32": ["UInt32"], "uint64": ["UInt64"],
        "float16": ["float16"], "float32": ["float32"], "float64": ["float64"], "string": ["str", "object", "string"],
        "binary": ["object"], "fixed": ["object"], "date": ["object"], "ts_s": ["datetime64[ms]"], "ts_ms": ["datetime64[ms]"],
        "ts_us_utc": ["datetime64[us, UTC]"], "ts_ns_paris": ["datetime64[ns, Europe/Paris]"], "decimal": ["object"],
        "decimal38": ["object"], "category": ["category"], "ordered": ["category"], "list_int": ["object"], "list_string": ["object"],
    ]

    /// Columns a tool cannot represent (checked to fail or be skipped, not compared).
    static let unsupported: [String: Set<String>] = [
        "polars": ["float16"],
        "duckdb": ["float16"],
    ]

    @Test(.interop) func pythonToolsReadWhatSwiftWrites() throws {
        let folder = TemporaryFolder("parquet-write")
        let table = try SampleTables.everyType(rows: 300, seed: 21)
        var paths: [String] = []
        for (name, options) in Self.variants {
            let path = folder.path("swift_\(name).parquet")
            try table.writeParquet(to: path, options: options)
            paths.append(path)
        }
        let output = try InteropPython.run(Self.script, arguments: [fixturesFolder().path] + paths)
        let results = try JSONValue(parsing: output.stdout)
        let expected = JSONValue.object(JSONObject(table.columns.map { ($0.name, .array(CanonicalValues.values(of: $0))) }))
        for path in paths {
            let context = URL(fileURLWithPath: path).lastPathComponent
            guard let entry = results[path] else {
                Issue.record("\(context): no result")
                continue
            }
            // pyarrow: exact values and the same Arrow types.
            if let error = entry["pyarrow"]?["error"]?.stringValue {
                Issue.record("\(context): pyarrow failed: \(error)")
            } else {
                let values = entry["pyarrow"]?["values"] ?? .null
                compare(values, expected, context: "\(context) pyarrow")
                for column in table.columns {
                    // pyarrow reads second timestamps as milliseconds (Parquet has no second unit),
                    // even from its own files.
                    let type = column.name == "ts_s" ? "timestamp[ms]" : column.type.arrowName
                    #expect(entry["pyarrow"]?["types"]?[column.name]?.stringValue == type, "\(context) pyarrow type of \(column.name)")
                }
            }
            // pandas: the dtypes a pandas user expects.
            if let error = entry["pandas"]?["error"]?.stringValue {
                Issue.record("\(context): pandas failed: \(error)")
            } else {
                #expect(entry["pandas"]?["rows"]?.intValue == table.rowCount)
                for (column, allowed) in Self.pandasDtypes {
                    let dtype = entry["pandas"]?["dtypes"]?[column]?.stringValue ?? "missing"
                    #expect(allowed.contains(dtype), "\(context) pandas dtype of \(column): \(dtype)")
                }
            }
            // polars and DuckDB: exact values, column by column.
            for tool in ["polars", "duckdb"] {
                for column in table.columns {
                    let result = entry[tool]?[column.name] ?? .null
                    if Self.unsupported[tool]?.contains(column.name) == true { continue }
                    if let error = result["error"]?.stringValue {
                        Issue.record("\(context): \(tool) cannot read \(column.name): \(error)")
                        continue
                    }
                    compare(result, .object(JSONObject([(column.name, expected[column.name] ?? .null)])), context: "\(context) \(tool)")
                }
            }
        }
    }

    private func compare(_ actual: JSONValue, _ expected: JSONValue, context: String) {
        guard let object = expected.objectValue else { return }
        for (name, values) in object {
            guard let wanted = values.arrayValue, let got = actual[name]?.arrayValue else {
                Issue.record("\(context): column \(name) missing")
                continue
            }
            if wanted.count != got.count {
                Issue.record("\(context): column \(name) has \(got.count) values, expected \(wanted.count)")
                continue
            }
            if let index = wanted.indices.first(where: { !CanonicalValues.same(got[$0], wanted[$0]) }) {
                Issue.record("\(context): column \(name) row \(index): \(got[index]) ≠ \(wanted[index])")
            }
        }
    }

    @Test(.interop) func largeTableWrittenInPartsReadsInPandas() throws {
        let folder = TemporaryFolder("parquet-write-large")
        let path = folder.path("large.parquet")
        let rows = 600_000
        let writer = try ParquetWriter(path: path, options: ParquetWriteOptions(rowGroupSize: 250_000))
        for part in 0..<3 {
            let start = part * rows / 3
            let ks = (start..<(start + rows / 3)).map { Int64($0) }
            try writer.write(try Table([
                Column(name: "k", ks),
                Column(name: "s", strings: ks.map { $0 % 10 == 0 ? nil : "v\($0 % 1000)" }),
                Column(name: "c", categories: ks.map { ["a", "b", "c"][Int($0 % 3)] }),
                Column(name: "t", timestamps: ks.map { 1_600_000_000_000_000 + $0 }, unit: .microsecond, timeZone: "UTC"),
            ]))
        }
        try writer.close()
        let script = #"""
import sys, json, pandas as pd, polars as pl, duckdb
df = pd.read_parquet(sys.argv[1])
ok = bool((df["k"].values == range(len(df))).all()) and df["s"].isna().sum() == len(df) // 10
ok = ok and list(df["c"].cat.categories) == ["a", "b", "c"] and str(df["t"].dtype) == "datetime64[us, UTC]"
ok = ok and df["s"].iloc[-1] == "v%d" % ((len(df) - 1) % 1000)
p = pl.read_parquet(sys.argv[1])
ok = ok and p["k"].sum() == sum(range(len(df))) and p.height == len(df)
d = duckdb.sql("SELECT count(*), count(s), sum(k) FROM read_parquet('%s')" % sys.argv[1]).fetchall()[0]
ok = ok and d == (len(df), len(df) - len(df) // 10, sum(range(len(df))))
print(json.dumps({"ok": bool(ok), "rows": len(df), "duck": list(d)}))
"""#
        let output = try InteropPython.run(script, arguments: [path])
        let result = try JSONValue(parsing: output.stdout)
        #expect(result["ok"]?.boolValue == true, "\(output.stdout)")
        #expect(result["rows"]?.intValue == rows)
    }
}
