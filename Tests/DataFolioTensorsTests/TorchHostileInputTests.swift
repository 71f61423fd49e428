import DataFolioNumPy
import DataFolioSupport
import DataFolioTensors
import DataFolioTestSupport
import DataFolioZip
import Foundation
import Testing

/// A zip archive in PyTorch's layout around any pickle and storage records.
func torchArchive(pickle: [UInt8], records: [(String, [UInt8])] = [], prefix: String = "archive", extra: [(String, [UInt8])] = []) throws -> [UInt8] {
    let writer = ZipWriter()
    try writer.addEntry(named: "\(prefix)/data.pkl", contents: pickle, method: .stored)
    for (name, bytes) in extra { try writer.addEntry(named: "\(prefix)/\(name)", contents: bytes, method: .stored) }
    for (key, bytes) in records { try writer.addEntry(named: "\(prefix)/data/\(key)", contents: bytes, method: .stored, alignment: 64) }
    return try writer.finish()
}

/// The pickle of `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`.
func tensorRecord(
    key: String = "0", storage: String = "FloatStorage", numel: Int64, offset: Int64 = 0, size: [Int64], stride: [Int64],
    function: String = "_rebuild_tensor_v2", extraArguments: [PickleValue] = []
) -> PickleValue {
    let id = PickleValue.persistentID(.tuple([
        .string("storage"), .global(module: "torch", name: storage), .string(key), .string("cpu"), .int(numel),
    ]))
    return .object(PickleObject(
        callable: .global(module: "torch._utils", name: function),
        arguments: [id, .int(offset), .tuple(size.map { .int($0) }), .tuple(stride.map { .int($0) }), .bool(false),
                    .dict(PickleDictionary([], isOrdered: true))] + extraArguments))
}

func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Suite("PyTorch hostile input")
struct TorchHostileInputTests {
    @Test func osSystemPayloadIsRefusedOrKeptInert() throws {
        let folder = TemporaryFolder("torch-hostile")
        let marker = folder.path("pwned")
        let bytes = try torchArchive(pickle: Array("cos\nsystem\n(S'touch \(marker)'\ntR.".utf8))
        do {
            _ = try TorchFile.read(bytes: bytes)
            Issue.record("expected the global to be refused")
        } catch {
            #expect(error.code == .unsupportedFeature)
            #expect(error.message.contains("os.system"))
        }
        let value = try TorchFile.read(bytes: bytes, options: TorchReadOptions(allowsOpaqueObjects: true))
        guard case .opaque(.object(let object)) = value else {
            Issue.record("expected an opaque record, got \(value)")
            return
        }
        #expect(object.callableName == "os.system")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func evalAndWholeModulePicklesAreRefused() throws {
        var eval: [UInt8] = [0x80, 0x04, 0x8C, 8] + Array("builtins".utf8) + [0x8C, 4] + Array("eval".utf8) + [0x93]
        eval += [0x8C, 12] + Array("__import__()".utf8) + [0x85, UInt8(ascii: "R"), UInt8(ascii: ".")]
        expectError([.unsupportedFeature], "eval") { _ = try TorchFile.read(bytes: try torchArchive(pickle: eval)) }

        // A whole nn.Module pickled with torch.save(model): its class is Python code.
        let module = PickleValue.object(PickleObject(
            callable: .global(module: "__main__", name: "Net"), construction: .newObject,
            state: .dict(PickleDictionary([PicklePair(.string("_parameters"), .dict(PickleDictionary([], isOrdered: true)))]))))
        let pickle = try PickleWriter().serialize(module)
        let archive = try torchArchive(pickle: pickle)
        do {
            _ = try TorchFile.read(bytes: archive)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("__main__.Net"))
        }
        let opaque = try TorchFile.read(bytes: archive, options: TorchReadOptions(allowsOpaqueObjects: true))
        #expect(opaque == .opaque(module))
    }

    @Test func wellFormedCraftedTensorsLoad() throws {
        let pickle = try PickleWriter().serialize(.dict(PickleDictionary([
            PicklePair(.string("t"), tensorRecord(numel: 6, offset: 1, size: [2, 2], stride: [1, 2])),
        ])))
        let value = try TorchFile.read(bytes: try torchArchive(pickle: pickle, records: [("0", floatBytes([0, 1, 2, 3, 4, 5]))]))
        #expect(try value["t"]?.tensorValue?.values(as: Float.self) == [1, 3, 2, 4])
    }

    @Test(arguments: [
        ("missing storage", tensorRecord(key: "7", numel: 2, size: [2], stride: [1]), DataFolioError.Code.corruptData),
        ("storage larger than its record", tensorRecord(numel: 100, size: [2], stride: [1]), .truncatedData),
        ("view beyond its storage", tensorRecord(numel: 2, offset: 1, size: [2], stride: [1]), .corruptData),
        ("stride beyond its storage", tensorRecord(numel: 2, size: [2, 2], stride: [2, 1]), .corruptData),
        ("size overflow", tensorRecord(numel: 2, size: [1 << 62, 1 << 62], stride: [1, 1]), .corruptData),
        ("stride overflow", tensorRecord(numel: 2, size: [3], stride: [Int64.max]), .corruptData),
        ("negative stride", tensorRecord(numel: 2, size: [2], stride: [-1]), .corruptData),
        ("negative offset", tensorRecord(numel: 2, offset: -1, size: [1], stride: [1]), .corruptData),
        ("size and stride lengths differ", tensorRecord(numel: 2, size: [2], stride: [1, 1]), .corruptData),
        ("huge numel", tensorRecord(numel: Int64.max, size: [1], stride: [1]), .corruptData),
        ("unknown storage type", tensorRecord(storage: "FancyStorage", numel: 2, size: [2], stride: [1]), .unsupportedFeature),
        ("unknown v3 dtype", tensorRecord(numel: 2, size: [2], stride: [1], function: "_rebuild_tensor_v3",
                                          extraArguments: [.global(module: "torch", name: "float8_e4m3fn")]), .unsupportedFeature),
        ("sparse tensor", .object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_sparse_tensor"),
                                                arguments: [.int(0)])), .unsupportedFeature),
        ("quantized tensor", .object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_qtensor"),
                                                   arguments: [])), .unsupportedFeature),
        ("parameter without tensor", .object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_parameter"),
                                                           arguments: [.int(1), .bool(true)])), .corruptData),
        ("tensor with bad arguments", .object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_tensor_v2"),
                                                            arguments: [.null, .null, .null, .null])), .corruptData),
    ] as [(String, PickleValue, DataFolioError.Code)])
    func craftedTensorsGiveClearErrors(label: String, tensor: PickleValue, code: DataFolioError.Code) throws {
        let pickle = try PickleWriter().serialize(.dict(PickleDictionary([PicklePair(.string("t"), tensor)])))
        let bytes = try torchArchive(pickle: pickle, records: [("0", floatBytes([1, 2]))])
        expectError([code], label) { _ = try TorchFile.read(bytes: bytes) }
    }

    @Test func containerProblemsGiveClearErrors() throws {
        expectError([.corruptData], "empty") { _ = try TorchFile.read(bytes: []) }
        expectError([.corruptData], "text") { _ = try TorchFile.read(bytes: Array("hello, world".utf8)) }
        var tar = [UInt8](repeating: 0, count: 1024)
        for (i, byte) in "ustar".utf8.enumerated() { tar[257 + i] = byte }
        expectError([.unsupportedFeature], "tar") { _ = try TorchFile.read(bytes: tar) }
        let script = try torchArchive(pickle: [0x80, 0x02, 0x4E, 0x2E], prefix: "model", extra: [])
        _ = try TorchFile.read(bytes: script)  // a lone None is a valid .pt file
        let writer = ZipWriter()
        try writer.addEntry(named: "model/constants.pkl", contents: [0x80, 0x02, 0x4E, 0x2E], method: .stored)
        try writer.addEntry(named: "model/code/__torch__.py", contents: Array("def f(): pass".utf8), method: .stored)
        expectError([.unsupportedFeature], "TorchScript") { _ = try TorchFile.read(bytes: try writer.finish()) }
        let noPickle = ZipWriter()
        try noPickle.addEntry(named: "x/other", contents: [1], method: .stored)
        expectError([.corruptData], "no data.pkl") { _ = try TorchFile.read(bytes: try noPickle.finish()) }
        let flat = ZipWriter()
        try flat.addEntry(named: "data.pkl", contents: [0x4E, 0x2E], method: .stored)
        expectError([.corruptData], "no folder") { _ = try TorchFile.read(bytes: try flat.finish()) }
        let order = try torchArchive(pickle: [0x4E, 0x2E], extra: [("byteorder", Array("middle".utf8))])
        expectError([.corruptData], "byteorder") { _ = try TorchFile.read(bytes: order) }
        let deep = try torchArchive(pickle: [UInt8](repeating: UInt8(ascii: "]"), count: 100_000) + [UInt8](repeating: UInt8(ascii: "a"), count: 99_999) + [0x2E])
        expectError([.limitExceeded], "deep") { _ = try TorchFile.read(bytes: deep) }
    }

    @Test func deflatedRecordsAreReadToo() throws {
        let writer = ZipWriter()
        let pickle = try PickleWriter().serialize(.dict(PickleDictionary([
            PicklePair(.string("t"), tensorRecord(numel: 3, size: [3], stride: [1])),
        ])))
        try writer.addEntry(named: "a/data.pkl", contents: pickle, method: .deflate)
        try writer.addEntry(named: "a/data/0", contents: floatBytes([7, 8, 9]), method: .deflate)
        let folder = TemporaryFolder("torch-deflate")
        let path = folder.path("deflated.pt")
        try LocalFile.writeAtomically(try writer.finish(), to: path)
        #expect(try TorchFile.read(at: path)["t"]?.tensorValue?.values(as: Float.self) == [7, 8, 9])
    }

    @Test func everyTruncationFailsCleanly() throws {
        let bytes = try LocalFile.read(fixture("little.pt"))
        for length in 0..<bytes.count {
            do {
                _ = try TorchFile.read(bytes: Array(bytes.prefix(length)))
                Issue.record("a file cut at \(length) was accepted")
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func randomCorruptionNeverCrashes() throws {
        var generator = SplitMix64(seed: 11)
        for name in ["little.pt", "views.pt", "objects.pt"] {
            let bytes = try LocalFile.read(fixture(name))
            for _ in 0..<400 {
                var mutated = bytes
                for _ in 0..<Int(generator.next() % 6 + 1) {
                    let position = Int(generator.next() % UInt64(mutated.count))
                    mutated[position] = UInt8(truncatingIfNeeded: generator.next())
                }
                _ = try? TorchFile.read(bytes: mutated)
            }
        }
    }
}
