import DataFolioSupport
import DataFolioTestSupport
import DataFolioZip
import Foundation
import Testing

/// Archives made by Python (see Fixtures/make_fixtures.py), read without Python.
@Suite("ZIP fixtures from Python")
struct ZipFixtureTests {
    func open(_ name: String) throws -> ZipArchive {
        try ZipArchive(path: fixturesFolder().appendingPathComponent(name).path)
    }

    /// The raw data of a little-endian .npy payload (after its header).
    func npyData(_ bytes: [UInt8]) throws -> [UInt8] {
        try #require(bytes.starts(with: [0x93] + Array("NUMPY".utf8)))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        return Array(bytes[(10 + headerLength)...])
    }

    @Test func numpySavez() throws {
        let archive = try open("savez.npz")
        #expect(archive.entries.map(\.name) == ["ints.npy", "grid.npy"])
        #expect(archive.entries.allSatisfy { $0.method == .stored })
        let ints = try npyData(archive.contents(named: "ints.npy"))
        let expected = (0..<10).flatMap { i in withUnsafeBytes(of: Int64(i).littleEndian, Array.init) }
        #expect(ints == expected)
        let entry = try #require(archive.entry(named: "grid.npy"))
        #expect(archive.storedDataRange(of: entry)?.count == entry.uncompressedSize)
    }

    @Test func numpySavezCompressed() throws {
        let archive = try open("savez_compressed.npz")
        #expect(archive.entries.allSatisfy { $0.method == .deflate })
        let values = try npyData(archive.contents(named: "values.npy"))
        #expect(values.count == 50 * 8)
        let last = values.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 49 * 8, as: Double.self) }
        #expect(last == 1.0)
        #expect(try archive.contents(named: "text.npy").count > 0)
    }

    @Test func zip64Records() throws {
        let archive = try open("zip64.zip")
        #expect(archive.entries.map(\.name) == ["first.txt", "second.bin", "third.txt"])
        #expect(try archive.contents(named: "first.txt") == Array(String(repeating: "hello, zip64 world\n", count: 3).utf8))
        #expect(try archive.contents(named: "second.bin") == Array(0..<40))
        #expect(try archive.contents(named: "third.txt") == Array("written through force_zip64".utf8))
    }

    @Test func dataDescriptors() throws {
        let archive = try open("data_descriptor.zip")
        #expect(archive.entries.allSatisfy { $0.flags & 0x08 != 0 })
        #expect(try archive.contents(named: "streamed.txt") == Array(String(repeating: "streamed through a data descriptor ", count: 20).utf8))
        #expect(try archive.contents(named: "名前/ファイル.txt") == Array("unicode name".utf8))
    }

    @Test func pytorchCheckpoint() throws {
        let archive = try open("tensors.pt")
        let weight = try #require(archive.entries.first { $0.name.hasSuffix("/data/0") || $0.name.hasSuffix("/data/1") })
        // PyTorch aligns tensor data to 64 bytes so it can be mapped in place.
        for entry in archive.entries where entry.name.contains("/data/") && !entry.name.contains(".data") {
            #expect(entry.dataOffset % 64 == 0, "\(entry.name)")
        }
        #expect(archive.storedDataRange(of: weight) != nil)
        let floats = try archive.entries.compactMap { entry -> [Float]? in
            guard entry.uncompressedSize == 48, entry.name.contains("/data/") else { return nil }
            let bytes = try archive.contents(of: entry)
            return bytes.withUnsafeBytes { raw in (0..<12).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        }
        #expect(floats == [(0..<12).map(Float.init)])
    }
}
