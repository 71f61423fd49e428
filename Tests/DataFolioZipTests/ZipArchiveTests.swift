import DataFolioCompression
import DataFolioSupport
import DataFolioTestSupport
import DataFolioZip
import Foundation
import Testing

@Suite("ZIP archives")
struct ZipArchiveTests {
    @Test("round trip in memory", arguments: [ZipCompressionMethod.stored, .deflate])
    func roundTrip(method: ZipCompressionMethod) throws {
        let writer = ZipWriter()
        for (name, contents) in ZipTestData.entries {
            try writer.addEntry(named: name, contents: contents, method: method)
        }
        let archive = try ZipArchive(bytes: writer.finish())
        #expect(archive.entries.map(\.name) == ZipTestData.entries.map(\.name))
        for (name, contents) in ZipTestData.entries {
            let entry = try #require(archive.entry(named: name))
            #expect(entry.method == method)
            #expect(entry.uncompressedSize == contents.count)
            #expect(try archive.contents(of: entry) == contents)
            #expect(entry.isDirectory == name.hasSuffix("/"))
            if method == .stored {
                let range = try #require(archive.storedDataRange(of: entry))
                let inPlace = try archive.withUnsafeBytes { [UInt8]($0[range]) }
                #expect(inPlace == contents)
            } else {
                #expect(archive.storedDataRange(of: entry) == nil)
            }
        }
        #expect(archive.entry(named: "missing") == nil)
        #expect(throws: DataFolioError.self) { try archive.contents(named: "missing") }
    }

    @Test func alignsStoredData() throws {
        let writer = ZipWriter()
        for (index, size) in [1, 7, 64, 100, 1000].enumerated() {
            try writer.addEntry(named: "data/\(index)", contents: ZipTestData.bytes(size, seed: UInt64(index)), method: .stored, alignment: 64)
            try writer.addEntry(named: "odd-\(index).txt", contents: [1, 2, 3], method: .deflate)
        }
        try writer.beginEntry(named: "streamed", method: .stored, alignment: 4096)
        try writer.writeEntryData([1, 2, 3])
        try writer.endEntry()
        let archive = try ZipArchive(bytes: writer.finish())
        for entry in archive.entries where entry.name.hasPrefix("data/") {
            #expect(entry.dataOffset % 64 == 0, "\(entry.name)")
        }
        #expect(try #require(archive.entry(named: "streamed")).dataOffset % 4096 == 0)
        for entry in archive.entries { _ = try archive.contents(of: entry) }
    }

    @Test func streamsLargeEntriesToAFile() throws {
        let folder = TemporaryFolder("zip")
        let path = folder.path("big.zip")
        let file = try FileWriter(creating: path, computeMD5: true)
        let writer = ZipWriter(writingTo: file)
        let chunk = ZipTestData.text(1 << 20)
        try writer.beginEntry(named: "big.txt", method: .deflate, level: .fastest)
        for _ in 0..<12 { try writer.writeEntryData(chunk) }
        try writer.endEntry()
        try writer.beginEntry(named: "raw.bin", method: .stored)
        let random = ZipTestData.bytes(3 << 20, seed: 3)
        try writer.writeEntryData(random)
        try writer.endEntry()
        try writer.addEntry(named: "small.txt", contents: Array("small".utf8))
        let whole = (0..<(17 << 20)).map { UInt8(truncatingIfNeeded: $0 >> 12) }
        try writer.addEntry(named: "whole.bin", contents: whole, level: .fastest)
        #expect(try writer.finish().isEmpty)
        let digest = try file.finish(sync: false)
        #expect(digest?.count == 32)

        let archive = try ZipArchive(path: path)
        #expect(archive.byteCount == writer.bytesWritten)
        let big = try archive.contents(named: "big.txt")
        #expect(big.count == 12 << 20)
        #expect(big.prefix(1 << 20).elementsEqual(chunk) && big.suffix(1 << 20).elementsEqual(chunk))
        #expect(try archive.contents(named: "raw.bin") == random)
        let entry = try #require(archive.entry(named: "raw.bin"))
        let range = try #require(archive.storedDataRange(of: entry))
        let mapped = try #require(archive.mappedFile)
        #expect(UnsafeRawBufferPointer(rebasing: mapped.bytes[range]).elementsEqual(random))
        #expect(try archive.contents(named: "small.txt") == Array("small".utf8))
        // Large whole entries are streamed, so they carry a data descriptor.
        #expect(try #require(archive.entry(named: "whole.bin")).flags & 0x08 != 0)
        #expect(try archive.contents(named: "whole.bin") == whole)
    }

    @Test func forcedZip64RoundTrips() throws {
        let writer = ZipWriter(forceZip64: true)
        for (name, contents) in ZipTestData.entries {
            try writer.addEntry(named: name, contents: contents, method: .deflate)
        }
        let bytes = try writer.finish()
        // The ZIP64 end record and locator precede the classic end record.
        #expect(bytes.readLE32(at: bytes.count - 22 - 20) == 0x0706_4B50)
        let archive = try ZipArchive(bytes: bytes)
        for (name, contents) in ZipTestData.entries {
            #expect(try archive.contents(named: name) == contents)
        }
    }

    @Test func manyEntriesUseZip64Counts() throws {
        let writer = ZipWriter()
        let count = 70_000
        for i in 0..<count { try writer.addEntry(named: "e\(i)", contents: [UInt8(truncatingIfNeeded: i)], method: .stored) }
        let archive = try ZipArchive(bytes: writer.finish())
        #expect(archive.entries.count == count)
        #expect(try archive.contents(named: "e69999") == [UInt8(truncatingIfNeeded: 69999)])
    }

    @Test func readsArchivesWithCommentsAndPrefixes() throws {
        let writer = ZipWriter()
        try writer.addEntry(named: "a.txt", contents: Array("alpha".utf8))
        var bytes = try writer.finish()
        // A comment: patch its length into the end record and append it.
        let comment = Array("an archive comment".utf8)
        bytes[bytes.count - 2] = UInt8(comment.count)
        bytes += comment
        let commented = try ZipArchive(bytes: bytes)
        #expect(commented.comment == comment)
        #expect(try commented.contents(named: "a.txt") == Array("alpha".utf8))
        // Bytes prepended (as by a self-extractor stub) shift every offset.
        let prefixed = try ZipArchive(bytes: Array("#!/bin/sh\nexit 0\n".utf8) + bytes)
        #expect(try prefixed.contents(named: "a.txt") == Array("alpha".utf8))
    }

    @Test func decodesLegacyNames() throws {
        let writer = ZipWriter()
        try writer.addEntry(named: "é", contents: [1], method: .stored)
        var bytes = try writer.finish()
        // Clear the UTF-8 flag in the local and central headers: the name is then code page 437.
        bytes[7] &= ~0x08
        let central = Int(bytes.readLE32(at: bytes.count - 6))
        bytes[central + 9] &= ~0x08
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.first?.name == "├⌐")
    }

    @Test func rejectsBadInput() throws {
        #expect(throws: DataFolioError.self) { try ZipArchive(bytes: []) }
        #expect(throws: DataFolioError.self) { try ZipArchive(bytes: Array(repeating: 0, count: 100)) }
        let writer = ZipWriter()
        try writer.addEntry(named: "x", contents: ZipTestData.text(1000), method: .stored)
        let good = try writer.finish()
        // A flipped data byte fails the CRC-32 check.
        var damaged = good
        damaged[40] ^= 0xFF
        let archive = try ZipArchive(bytes: damaged)
        #expect(throws: DataFolioError.self) { try archive.contents(named: "x") }
        // A directory that claims more entries than it can hold.
        var lying = good
        lying[lying.count - 12] = 0xFF
        lying[lying.count - 11] = 0xFF
        #expect(throws: DataFolioError.self) { try ZipArchive(bytes: lying) }
        // The size limit refuses large entries before decompressing.
        #expect(throws: DataFolioError.self) { try ZipArchive(bytes: good).contents(named: "x", maximumSize: 10) }
    }

    @Test func writerRejectsMisuse() throws {
        let writer = ZipWriter()
        #expect(throws: DataFolioError.self) { try writer.addEntry(named: "", contents: []) }
        #expect(throws: DataFolioError.self) { try writer.writeEntryData([1]) }
        try writer.beginEntry(named: "open")
        #expect(throws: DataFolioError.self) { try writer.addEntry(named: "other", contents: []) }
        #expect(throws: DataFolioError.self) { try writer.finish() }
        try writer.endEntry()
        try writer.finish()
        #expect(throws: DataFolioError.self) { try writer.finish() }
    }

    @Test func survivesCorruption() throws {
        let writer = ZipWriter()
        for (name, contents) in ZipTestData.entries {
            try writer.addEntry(named: name, contents: Array(contents.prefix(2000)), method: name.count % 2 == 0 ? .stored : .deflate)
        }
        let good = try writer.finish()
        var generator = SeededRandom(seed: 0x5A17)
        var failures = 0
        for round in 0..<3000 {
            var bytes = good
            if round % 3 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            } else {
                for _ in 0..<(1 + round % 4) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
                }
            }
            do {
                let archive = try ZipArchive(bytes: bytes)
                for entry in archive.entries { _ = try archive.contents(of: entry) }
            } catch {
                failures += 1
            }
        }
        #expect(failures > 1000)
    }
}
