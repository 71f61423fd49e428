import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("DEFLATE interop with Python")
struct DeflateInteropTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("byte", [9]),
        ("text", TestData.text(400_000)),
        ("random", TestData.random(150_000)),
        ("column", TestData.int64Column(50_000)),
    ]

    @Test(.interop) func pythonReadsSwiftStreams() throws {
        let folder = TemporaryFolder("deflate")
        for (name, input) in Self.inputs {
            try LocalFile.writeAtomically(input, to: folder.path("\(name).raw"), sync: false)
            for level in [1, 6, 9] {
                let l = CompressionLevel(level)
                try LocalFile.writeAtomically(Deflate.compress(input, level: l), to: folder.path("\(name).\(level).deflate"), sync: false)
                try LocalFile.writeAtomically(Zlib.compress(input, level: l), to: folder.path("\(name).\(level).zlib"), sync: false)
                try LocalFile.writeAtomically(Gzip.compress(input, level: l), to: folder.path("\(name).\(level).gz"), sync: false)
            }
        }
        let script = """
        import sys, os, zlib, gzip
        folder = sys.argv[1]
        checked = 0
        for name in sys.argv[2:]:
            raw = open(os.path.join(folder, name + '.raw'), 'rb').read()
            for level in (1, 6, 9):
                base = os.path.join(folder, f'{name}.{level}')
                d = zlib.decompressobj(-15)
                out = d.decompress(open(base + '.deflate', 'rb').read())
                assert d.eof and out == raw, (name, level, 'deflate')
                assert zlib.decompress(open(base + '.zlib', 'rb').read()) == raw, (name, level, 'zlib')
                assert gzip.decompress(open(base + '.gz', 'rb').read()) == raw, (name, level, 'gzip')
                checked += 3
        print(checked)
        """
        let output = try InteropPython.run(script, arguments: [folder.path] + Self.inputs.map(\.0))
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(Self.inputs.count * 9)")
    }

    @Test(.interop) func swiftReadsPythonStreams() throws {
        let folder = TemporaryFolder("inflate")
        for (name, input) in Self.inputs {
            try LocalFile.writeAtomically(input, to: folder.path("\(name).raw"), sync: false)
        }
        let script = """
        import sys, os, zlib, gzip
        folder = sys.argv[1]
        for name in sys.argv[2:]:
            raw = open(os.path.join(folder, name + '.raw'), 'rb').read()
            for level in (0, 1, 6, 9):
                base = os.path.join(folder, f'{name}.{level}')
                c = zlib.compressobj(level, zlib.DEFLATED, -15)
                open(base + '.deflate', 'wb').write(c.compress(raw) + c.flush())
                open(base + '.zlib', 'wb').write(zlib.compress(raw, level))
                open(base + '.gz', 'wb').write(gzip.compress(raw, compresslevel=level))
            # A gzip member with a file name and a second member.
            half = len(raw) // 2
            import io
            buf = io.BytesIO()
            with gzip.GzipFile(filename='named.bin', mode='wb', fileobj=buf, mtime=1) as f:
                f.write(raw[:half])
            buf.write(gzip.compress(raw[half:]))
            open(os.path.join(folder, name + '.multi.gz'), 'wb').write(buf.getvalue())
        """
        try InteropPython.run(script, arguments: [folder.path] + Self.inputs.map(\.0))
        for (name, input) in Self.inputs {
            for level in [0, 1, 6, 9] {
                let base = folder.path("\(name).\(level)")
                #expect(try Deflate.decompress(LocalFile.read(base + ".deflate"), maximumOutputSize: input.count) == input)
                #expect(try Zlib.decompress(LocalFile.read(base + ".zlib"), maximumOutputSize: input.count) == input)
                #expect(try Gzip.decompress(LocalFile.read(base + ".gz"), maximumOutputSize: input.count) == input)
            }
            #expect(try Gzip.decompress(LocalFile.read(folder.path("\(name).multi.gz")), maximumOutputSize: input.count) == input)
        }
    }
}
