"""Regenerates the ZIP fixtures: run with a Python that has numpy and torch.

    python make_fixtures.py   (from this folder)
"""
import io
import zipfile

import numpy as np
import os

# Fixtures are written next to this script, wherever it is run from. (Tests also run this
# text with `python -c` to reuse its functions; then there is no file and nothing is written.)
RUN_AS_SCRIPT = "__file__" in globals()
if RUN_AS_SCRIPT:
    os.chdir(os.path.dirname(os.path.abspath(__file__)))

np.savez("savez.npz", ints=np.arange(10, dtype=np.int64), grid=np.eye(3, dtype=np.float32))
np.savez_compressed("savez_compressed.npz", text=np.array(["a", "bb", "ccc"]), values=np.linspace(0, 1, 50))

# ZIP64 records for a small archive: lower the limits, as Python's own tests do.
saved = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 16, 2
with zipfile.ZipFile("zip64.zip", "w", allowZip64=True) as z:
    z.writestr("first.txt", b"hello, zip64 world\n" * 3, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("second.bin", bytes(range(40)), compress_type=zipfile.ZIP_STORED)
    with z.open("third.txt", "w", force_zip64=True) as f:
        f.write(b"written through force_zip64")
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = saved


class Unseekable(io.RawIOBase):
    """Makes zipfile write data descriptors, as it does for pipes."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buffer += b
        return len(b)


sink = Unseekable()
with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as z:
    with z.open("streamed.txt", "w") as f:
        f.write(b"streamed through a data descriptor " * 20)
    z.writestr("名前/ファイル.txt", "unicode name".encode())
open("data_descriptor.zip", "wb").write(bytes(sink.buffer))

try:
    import torch

    torch.manual_seed(0)
    torch.save({"weight": torch.arange(12, dtype=torch.float32).reshape(3, 4), "bias": torch.ones(3, dtype=torch.float64)},
               "tensors.pt")
except ImportError:
    pass
