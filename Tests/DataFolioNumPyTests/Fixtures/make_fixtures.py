"""Writes the .npy and .npz fixtures of the DataFolioNumPy tests with numpy, plus manifests.

Run from any folder:  python make_fixtures.py
Each fixture is small. npy/manifest.json records, for every file, what a reader must
find: the dtype descriptor, shape, Fortran flag, format version, the elements as
row-major little-endian bytes (hex), and the elements as strings or floats where that
applies. npz/manifest.json lists, for every archive, its arrays in order, described
the same way.
"""
import io
import json
import math
import os

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")
NPZ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npz")


def sample(dtype, shape):
    """Deterministic, varied elements of `dtype`."""
    dtype = np.dtype(dtype)
    n = int(np.prod(shape))
    kind = dtype.kind
    if kind == "b":
        values = np.array([(i * 7) % 3 == 0 for i in range(n)], dtype=bool)
    elif kind in "iu":
        info = np.iinfo(dtype)
        edges = [info.min, info.max, 0, 1]
        values = np.array([edges[i] if i < len(edges) else (i * 37) % 101 for i in range(n)], dtype=dtype)
    elif kind == "f":
        edges = [np.nan, np.inf, -np.inf, -0.0, np.finfo(dtype).tiny, np.finfo(dtype).max]
        values = np.array([edges[i] if i < len(edges) else (i - 3.25) * 1.5 for i in range(n)], dtype=dtype)
    elif kind == "c":
        values = np.array([complex(i * 0.5, -i * 1.25) for i in range(n)], dtype=dtype)
        if n > 1:
            values[1] = complex(np.nan, np.inf)
    elif kind == "U":
        words = ["", "a", "héllo", "日本語", "🎉x", "tab\tnew\nline", "zzzzz"]
        values = np.array([words[i % len(words)][: dtype.itemsize // 4] for i in range(n)], dtype=dtype)
    elif kind == "S":
        words = [b"", b"ab", b"\x00mid", b"\xff\xfe", b"plain", b"xyz"]
        values = np.array([words[i % len(words)][: dtype.itemsize] for i in range(n)], dtype=dtype)
    elif kind in "Mm":
        base = np.array([-(2**63) + 1, 0, 1, -1, 1_700_000_000] + list(range(10, 10 + n)), dtype=np.int64)[:n]
        values = base.view(dtype.newbyteorder("="))
    else:
        raise ValueError(dtype)
    return values.reshape(shape).astype(dtype)


def describe(name, array, data, version):
    native = np.ascontiguousarray(array)
    native = native.astype(native.dtype.newbyteorder("<")) if native.dtype.byteorder == ">" else native
    entry = {
        "file": name,
        "descr": npformat.dtype_to_descr(array.dtype),
        "shape": list(array.shape),
        "fortran": bool(array.flags.f_contiguous and not array.flags.c_contiguous),
        "version": list(version),
        "canonical_hex": native.tobytes(order="C").hex(),
        "size": len(data),
    }
    kind = array.dtype.kind
    if kind == "U":
        entry["strings"] = [str(s) for s in native.ravel(order="C")]
    elif kind == "S":
        entry["bytes_hex"] = [bytes(s).hex() for s in native.ravel(order="C")]
    elif kind in "biuf":
        entry["doubles"] = [None if math.isnan(float(v)) else (str(float(v)) if math.isinf(float(v)) else float(v))
                            for v in native.ravel(order="C").astype(np.float64)]
    return entry


def save(name, array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array)
    else:
        npformat.write_array(buffer, array, version=version)
    data = buffer.getvalue()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    return describe(name, array, data, tuple(data[6:8]))


def main():
    os.makedirs(HERE, exist_ok=True)
    manifest = []
    little = ["|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8",
              "<c8", "<c16", "<U5", "|S5", "<M8[ns]", "<M8[D]", "<M8", "<m8[us]", "<m8[10ms]"]
    for descr in little:
        tag = descr[1:].replace("[", "_").replace("]", "")
        manifest.append(save(f"{tag}.npy", sample(descr, (2, 3))))
    for descr in [">i2", ">i4", ">u8", ">f2", ">f4", ">f8", ">c8", ">c16", ">U3", ">M8[ns]", ">m8[s]"]:
        tag = "be_" + descr[1:].replace("[", "_").replace("]", "")
        manifest.append(save(f"{tag}.npy", sample(descr, (3, 2))))
    manifest.append(save("fortran_f4_2x3x4.npy", np.asfortranarray(sample("<f4", (2, 3, 4)))))
    manifest.append(save("fortran_i2_3x2.npy", np.asfortranarray(sample("<i2", (3, 2)))))
    manifest.append(save("fortran_U4_2x2.npy", np.asfortranarray(sample("<U4", (2, 2)))))
    manifest.append(save("fortran_be_f8_2x3.npy", np.asfortranarray(sample(">f8", (2, 3)))))
    manifest.append(save("fortran_1x4.npy", np.asfortranarray(sample("<i4", (1, 4)))))
    manifest.append(save("scalar_f8.npy", np.array(3.5)))
    manifest.append(save("scalar_i8.npy", np.array(-42, dtype=np.int64)))
    manifest.append(save("scalar_U3.npy", np.array("abc")))
    manifest.append(save("empty_f4_0.npy", np.zeros((0,), dtype="<f4")))
    manifest.append(save("empty_i2_2x0x3.npy", np.zeros((2, 0, 3), dtype="<i2")))
    manifest.append(save("empty_U1_0x2.npy", np.zeros((0, 2), dtype="<U1")))
    manifest.append(save("version2_f4.npy", sample("<f4", (3,)), version=(2, 0)))
    manifest.append(save("version3_U2.npy", sample("<U2", (2, 2)), version=(3, 0)))
    manifest.append(save("version3_fortran_i4.npy", np.asfortranarray(sample("<i4", (2, 3))), version=(3, 0)))
    manifest.append(save("long_1d_u1.npy", sample("|u1", (300,))))
    manifest.append(save("many_dims_f4.npy", sample("<f4", (1, 2, 1, 3, 1, 2, 1))))
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump({"numpy": np.__version__, "arrays": manifest}, f, indent=1, ensure_ascii=True)
        f.write("\n")
    write_npz()


def write_npz():
    os.makedirs(NPZ, exist_ok=True)
    arrays = {
        "weights": sample("<f4", (3, 4)),
        "ids": sample("<i8", (5,)),
        "labels": sample("<U5", (2, 2)),
        "fortran": np.asfortranarray(sample(">f8", (2, 3))),
        "scalar": np.array(2.5),
        "empty": np.zeros((0, 3), dtype="<u2"),
        "nested/name": sample("|b1", (4,)),
        "ünï": sample("<c8", (2,)),
    }
    archives = []
    for name, save_function in [("savez.npz", np.savez), ("savez_compressed.npz", np.savez_compressed)]:
        save_function(os.path.join(NPZ, name), **arrays)
        entries = []
        for key, array in arrays.items():
            entry = describe(key, array, b"", (1, 0))
            del entry["size"]
            entries.append(entry)
        archives.append({"file": name, "compressed": save_function is np.savez_compressed, "arrays": entries})
    # Positional arrays get the names arr_0, arr_1, ...
    np.savez(os.path.join(NPZ, "positional.npz"), sample("|u1", (3,)), sample("<i2", (2, 2)))
    archives.append({"file": "positional.npz", "compressed": False, "arrays": [
        {**describe("arr_0", sample("|u1", (3,)), b"", (1, 0))},
        {**describe("arr_1", sample("<i2", (2, 2)), b"", (1, 0))},
    ]})
    with open(os.path.join(NPZ, "manifest.json"), "w") as f:
        json.dump({"numpy": np.__version__, "archives": archives}, f, indent=1, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
