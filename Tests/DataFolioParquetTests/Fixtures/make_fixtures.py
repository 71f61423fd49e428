"""Regenerates the committed Parquet fixtures and their expected values.

Run from this folder with an environment that has pandas, pyarrow, polars, duckdb and
fastparquet:

    python make_fixtures.py           # every fixture
    python make_fixtures.py nested    # only the nested ones

Each fixture NAME.parquet gets NAME.json: the values pyarrow reads back, in the
canonical form of parquet_dump.py. Keep fixtures small (a few KB).
"""
import datetime
import decimal
import json
import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from parquet_dump import dump_table

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def save_expected(name, table=None):
    if table is None:
        table = pq.read_table(path(name + ".parquet"))
    with open(path(name + ".json"), "w", encoding="utf-8") as f:
        json.dump(dump_table(table), f, ensure_ascii=False, separators=(",", ":"))


def pandas_frame(rows=20):
    rng = np.random.default_rng(7)
    idx = pd.Index(np.arange(100, 100 + rows), name="idx")
    words = ["alpha", "βeta", "", "日本語", "emoji 🎉", "x" * 40]
    frame = pd.DataFrame(
        {
            "i": np.arange(rows, dtype=np.int64) * 1_000_003 - 7,
            "n": pd.array([None if k % 4 == 1 else k * 10 for k in range(rows)], dtype="Int64"),
            "i8": pd.array([None if k % 5 == 2 else (k * 13) % 256 - 128 for k in range(rows)], dtype="Int8"),
            "i16": np.array([(k * 1000) % 60000 - 30000 for k in range(rows)], dtype=np.int16),
            "i32": np.array([(k % 20_000) * 100_000 - 5 for k in range(rows)], dtype=np.int32),
            "u8": np.array([k * 12 % 256 for k in range(rows)], dtype=np.uint8),
            "u16": np.array([(k * 3000) % 65536 for k in range(rows)], dtype=np.uint16),
            "u32": np.array([4_000_000_000 - k for k in range(rows)], dtype=np.uint32),
            "u64": np.array([2**64 - 1 - k for k in range(rows)], dtype=np.uint64),
            "f32": np.array([np.nan if k == 3 else k / 3 for k in range(rows)], dtype=np.float32),
            "f64": np.array([np.nan, np.inf, -np.inf, -0.0] + [k * 1.1 for k in range(rows - 4)]),
            "s": [None if k % 6 == 5 else words[k % len(words)] for k in range(rows)],
            "b": pd.array([None if k % 7 == 3 else k % 2 == 0 for k in range(rows)], dtype="boolean"),
            "cat": pd.Categorical([None if k % 5 == 4 else ["red", "green", "blue"][k % 3] for k in range(rows)]),
            "ocat": pd.Categorical(["lo", "hi", "mid"][k % 3] for k in range(rows)).set_categories(
                ["lo", "mid", "hi"], ordered=True),
            "ts": pd.to_datetime([None if k == 2 else 1_700_000_000_000_000_000 + (k % 50) * 86_400_000_000_123 for k in range(rows)]),
            "tsz": pd.to_datetime([1_700_000_000_000_000 + k * 3_600_000_000 for k in range(rows)], unit="us")
            .tz_localize("UTC")
            .tz_convert("Europe/Paris"),
        },
        index=idx,
    )
    return frame, rng


def arrow_extras(rows=20):
    return {
        "f16": pa.array([None if k == 1 else np.float16(k / 4 - 2) for k in range(rows)], pa.float16()),
        "d": pa.array([None if k == 4 else datetime.date(2000, 1, 1) + datetime.timedelta(days=k * 400 - 4000) for k in range(rows)],
                      pa.date32()),
        "dec": pa.array([None if k == 6 else decimal.Decimal(k * 12345 - 99999) / 100 for k in range(rows)], pa.decimal128(10, 2)),
        "dec38": pa.array([decimal.Decimal("-1234567890123456789012345678.0123456789") + k for k in range(rows)],
                          pa.decimal128(38, 10)),
        "bin": pa.array([None if k == 0 else bytes(range(k % 7)) for k in range(rows)], pa.binary()),
        "fsb": pa.array([bytes([k % 250, k % 250 + 1, k % 250 + 2, 255]) for k in range(rows)], pa.binary(4)),
        "tsu": pa.array([k * 1_000_000_000 + 5 for k in range(rows)], pa.timestamp("ms", tz="UTC")),
        "li": pa.array([None if k % 5 == 3 else ([] if k % 5 == 1 else [k, None, -k] if k % 2 else [k] * (k % 4 + 1))
                        for k in range(rows)], pa.list_(pa.int64())),
        "ls": pa.array([None if k % 6 == 0 else ["a" * (k % 3), None, "ü"][: k % 4] for k in range(rows)], pa.list_(pa.string())),
    }


def full_table(rows=20):
    frame, _ = pandas_frame(rows)
    table = pa.Table.from_pandas(frame)
    for name, array in arrow_extras(rows).items():
        table = table.append_column(name, array)
    return table


def nested_table(rows=40):
    """Structs, maps and lists of any depth, with nulls at every level."""
    point = pa.struct([("x", pa.int32()), ("y", pa.float64())])
    event = pa.struct([("id", pa.int64()), ("name", pa.string())])
    deep = pa.struct([("inner", pa.struct([("vals", pa.list_(pa.int64())), ("label", pa.string())])), ("flag", pa.bool_())])

    def pick(k, *options):
        return options[k % len(options)]

    return pa.table({
        "id": pa.array(range(rows), pa.int64()),
        "point": pa.array([pick(k, {"x": k, "y": k / 4}, None, {"x": None, "y": None}, {"x": -k, "y": None})
                           for k in range(rows)], point),
        "tags": pa.array([pick(k, [("a", k), ("b", None)], [], None, [("ü" * (k % 3), -k)]) for k in range(rows)],
                         pa.map_(pa.string(), pa.int32())),
        "codes": pa.array([pick(k, [(k, ["x", None]), (k + 1, [])], None, [(-k, None)]) for k in range(rows)],
                          pa.map_(pa.int64(), pa.list_(pa.string()))),
        "events": pa.array([pick(k, [{"id": k, "name": "e%d" % k}, None, {"id": None, "name": None}], [], None,
                                 [{"id": -k, "name": "é"}]) for k in range(rows)], pa.list_(event)),
        "grid": pa.array([pick(k, [[k, None], [], None], None, [[]], [[1, 2, 3], [k]]) for k in range(rows)],
                         pa.list_(pa.list_(pa.int32()))),
        "deep": pa.array([pick(k, {"inner": {"vals": [k, k * 2], "label": "l%d" % k}, "flag": k % 2 == 0},
                               {"inner": None, "flag": None}, None, {"inner": {"vals": None, "label": None}, "flag": True},
                               {"inner": {"vals": [], "label": ""}, "flag": False}) for k in range(rows)], deep),
        "pair": pa.array([pick(k, [k, -k], None, [None, 7]) for k in range(rows)], pa.list_(pa.int16(), 2)),
        "big": pa.array([pick(k, ["s%d" % k], None, [], [None]) for k in range(rows)], pa.large_list(pa.string())),
        "stamps": pa.array([pick(k, {"at": 1_700_000_000_000_000 + k, "day": k}, None) for k in range(rows)],
                           pa.struct([("at", pa.timestamp("us", tz="Europe/Paris")), ("day", pa.date32())])),
        "after": pa.array([pick(k, "x", None, "z") for k in range(rows)], pa.string()),
    })


def nested_fixtures():
    small = pa.table({
        "ok": pa.array([1, 2, 3], pa.int64()),
        "point": pa.array([{"x": 1, "y": 2}, None, {"x": 3, "y": 4}], pa.struct([("x", pa.int32()), ("y", pa.int32())])),
        "tags": pa.array([[("a", 1)], [], None], pa.map_(pa.string(), pa.int32())),
        "grid": pa.array([[[1, 2], [3]], None, [[]]], pa.list_(pa.list_(pa.int32()))),
        "after": pa.array(["x", None, "z"], pa.string()),
    })
    pq.write_table(small, path("pyarrow_nested.parquet"))
    save_expected("pyarrow_nested")

    table = nested_table()
    pq.write_table(table, path("pyarrow_nested_v1.parquet"), compression="snappy")
    save_expected("pyarrow_nested_v1")
    # Version 2 pages, no dictionary, tiny pages and row groups: rows end exactly at page ends.
    pq.write_table(table, path("pyarrow_nested_v2.parquet"), data_page_version="2.0", use_dictionary=False,
                   compression="zstd", data_page_size=64, row_group_size=16)
    save_expected("pyarrow_nested_v2")

    import polars as pl
    frame = pl.DataFrame({
        "id": list(range(30)),
        "point": [None if k % 5 == 1 else {"x": k, "y": None if k % 3 == 0 else "p%d" % k} for k in range(30)],
        "events": [None if k % 7 == 2 else [{"t": k * 10 + j, "ok": j % 2 == 0} for j in range(k % 4)] for k in range(30)],
        "grid": [[[k, k + 1], [], None] if k % 2 else None for k in range(30)],
    })
    frame.write_parquet(path("polars_nested.parquet"))
    save_expected("polars_nested")

    import duckdb
    con = duckdb.connect()
    con.execute("""
        COPY (SELECT i AS id,
                     CASE WHEN i %% 4 = 1 THEN NULL ELSE {'a': i, 'b': 'v' || i} END AS s,
                     CASE WHEN i %% 5 = 2 THEN NULL ELSE MAP {'k' || i: i, 'z': NULL} END AS m,
                     CASE WHEN i %% 3 = 0 THEN NULL ELSE [{'x': i, 'y': [i, NULL]}, NULL] END AS ls
              FROM range(25) t(i))
        TO '%s' (FORMAT PARQUET)""" % path("duckdb_nested.parquet"))
    save_expected("duckdb_nested")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "nested":
        nested_fixtures()
        return
    nested_fixtures()
    table = full_table()
    pq.write_table(table, path("pyarrow_types.parquet"))
    save_expected("pyarrow_types")

    pq.write_table(table, path("pyarrow_nodict_v2_gzip.parquet"), use_dictionary=False, data_page_version="2.0",
                   compression="gzip")
    save_expected("pyarrow_nodict_v2_gzip")

    for codec, name in [("zstd", "pyarrow_zstd"), ("lz4", "pyarrow_lz4"), ("none", "pyarrow_none"), ("brotli", "pyarrow_brotli")]:
        small = table.select(["i", "n", "s", "cat", "li"])
        pq.write_table(small, path(name + ".parquet"), compression=codec)
        save_expected(name)

    # Several row groups and pages, and dictionary pages that overflow into PLAIN pages.
    many = full_table(240)
    pq.write_table(many.select(["i", "n", "s", "cat", "f64", "tsz", "li", "ls", "b"]), path("pyarrow_rowgroups.parquet"),
                   row_group_size=70, data_page_size=256, dictionary_pagesize_limit=64, compression="zstd")
    save_expected("pyarrow_rowgroups")

    # Delta and byte-stream-split encodings.
    n = 300
    delta = pa.table({
        "i64": pa.array([(k * k * 7919) % 1_000_003 - 500_000 for k in range(n)], pa.int64()),
        "i32": pa.array([None if k % 11 == 0 else (k * 31) % 997 - 400 for k in range(n)], pa.int32()),
        "big": pa.array([(-1) ** k * (2**62 + k) for k in range(n)], pa.int64()),
        "s": pa.array(["item-%d" % (k * 37 % 101) for k in range(n)], pa.string()),
        "prefixed": pa.array(["prefix/shared/%05d/%s" % (k, "z" * (k % 5)) for k in range(n)], pa.string()),
        "f32": pa.array([k / 7 for k in range(n)], pa.float32()),
        "f64": pa.array([None if k % 9 == 0 else k * 0.001 for k in range(n)], pa.float64()),
        "flba": pa.array([bytes([k % 256, 7, 9]) for k in range(n)], pa.binary(3)),
    })
    pq.write_table(delta, path("pyarrow_delta.parquet"), use_dictionary=False, compression="none",
                   column_encoding={"i64": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "big": "DELTA_BINARY_PACKED",
                                    "s": "DELTA_LENGTH_BYTE_ARRAY", "prefixed": "DELTA_BYTE_ARRAY",
                                    "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "flba": "BYTE_STREAM_SPLIT"})
    save_expected("pyarrow_delta")

    legacy = table.select(["i", "ts", "tsz", "li", "ls", "s"])
    pq.write_table(legacy, path("pyarrow_int96.parquet"), use_deprecated_int96_timestamps=True)
    save_expected("pyarrow_int96")
    pq.write_table(legacy, path("pyarrow_v1_legacy.parquet"), version="1.0", use_compliant_nested_type=False,
                   coerce_timestamps="us", allow_truncated_timestamps=True)
    save_expected("pyarrow_v1_legacy")

    empty = table.slice(0, 0)
    pq.write_table(empty, path("pyarrow_empty.parquet"))
    save_expected("pyarrow_empty")

    allnull = pa.table({
        "x": pa.array([None] * 30, pa.int64()),
        "s": pa.array([None] * 30, pa.string()),
        "l": pa.array([None] * 30, pa.list_(pa.float64())),
    })
    pq.write_table(allnull, path("pyarrow_allnull.parquet"))
    save_expected("pyarrow_allnull")

    import polars as pl
    pdf = pl.DataFrame({
        "id": list(range(50)),
        "name": [None if k % 7 == 0 else "n%d" % (k % 9) for k in range(50)],
        "score": [k * 0.5 for k in range(50)],
        "flag": [k % 3 == 0 for k in range(50)],
        "when": [datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=k) for k in range(50)],
        "day": [datetime.date(2024, 2, 29) + datetime.timedelta(days=k) for k in range(50)],
        "nums": [[k, k + 1] if k % 4 else None for k in range(50)],
        "cat": pl.Series(["a", "b", "c", "a", "b"] * 10, dtype=pl.Categorical),
    })
    pdf.write_parquet(path("polars.parquet"))
    save_expected("polars")

    import duckdb
    con = duckdb.connect()
    con.execute("""
        COPY (SELECT i AS id, 'v' || (i %% 13) AS label, i * 1.25 AS amount,
                     CAST(i * 7 AS DECIMAL(12, 3)) / 8 AS price, DATE '2020-01-01' + CAST(i AS INTEGER) AS day,
                     TIMESTAMP '2021-06-01 12:00:00' + INTERVAL (i) MINUTE AS at,
                     CASE WHEN i %% 5 = 0 THEN NULL ELSE i END AS maybe,
                     [i, i * 2] AS pair
              FROM range(60) t(i))
        TO '%s' (FORMAT PARQUET)""" % path("duckdb.parquet"))
    save_expected("duckdb")

    import fastparquet
    fp = pd.DataFrame({
        "a": np.arange(40, dtype=np.int64),
        "b": [None if k % 3 == 0 else "t%d" % k for k in range(40)],
        "c": np.linspace(0, 1, 40),
        "d": pd.date_range("2022-03-01", periods=40, freq="h"),
        "e": [k % 2 == 0 for k in range(40)],
    })
    fastparquet.write(path("fastparquet.parquet"), fp, compression="SNAPPY")
    save_expected("fastparquet")


if __name__ == "__main__":
    main()
