import DataFolioNumPy
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// `.npy` files exchanged with the real numpy.
@Suite struct NPYInteropTests {
    /// Writes arrays of every dtype, shape and order from Swift; numpy must load each
    /// exactly and `np.save` of the loaded array must give the same bytes (same MD5).
    @Test(.interop) func swiftWritesNumpyReads() throws {
        let folder = TemporaryFolder("npy-interop")
        var generator = SplitMix(seed: 42)
        var expectations: [String] = []
        var index = 0
        for dtype in SampleArrays.dtypes where dtype.itemSize > 0 {
            for shape in [[], [0], [7], [3, 4], [2, 0, 5], [2, 3, 4], [1, 5], [4, 1, 3, 2]] {
                for order in [NDArray.Order.rowMajor, .columnMajor] where order == .rowMajor || shape.count > 1 {
                    let array = try SampleArrays.array(dtype, shape: shape, order: order, seed: Int(generator.next() % 1000))
                    let name = "a\(index)"
                    index += 1
                    let writer = try FileWriter(creating: folder.path(name + ".npy"), computeMD5: true)
                    try array.writeNPY(to: writer)
                    let md5 = try writer.finish(sync: false) ?? ""
                    let canonical = array.nativeByteOrder().rowMajor().withUnsafeBytes { Array($0) }
                    try LocalFile.writeAtomically(canonical, to: folder.path(name + ".bin"), sync: false)
                    let fortran = try array.npyHeader().order == .columnMajor
                    let shapeText = "[" + shape.map(String.init).joined(separator: ",") + "]"
                    expectations.append("\(name)\t\(dtype.numpyDescriptor ?? "")\t\(shapeText)\t\(fortran ? 1 : 0)\t\(md5)")
                }
            }
        }
        try expectations.joined(separator: "\n").write(toFile: folder.path("expected.tsv"), atomically: true, encoding: .utf8)
        let output = try InteropPython.run("""
            import hashlib, io, json, os, sys
            import numpy as np
            folder = sys.argv[1]
            checked = 0
            for line in open(os.path.join(folder, "expected.tsv")).read().splitlines():
                name, descr, shape, fortran, md5 = line.split("\\t")
                path = os.path.join(folder, name + ".npy")
                a = np.load(path)
                assert a.dtype.str == descr, (name, a.dtype.str, descr)
                assert list(a.shape) == json.loads(shape), (name, a.shape, shape)
                is_fortran = a.flags.f_contiguous and not a.flags.c_contiguous
                assert is_fortran == (fortran == "1"), (name, a.flags)
                native = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype)
                expected = open(os.path.join(folder, name + ".bin"), "rb").read()
                assert native.tobytes() == expected, name
                buffer = io.BytesIO()
                np.save(buffer, a)
                saved = buffer.getvalue()
                assert saved == open(path, "rb").read(), (name, saved[:128])
                assert hashlib.md5(saved).hexdigest() == md5, name
                checked += 1
            print(checked)
            """, arguments: [folder.path])
        #expect(Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == expectations.count)
        #expect(expectations.count > 300)
    }

    /// numpy writes random arrays (dtype, shape, order, byte order, version); Swift
    /// must read each exactly and write the same bytes back.
    @Test(.interop) func numpyWritesSwiftReads() throws {
        let folder = TemporaryFolder("npy-interop")
        try InteropPython.run("""
            import json, os, sys
            import numpy as np
            from numpy.lib import format as npformat
            folder = sys.argv[1]
            rng = np.random.default_rng(1234)
            descrs = ["|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8",
                      "<c8", "<c16", "<U1", "<U7", "|S1", "|S9", "<M8[ns]", "<M8[us]", "<M8[D]", "<M8[Y]",
                      "<m8[ns]", "<m8[h]", "<m8[25s]", ">i2", ">i8", ">u4", ">f2", ">f4", ">f8", ">c16", ">U4", ">M8[ms]"]
            manifest = []
            for i in range(160):
                descr = descrs[i % len(descrs)]
                dtype = np.dtype(descr)
                rank = int(rng.integers(0, 5))
                shape = tuple(int(d) for d in rng.integers(0, 6, size=rank))
                n = int(np.prod(shape))
                raw = rng.integers(0, 256, size=n * dtype.itemsize, dtype=np.uint8).tobytes()
                if dtype.kind == "b":
                    a = (np.frombuffer(raw, dtype=np.uint8) % 2).astype(bool)
                elif dtype.kind == "U":
                    chars = rng.integers(32, 0x2FFF, size=n * (dtype.itemsize // 4))
                    chars[chars >= 0xD800] += 0x800  # no surrogates
                    a = chars.astype("<u4").view(dtype.newbyteorder("<")).astype(dtype)
                else:
                    a = np.frombuffer(raw, dtype=dtype).copy()
                a = a.reshape(shape)
                if rank > 1 and rng.integers(0, 2) == 1:
                    a = np.asfortranarray(a)
                version = [None, None, (1, 0), (2, 0), (3, 0)][i % 5]
                name = f"n{i}.npy"
                with open(os.path.join(folder, name), "wb") as f:
                    if version is None:
                        np.save(f, a)
                    else:
                        npformat.write_array(f, a, version=version)
                native = np.ascontiguousarray(a)
                if native.dtype.byteorder == ">":
                    native = native.astype(native.dtype.newbyteorder("<"))
                manifest.append({"file": name, "descr": a.dtype.str, "shape": list(a.shape),
                                 "fortran": bool(a.flags.f_contiguous and not a.flags.c_contiguous),
                                 "version": list(version or (1, 0)), "canonical_hex": native.tobytes().hex(),
                                 "size": os.path.getsize(os.path.join(folder, name))})
            json.dump({"arrays": manifest}, open(os.path.join(folder, "manifest.json"), "w"))
            """, arguments: [folder.path])
        struct Manifest: Decodable { var arrays: [NPYFixture] }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.url.appendingPathComponent("manifest.json")))
        #expect(manifest.arrays.count == 160)
        for fixture in manifest.arrays {
            let path = folder.path(fixture.file)
            let bytes = try LocalFile.read(path)
            let array = try NDArray(contentsOfNPY: path)
            #expect(array.dtype.numpyDescriptor == fixture.descr, "\(fixture.file)")
            #expect(array.shape == fixture.shape, "\(fixture.file)")
            #expect(array.order == (fixture.fortran ? .columnMajor : .rowMajor), "\(fixture.file)")
            #expect(array.nativeByteOrder().rowMajor().withUnsafeBytes { Array($0) } == NPYTestBytes.hex(fixture.canonical_hex), "\(fixture.file)")
            let version = try #require(NPYFormatVersion(major: fixture.version[0], minor: fixture.version[1]))
            #expect(try array.npyData(version: version) == bytes, "\(fixture.file)")
            let mapped = try NDArray(contentsOfNPY: path, memoryMapped: true)
            #expect(mapped == array)
        }
    }

    /// Headers numpy would write in format 2.0 (a header over 64 KiB) and the
    /// explicit versions match byte for byte.
    @Test(.interop) func headerBytesMatchNumpyForEveryVersion() throws {
        let folder = TemporaryFolder("npy-interop")
        try InteropPython.run("""
            import io, os, sys, warnings
            import numpy as np
            from numpy.lib import format as npformat
            folder = sys.argv[1]
            warnings.simplefilter("ignore")
            try:
                from numpy.lib import _format_impl as impl  # numpy >= 2.0
            except ImportError:
                impl = npformat
            def header(d, version=None):
                buffer = io.BytesIO()
                impl._write_array_header(buffer, d, version)
                return buffer.getvalue()
            open(os.path.join(folder, "long.bin"), "wb").write(header({"descr": "<f4", "fortran_order": False, "shape": (1,) * 30000}))
            open(os.path.join(folder, "long-f.bin"), "wb").write(header({"descr": ">c16", "fortran_order": True, "shape": (3,) + (1,) * 25000 + (12345,)}))
            for v in [(1, 0), (2, 0), (3, 0)]:
                for rank in range(0, 12):
                    shape = tuple(range(3, 3 + rank))
                    d = {"descr": "<m8[10ms]", "fortran_order": rank > 1, "shape": shape}
                    open(os.path.join(folder, f"v{v[0]}-{rank}.bin"), "wb").write(header(d, v))
            """, arguments: [folder.path])
        let long = try NPYHeader(dtype: .float32, shape: Array(repeating: 1, count: 30_000))
        #expect(try long.encoded() == LocalFile.read(folder.path("long.bin")))
        let longFortran = try NPYHeader(
            dtype: try DType(numpyDescriptor: ">c16"), shape: [3] + Array(repeating: 1, count: 25_000) + [12345], order: .columnMajor)
        #expect(try longFortran.encoded() == LocalFile.read(folder.path("long-f.bin")))
        let dtype = try DType(numpyDescriptor: "<m8[10ms]")
        for version in NPYFormatVersion.allCases {
            for rank in 0..<12 {
                let header = try NPYHeader(dtype: dtype, shape: Array(3..<(3 + rank)), order: rank > 1 ? .columnMajor : .rowMajor, version: version)
                #expect(try header.encoded() == LocalFile.read(folder.path("v\(version.major)-\(rank).bin")), "\(version) rank \(rank)")
            }
        }
    }
}
