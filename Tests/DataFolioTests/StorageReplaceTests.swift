import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// `replace(_:condition:durable:writing:)`: an object replaced with content written in
/// pieces, as a commit writes `items.json` — all of it or none of it.
@Suite("Replacing objects with streamed content")
struct StorageReplaceTests {
    /// Pieces of odd sizes around the store's 1 MiB buffer, with seeded content.
    static func pieces() -> [[UInt8]] {
        var generator = SeededRandom(seed: 41)
        return [1, 1 << 20, 3, (1 << 20) + 17, 0, 70_000].map { count in
            (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
    }

    func makeStorage(_ temp: TemporaryFolder) throws -> LocalFolioStorage {
        try FileManager.default.createDirectory(atPath: temp.path("f"), withIntermediateDirectories: true)
        return LocalFolioStorage(path: temp.path("f"))
    }

    @Test func streamedContentArrivesWhole() throws {
        let temp = TemporaryFolder("replace")
        let storage = try makeStorage(temp)
        let pieces = StorageReplaceTests.pieces()
        let version = try storage.replace("data/blob.bin", condition: .absent, durable: true) { output throws(DataFolioError) in
            for piece in pieces { try output.write(piece) }
        }
        #expect(try storage.read("data/blob.bin") == Array(pieces.joined()))
        #expect(version != nil)
        #expect(try storage.status("data/blob.bin")?.version == version)
    }

    @Test func contentThatFailsReplacesNothing() throws {
        let temp = TemporaryFolder("replace")
        let storage = try makeStorage(temp)
        try storage.replace("blob.bin", with: [1, 2, 3], condition: .always, durable: false)
        #expect(throws: DataFolioError.self) {
            try storage.replace("blob.bin", condition: .always, durable: true) { output throws(DataFolioError) in
                try output.write([UInt8](repeating: 9, count: 3 << 20))
                throw DataFolioError(.ioFailure, "the producer failed")
            }
        }
        #expect(try storage.read("blob.bin") == [1, 2, 3])
        // No temporary file is left behind.
        #expect(try storage.list("").map(\.name) == ["blob.bin"])
    }

    @Test func aConditionThatFailsReplacesNothing() throws {
        let temp = TemporaryFolder("replace")
        let storage = try makeStorage(temp)
        try storage.replace("blob.bin", with: [1], condition: .always, durable: false)
        let error = #expect(throws: DataFolioError.self) {
            try storage.replace("blob.bin", condition: .absent, durable: false) { output throws(DataFolioError) in try output.write([2]) }
        }
        #expect(error?.code == .preconditionFailed)
        #expect(try storage.read("blob.bin") == [1])
        #expect(try storage.list("").map(\.name) == ["blob.bin"])
    }
}
