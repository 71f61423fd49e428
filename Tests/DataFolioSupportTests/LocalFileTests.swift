import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("LocalFile")
struct LocalFileTests {
    func files(in folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func readsWholeFilesAndRanges() throws {
        let folder = TemporaryFolder("localfile")
        let content = SupportTestData.bytes(3 << 20 | 5, seed: 21)
        try LocalFile.writeAtomically(content, to: folder.path("a.bin"), sync: false)
        #expect(try LocalFile.read(folder.path("a.bin")) == content)

        var range = [UInt8](repeating: 0, count: 100)
        try range.withUnsafeMutableBytes { try LocalFile.read(folder.path("a.bin"), offset: 1000, into: $0) }
        #expect(range[...] == content[1000..<1100])
        var nothing: [UInt8] = []
        try nothing.withUnsafeMutableBytes { try LocalFile.read(folder.path("a.bin"), offset: 0, into: $0) }

        var pastEnd = [UInt8](repeating: 0, count: 10)
        let error = expectFailure(.truncatedData) { () throws(DataFolioError) in
            var failure: DataFolioError?
            pastEnd.withUnsafeMutableBytes { buffer in
                do throws(DataFolioError) { try LocalFile.read(folder.path("a.bin"), offset: content.count - 4, into: buffer) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        #expect(error?.path == folder.path("a.bin"))
        #expect(pastEnd[..<4] == content[(content.count - 4)...], "the bytes that exist are read")
    }

    @Test func readsEmptyFiles() throws {
        let folder = TemporaryFolder("localfile")
        try LocalFile.writeAtomically([], to: folder.path("empty"), sync: false)
        #expect(try LocalFile.read(folder.path("empty")) == [])
    }

    @Test func reportsMissingFilesAndFolders() throws {
        let folder = TemporaryFolder("localfile")
        let missing = expectFailure(.fileNotFound) { () throws(DataFolioError) in try LocalFile.read(folder.path("nope")) }
        #expect(missing?.path == folder.path("nope"))
        #expect(missing?.message.contains("no such file") == true)
        var buffer = [UInt8](repeating: 0, count: 1)
        expectFailure(.fileNotFound) { () throws(DataFolioError) in
            var failure: DataFolioError?
            buffer.withUnsafeMutableBytes { raw in
                do throws(DataFolioError) { try LocalFile.read(folder.path("nope"), offset: 0, into: raw) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        let directory = expectFailure(.ioFailure) { () throws(DataFolioError) in try LocalFile.read(folder.path) }
        #expect(directory?.message.hasPrefix("Cannot read") == true)
    }

    @Test func statusDescribesFilesAndFolders() throws {
        let folder = TemporaryFolder("localfile")
        #expect(try LocalFile.status(folder.path("nope")) == nil)
        try LocalFile.writeAtomically([1, 2, 3], to: folder.path("f"), permissions: 0o600, sync: false)
        #expect(try LocalFile.status(folder.path("f/under-a-file")) == nil)
        let file = try #require(try LocalFile.status(folder.path("f")))
        #expect(file.size == 3 && file.isRegularFile && !file.isDirectory && file.permissions == 0o600)
        #expect(file.modificationNanoseconds > 1_600_000_000 * 1_000_000_000)
        let directory = try #require(try LocalFile.status(folder.path))
        #expect(directory.isDirectory && !directory.isRegularFile)
        #expect(directory.device == file.device && directory.inode != file.inode)
    }

    @Test func writeAtomicallyReplacesWholeFiles() throws {
        let folder = TemporaryFolder("localfile")
        let path = folder.path("catalog.json")
        try LocalFile.writeAtomically([UInt8](text: "first version, long"), to: path)
        let before = try #require(try LocalFile.status(path))
        try LocalFile.writeAtomically([UInt8](text: "second"), to: path, permissions: 0o640)
        #expect(try LocalFile.read(path) == [UInt8](text: "second"))
        let after = try #require(try LocalFile.status(path))
        #expect(after.inode != before.inode, "replaced by a rename, not rewritten in place")
        #expect(after.permissions == 0o640)
        try [UInt8](text: "third").withUnsafeBytes { try LocalFile.writeAtomically($0, to: path, sync: false) }
        #expect(try LocalFile.read(path) == [UInt8](text: "third"))
        #expect(try files(in: folder) == ["catalog.json"], "no temporary file is left behind")
    }

    @Test func writeAtomicallyIntoAMissingFolderFails() throws {
        let folder = TemporaryFolder("localfile")
        let error = expectFailure(.fileNotFound) { () throws(DataFolioError) in
            try LocalFile.writeAtomically([1], to: folder.path("missing/x"))
        }
        #expect(error?.message.contains("temporary file") == true)
        #expect(try files(in: folder).isEmpty)
        // Renaming a file over a folder fails; the temporary file is removed.
        try FileManager.default.createDirectory(atPath: folder.path("taken"), withIntermediateDirectories: false)
        expectFailure(.ioFailure) { () throws(DataFolioError) in try LocalFile.writeAtomically([1], to: folder.path("taken"), sync: false) }
        #expect(try files(in: folder) == ["taken"])
    }

    @Test func writeAtomicallySyncingOthersFirst() throws {
        let folder = TemporaryFolder("localfile")
        try LocalFile.writeAtomically([1], to: folder.path("payload-1"), sync: false)
        try LocalFile.writeAtomically([2], to: folder.path("payload-2"), sync: false)
        try LocalFile.writeAtomically([UInt8](text: "old"), to: folder.path("items.json"))
        try LocalFile.writeAtomically(
            [UInt8](text: "new"), to: folder.path("items.json"), permissions: 0o600,
            syncingFirst: [folder.path("payload-1"), folder.path("payload-2"), folder.path]
        )
        #expect(try LocalFile.read(folder.path("items.json")) == [UInt8](text: "new"))
        #expect(try LocalFile.status(folder.path("items.json"))?.permissions == 0o600)
        try LocalFile.writeAtomically([UInt8](text: "alone"), to: folder.path("items.json"), syncingFirst: [])
        #expect(try LocalFile.read(folder.path("items.json")) == [UInt8](text: "alone"))

        // A payload that cannot be flushed stops the catalog from being published.
        let error = expectFailure(.fileNotFound) { () throws(DataFolioError) in
            try LocalFile.writeAtomically(
                [UInt8](text: "newer"), to: folder.path("items.json"), syncingFirst: [folder.path("payload-1"), folder.path("gone")])
        }
        #expect(error?.path == folder.path("gone"))
        #expect(try LocalFile.read(folder.path("items.json")) == [UInt8](text: "alone"))
        #expect(try files(in: folder) == ["items.json", "payload-1", "payload-2"])
    }

    @Test func overwriteInPlaceResizesTheFile() throws {
        let folder = TemporaryFolder("localfile")
        let path = folder.path("CONTENTS.md")
        try LocalFile.overwriteInPlace([UInt8](text: "a long first text"), at: path)
        #expect(try LocalFile.read(path) == [UInt8](text: "a long first text"))
        let inode = try LocalFile.status(path)?.inode
        try LocalFile.overwriteInPlace([UInt8](text: "short"), at: path)
        #expect(try LocalFile.read(path) == [UInt8](text: "short"))
        try LocalFile.overwriteInPlace([UInt8](text: "a text longer than any before"), at: path)
        #expect(try LocalFile.read(path) == [UInt8](text: "a text longer than any before"))
        try LocalFile.overwriteInPlace([], at: path)
        #expect(try LocalFile.read(path) == [])
        #expect(try LocalFile.status(path)?.inode == inode, "the same file throughout")
        expectFailure(.fileNotFound) { () throws(DataFolioError) in try LocalFile.overwriteInPlace([1], at: folder.path("no/such")) }
    }

    @Test func descriptorHelpers() throws {
        let folder = TemporaryFolder("localfile")
        let path = folder.path("fd.bin")
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        let content = SupportTestData.bytes(70_000, seed: 3)
        try content.withUnsafeBytes { try LocalFile.writeAll(fd: fd, path: path, $0) }
        try LocalFile.writeAll(fd: fd, path: path, UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(LocalFile.flushData(fd) == 0)
        var back = [UInt8](repeating: 0, count: 500)
        try back.withUnsafeMutableBytes { try LocalFile.read(fd: fd, path: path, offset: 69_000, into: $0) }
        #expect(back[...] == content[69_000..<69_500])
        #expect(try LocalFile.read(path) == content)
        let badWrite = expectFailure(.ioFailure) { () throws(DataFolioError) in
            try content.withBytesTyped { raw throws(DataFolioError) in try LocalFile.writeAll(fd: -1, path: "bad", raw) }
        }
        #expect(badWrite?.message.hasPrefix("Cannot write 'bad'") == true)
    }

    @Test func pathsAndSystemMessages() {
        #expect(LocalFile.parentFolder(of: "a/b") == "a")
        #expect(LocalFile.parentFolder(of: "/a/b/c.txt") == "/a/b")
        #expect(LocalFile.parentFolder(of: "b") == ".")
        #expect(LocalFile.parentFolder(of: "/b") == "/")
        #expect(LocalFile.parentFolder(of: "dossier/été.bin") == "dossier")
        #expect(LocalFile.errnoDescription(ENOENT).lowercased().contains("no such file"))
    }
}
