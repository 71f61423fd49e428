import DataFolioNumPy
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// `.npz` files exchanged with the real numpy.
@Suite struct NPZInteropTests {
    @Test(.interop, arguments: [false, true])
    func swiftWritesNumpyReads(compressed: Bool) throws {
        let folder = TemporaryFolder("npz-interop")
        var arrays: [(name: String, array: NDArray)] = []
        var lines: [String] = []
        for (index, dtype) in SampleArrays.dtypes.enumerated() where dtype.itemSize > 0 {
            let shape = [[], [4], [3, 5], [2, 0], [2, 3, 2]][index % 5]
            let array = try SampleArrays.array(dtype, shape: shape, order: index % 3 == 0 ? .columnMajor : .rowMajor, seed: index)
            let name = index % 4 == 0 ? "dir/a\(index)" : "a\(index)é"
            arrays.append((name, array))
            let canonical = array.nativeByteOrder().rowMajor().withUnsafeBytes { Array($0) }
            let hex = canonical.map { String(format: "%02x", $0) }.joined()
            let fortran = try array.npyHeader().order == .columnMajor
            lines.append([name, dtype.numpyDescriptor ?? "", shape.map(String.init).joined(separator: ","), fortran ? "1" : "0", hex].joined(separator: "\t"))
        }
        let path = folder.path("swift.npz")
        try NDArray.writeNPZ(arrays, toFile: path, compressed: compressed)
        try lines.joined(separator: "\n").write(toFile: folder.path("expected.tsv"), atomically: true, encoding: .utf8)
        let output = try InteropPython.run("""
            import sys, zipfile
            import numpy as np
            path, expected_path, compressed = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
            expected = [line.split("\\t") for line in open(expected_path, encoding="utf-8").read().splitlines()]
            with zipfile.ZipFile(path) as z:
                z.testzip()
                methods = {info.compress_type for info in z.infolist()}
                assert methods == {zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED}, methods
            with np.load(path) as npz:
                assert list(npz.files) == [e[0] for e in expected], (npz.files, [e[0] for e in expected])
                for name, descr, shape, fortran, hex_bytes in expected:
                    a = npz[name]
                    assert a.dtype.str == descr, (name, a.dtype.str, descr)
                    assert a.shape == tuple(int(d) for d in shape.split(",") if d), (name, a.shape)
                    assert (a.flags.f_contiguous and not a.flags.c_contiguous) == (fortran == "1"), name
                    native = np.ascontiguousarray(a)
                    if native.dtype.byteorder == ">":
                        native = native.astype(native.dtype.newbyteorder("<"))
                    assert native.tobytes().hex() == hex_bytes, name
            print(len(expected))
            """, arguments: [path, folder.path("expected.tsv"), compressed ? "1" : "0"])
        #expect(Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == arrays.count)
    }

    @Test(.interop, arguments: [false, true])
    func numpyWritesSwiftReads(compressed: Bool) throws {
        let folder = TemporaryFolder("npz-interop")
        let path = folder.path("numpy.npz")
        try InteropPython.run("""
            import json, sys
            import numpy as np
            path, manifest_path, compressed = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
            rng = np.random.default_rng(99)
            descrs = ["|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8",
                      "<c8", "<c16", "<U3", "|S4", "<M8[ns]", "<m8[us]", ">i4", ">f8", ">c8", ">U2"]
            arrays = {}
            manifest = []
            for i in range(60):
                dtype = np.dtype(descrs[i % len(descrs)])
                shape = tuple(int(d) for d in rng.integers(0, 7, size=int(rng.integers(0, 4))))
                n = int(np.prod(shape))
                if dtype.kind == "b":
                    a = rng.integers(0, 2, size=n).astype(bool)
                elif dtype.kind == "U":
                    a = rng.integers(0x20, 0x7E, size=n * (dtype.itemsize // 4)).astype("<u4").view("<U%d" % (dtype.itemsize // 4)).astype(dtype)
                else:
                    a = np.frombuffer(rng.integers(0, 256, size=n * dtype.itemsize, dtype=np.uint8).tobytes(), dtype=dtype).copy()
                a = a.reshape(shape)
                if len(shape) > 1 and i % 2:
                    a = np.asfortranarray(a)
                name = f"array_{i}" if i % 5 else f"group/array_{i}"
                arrays[name] = a
                native = np.ascontiguousarray(a)
                if native.dtype.byteorder == ">":
                    native = native.astype(native.dtype.newbyteorder("<"))
                manifest.append({"file": name, "descr": a.dtype.str, "shape": list(a.shape),
                                 "fortran": bool(a.flags.f_contiguous and not a.flags.c_contiguous),
                                 "version": [1, 0], "canonical_hex": native.tobytes().hex()})
            (np.savez_compressed if compressed else np.savez)(path, **arrays)
            json.dump({"arrays": manifest}, open(manifest_path, "w"))
            """, arguments: [path, folder.path("manifest.json"), compressed ? "1" : "0"])
        struct Manifest: Decodable { var arrays: [NPYFixture] }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.url.appendingPathComponent("manifest.json")))
        for mapped in [false, true] {
            let arrays = try NDArray.readNPZ(path, memoryMapped: mapped)
            #expect(arrays.map(\.name) == manifest.arrays.map(\.file))
            for ((name, array), expected) in zip(arrays, manifest.arrays) {
                #expect(array.dtype.numpyDescriptor == expected.descr, "\(name)")
                #expect(array.shape == expected.shape, "\(name)")
                #expect(array.order == (expected.fortran ? .columnMajor : .rowMajor), "\(name)")
                #expect(array.nativeByteOrder().rowMajor().withUnsafeBytes { Array($0) } == NPYTestBytes.hex(expected.canonical_hex), "\(name)")
            }
        }
    }
}
