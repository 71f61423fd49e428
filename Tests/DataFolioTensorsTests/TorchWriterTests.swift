import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import DataFolioTensors
import DataFolioTestSupport
import DataFolioZip
import Foundation
import Testing

@Suite("PyTorch writer")
struct TorchWriterTests {
    @Test func roundTripsEveryDtype() throws {
        let tensors = try torchSampleTensors()
        let bytes = try TorchFile.serialized(.stateDictionary(tensors))
        #expect(try TorchFile.read(bytes: bytes).stateDictionary() == tensors)
        let folder = TemporaryFolder("torch-writer")
        try TorchFile.write(.stateDictionary(tensors), to: folder.path("all.pt"))
        let back = try TorchFile.read(at: folder.path("all.pt")).stateDictionary()
        #expect(back == tensors)
        #expect(back.names == tensors.names)
    }

    @Test func writesPyTorchsLayout() throws {
        let folder = TemporaryFolder("torch-layout")
        let path = folder.path("my.model.pt")
        try TorchFile.write(.stateDictionary(["a": NDArray([1, 2, 3] as [Float]), "b": NDArray([true])]), to: path)
        let archive = try ZipArchive(path: path)
        #expect(archive.entries.map(\.name) == [
            "my.model/data.pkl", "my.model/.format_version", "my.model/.storage_alignment", "my.model/byteorder",
            "my.model/data/0", "my.model/data/1", "my.model/version", "my.model/.data/serialization_id",
        ])
        for entry in archive.entries {
            #expect(entry.dataOffset % 64 == 0, "\(entry.name) starts at \(entry.dataOffset)")
            #expect(entry.method == .stored)
        }
        #expect(try archive.contents(named: "my.model/version") == Array("3\n".utf8))
        #expect(try archive.contents(named: "my.model/byteorder") == Array("little".utf8))
        #expect(try archive.contents(named: "my.model/.storage_alignment") == Array("64".utf8))
        let id = try archive.contents(named: "my.model/.data/serialization_id")
        #expect(id.count == 40 && id.allSatisfy { (0x30...0x39).contains($0) })
        let pickle = try archive.contents(named: "my.model/data.pkl")
        #expect(pickle.prefix(2) == [0x80, 0x02])

        let inMemory = try ZipArchive(bytes: try TorchFile.serialized(.null))
        #expect(inMemory.entries.first?.name == "archive/data.pkl")
        let named = try ZipArchive(bytes: try TorchFile.serialized(.null, options: TorchWriteOptions(archiveName: "net")))
        #expect(named.entries.first?.name == "net/data.pkl")
        expectError([.invalidArgument]) { _ = try TorchFile.serialized(.null, options: TorchWriteOptions(archiveName: "a/b")) }
        expectError([.invalidArgument]) { _ = try TorchFile.serialized(.null, options: TorchWriteOptions(archiveName: "")) }
    }

    @Test func fixturesSurviveARoundTrip() throws {
        for name in ["dtypes.pt", "views.pt", "module_state.pt", "adam.pt", "checkpoint.pt", "objects.pt", "big_endian.pt"] {
            let value = try TorchFile.read(at: fixture(name))
            let again = try TorchFile.read(bytes: try TorchFile.serialized(value))
            #expect(again == value, "\(name)")
        }
    }

    @Test func writesNonCanonicalArraysCanonically() throws {
        let columnMajor = try NDArray(shape: [2, 2], dtype: .int16, bytes: [1, 0, 3, 0, 2, 0, 4, 0], order: .columnMajor)
        let bigEndian = try NDArray(shape: [2], dtype: DType(kind: .float, itemSize: 8, byteOrder: .bigEndian),
                                    bytes: [0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0])
        let back = try TorchFile.read(bytes: try TorchFile.serialized(.stateDictionary(["c": columnMajor, "b": bigEndian]))).stateDictionary()
        #expect(try back["c"]?.values(as: Int16.self) == [1, 2, 3, 4])
        #expect(try back["b"]?.values(as: Double.self) == [1.5, -2])
    }

    @Test func refusesValuesNestedTooDeeply() {
        var deep = TorchValue.null
        for _ in 0..<1_000 { deep = .list([deep]) }
        expectError([.limitExceeded]) { _ = try TorchFile.serialized(deep) }
    }

    @Test func refusesArraysPyTorchCannotHold() throws {
        let text = try NDArray(shape: [1], strings: ["x"])
        expectError([.unsupportedFeature]) { _ = try TorchFile.serialized(.stateDictionary(["s": text])) }
        let folder = TemporaryFolder("torch-refuse")
        expectError([.unsupportedFeature]) { try TorchFile.write(.stateDictionary(["s": text]), to: folder.path("x.pt")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "no partial file is left behind")
    }

    @Test func modelCheckpointLayout() throws {
        let weights: TensorDictionary = ["fc.weight": try NDArray(shape: [1, 2], [0.5, -1] as [Float]), "fc.bias": NDArray([0] as [Float])]
        let checkpoint = TorchModelCheckpoint(
            stateDictionary: weights, modelClass: "Tiny", modelModule: "models",
            initArguments: ["width": 2, "act": "relu", "scale": 1.5, "layers": [1, 2], "none": nil])
        let value = checkpoint.torchValue
        #expect(value.dictionaryValue?.keys == [.string("state_dict"), .string("metadata")])
        #expect(value["state_dict"]?.dictionaryValue?.isOrdered == true)
        #expect(value["metadata"]?.dictionaryValue?.isOrdered == false)
        #expect(value["metadata"]?["init_args"]?["layers"] == .list([.int(1), .int(2)]))
        let back = try TorchModelCheckpoint(TorchFile.read(bytes: try TorchFile.serialized(value)))
        #expect(back == checkpoint)
        #expect(try value.stateDictionary() == weights)

        expectError([.typeMismatch]) { _ = try TorchModelCheckpoint(.int(1)) }
        expectError([.typeMismatch]) {
            _ = try TorchModelCheckpoint(.dict(TorchDictionary([
                TorchPair(.string("state_dict"), .stateDictionary(weights)), TorchPair(.string("metadata"), .dict(TorchDictionary())),
            ])))
        }
    }

    @Test func jsonConversions() throws {
        let json: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": -3]]
        #expect(try TorchValue(json: json).jsonValue() == json)
        #expect(try TorchValue.tuple([.int(1)]).jsonValue() == [1])
        expectError([.typeMismatch]) { _ = try TorchValue.tensor(TorchTensor(NDArray([1] as [Float]))).jsonValue() }
        expectError([.typeMismatch]) { _ = try TorchValue.dict(TorchDictionary([TorchPair(.int(1), .null)])).jsonValue() }
    }

    @Test func dictionaryKeysStayUniqueAndOrdered() {
        var dictionary = TorchDictionary([TorchPair(.string("a"), .int(1)), TorchPair(.int(2), .int(2)), TorchPair(.string("a"), .int(3))])
        #expect(dictionary.keys == [.string("a"), .int(2)])
        #expect(dictionary["a"] == .int(3))
        dictionary[key: .tuple([.int(1)])] = .string("tuple key")
        dictionary["a"] = nil
        #expect(dictionary.keys == [.int(2), .tuple([.int(1)])])
        #expect(dictionary[key: .int(2)] == .int(2))
        #expect(dictionary[key: .tuple([.int(1)])] == .string("tuple key"))
        dictionary["z"] = .null
        #expect(dictionary.keys.last == .string("z"))
    }
}

@Suite("Rewriting mapped files")
struct MappedRewriteTests {
    @Test func aFileCanBeRewrittenFromItsOwnMappedTensors() throws {
        let folder = TemporaryFolder("rewrite")
        let tensors = try torchSampleTensors()

        let pt = folder.path("w.pt")
        try TorchFile.write(.stateDictionary(tensors), to: pt)
        let mappedPT = try TorchFile.read(at: pt).stateDictionary()
        #expect(mappedPT["f32"]?.isMemoryMapped == true)
        try TorchFile.write(.stateDictionary(mappedPT), to: pt, options: TorchWriteOptions(sync: false))
        #expect(try TorchFile.read(at: pt).stateDictionary() == tensors)
        try TorchFile.write(.null, to: pt)
        #expect(mappedPT == tensors, "the old mapping survives the replacement")

        var safe = tensors
        for name in ["u64", "c128"] { safe[name] = nil }
        let st = folder.path("w.safetensors")
        try SafetensorsFile(tensors: safe).write(to: st)
        let mappedST = try SafetensorsFile(contentsOf: st)
        try mappedST.write(to: st, sync: false)
        #expect(try SafetensorsFile(contentsOf: st).tensors == safe)
        try SafetensorsFile().write(to: st)
        #expect(mappedST.tensors == safe)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["w.pt", "w.safetensors"])
    }
}
