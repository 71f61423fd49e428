import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import Testing

@Suite("LZ4 frames")
struct LZ4FrameTests {
    func decompress(_ frame: [UInt8], capacity: Int) throws(DataFolioError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: capacity)
        var count = 0
        var failure: DataFolioError?
        frame.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { buffer in
                do throws(DataFolioError) { count = try LZ4.decompressFrames(input, into: buffer) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        return Array(output[0..<count])
    }

    @Test func xxh32KnownValues() {
        #expect(XXH32.hash([UInt8]()) == 0x02CC_5D05)
        #expect(XXH32.hash(Array("a".utf8)) == 0x550D_7456)
        #expect(XXH32.hash(Array("abc".utf8)) == 0x32D1_53FF)
        #expect(XXH32.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xE229_3B2F)
    }

    @Test(.interop) func readsFramesMadeByPython() throws {
        let source = TestData.text(700_000) + TestData.random(50_000)
        let folder = TemporaryFolder("lz4-frames")
        try LocalFile.writeAtomically(source, to: folder.path("source.bin"), sync: false)
        let script = #"""
            import sys, lz4.frame as f
            data = open(sys.argv[1] + "/source.bin", "rb").read()
            cases = {
                "default": f.compress(data),
                "independent": f.compress(data, block_linked=False, block_size=f.BLOCKSIZE_MAX256KB),
                "checksums": f.compress(data, content_checksum=True, block_checksum=True, block_size=f.BLOCKSIZE_MAX1MB),
                "sized": f.compress(data, store_size=True, compression_level=9, block_size=f.BLOCKSIZE_MAX4MB),
                "unsized": f.compress(data, store_size=False, compression_level=16),
                "stored": f.compress(bytes(range(256)) * 3, compression_level=0),
                "empty": f.compress(b""),
                "two": f.compress(data[:1000]) + f.compress(data[1000:]),
            }
            for name, frame in cases.items():
                open(sys.argv[1] + "/" + name + ".lz4", "wb").write(frame)
            """#
        try InteropPython.run(script, arguments: [folder.path])
        for name in ["default", "independent", "checksums", "sized", "unsized", "two"] {
            let frame = try LocalFile.read(folder.path("\(name).lz4"))
            #expect(try decompress(frame, capacity: source.count) == source, "\(name)")
            // Too small an output is an error, not an overrun.
            #expect(throws: DataFolioError.self) { try decompress(frame, capacity: source.count - 1) }
        }
        #expect(try decompress(LocalFile.read(folder.path("stored.lz4")), capacity: 768) == Array((0..<768).map { UInt8($0 % 256) }))
        #expect(try decompress(LocalFile.read(folder.path("empty.lz4")), capacity: 0) == [])
    }

    @Test func damagedFramesAreErrors() throws {
        // A frame with content and block checksums: magic, FLG, BD, HC, one stored block, end, checksum.
        let payload = Array("hello, frames".utf8)
        var descriptor: [UInt8] = [0x74, 0x40]
        descriptor.append(UInt8(truncatingIfNeeded: XXH32.hash(descriptor) >> 8))
        var frame: [UInt8] = [0x04, 0x22, 0x4D, 0x18] + descriptor
        withUnsafeBytes(of: (UInt32(payload.count) | 0x8000_0000).littleEndian) { frame += $0 }
        frame += payload
        withUnsafeBytes(of: XXH32.hash(payload).littleEndian) { frame += $0 }
        frame += [0, 0, 0, 0]
        withUnsafeBytes(of: XXH32.hash(payload).littleEndian) { frame += $0 }
        #expect(try decompress(frame, capacity: 64) == payload)
        for end in 0..<frame.count {
            #expect(throws: DataFolioError.self, "cut at \(end)") { try decompress(Array(frame[..<end]), capacity: 64) }
        }
        var generator = SeededRandom(seed: 0x1234_0042)
        for _ in 0..<2000 {
            var bytes = frame
            let at = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[at] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(throws: DataFolioError.self, "byte \(at)") { try decompress(bytes, capacity: 64) }
        }
    }
}
