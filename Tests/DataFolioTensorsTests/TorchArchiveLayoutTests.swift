import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
@testable import DataFolioTensors
import DataFolioTestSupport
@testable import DataFolioZip
import Foundation
import Testing

/// The ZIP container `TorchFile` writes, compared with what `torch.save` writes.
@Suite("PyTorch archive layout")
struct TorchArchiveLayoutTests {
    /// Fixtures written by `torch.save` itself (big_endian.pt is rewritten by Python's
    /// zipfile, legacy.pt is not a zip archive).
    static let torchWritten = ["adam.pt", "checkpoint.pt", "dtypes.pt", "little.pt", "module_state.pt", "objects.pt", "views.pt"]

    @Test(arguments: torchWritten)
    func repacksTorchSaveOutputByteForByte(name: String) throws {
        let original = try LocalFile.read(fixture(name))
        let archive = try ZipArchive(bytes: original)
        let writer = ZipWriter(options: .pytorch)
        for entry in archive.entries {
            try writer.addEntry(
                named: entry.name, contents: archive.contents(of: entry), method: .stored, alignment: TorchFile.storageAlignment)
        }
        let bytes = try writer.finish()
        let difference = zip(bytes, original).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(bytes.count == original.count && difference == nil, "\(name): first difference at byte \(difference ?? -1)")
    }

    /// The same comparison against a file the installed PyTorch writes now.
    @Test(.interop) func repacksFreshTorchSaveOutputByteForByte() throws {
        let folder = TemporaryFolder("torch-repack")
        let path = folder.path("fresh.pt")
        try InteropPython.run(
            """
            import sys, torch
            torch.save({"w": torch.arange(1000, dtype=torch.float32).reshape(10, 100), "empty": torch.zeros(0, 3),
                        "b": torch.tensor([True, False]), "h": torch.ones(7, dtype=torch.float16)}, sys.argv[1])
            """, arguments: [path])
        let original = try LocalFile.read(path)
        let archive = try ZipArchive(bytes: original)
        let writer = ZipWriter(options: .pytorch)
        for entry in archive.entries {
            try writer.addEntry(
                named: entry.name, contents: archive.contents(of: entry), method: .stored, alignment: TorchFile.storageAlignment)
        }
        let bytes = try writer.finish()
        let difference = zip(bytes, original).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(bytes.count == original.count && difference == nil, "first difference at byte \(difference ?? -1)")
    }

    @Test func emptyStoragesHaveNoDescriptor() throws {
        let bytes = try TorchFile.serialized(.stateDictionary(["empty": try NDArray(shape: [0, 4], [] as [Float]), "one": NDArray([1] as [Float])]))
        let archive = try ZipArchive(bytes: bytes)
        let empty = try #require(archive.entry(named: "archive/data/0"))
        #expect(empty.uncompressedSize == 0 && empty.flags == 0x0800)
        let next = try #require(archive.entries.first { $0.index == empty.index + 1 })
        #expect(next.localHeaderOffset == empty.dataOffset)
        #expect(try TorchFile.read(bytes: bytes).stateDictionary()["empty"]?.shape == [0, 4])
    }

    @Test func hashesWhatItWritesToAFileWriter() throws {
        let folder = TemporaryFolder("torch-md5")
        // Over 4 MiB, so the data is checksummed and hashed on other threads while written.
        let large = try NDArray(shape: [1 << 20, 2], (0..<(2 << 20)).map { Float($0) })
        let weights: TensorDictionary = ["large": large, "small": NDArray([1, 2, 3] as [Int64])]
        let writer = try FileWriter(creating: folder.path("net.pt"), computeMD5: true)
        try TorchFile.write(.stateDictionary(weights), to: writer, archiveName: "net")
        let digest = try writer.finish(sync: false)
        let bytes = try LocalFile.read(folder.path("net.pt"))
        #expect(digest == MD5.hex(of: bytes))
        #expect(try ZipArchive(bytes: bytes).entries.first?.name == "net/data.pkl")
        #expect(try TorchFile.read(at: folder.path("net.pt")).stateDictionary() == weights)
        expectError([.invalidArgument]) {
            try TorchFile.write(.null, to: try FileWriter(creating: folder.path("bad.pt"), computeMD5: false), archiveName: "a/b")
        }
    }

    /// `torch.load` on an archive whose records use ZIP64 fields, made small by lowering
    /// the thresholds (a real one needs more than 4 GiB).
    @Test(.interop) func torchLoadsArchivesWithZip64Records() throws {
        let folder = TemporaryFolder("torch-zip64")
        let tensors = try torchSampleTensors()
        let file = try FileWriter(creating: folder.path("mixed.pt"), computeMD5: false)
        let zip = ZipWriter(file: file, options: .pytorch, sizeLimit: 200, countLimit: 5)
        try TorchFile.encode(.stateDictionary(tensors), archiveName: "mixed", into: zip)
        try zip.finish()
        try file.finish(sync: false)
        let archive = try ZipArchive(path: folder.path("mixed.pt"))
        #expect(archive.entries.count > 5 && archive.entries.contains { $0.localHeaderOffset >= 200 })
        #expect(try TorchFile.read(at: folder.path("mixed.pt")).stateDictionary() == tensors)
        let output = try InteropPython.run(pythonDump + #"""
import torch, zipfile
path = sys.argv[1]
assert zipfile.ZipFile(path).testzip() is None
obj = torch.load(path, weights_only=True)
mapped = torch.load(path, weights_only=True, mmap=True)
assert all(torch.equal(mapped[k], obj[k]) for k in obj)
print(json.dumps(dump(obj)))
"""#, arguments: [folder.path("mixed.pt")])
        try expectMatches(.stateDictionary(tensors), try JSONValue(parsing: output.stdout))
    }
}
