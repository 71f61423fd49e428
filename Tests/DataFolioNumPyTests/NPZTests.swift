import DataFolioNumPy
import DataFolioSupport
import DataFolioTestSupport
import DataFolioZip
import Foundation
import Testing

@Suite struct NPZTests {
    static func sampleArrays() throws -> [(name: String, array: NDArray)] {
        [
            ("weights", try SampleArrays.array(.float32, shape: [30, 40])),
            ("ids", try SampleArrays.array(.int64, shape: [17])),
            ("text", try NDArray(shape: [2], strings: ["héllo", "🎉"])),
            ("fortran", try SampleArrays.array(DType(kind: .float, itemSize: 8, byteOrder: .bigEndian), shape: [3, 5], order: .columnMajor)),
            ("scalar", NDArray(scalar: Int16(-3))),
            ("empty", try NDArray.zeros(shape: [0, 4], dtype: .uint8)),
            ("nested/name", try SampleArrays.array(.bool, shape: [9])),
            ("ünï", try SampleArrays.array(.complex64, shape: [2])),
        ]
    }

    @Test(arguments: [false, true])
    func roundTripInMemory(compressed: Bool) throws {
        let arrays = try NPZTests.sampleArrays()
        let data = try NDArray.npzData(arrays, compressed: compressed)
        let back = try NDArray.readNPZ(data: data)
        #expect(back.map(\.name) == arrays.map(\.name))
        for (read, written) in zip(back, arrays) {
            #expect(read.array == written.array, "\(read.name)")
            #expect(read.array.dtype == written.array.dtype)
            #expect(read.array.order == written.array.order)
        }
        let archive = try ZipArchive(bytes: data)
        #expect(archive.entries.map(\.name) == arrays.map { $0.name + ".npy" })
        #expect(archive.entries.allSatisfy { $0.method == (compressed ? .deflate : .stored) })
        // Each entry is exactly the .npy file of its array.
        for (entry, written) in zip(archive.entries, arrays) {
            #expect(try archive.contents(of: entry) == written.array.npyData())
        }
    }

    @Test(arguments: [false, true])
    func roundTripThroughFiles(compressed: Bool) throws {
        let folder = TemporaryFolder("npz")
        let arrays = try NPZTests.sampleArrays()
        let path = folder.path("a.npz")
        let writer = try FileWriter(creating: path, computeMD5: true)
        try NDArray.writeNPZ(arrays, to: writer, compressed: compressed)
        let md5 = try writer.finish(sync: false)
        let bytes = try LocalFile.read(path)
        #expect(md5 == MD5.hex(of: bytes))
        #expect(bytes == (try NDArray.npzData(arrays, compressed: compressed)))

        for mapped in [false, true] {
            let archive = try NPZArchive(contentsOfFile: path, memoryMapped: mapped)
            #expect(archive.names == arrays.map(\.name))
            #expect(archive.isMemoryMapped == mapped)
            for (name, array) in arrays {
                let read = try archive.array(named: name)
                #expect(read == array)
                #expect(read.isMemoryMapped == (mapped && !compressed))
                let header = try archive.header(named: name)
                #expect(header.shape == array.shape)
                #expect(header.dtype == array.dtype)
            }
        }
        let replaced = folder.path("b.npz")
        try NDArray.writeNPZ(arrays, toFile: replaced, compressed: compressed)
        try NDArray.writeNPZ(Array(arrays.prefix(1)), toFile: replaced, compressed: compressed)
        #expect(try NDArray.readNPZ(replaced).map(\.name) == ["weights"])
    }

    @Test func mappedStoredArraysAreAligned() throws {
        let folder = TemporaryFolder("npz")
        let path = folder.path("aligned.npz")
        let arrays: [(name: String, array: NDArray)] = [
            ("a", try SampleArrays.array(.uint8, shape: [3])),
            ("a-longer-name", try SampleArrays.array(.float64, shape: [5, 2])),
            ("c", try SampleArrays.array(.complex128, shape: [4])),
        ]
        try NDArray.writeNPZ(arrays, toFile: path)
        for (name, array) in try NDArray.readNPZ(path, memoryMapped: true) {
            #expect(array.isMemoryMapped)
            let address = array.withUnsafeBytes { Int(bitPattern: $0.baseAddress) }
            #expect(address % 64 == 0, "\(name)")
        }
    }

    @Test func emptyArchive() throws {
        let data = try NDArray.npzData([])
        #expect(try NDArray.readNPZ(data: data).isEmpty)
        #expect(try NPZArchive(data: data).names == [])
    }

    @Test func invalidWrites() throws {
        let one = NDArray([Float(1)])
        #expect(throws: DataFolioError.self) { try NDArray.npzData([("x", one), ("x", one)]) }
        #expect(throws: DataFolioError.self) { try NDArray.npzData([("", one)]) }
        let bfloat = try NDArray(shape: [1], dtype: .bfloat16, bytes: [0, 0x3F])
        let error = #expect(throws: DataFolioError.self) { try NDArray.npzData([("ok", one), ("b", bfloat)]) }
        #expect(error?.code == .unsupportedFeature)
        // Nothing is left behind when a file write is refused.
        let folder = TemporaryFolder("npz")
        #expect(throws: DataFolioError.self) { try NDArray.writeNPZ([("b", bfloat)], toFile: folder.path("b.npz")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func missingArraysAndOtherEntries() throws {
        let zip = ZipWriter()
        try zip.addEntry(named: "notes.txt", contents: Array("hello".utf8))
        try zip.addEntry(named: "folder/", contents: [])
        try zip.addEntry(named: "x.npy", contents: try NDArray([Int32(7)]).npyData(), method: .stored)
        let archive = try NPZArchive(data: try zip.finish())
        #expect(archive.names == ["x"])
        #expect(archive.contains("x"))
        #expect(!archive.contains("notes.txt"))
        let missing = #expect(throws: DataFolioError.self) { try archive.array(named: "y") }
        #expect(missing?.code == .fileNotFound)
        #expect(missing?.message.contains("'x'") == true)
    }

    @Test func corruptArchives() throws {
        let arrays: [(name: String, array: NDArray)] = [("x", try SampleArrays.array(.float32, shape: [64]))]
        let stored = try NDArray.npzData(arrays)
        // Flip a data byte of the stored entry: the CRC catches it when copying.
        var flipped = stored
        let zip = try ZipArchive(bytes: stored)
        let range = try #require(zip.storedDataRange(of: zip.entries[0]))
        flipped[range.upperBound - 3] ^= 0xFF
        let crc = #expect(throws: DataFolioError.self) { try NDArray.readNPZ(data: flipped) }
        #expect(crc?.code == .corruptData)
        #expect(crc?.message.contains("x.npy") == true)

        // An entry that is not a .npy file.
        let bogus = ZipWriter()
        try bogus.addEntry(named: "x.npy", contents: Array("not numpy".utf8), method: .stored)
        let notNPY = #expect(throws: DataFolioError.self) { try NDArray.readNPZ(data: try bogus.finish()) }
        #expect(notNPY?.message.contains("NPZ entry 'x.npy'") == true)

        // A .npy entry whose shape needs more data than the entry holds.
        let short = ZipWriter()
        let header = try NPYHeader(dtype: .float64, shape: [1000]).encoded()
        try short.addEntry(named: "s.npy", contents: header + [1, 2, 3], method: .deflate)
        #expect(try NPZArchive(data: try short.finish()).header(named: "s").shape == [1000])
        let storedShort = ZipWriter()
        try storedShort.addEntry(named: "s.npy", contents: header + [1, 2, 3], method: .stored)
        let storedShortBytes = try storedShort.finish()
        let shortError = #expect(throws: DataFolioError.self) { try NDArray.readNPZ(data: storedShortBytes) }
        #expect(shortError?.code == .truncatedData)

        // Truncations and random damage never crash.
        for compressed in [false, true] {
            let bytes = try NDArray.npzData(try NPZTests.sampleArrays(), compressed: compressed)
            for cut in stride(from: 0, to: bytes.count, by: 97) {
                #expect(throws: DataFolioError.self) { try NDArray.readNPZ(data: Array(bytes[0..<cut])) }
            }
            var generator = SplitMix(seed: compressed ? 3 : 4)
            for _ in 0..<400 {
                var damaged = bytes
                for _ in 0..<3 {
                    damaged[Int(generator.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
                _ = try? NDArray.readNPZ(data: damaged)
            }
        }
    }

    @Test func lyingUncompressedSizeIsRefused() throws {
        // A deflated entry whose directory claims a huge uncompressed size.
        let zip = ZipWriter()
        try zip.addEntry(named: "x.npy", contents: try NDArray([Float(1), 2]).npyData(), method: .deflate)
        var bytes = try zip.finish()
        // Patch the uncompressed size (offset 24 of the central directory record).
        let central = try #require(findCentralRecord(in: bytes))
        for i in 0..<4 { bytes[central + 24 + i] = 0xFF }
        bytes[central + 24 + 3] = 0x7F
        // Refused (by the directory check or the 1032:1 DEFLATE bound) without
        // setting aside 2 GB.
        #expect(throws: DataFolioError.self) { try NDArray.readNPZ(data: bytes) }
    }

    private func findCentralRecord(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02 {
            return i
        }
        return nil
    }

    @Test func missingFile() {
        let error = #expect(throws: DataFolioError.self) { try NDArray.readNPZ("/nonexistent/folder/x.npz") }
        #expect(error?.code == .fileNotFound)
        #expect(error?.path == "/nonexistent/folder/x.npz")
    }
}

/// Archives written by numpy (see Fixtures/make_fixtures.py).
@Suite struct NPZFixtureTests {
    struct Archive: Decodable, Sendable, CustomStringConvertible {
        var file: String
        var compressed: Bool
        var arrays: [NPYFixture]
        var description: String { file }
    }

    static let archives: [Archive] = {
        struct Manifest: Decodable { var archives: [Archive] }
        let folder = fixturesFolder().appendingPathComponent("npz")
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return [] }
        return manifest.archives
    }()

    @Test func manifestIsPresent() {
        #expect(NPZFixtureTests.archives.count == 3)
    }

    @Test(arguments: NPZFixtureTests.archives)
    func readsNumpyArchives(archive: Archive) throws {
        let path = fixturesFolder().appendingPathComponent("npz").appendingPathComponent(archive.file).path
        for mapped in [false, true] {
            let arrays = try NDArray.readNPZ(path, memoryMapped: mapped)
            #expect(arrays.map(\.name) == archive.arrays.map(\.file))
            for ((name, array), expected) in zip(arrays, archive.arrays) {
                #expect(array.dtype.numpyDescriptor == expected.descr, "\(name)")
                #expect(array.shape == expected.shape, "\(name)")
                #expect(array.order == (expected.fortran ? .columnMajor : .rowMajor), "\(name)")
                #expect(array.nativeByteOrder().rowMajor().withUnsafeBytes { Array($0) } == NPYTestBytes.hex(expected.canonical_hex), "\(name)")
                if let strings = expected.strings { #expect(try array.strings() == strings) }
                #expect(array.isMemoryMapped == (mapped && !archive.compressed))
            }
        }
        let bytes = try LocalFile.read(path)
        #expect(try NDArray.readNPZ(data: bytes).count == archive.arrays.count)
    }
}
