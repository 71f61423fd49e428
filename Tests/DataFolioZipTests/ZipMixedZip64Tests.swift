import DataFolioSupport
import DataFolioTestSupport
@testable import DataFolioZip
import Foundation
import Testing

/// Archives where only some records need ZIP64 fields, made by lowering the thresholds
/// (the same trick Python's own tests use) instead of writing gigabytes.
@Suite("ZIP64 thresholds")
struct ZipMixedZip64Tests {
    func makeArchive(file: FileWriter? = nil) throws -> (ZipWriter, [(String, [UInt8])]) {
        let writer = ZipWriter(file: file, sizeLimit: 300, countLimit: 5)
        var written: [(String, [UInt8])] = []
        // Small entries early (classic fields), then large ones and late offsets (ZIP64).
        let plan: [(String, [UInt8], ZipCompressionMethod)] = [
            ("small.txt", Array("tiny".utf8), .deflate),
            ("big-stored.bin", ZipTestData.bytes(1000, seed: 1), .stored),
            ("big-packed.txt", ZipTestData.text(5000), .deflate),
            ("late-small.txt", Array("late".utf8), .stored),
            ("late-random.bin", ZipTestData.bytes(400, seed: 2), .deflate),
            ("sixth.txt", Array("more entries than the count limit".utf8), .deflate),
        ]
        for (name, contents, method) in plan {
            try writer.addEntry(named: name, contents: contents, method: method, alignment: method == .stored ? 64 : 1)
            written.append((name, contents))
        }
        try writer.beginEntry(named: "streamed.txt")
        try writer.writeEntryData(ZipTestData.text(2000))
        try writer.endEntry()
        written.append(("streamed.txt", ZipTestData.text(2000)))
        return (writer, written)
    }

    @Test func readsBack() throws {
        let (writer, written) = try makeArchive()
        let bytes = try writer.finish()
        #expect(bytes.readLE32(at: bytes.count - 22 - 20) == 0x0706_4B50)
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.count == written.count)
        for (name, contents) in written {
            #expect(try archive.contents(named: name) == contents)
            let entry = try #require(archive.entry(named: name))
            var buffer = [UInt8](repeating: 0, count: entry.uncompressedSize + 3)
            let count = try buffer.withUnsafeMutableBytes { try archive.contents(of: entry, into: $0) }
            #expect(count == contents.count && buffer.prefix(count).elementsEqual(contents))
        }
    }

    @Test(.interop) func pythonReadsMixedArchives() throws {
        let folder = TemporaryFolder("zip-mixed")
        let file = try FileWriter(creating: folder.path("mixed.zip"), computeMD5: false)
        let (writer, written) = try makeArchive(file: file)
        try writer.finish()
        try file.finish(sync: false)
        for (name, contents) in written { try LocalFile.writeAtomically(contents, to: folder.path(name + ".expected"), sync: false) }
        let output = try InteropPython.run(
            """
            import sys, os, zipfile
            folder = sys.argv[1]
            with zipfile.ZipFile(os.path.join(folder, 'mixed.zip')) as z:
                assert z.testzip() is None
                for info in z.infolist():
                    assert z.read(info) == open(os.path.join(folder, info.filename + '.expected'), 'rb').read(), info.filename
                print(len(z.infolist()))
            """, arguments: [folder.path])
        #expect(output.stdout == "\(written.count)\n")
    }
}
