import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Frames written by Swift must decode in python `zstandard` and pyarrow, and frames written
/// by them must decode in Swift.
@Suite struct ZstandardInteropTests {
    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(.interop) func pythonAndPyarrowDecompressSwiftFrames() throws {
        let folder = TemporaryFolder("zstd-swift")
        var names: [String] = []
        for (index, (_, sample)) in ZstandardTestData.samples.enumerated() {
            for level in [1, 3, 7] {
                let name = "sample\(index)-level\(level)"
                try Self.write(sample, to: folder.path(name + ".raw"))
                try Self.write(Zstandard.compress(sample, level: level, checksum: level == 3), to: folder.path(name + ".zst"))
                names.append(name)
            }
        }
        let script = """
            import os, sys, io
            import zstandard, pyarrow
            folder = sys.argv[1]
            codec = pyarrow.Codec("zstd")
            for name in sys.argv[2:]:
                raw = open(os.path.join(folder, name + ".raw"), "rb").read()
                frame = open(os.path.join(folder, name + ".zst"), "rb").read()
                params = zstandard.get_frame_parameters(frame)
                assert params.content_size == len(raw), (name, params.content_size, len(raw))
                one_shot = zstandard.ZstdDecompressor().decompress(frame)
                assert one_shot == raw, name + ": zstandard one-shot"
                streamed = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(frame)).read()
                assert streamed == raw, name + ": zstandard streaming"
                arrow = codec.decompress(frame, decompressed_size=len(raw)).to_pybytes()
                assert arrow == raw, name + ": pyarrow"
            print("ok", len(sys.argv) - 2)
            """
        let output = try InteropPython.run(script, arguments: [folder.path] + names)
        #expect(output.stdout.contains("ok \(names.count)"))
    }

    @Test(.interop) func swiftDecompressesPythonFrames() throws {
        let folder = TemporaryFolder("zstd-python")
        var inputs: [String: [UInt8]] = [:]
        for (index, (_, sample)) in ZstandardTestData.samples.enumerated() {
            inputs["sample\(index)"] = sample
            try Self.write(sample, to: folder.path("sample\(index).raw"))
        }
        let script = """
            import os, sys, glob
            import zstandard, pyarrow
            folder = sys.argv[1]
            settings = {
                "level1": dict(level=1),
                "level3": dict(level=3),
                "level19": dict(level=19),
                "negative": dict(level=-5),
                "checksum": dict(level=6, write_checksum=True),
                "nosize": dict(level=3, write_content_size=False),
                "ldm": dict(compression_params=zstandard.ZstdCompressionParameters.from_level(
                    12, window_log=24, enable_ldm=True, write_checksum=True)),
                "threads": dict(level=3, threads=2),
            }
            count = 0
            for path in sorted(glob.glob(os.path.join(folder, "*.raw"))):
                raw = open(path, "rb").read()
                base = path[:-4]
                for name, kwargs in settings.items():
                    if name == "nosize":
                        obj = zstandard.ZstdCompressor(**kwargs).compressobj()
                        frame = obj.compress(raw) + obj.flush()
                    else:
                        frame = zstandard.ZstdCompressor(**kwargs).compress(raw)
                    open(base + "." + name + ".zst", "wb").write(frame)
                    count += 1
                frame = pyarrow.Codec("zstd", compression_level=3).compress(raw, asbytes=True)
                open(base + ".pyarrow.zst", "wb").write(frame)
                count += 1
            print("ok", count)
            """
        try InteropPython.run(script, arguments: [folder.path])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".zst") }.sorted()
        #expect(files.count == inputs.count * 9)
        for file in files {
            let expected = try #require(inputs[String(file.prefix { $0 != "." })])
            let frame = try Self.read(folder.path(file))
            let restored = try Zstandard.decompress(frame, maximumOutputSize: expected.count)
            #expect(restored == expected, "\(file)")
            if !file.contains("nosize") && !file.contains("threads") {
                #expect(try Zstandard.decompressedSize(of: frame) == expected.count, "\(file)")
            }
        }
    }

    @Test(.interop) func randomRoundTripsThroughPython() throws {
        // Many small random inputs with varied structure, compressed on both sides.
        let folder = TemporaryFolder("zstd-random")
        var generator = ZstandardTestData.Generator(seed: 99)
        var inputs: [[UInt8]] = []
        for index in 0..<60 {
            let size = Int(generator.next() % 70_000)
            let alphabet = Int(generator.next() % 255) + 1
            let repeatChance = generator.next() % 100
            var bytes = [UInt8](repeating: 0, count: size)
            for position in 0..<size {
                if position > 16 && generator.next() % 100 < repeatChance {
                    bytes[position] = bytes[position - 1 - Int(generator.next() % 16)]
                } else {
                    bytes[position] = UInt8(generator.next() % UInt64(alphabet))
                }
            }
            inputs.append(bytes)
            let level = [1, 2, 3, 5, 9][index % 5]
            try Self.write(bytes, to: folder.path("input\(index).raw"))
            try Self.write(Zstandard.compress(bytes, level: level, checksum: index % 2 == 0), to: folder.path("input\(index).swift.zst"))
        }
        let script = """
            import os, sys, glob, random
            import zstandard
            folder = sys.argv[1]
            rng = random.Random(7)
            for path in glob.glob(os.path.join(folder, "*.raw")):
                raw = open(path, "rb").read()
                base = path[:-4]
                frame = open(base + ".swift.zst", "rb").read()
                assert zstandard.ZstdDecompressor().decompress(frame) == raw, base
                level = rng.choice([-3, 1, 3, 8, 15, 22])
                open(base + ".python.zst", "wb").write(zstandard.ZstdCompressor(level=level).compress(raw))
            print("ok")
            """
        let output = try InteropPython.run(script, arguments: [folder.path])
        #expect(output.stdout.contains("ok"))
        for (index, input) in inputs.enumerated() {
            let frame = try Self.read(folder.path("input\(index).python.zst"))
            #expect(try Zstandard.decompress(frame, maximumOutputSize: input.count) == input, "input \(index)")
        }
    }

    @Test(.interop) func pythonDecompressesLargeSwiftFrame() throws {
        let folder = TemporaryFolder("zstd-large")
        let input = ZstandardTestData.mixed(24 << 20)
        try Self.write(input, to: folder.path("large.raw"))
        try Self.write(Zstandard.compress(input, checksum: true), to: folder.path("large.zst"))
        let script = """
            import sys, io, zstandard
            raw = open(sys.argv[1] + "/large.raw", "rb").read()
            frame = open(sys.argv[1] + "/large.zst", "rb").read()
            assert zstandard.ZstdDecompressor().decompress(frame) == raw
            assert zstandard.ZstdDecompressor().stream_reader(io.BytesIO(frame)).read() == raw
            open(sys.argv[1] + "/python.zst", "wb").write(zstandard.ZstdCompressor(level=3, write_checksum=True).compress(raw))
            print("ok")
            """
        try InteropPython.run(script, arguments: [folder.path])
        let frame = try Self.read(folder.path("python.zst"))
        #expect(try Zstandard.decompress(frame, maximumOutputSize: input.count) == input)
    }

    @Test(.interop) func handMadeFramesAgreeWithTheReference() throws {
        // Features the reference compressor rarely emits, checked against its decoder.
        let frames: [[UInt8]] = [
            // RLE literals and no sequences: "zzzzzzzzzz".
            [0x28, 0xB5, 0x2F, 0xFD, 0x20, 10, 0x1D, 0, 0, 0x51, UInt8(ascii: "z"), 0x00],
            // An empty raw block, then an RLE block of 5 "a".
            [0x28, 0xB5, 0x2F, 0xFD, 0x20, 5, 0x00, 0, 0, 0x2B, 0, 0, UInt8(ascii: "a")],
        ]
        let folder = TemporaryFolder("zstd-hand")
        for (index, frame) in frames.enumerated() {
            try Self.write(frame, to: folder.path("frame\(index).zst"))
        }
        let script = """
            import sys, zstandard
            for index in range(int(sys.argv[2])):
                frame = open("%s/frame%d.zst" % (sys.argv[1], index), "rb").read()
                print(zstandard.ZstdDecompressor().decompress(frame).hex())
            """
        let output = try InteropPython.run(script, arguments: [folder.path, "\(frames.count)"])
        let expected = output.stdout.split(separator: "\n").map(String.init)
        #expect(expected.count == frames.count)
        for (frame, hex) in zip(frames, expected) {
            let restored = try Zstandard.decompress(frame, maximumOutputSize: 100)
            #expect(restored.map { String(format: "%02x", $0) }.joined() == hex)
        }
    }
}
