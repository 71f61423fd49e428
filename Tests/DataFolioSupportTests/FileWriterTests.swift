import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("FileWriter")
struct FileWriterTests {
    @Test func writesSmallPiecesAndHashesThem() throws {
        let folder = TemporaryFolder("writer")
        let path = folder.path("small.bin")
        let writer = try FileWriter(creating: path, computeMD5: true)
        #expect(writer.path == path && writer.bytesWritten == 0)
        var expected: [UInt8] = []
        for length in [0, 1, 63, 64, 65, 1000, 4096, 70_000] {
            let piece = SupportTestData.bytes(length, seed: UInt64(length))
            try writer.write(piece)
            expected += piece
        }
        let digest = try writer.finish(sync: true)
        #expect(digest == MD5.hex(of: expected))
        #expect(writer.bytesWritten == expected.count)
        #expect(try LocalFile.read(path) == expected)
        #expect(try LocalFile.status(path)?.permissions == 0o644)
    }

    @Test func emptyFile() throws {
        let folder = TemporaryFolder("writer")
        let writer = try FileWriter(creating: folder.path("empty"), computeMD5: true, permissions: 0o600)
        #expect(try writer.finish(sync: false) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(try LocalFile.status(folder.path("empty")).map { ($0.size, $0.permissions) } ?? (-1, 0) == (0, 0o600))
    }

    /// Writes of 4 MiB and more hash on a second thread while the bytes go to disk.
    @Test(arguments: [false, true])
    func hashesLargeWritesInParallel(flushesEarly: Bool) throws {
        let folder = TemporaryFolder("writer")
        let path = folder.path("large.bin")
        let writer = try FileWriter(creating: path, computeMD5: true)
        writer.flushesLargeWritesEarly = flushesEarly
        let head = SupportTestData.bytes(1000, seed: 1)
        let large = SupportTestData.bytes(5 << 20 | 3, seed: 2)
        let exactlyThreshold = SupportTestData.bytes(4 << 20, seed: 3)
        let tail = SupportTestData.bytes(77, seed: 4)
        try writer.write(head)
        try writer.write(large)
        #expect(writer.bytesWritten == head.count + large.count, "buffered bytes go out before a large write")
        try writer.write(exactlyThreshold)
        try writer.write(tail)
        let digest = try writer.finish(sync: flushesEarly)
        let expected = head + large + exactlyThreshold + tail
        #expect(digest == MD5.hex(of: expected))
        #expect(try LocalFile.read(path) == expected)
        #expect(try MD5.hex(of: LocalFile.read(path)) == digest)
    }

    @Test func withoutHashing() throws {
        let folder = TemporaryFolder("writer")
        let writer = try FileWriter(creating: folder.path("plain"), computeMD5: false)
        let large = SupportTestData.bytes(4 << 20 | 1, seed: 9)
        try writer.write(large)
        try writer.write([1, 2, 3])
        #expect(try writer.finish(sync: false) == nil)
        #expect(try LocalFile.read(folder.path("plain")) == large + [1, 2, 3])
    }

    @Test func refusesToReplaceAnExistingFile() throws {
        let folder = TemporaryFolder("writer")
        let path = folder.path("taken")
        try LocalFile.writeAtomically([UInt8](text: "keep me"), to: path, sync: false)
        let error = expectFailure(.ioFailure) { () throws(DataFolioError) in try FileWriter(creating: path, computeMD5: false) }
        #expect(error?.message.contains("already exists") == true && error?.path == path)
        #expect(try LocalFile.read(path) == [UInt8](text: "keep me"))
        expectFailure(.fileNotFound) { () throws(DataFolioError) in try FileWriter(creating: folder.path("no/dir"), computeMD5: false) }
    }

    @Test func abandonRemovesThePartialFile() throws {
        let folder = TemporaryFolder("writer")
        let path = folder.path("partial")
        let writer = try FileWriter(creating: path, computeMD5: true)
        try writer.write(SupportTestData.bytes(10_000))
        #expect(try LocalFile.status(path) != nil)
        writer.abandon()
        #expect(try LocalFile.status(path) == nil)
        writer.abandon()  // a second call is harmless
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
