import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("MappedFile")
struct MappedFileTests {
    @Test func mapsTheWholeFile() throws {
        let folder = TemporaryFolder("mapped")
        let content = SupportTestData.bytes(1 << 20 | 17, seed: 31)
        try LocalFile.writeAtomically(content, to: folder.path("m.bin"), sync: false)
        let file = try MappedFile(path: folder.path("m.bin"))
        #expect(file.bytes.count == content.count)
        #expect(file.bytes.elementsEqual(content))
        // The map outlives the directory entry.
        try FileManager.default.removeItem(atPath: folder.path("m.bin"))
        #expect(file.bytes.last == content.last && MD5.hex(of: file.bytes) == MD5.hex(of: content))
    }

    @Test func mapsEmptyFiles() throws {
        let folder = TemporaryFolder("mapped")
        try LocalFile.writeAtomically([], to: folder.path("empty"), sync: false)
        let file = try MappedFile(path: folder.path("empty"))
        #expect(file.bytes.isEmpty && file.bytes.count == 0)
        #expect(MD5.hex(of: file.bytes) == "d41d8cd98f00b204e9800998ecf8427e")
    }

    @Test func reportsMissingFiles() {
        let folder = TemporaryFolder("mapped")
        let error = expectFailure(.fileNotFound) { () throws(DataFolioError) in try MappedFile(path: folder.path("none")) }
        #expect(error?.path == folder.path("none"))
        expectFailure(.ioFailure) { () throws(DataFolioError) in try MappedFile(path: folder.path) }
    }

    @Test func isSharedAcrossTasks() async throws {
        let folder = TemporaryFolder("mapped")
        let content = SupportTestData.bytes(100_000, seed: 32)
        try LocalFile.writeAtomically(content, to: folder.path("s.bin"), sync: false)
        let file = try MappedFile(path: folder.path("s.bin"))
        let digests = await withTaskGroup(of: String.self) { group in
            for _ in 0..<4 { group.addTask { MD5.hex(of: file.bytes) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(digests == Array(repeating: MD5.hex(of: content), count: 4))
    }
}
