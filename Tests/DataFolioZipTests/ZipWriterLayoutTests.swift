import DataFolioSupport
import DataFolioTestSupport
@testable import DataFolioZip
import Foundation
import Testing

/// The record conventions of ``ZipWriterOptions``: alignment padding fields and
/// PyTorch's layout, down to the byte.
@Suite("ZIP writer layouts")
struct ZipWriterLayoutTests {
    /// The fields of one local header and what follows its data.
    struct LocalRecord {
        var version: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var extra: [UInt8]
        var dataOffset: Int
    }

    func localRecord(_ bytes: [UInt8], _ entry: ZipEntry) throws -> LocalRecord {
        let o = entry.localHeaderOffset
        try #require(bytes.readLE32(at: o) == 0x0403_4B50)
        let nameLength = Int(bytes.readLE16(at: o + 26)), extraLength = Int(bytes.readLE16(at: o + 28))
        let extraStart = o + 30 + nameLength
        return LocalRecord(
            version: bytes.readLE16(at: o + 4), flags: bytes.readLE16(at: o + 6), crc: bytes.readLE32(at: o + 14),
            compressedSize: bytes.readLE32(at: o + 18), uncompressedSize: bytes.readLE32(at: o + 22),
            extra: Array(bytes[extraStart..<(extraStart + extraLength)]), dataOffset: extraStart + extraLength)
    }

    /// The extra fields of a local header, by ID.
    func extraFields(_ extra: [UInt8]) -> [(id: UInt16, data: [UInt8])] {
        var fields: [(UInt16, [UInt8])] = []
        var offset = 0
        while offset + 4 <= extra.count {
            let length = Int(extra.readLE16(at: offset + 2))
            fields.append((extra.readLE16(at: offset), Array(extra[(offset + 4)..<min(extra.count, offset + 4 + length)])))
            offset += 4 + length
        }
        return fields
    }

    @Test func repacksTorchSaveOutputByteForByte() throws {
        let path = fixturesFolder().appendingPathComponent("tensors.pt").path
        let original = try LocalFile.read(path)
        let archive = try ZipArchive(bytes: original)
        let inMemory = ZipWriter(options: .pytorch)
        let folder = TemporaryFolder("zip-torch")
        let file = try FileWriter(creating: folder.path("copy.pt"), computeMD5: true)
        let streamed = ZipWriter(writingTo: file, options: .pytorch)
        for entry in archive.entries {
            let contents = try archive.contents(of: entry)
            try inMemory.addEntry(named: entry.name, contents: contents, method: .stored, alignment: 64)
            try streamed.addEntry(named: entry.name, contents: contents, method: .stored, alignment: 64)
        }
        let bytes = try inMemory.finish()
        #expect(bytes.count == original.count)
        let difference = zip(bytes, original).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(difference == nil, "the same bytes as torch.save; the first difference is at byte \(difference ?? -1)")
        #expect(try streamed.finish().isEmpty)
        #expect(try file.finish(sync: false) == MD5.hex(of: original))
    }

    @Test func pytorchRecordsLookLikeMiniz() throws {
        let writer = ZipWriter(options: .pytorch)
        try writer.addEntry(named: "m/data.pkl", contents: [0x80, 0x02, 0x2E], method: .stored, alignment: 64)
        try writer.addEntry(named: "m/data/0", contents: [], method: .stored, alignment: 64)
        try writer.addEntry(named: "m/ünïcode", contents: Array("x".utf8), method: .deflate)
        let bytes = try writer.finish()
        let archive = try ZipArchive(bytes: bytes)
        let pickle = try localRecord(bytes, archive.entries[0])
        #expect(pickle.version == 0 && pickle.flags == 0x0808 && pickle.crc == 0 && pickle.compressedSize == 0)
        #expect(pickle.dataOffset % 64 == 0)
        let fields = extraFields(pickle.extra)
        #expect(fields.map(\.id) == [0x4246])
        #expect(fields.first?.data.allSatisfy { $0 == UInt8(ascii: "Z") } == true)
        // A 16-byte descriptor follows the data.
        #expect(bytes.readLE32(at: pickle.dataOffset + 3) == 0x0807_4B50)
        #expect(bytes.readLE32(at: pickle.dataOffset + 3 + 4) == archive.entries[0].crc32)
        #expect(bytes.readLE32(at: pickle.dataOffset + 3 + 8) == 3 && bytes.readLE32(at: pickle.dataOffset + 3 + 12) == 3)
        #expect(archive.entries[1].localHeaderOffset == pickle.dataOffset + 3 + 16)

        // An empty record has no descriptor and does not announce one.
        let empty = try localRecord(bytes, archive.entries[1])
        #expect(empty.flags == 0x0800 && empty.dataOffset % 64 == 0)
        #expect(archive.entries[2].localHeaderOffset == empty.dataOffset)
        #expect(archive.entries[1].flags == 0x0800)

        let packed = try localRecord(bytes, archive.entries[2])
        #expect(packed.version == 20 && packed.flags == 0x0808 && packed.extra.isEmpty)
        #expect(try archive.contents(of: archive.entries[2]) == Array("x".utf8))
        #expect(archive.entries.allSatisfy { $0.dosTime == 0 && $0.dosDate == 0 })
        // ZIP64 end records, always.
        #expect(bytes.readLE32(at: bytes.count - 22 - 20) == 0x0706_4B50)
        #expect(bytes.readLE16(at: bytes.count - 22 - 20 - 56 + 12) == 0x031E)
    }

    @Test(arguments: [2, 3, 7, 64, 4096, 32768])
    func alignsWithEveryPaddingStyle(alignment: Int) throws {
        let custom = ZipAlignmentPadding(extraFieldID: 0xCAFE, fill: 0xEE, recordsAlignment: false)
        for padding in [ZipAlignmentPadding.zipalign, .pytorch, custom] {
            for style in [ZipWriterOptions.RecordStyle.standard, .pytorch] {
                let writer = ZipWriter(options: ZipWriterOptions(style: style, padding: padding))
                for (index, size) in [0, 1, 100].enumerated() {
                    try writer.addEntry(named: "e\(index)", contents: ZipTestData.bytes(size, seed: 1), method: .stored, alignment: alignment)
                    try writer.addEntry(named: "packed\(index)", contents: ZipTestData.text(50), method: .deflate, alignment: alignment)
                }
                try writer.beginEntry(named: "streamed", method: .stored, alignment: alignment)
                try writer.writeEntryData([1, 2, 3])
                try writer.endEntry()
                let bytes = try writer.finish()
                let archive = try ZipArchive(bytes: bytes)
                for entry in archive.entries {
                    #expect(try archive.contents(of: entry).count == entry.uncompressedSize)
                    let record = try localRecord(bytes, entry)
                    let padFields = extraFields(record.extra).filter { $0.id == padding.extraFieldID }
                    if entry.method == .deflate {
                        #expect(padFields.isEmpty, "compressed data is not padded")
                        continue
                    }
                    #expect(record.dataOffset % alignment == 0, "\(entry.name) in \(style)")
                    let field = try #require(padFields.first)
                    if padding.recordsAlignment {
                        #expect(field.data.readLE16(at: 0) == UInt16(alignment))
                        #expect(field.data.dropFirst(2).allSatisfy { $0 == padding.fill })
                    } else {
                        #expect(field.data.allSatisfy { $0 == padding.fill })
                    }
                }
            }
        }
    }

    @Test func refusesAlignmentsOutOfRange() throws {
        let writer = ZipWriter(options: .pytorch)
        for alignment in [0, -1, -64, 32769, Int.max, Int.min] {
            expectZipError(.invalidArgument) { () throws(DataFolioError) in
                try writer.addEntry(named: "a", contents: [1], method: .stored, alignment: alignment)
            }
            expectZipError(.invalidArgument) { () throws(DataFolioError) in
                try writer.beginEntry(named: "b", method: .stored, alignment: alignment)
            }
        }
        // Refusals leave the writer usable.
        try writer.addEntry(named: "ok", contents: [1], method: .stored, alignment: 1)
        let archive = try ZipArchive(bytes: writer.finish())
        #expect(archive.entries.map(\.name) == ["ok"])
        #expect(ZipWriter.maximumAlignment == 32768)
        expectZipError(.unsupportedFeature) { () throws(DataFolioError) in
            try ZipWriter().addEntry(named: "x", contents: [1], method: ZipCompressionMethod(rawValue: 14))
        }
    }

    /// A PyTorch-style archive where some records need ZIP64 fields, made by lowering
    /// the thresholds instead of writing gigabytes.
    func mixedPyTorchArchive(file: FileWriter? = nil) throws -> (ZipWriter, [(String, [UInt8])]) {
        let writer = ZipWriter(file: file, options: .pytorch, sizeLimit: 300, countLimit: 5)
        var written: [(String, [UInt8])] = []
        let plan: [(String, [UInt8], ZipCompressionMethod)] = [
            ("a/data.pkl", ZipTestData.bytes(100, seed: 1), .stored),
            ("a/big", ZipTestData.bytes(1000, seed: 2), .stored),
            ("a/late-small", Array("late".utf8), .stored),
            ("a/late-empty", [], .stored),
            ("a/packed", ZipTestData.text(5000), .deflate),
            ("a/sixth", ZipTestData.bytes(50, seed: 3), .stored),
        ]
        for (name, contents, method) in plan {
            try writer.addEntry(named: name, contents: contents, method: method, alignment: 64)
            written.append((name, contents))
        }
        try writer.beginEntry(named: "a/streamed", method: .stored, alignment: 64)
        try writer.writeEntryData(ZipTestData.bytes(700, seed: 4))
        try writer.endEntry()
        written.append(("a/streamed", ZipTestData.bytes(700, seed: 4)))
        return (writer, written)
    }

    @Test func pytorchZip64Records() throws {
        let (writer, written) = try mixedPyTorchArchive()
        let bytes = try writer.finish()
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.name) == written.map(\.0))
        for (name, contents) in written {
            let entry = try #require(archive.entry(named: name))
            #expect(try archive.contents(of: entry) == contents, "\(name)")
            let record = try localRecord(bytes, entry)
            #expect(record.compressedSize == 0 && record.uncompressedSize == 0 && record.crc == 0)
            let zip64: [UInt8] = extraFields(record.extra).first(where: { $0.id == 0x0001 }).map { $0.data } ?? []
            let largeSize = contents.count >= 300 || entry.compressedSize >= 300
            let largeOffset = entry.localHeaderOffset >= 300
            if name == "a/streamed" {
                // Sizes unknown when the header is written: zeros, 8-byte descriptor sizes.
                #expect(zip64.count == 16 + (largeOffset ? 8 : 0) && zip64.prefix(16).allSatisfy { $0 == 0 })
            } else {
                #expect(zip64.count == (largeSize ? 16 : 0) + (largeOffset ? 8 : 0), "\(name)")
                if largeSize { #expect(zip64.readLE64(at: 0) == UInt64(contents.count) && zip64.readLE64(at: 8) == 0) }
            }
            if largeOffset { #expect(zip64.readLE64(at: zip64.count - 8) == UInt64(entry.localHeaderOffset)) }
            if !contents.isEmpty {
                let descriptor = record.dataOffset + entry.compressedSize
                #expect(bytes.readLE32(at: descriptor) == 0x0807_4B50 && bytes.readLE32(at: descriptor + 4) == entry.crc32)
                let next = archive.entries.first { $0.index == entry.index + 1 }?.localHeaderOffset
                let descriptorSize = zip64.isEmpty ? 16 : 24
                if let next { #expect(next == descriptor + descriptorSize, "\(name)") }
            }
        }
        // More entries than the (lowered) count limit: the short count says "see ZIP64".
        #expect(bytes.readLE16(at: bytes.count - 12) == 0xFFFF)
    }

    @Test func pytorchForcedZip64() throws {
        let writer = ZipWriter(options: ZipWriterOptions(style: .pytorch, padding: .pytorch, forceZip64: true))
        #expect(writer.forceZip64)
        for (name, contents) in ZipTestData.entries where !name.hasSuffix("/") {
            try writer.addEntry(named: name, contents: contents, method: .stored, alignment: 64)
        }
        let archive = try ZipArchive(bytes: writer.finish())
        for (name, contents) in ZipTestData.entries where !name.hasSuffix("/") {
            #expect(try archive.contents(named: name) == contents)
        }
    }

    @Test func largeStoredEntriesAreChecksummedWhileWritten() throws {
        let folder = TemporaryFolder("zip-large")
        let large = ZipTestData.bytes(5 << 20, seed: 9)
        let file = try FileWriter(creating: folder.path("large.zip"), computeMD5: true)
        let writer = ZipWriter(writingTo: file, options: .pytorch)
        try writer.addEntry(named: "x/data/0", contents: large, method: .stored, alignment: 64)
        try writer.addEntry(named: "x/version", contents: Array("3\n".utf8), method: .stored, alignment: 64)
        try writer.finish()
        let digest = try file.finish(sync: false)
        let archive = try ZipArchive(path: folder.path("large.zip"))
        let entry = try #require(archive.entry(named: "x/data/0"))
        #expect(entry.crc32 == CRC32.checksum(large))
        #expect(try archive.contents(of: entry) == large)
        #expect(try digest == MD5.hex(of: LocalFile.read(folder.path("large.zip"))))
    }

    @Test(.interop) func pythonReadsPyTorchStyleArchives() throws {
        let folder = TemporaryFolder("zip-torch-style")
        let file = try FileWriter(creating: folder.path("mixed.zip"), computeMD5: false)
        let (writer, written) = try mixedPyTorchArchive(file: file)
        try writer.finish()
        try file.finish(sync: false)
        let forced = ZipWriter(options: ZipWriterOptions(style: .pytorch, padding: .pytorch, forceZip64: true))
        for (name, contents) in written { try forced.addEntry(named: name, contents: contents, method: .stored, alignment: 64) }
        try LocalFile.writeAtomically(forced.finish(), to: folder.path("forced.zip"), sync: false)
        for (name, contents) in written {
            try LocalFile.writeAtomically(contents, to: folder.path(name.replacingOccurrences(of: "/", with: "_")), sync: false)
        }
        let output = try InteropPython.run(
            """
            import sys, os, zipfile
            folder = sys.argv[1]
            for label in ('mixed', 'forced'):
                with zipfile.ZipFile(os.path.join(folder, label + '.zip')) as z:
                    assert z.testzip() is None
                    for info in z.infolist():
                        expected = open(os.path.join(folder, info.filename.replace('/', '_')), 'rb').read()
                        assert z.read(info) == expected, (label, info.filename)
                    print(label, len(z.infolist()))
            """, arguments: [folder.path])
        #expect(output.stdout == "mixed \(written.count)\nforced \(written.count)\n")
    }
}

func expectZipError(
    _ code: DataFolioError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(DataFolioError) -> Void
) {
    do {
        try body()
        Issue.record("expected a \(code) error", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
    }
}

extension Array where Element == UInt8 {
    func readLE16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func readLE64(at offset: Int) -> UInt64 {
        UInt64(readLE32(at: offset)) | UInt64(readLE32(at: offset + 4)) << 32
    }
}
