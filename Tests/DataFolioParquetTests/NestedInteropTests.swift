import DataFolioJSON
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Nested columns across the Python tools: files that pyarrow, polars and DuckDB write
/// read in Swift with pyarrow's values, and files Swift writes read back in pyarrow,
/// pandas, polars and DuckDB with the same values and types.
@Suite(.serialized) struct NestedInteropTests {
    static let readScript = #"""
import json, os, sys
fixtures, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, fixtures)
import pyarrow as pa, pyarrow.parquet as pq
from parquet_dump import dump_table
from make_fixtures import nested_table

names = []
def done(name):
    table = pq.read_table(os.path.join(out, name + ".parquet"))
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(dump_table(table), f, ensure_ascii=False)
    names.append(name)

def p(name):
    return os.path.join(out, name + ".parquet")

table = nested_table(3000)
pq.write_table(table, p("pa_default")); done("pa_default")
pq.write_table(table, p("pa_nodict"), use_dictionary=False); done("pa_nodict")
for codec in ["gzip", "zstd", "lz4", "none"]:
    pq.write_table(table, p("pa_" + codec), compression=codec); done("pa_" + codec)
pq.write_table(table, p("pa_v2"), data_page_version="2.0"); done("pa_v2")
pq.write_table(table, p("pa_v2_nodict_zstd"), data_page_version="2.0", use_dictionary=False, compression="zstd"); done("pa_v2_nodict_zstd")
pq.write_table(table, p("pa_small_groups"), row_group_size=100, data_page_size=512, dictionary_pagesize_limit=256); done("pa_small_groups")
pq.write_table(table, p("pa_v2_tiny_pages"), data_page_version="2.0", data_page_size=64, write_page_index=True); done("pa_v2_tiny_pages")
pq.write_table(table, p("pa_v1_legacy_lists"), use_compliant_nested_type=False); done("pa_v1_legacy_lists")

import polars as pl
frame = pl.DataFrame({
    "id": list(range(3000)),
    "point": [None if k % 5 == 1 else {"x": k, "y": None if k % 3 == 0 else "p%d" % k} for k in range(3000)],
    "events": [None if k % 7 == 2 else [{"t": k * 10 + j, "ok": None if j == 2 else j % 2 == 0} for j in range(k % 5)] for k in range(3000)],
    "grid": [[[k, k + 1], [], None] if k % 2 else None for k in range(3000)],
    "deep": [{"inner": {"vals": [k] * (k % 3), "name": "n%d" % (k % 11)}, "flag": k % 4 == 0} for k in range(3000)],
})
frame.write_parquet(p("polars_default")); done("polars_default")
frame.write_parquet(p("polars_snappy_groups"), compression="snappy", row_group_size=700, statistics=True); done("polars_snappy_groups")
frame.write_parquet(p("polars_uncompressed_pages"), compression="uncompressed", data_page_size=1024); done("polars_uncompressed_pages")

import duckdb
con = duckdb.connect()
query = """SELECT i AS id,
       CASE WHEN i % 4 = 1 THEN NULL ELSE {'a': i, 'b': 'v' || (i % 13), 'c': [i, NULL]} END AS s,
       CASE WHEN i % 5 = 2 THEN NULL ELSE MAP {'k' || (i % 17): i, 'z': NULL} END AS m,
       CASE WHEN i % 3 = 0 THEN NULL ELSE [{'x': i, 'y': [i, NULL]}, NULL] END AS ls,
       [[i, i + 1], [], NULL] AS ll,
       {'inner': MAP {i % 3: 'x' || i}} AS sm
FROM range(3000) t(i)"""
con.execute("COPY (%s) TO '%s' (FORMAT PARQUET)" % (query, p("duckdb_default"))); done("duckdb_default")
con.execute("COPY (%s) TO '%s' (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 1000)" % (query, p("duckdb_zstd_groups"))); done("duckdb_zstd_groups")
print(json.dumps(names))
"""#

    /// Generates the read matrix once per test run.
    static let matrix: Result<(folder: TemporaryFolder, names: [String]), Error> = Result {
        let folder = TemporaryFolder.forTheWholeRun("nested-interop")
        let output = try InteropPython.run(readScript, arguments: [fixturesFolder().path, folder.path])
        let names = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            .arrayValue?.compactMap(\.stringValue) ?? []
        return (folder, names)
    }

    @Test(.interop) func readsNestedFilesOfEveryWriter() throws {
        let (folder, names) = try Self.matrix.get()
        #expect(names.count >= 16)
        for name in names {
            let expected = try JSONValue(parsing: try LocalFile.read(folder.path(name + ".json")))
            let reader = try ParquetReader(path: folder.path(name + ".parquet"))
            CanonicalValues.expect(try reader.readTable(), equals: expected, context: name)
            CanonicalValues.expect(try reader.readTable(parallel: false), equals: expected, context: "\(name) serial")
        }
    }

    @Test(.interop) func typesMatchWhatPyarrowReads() throws {
        let (folder, _) = try Self.matrix.get()
        let reader = try ParquetReader(path: folder.path("duckdb_default.parquet"))
        let table = try reader.readTable()
        #expect(table["s"]?.type == .struct([.init("a", .int64), .init("b", .string), .init("c", .list(.int64))]))
        #expect(table["m"]?.type == .map(key: .string, value: .int64))
        #expect(table["ls"]?.type == .list(.struct([.init("x", .int64), .init("y", .list(.int64))])))
        #expect(table["sm"]?.type == .struct([.init("inner", .map(key: .int64, value: .string))]))
        let polars = try ParquetReader(path: folder.path("polars_default.parquet")).readTable()
        // polars stores large lists, and says so in the Arrow schema.
        #expect(polars["events"]?.type == .largeList(.struct([.init("t", .int64), .init("ok", .bool)])))
        #expect(polars["grid"]?.type == .largeList(.largeList(.int64)))
    }

    static let writeScript = #"""
import json, sys
fixtures = sys.argv[1]
sys.path.insert(0, fixtures)
import pandas as pd, pyarrow as pa, pyarrow.parquet as pq
from parquet_dump import dump_table, canon

def attempt(f):
    try:
        return f()
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}

def pairs(values, arrow_type):
    # polars may read a map as a list of key/value structs: give it the map's canonical form.
    if values is None or not pa.types.is_map(arrow_type):
        return values
    return [None if v is None else [[e["key"], e["value"]] if isinstance(e, dict) else e for e in v] for v in values]

results = {}
for path in sys.argv[2:]:
    entry = {}
    schema = pq.read_schema(path)
    def pyarrow_read():
        t = pq.read_table(path)
        return {"types": {f.name: str(f.type) for f in t.schema}, "values": dump_table(t)}
    entry["pyarrow"] = attempt(pyarrow_read)
    def pandas_read():
        df = pd.read_parquet(path)
        # The Python objects pandas holds, turned back into Arrow with the file's types.
        back = pa.Table.from_pandas(df, schema=pa.schema([f.remove_metadata() for f in schema]), preserve_index=False)
        return {"rows": len(df), "dtypes": {str(k): str(v) for k, v in df.dtypes.items()}, "values": dump_table(back)}
    entry["pandas"] = attempt(pandas_read)
    def polars_read(column):
        import polars as pl
        values = dump_table(pl.read_parquet(path, columns=[column]).to_arrow())[column]
        return {column: pairs(values, schema.field(column).type)}
    def duckdb_read(column):
        import duckdb
        return dump_table(duckdb.sql('SELECT "%s" FROM read_parquet(\'%s\')' % (column, path)).fetch_arrow_table())
    entry["polars"] = {c: attempt(lambda: polars_read(c)) for c in schema.names}
    entry["duckdb"] = {c: attempt(lambda: duckdb_read(c)) for c in schema.names}
    results[path] = entry
print(json.dumps(results, ensure_ascii=False))
"""#

    static let writeVariants: [(String, ParquetWriteOptions)] = [
        ("default", ParquetWriteOptions()),
        ("nodict", ParquetWriteOptions(dictionary: false)),
        ("v2_zstd", ParquetWriteOptions(compression: .zstd, dataPageVersion: .v2)),
        ("v2_small", ParquetWriteOptions(compression: .gzip, rowGroupSize: 70, dictionary: false, pageSize: 256, dataPageVersion: .v2)),
        ("uncompressed_groups", ParquetWriteOptions(compression: .uncompressed, rowGroupSize: 100, pageSize: 512)),
        ("lz4", ParquetWriteOptions(compression: .lz4Raw, pageSize: 4096)),
    ]

    @Test(.interop) func pythonToolsReadNestedTablesSwiftWrites() throws {
        let folder = TemporaryFolder("nested-write")
        let table = try SampleTables.nested(rows: 300, seed: 17)
        var paths: [String] = []
        for (name, options) in Self.writeVariants {
            let path = folder.path("swift_\(name).parquet")
            try table.writeParquet(to: path, options: options)
            paths.append(path)
        }
        let output = try InteropPython.run(Self.writeScript, arguments: [fixturesFolder().path] + paths)
        let results = try JSONValue(parsing: output.stdout)
        let expected = JSONValue.object(JSONObject(table.columns.map { ($0.name, .array(CanonicalValues.values(of: $0))) }))
        for path in paths {
            let context = URL(fileURLWithPath: path).lastPathComponent
            guard let entry = results[path] else {
                Issue.record("\(context): no result")
                continue
            }
            for tool in ["pyarrow", "pandas"] {
                if let error = entry[tool]?["error"]?.stringValue {
                    Issue.record("\(context): \(tool) failed: \(error)")
                } else {
                    Self.compare(entry[tool]?["values"] ?? .null, expected, context: "\(context) \(tool)")
                }
            }
            for column in table.columns {
                // pyarrow names a map's entries after the column when it reads Parquet, and
                // prints the name: `map<string, int64 ('tags')>`.
                let type = entry["pyarrow"]?["types"]?[column.name]?.stringValue?.replacingOccurrences(of: " ('\(column.name)')", with: "")
                #expect(type == column.type.arrowName, "\(context) pyarrow type of \(column.name)")
            }
            #expect(entry["pandas"]?["rows"]?.intValue == table.rowCount, "\(context) pandas rows")
            #expect(entry["pandas"]?["dtypes"]?["point"] == "object", "\(context) pandas dtype")
            for tool in ["polars", "duckdb"] {
                for column in table.columns {
                    let result = entry[tool]?[column.name] ?? .null
                    if let error = result["error"]?.stringValue {
                        Issue.record("\(context): \(tool) cannot read \(column.name): \(error)")
                        continue
                    }
                    Self.compare(result, .object(JSONObject([(column.name, expected[column.name] ?? .null)])), context: "\(context) \(tool)")
                }
            }
        }
    }

    /// Dictionary (categorical) values inside lists and structs, next to a top-level one:
    /// every tool reads them, and pyarrow restores the dictionary types.
    @Test(.interop) func dictionariesInsideNestedColumnsReadInPython() throws {
        let folder = TemporaryFolder("nested-dictionaries")
        let colours = Column(name: "element", categories: ["red", "blue", nil, "red", "green"])
        let a = Column(name: "a", categories: ["x", "y", "x"])
        let b = Column(name: "b", categories: ["p", nil, "q"], ordered: true)
        let table = try Table([
            try Column(
                name: "colours", type: .list(colours.type), count: 3, data: .list(offsets: [0, 2, 2, 5], values: colours), validity: nil),
            try Column(name: "s", type: .struct([.init("a", a.type), .init("b", b.type)]), count: 3, data: .struct([a, b]), validity: nil),
            Column(name: "top", categories: ["u", "v", "u"]),
        ])
        let path = folder.path("dictionaries.parquet")
        try table.writeParquet(to: path)
        let output = try InteropPython.run(Self.writeScript, arguments: [fixturesFolder().path, path])
        let entry = try JSONValue(parsing: output.stdout)[path] ?? .null
        let expected = JSONValue.object(JSONObject(table.columns.map { ($0.name, .array(CanonicalValues.values(of: $0))) }))
        for tool in ["pyarrow", "pandas"] {
            #expect(entry[tool]?["error"] == nil, "\(tool): \(entry[tool]?["error"]?.stringValue ?? "")")
            Self.compare(entry[tool]?["values"] ?? .null, expected, context: tool)
        }
        for column in table.columns {
            #expect(entry["pyarrow"]?["types"]?[column.name]?.stringValue == column.type.arrowName, "type of \(column.name)")
            for tool in ["polars", "duckdb"] {
                Self.compare(entry[tool]?[column.name] ?? .null, .object(JSONObject([(column.name, expected[column.name] ?? .null)])), context: tool)
            }
        }
        #expect(try Table(parquetFile: path) == table)
    }

    static func compare(_ actual: JSONValue, _ expected: JSONValue, context: String) {
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
}
