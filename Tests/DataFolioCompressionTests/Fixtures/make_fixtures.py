"""Regenerates the compression fixtures: run with a Python that has lz4 and cramjam.

    python make_fixtures.py   (from this folder)
"""
import gzip
import io
import zlib

import cramjam
import lz4.block
import os

# Fixtures are written next to this script, wherever it is run from. (Tests also run this
# text with `python -c` to reuse its functions; then there is no file and nothing is written.)
RUN_AS_SCRIPT = "__file__" in globals()
if RUN_AS_SCRIPT:
    os.chdir(os.path.dirname(os.path.abspath(__file__)))

lines = [f"{i},sensor-{i % 7},{(i * 37) % 1000 / 10:.1f},ünïcødé\n" for i in range(400)]
source = "".join(lines).encode()
open("source.txt", "wb").write(source)

open("source.zlib", "wb").write(zlib.compress(source, 9))
raw = zlib.compressobj(1, zlib.DEFLATED, -15)
open("source.deflate", "wb").write(raw.compress(source) + raw.flush())

# Two gzip members, the first with a file name, as `cat a.gz b.gz` would make.
buffer = io.BytesIO()
with gzip.GzipFile(filename="first-half.csv", mode="wb", fileobj=buffer, mtime=0) as f:
    f.write(source[: len(source) // 2])
buffer.write(gzip.compress(source[len(source) // 2 :], mtime=0))
open("source.gz", "wb").write(buffer.getvalue())

open("source.snappy", "wb").write(bytes(cramjam.snappy.compress_raw(source)))
open("source.lz4", "wb").write(lz4.block.compress(source, store_size=False))
# Parquet's deprecated LZ4 codec: Hadoop frames of (big-endian sizes, raw block).
half = len(source) // 2
frames = b""
for part in (source[:half], source[half:]):
    block = lz4.block.compress(part, store_size=False)
    frames += len(part).to_bytes(4, "big") + len(block).to_bytes(4, "big") + block
open("source.hadoop.lz4", "wb").write(frames)
