"""Canonical JSON dump of a table, shared by the fixture script and the interop tests.

Every value is written in a form both sides can produce exactly:
  null -> null, bool -> bool, integers -> int (uint64 -> decimal string),
  float/double -> "f:<bits of the value as a float64>" ("nan" for NaN),
  float16 -> "h:<bits>", strings -> str, binary -> hex str,
  dates -> days since 1970-01-01, timestamps -> nanoseconds since the epoch (or
  "<unit>:<value>" when that overflows 64 bits),
  decimals -> exact text, lists -> arrays, dictionaries -> their decoded values,
  structs -> objects (null for a null struct), maps -> [[key, value], ...].
"""
import json
import math
import struct

import numpy as np
import pyarrow as pa


def _float(v):
    if v is None:
        return None
    v = float(v)
    if math.isnan(v):
        return "nan"
    return "f:%d" % struct.unpack("<Q", struct.pack("<d", v))[0]


def canon(arr):
    """Canonical values of a pyarrow Array or ChunkedArray."""
    if isinstance(arr, pa.ChunkedArray):
        out = []
        for chunk in arr.chunks:
            out.extend(canon(chunk))
        return out
    t = arr.type
    if isinstance(t, pa.ExtensionType):
        return canon(arr.storage)
    if pa.types.is_dictionary(t):
        return canon(arr.dictionary_decode())
    if pa.types.is_null(t):
        return [None] * len(arr)
    if pa.types.is_boolean(t):
        return arr.to_pylist()
    if pa.types.is_uint64(t):
        return [None if v is None else str(v) for v in arr.to_pylist()]
    if pa.types.is_integer(t):
        return arr.to_pylist()
    if pa.types.is_float16(t):
        values = arr.to_pylist()
        return [None if v is None else "h:%d" % int(np.array([v], dtype=np.float16).view(np.uint16)[0]) for v in values]
    if pa.types.is_floating(t):
        return [_float(v) for v in arr.to_pylist()]
    if pa.types.is_timestamp(t):
        # Nanoseconds when they fit in 64 bits, otherwise "<unit>:<stored value>".
        factor = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[t.unit]
        out = []
        for v in arr.cast(pa.int64()).to_pylist():
            if v is None:
                out.append(None)
            else:
                ns = v * factor
                out.append(ns if -2**63 <= ns < 2**63 else "%s:%d" % (t.unit, v))
        return out
    if pa.types.is_date32(t):
        return arr.cast(pa.int32()).to_pylist()
    if pa.types.is_date64(t):
        return arr.cast(pa.date32()).cast(pa.int32()).to_pylist()
    if pa.types.is_time(t):
        return arr.cast(pa.int64() if t.bit_width == 64 else pa.int32()).to_pylist()
    if pa.types.is_decimal(t):
        return [None if v is None else str(v) for v in arr.to_pylist()]
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return arr.to_pylist()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_binary_view(t):
        return [None if v is None else v.hex() for v in arr.to_pylist()]
    if pa.types.is_map(t):
        out = []
        for i in range(len(arr)):
            if not arr[i].is_valid:
                out.append(None)
            else:
                entries = arr[i].values
                keys = canon(entries.field(0))
                items = canon(entries.field(1))
                out.append([[k, v] for k, v in zip(keys, items)])
        return out
    if pa.types.is_struct(t):
        children = arr.flatten()
        values = [canon(child) for child in children]
        names = [t.field(k).name for k in range(t.num_fields)]
        return [None if not arr[i].is_valid else {name: values[k][i] for k, name in enumerate(names)}
                for i in range(len(arr))]
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t) or pa.types.is_fixed_size_list(t):
        out = []
        for i in range(len(arr)):
            if not arr[i].is_valid:
                out.append(None)
            else:
                out.append(canon(arr[i].values))
        return out
    raise TypeError("no canonical form for %s" % t)


def dump_table(table):
    """{column name: canonical values} for a pyarrow Table."""
    return {name: canon(table.column(name)) for name in table.column_names}


def dumps(table):
    return json.dumps(dump_table(table), ensure_ascii=False)
