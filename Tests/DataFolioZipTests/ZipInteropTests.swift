import DataFolioSupport
import DataFolioTestSupport
import DataFolioZip
import Foundation
import Testing

@Suite("ZIP interop with Python")
struct ZipInteropTests {
    @Test(.interop) func pythonReadsSwiftArchives() throws {
        let folder = TemporaryFolder("zip-out")
        for (label, force) in [("plain", false), ("zip64", true)] {
            let writer = ZipWriter(forceZip64: force)
            for (index, (name, contents)) in ZipTestData.entries.enumerated() {
                try writer.addEntry(named: name, contents: contents, method: index % 2 == 0 ? .deflate : .stored, alignment: 64)
            }
            try writer.beginEntry(named: "streamed.txt", method: .deflate)
            for _ in 0..<5 { try writer.writeEntryData(ZipTestData.text(100_000)) }
            try writer.endEntry()
            try writer.beginEntry(named: "streamed.bin", method: .stored)
            try writer.writeEntryData(ZipTestData.bytes(1000, seed: 1))
            try writer.endEntry()
            try LocalFile.writeAtomically(writer.finish(), to: folder.path("\(label).zip"), sync: false)
        }
        for (name, contents) in ZipTestData.entries where !name.hasSuffix("/") {
            try LocalFile.writeAtomically(contents, to: folder.path(name.replacingOccurrences(of: "/", with: "_")), sync: false)
        }
        try LocalFile.writeAtomically(Array(repeating: ZipTestData.text(100_000), count: 5).flatMap { $0 }, to: folder.path("streamed.txt"), sync: false)
        try LocalFile.writeAtomically(ZipTestData.bytes(1000, seed: 1), to: folder.path("streamed.bin"), sync: false)

        let script = """
        import sys, os, zipfile
        folder = sys.argv[1]
        for label in ('plain', 'zip64'):
            with zipfile.ZipFile(os.path.join(folder, label + '.zip')) as z:
                assert z.testzip() is None
                for info in z.infolist():
                    if info.is_dir():
                        continue
                    expected = open(os.path.join(folder, info.filename.replace('/', '_')), 'rb').read()
                    assert z.read(info) == expected, (label, info.filename)
                print(label, len(z.infolist()))
        """
        let output = try InteropPython.run(script, arguments: [folder.path])
        #expect(output.stdout == "plain 8\nzip64 8\n")
    }

    @Test(.interop) func numpyAndTorchReadSwiftArchives() throws {
        let folder = TemporaryFolder("zip-npz")
        // Python makes the members; Swift re-packs them; numpy and torch load the result.
        try InteropPython.run(
            """
            import sys, numpy as np, torch
            np.savez_compressed(sys.argv[1] + '/source.npz', a=np.arange(1000.0), b=np.array([[1, 2], [3, 4]], dtype=np.int16))
            torch.save({'w': torch.arange(100, dtype=torch.float32), 'n': torch.tensor([1, 2, 3])}, sys.argv[1] + '/source.pt')
            """, arguments: [folder.path])
        for (source, target, method) in [("source.npz", "swift.npz", ZipCompressionMethod.deflate), ("source.pt", "swift.pt", .stored)] {
            let archive = try ZipArchive(path: folder.path(source))
            let file = try FileWriter(creating: folder.path(target), computeMD5: false)
            let writer = ZipWriter(writingTo: file)
            for entry in archive.entries {
                try writer.addEntry(named: entry.name, contents: archive.contents(of: entry), method: method, alignment: 64)
            }
            try writer.finish()
            try file.finish(sync: false)
        }
        let output = try InteropPython.run(
            """
            import sys, numpy as np, torch
            a = np.load(sys.argv[1] + '/swift.npz')
            assert (a['a'] == np.arange(1000.0)).all() and a['b'].dtype == np.int16 and a['b'][1, 1] == 4
            t = torch.load(sys.argv[1] + '/swift.pt', weights_only=True)
            assert torch.equal(t['w'], torch.arange(100, dtype=torch.float32)) and t['n'].tolist() == [1, 2, 3]
            m = torch.load(sys.argv[1] + '/swift.pt', mmap=True, weights_only=True)
            assert torch.equal(m['w'], t['w'])
            print('ok')
            """, arguments: [folder.path])
        #expect(output.stdout == "ok\n")
    }

    @Test(.interop) func swiftReadsPythonArchives() throws {
        let folder = TemporaryFolder("zip-in")
        try InteropPython.run(
            """
            import sys, zipfile, numpy as np
            folder = sys.argv[1]
            np.savez(folder + '/plain.npz', x=np.arange(100, dtype=np.int32))
            np.savez_compressed(folder + '/packed.npz', x=np.arange(100, dtype=np.int32))
            with zipfile.ZipFile(folder + '/big.zip', 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
                z.writestr('text.txt', ''.join('line of text %d\\n' % i for i in range(200000)))
                with z.open('forced.bin', 'w', force_zip64=True) as f:
                    f.write(bytes(range(256)) * 100)
                z.writestr('ünïcødé/名前.txt', 'x')
                z.mkdir('empty-folder')
            """, arguments: [folder.path])
        for name in ["plain.npz", "packed.npz"] {
            let archive = try ZipArchive(path: folder.path(name))
            let npy = try archive.contents(named: "x.npy")
            #expect(npy.suffix(400) == (0..<100).flatMap { withUnsafeBytes(of: Int32($0).littleEndian, Array.init) }[...])
        }
        let archive = try ZipArchive(path: folder.path("big.zip"))
        let text = try archive.contents(named: "text.txt")
        #expect(text == Array((0..<200_000).map { "line of text \($0)\n" }.joined().utf8))
        #expect(try archive.contents(named: "forced.bin") == Array((0..<100).flatMap { _ in (0...255).map(UInt8.init) }))
        #expect(try archive.contents(named: "ünïcødé/名前.txt") == Array("x".utf8))
        #expect(archive.entry(named: "empty-folder/")?.isDirectory == true)
    }
}
