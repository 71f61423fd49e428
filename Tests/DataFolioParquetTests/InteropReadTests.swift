import DataFolioJSON
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Files made at test time by pyarrow, polars, DuckDB and fastparquet, read by Swift and
/// compared value by value with what pyarrow reads.
@Suite(.serialized) struct InteropReadTests {
    static let script = #"""
import json, os, sys, datetime
fixtures, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, fixtures)
import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
from parquet_dump import dump_table
from make_fixtures import full_table

names = []
def done(name, columns=None):
    table = pq.read_table(os.path.join(out, name + ".parquet"), columns=columns)
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(dump_table(table), f, ensure_ascii=False)
    names.append(name)

def p(name):
    return os.path.join(out, name + ".parquet")

table = full_table(3000)
pq.write_table(table, p("pa_default")); done("pa_default")
pq.write_table(table, p("pa_nodict"), use_dictionary=False); done("pa_nodict")
for codec in ["gzip", "zstd", "none"]:
    pq.write_table(table, p("pa_" + codec), compression=codec); done("pa_" + codec)
pq.write_table(table, p("pa_lz4"), compression="lz4"); done("pa_lz4")
pq.write_table(table, p("pa_v2"), data_page_version="2.0"); done("pa_v2")
pq.write_table(table, p("pa_v2_nodict_zstd"), data_page_version="2.0", use_dictionary=False, compression="zstd"); done("pa_v2_nodict_zstd")
pq.write_table(table, p("pa_groups"), row_group_size=500, data_page_size=2048, dictionary_pagesize_limit=512); done("pa_groups")
pq.write_table(table, p("pa_small_pages_v2"), data_page_size=100, data_page_version="2.0", write_page_index=True); done("pa_small_pages_v2")
pq.write_table(table.select(["i", "ts", "tsz", "li"]), p("pa_int96"), use_deprecated_int96_timestamps=True); done("pa_int96")
pq.write_table(table, p("pa_stats_crc"), write_statistics=True, write_page_checksum=True); done("pa_stats_crc")

import polars as pl
frame = pl.from_arrow(table.drop(["f16", "fsb", "u64", "dec38", "ocat"]))
frame.write_parquet(p("polars_default")); done("polars_default")
frame.write_parquet(p("polars_snappy_groups"), compression="snappy", row_group_size=700, statistics=True); done("polars_snappy_groups")
frame.write_parquet(p("polars_uncompressed"), compression="uncompressed", data_page_size=4096); done("polars_uncompressed")

import duckdb
con = duckdb.connect()
con.register("t", table.drop(["f16", "ocat", "cat"]))
con.execute("COPY t TO '%s' (FORMAT PARQUET)" % p("duckdb_default")); done("duckdb_default")
con.execute("COPY t TO '%s' (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 1000)" % p("duckdb_zstd_groups")); done("duckdb_zstd_groups")

import fastparquet
frame_fp = table.select(["i", "n", "i16", "f32", "f64", "s", "b", "ts"]).to_pandas()
frame_fp["b"] = frame_fp["b"].astype(object)
fastparquet.write(p("fastparquet_default"), frame_fp); done("fastparquet_default")
fastparquet.write(p("fastparquet_gzip_groups"), frame_fp, compression="GZIP", row_group_offsets=700); done("fastparquet_gzip_groups")

# A large file whose values follow formulas the Swift side recomputes.
n = 1_200_000
k = np.arange(n, dtype=np.int64)
large = pa.table({
    "i": k * 7 - 3,
    "d": k / 8,
    "s": pa.array(np.char.add("v", (k % 1000).astype(str)), pa.string()),
    "b": k % 3 == 0,
    "t": pa.array(1_600_000_000_000_000 + k * 1000, pa.timestamp("us")),
    "n": pa.array(np.where(k % 10 == 0, None, k).tolist(), pa.int64()),
})
pq.write_table(large, p("pa_large"))
pl.from_arrow(large).write_parquet(p("polars_large"))
con.register("large", large)
con.execute("COPY large TO '%s' (FORMAT PARQUET)" % p("duckdb_large"))
print(json.dumps(names))
"""#

    /// Generates the matrix once per test run.
    static let matrix: Result<(folder: TemporaryFolder, names: [String]), Error> = Result {
        let folder = TemporaryFolder.forTheWholeRun("parquet-interop")
        let output = try InteropPython.run(script, arguments: [fixturesFolder().path, folder.path])
        let names = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            .arrayValue?.compactMap(\.stringValue) ?? []
        return (folder, names)
    }

    @Test(.interop) func readsEveryFileOfTheMatrix() throws {
        let (folder, names) = try Self.matrix.get()
        #expect(names.count >= 15)
        for name in names {
            let expected = try JSONValue(parsing: try LocalFile.read(folder.path(name + ".json")))
            let table = try ParquetReader(path: folder.path(name + ".parquet")).readTable()
            CanonicalValues.expect(table, equals: expected, context: name)
        }
    }

    @Test(.interop) func pandasDtypesBecomeTableTypes() throws {
        let (folder, _) = try Self.matrix.get()
        for name in ["pa_default", "pa_nodict", "pa_v2", "pa_groups"] {
            let reader = try ParquetReader(path: folder.path(name + ".parquet"))
            let table = try reader.readTable()
            #expect(table.indexColumnNames == ["idx"], "\(name)")
            #expect(table["cat"]?.type == .dictionary(.string, ordered: false), "\(name)")
            #expect(table["ocat"]?.type == .dictionary(.string, ordered: true), "\(name)")
            #expect(table["tsz"]?.type == .timestamp(.microsecond, timeZone: "Europe/Paris"), "\(name)")
            #expect(table["n"]?.type == .int64 && (table["n"]?.nullCount ?? 0) > 0, "\(name)")
            #expect(table["b"]?.type == .bool && (table["b"]?.nullCount ?? 0) > 0, "\(name)")
            #expect(table["f16"]?.type == .float16, "\(name)")
            #expect(table["d"]?.type == .date, "\(name)")
            #expect(table["dec"]?.type == .decimal(precision: 10, scale: 2), "\(name)")
            #expect(table["li"]?.type == .list(.int64), "\(name)")
        }
        let polars = try ParquetReader(path: folder.path("polars_default.parquet"))
        #expect(polars.metadata.rowGroups[0].columns[0].compression == .zstd)
        #expect(try polars.readTable()["cat"]?.type == .dictionary(.string, ordered: false))
    }


    @Test(.interop, arguments: ["pa_large", "polars_large", "duckdb_large"])
    func largeFilesMatchTheirFormulas(name: String) throws {
        let (folder, _) = try Self.matrix.get()
        let reader = try ParquetReader(path: folder.path(name + ".parquet"))
        #expect(reader.rowCount == 1_200_000)
        var start = 0
        var iterator = reader.rowGroupTables()
        while let group = try iterator.next() {
            try Self.checkLarge(group, start: start, name: name)
            start += group.rowCount
        }
        #expect(start == 1_200_000)
        let whole = try reader.readTable(columns: ["s", "t"])
        #expect(whole.rowCount == 1_200_000)
        #expect(whole["s"]?.strings().last == "v999")
    }

    static func checkLarge(_ table: Table, start: Int, name: String) throws {
        guard case .int64(let i)? = table["i"]?.data, case .float64(let d)? = table["d"]?.data,
            case .bool(let b)? = table["b"]?.data, case .int64(let t)? = table["t"]?.data, let n = table["n"], let s = table["s"]
        else {
            Issue.record("\(name): unexpected column layout \(table.schema.map { "\($0.name): \($0.type)" })")
            return
        }
        var bad = 0
        for row in 0..<table.rowCount {
            let k = Int64(start + row)
            if i[row] != k * 7 - 3 || d[row] != Double(k) / 8 || b[row] != (k % 3 == 0) || t[row] != 1_600_000_000_000_000 + k * 1000 {
                bad += 1
            }
            if n.isNull(row) != (k % 10 == 0) { bad += 1 }
        }
        let strings = s.strings()
        for row in stride(from: 0, to: table.rowCount, by: 997) where strings[row] != "v\((start + row) % 1000)" { bad += 1 }
        #expect(bad == 0, "\(name): \(bad) wrong values in rows \(start)..<\(start + table.rowCount)")
    }
}
