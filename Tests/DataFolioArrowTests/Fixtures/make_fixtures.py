"""Writes the Arrow IPC fixtures of the hostile-input tests (run from this folder).

Small files with several batches, compression, dictionaries, text, lists and nulls, so
that damaging them at any byte reaches every part of the reader.
"""
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.ipc as ipc

table = pa.table({
    "id": pa.array([1, 2, None, 4, 5, 6], pa.int64()),
    "name": pa.array(["a", None, "ccc", "dd", "", "f"], pa.string()),
    "cat": pa.array(["x", "y", "x", None, "z", "x"]).dictionary_encode(),
    "tags": pa.array([[1], [], None, [2, 3], [4], [5]], pa.list_(pa.int32())),
    "flag": pa.array([True, False, None, True, True, False]),
    "at": pa.array([0, 1, 2, 3, None, 5], pa.timestamp("ms", tz="UTC")),
})
feather.write_feather(table, "small-lz4.feather", compression="lz4", chunksize=2)
with ipc.new_stream("small-zstd.arrows", table.schema, options=ipc.IpcWriteOptions(compression="zstd")) as writer:
    writer.write_table(table, max_chunksize=3)
with ipc.new_file("small-plain.arrow", table.schema) as writer:
    writer.write_table(table, max_chunksize=4)
