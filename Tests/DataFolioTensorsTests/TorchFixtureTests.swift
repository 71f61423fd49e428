import DataFolioNumPy
import DataFolioSupport
import DataFolioTensors
import DataFolioTestSupport
import Foundation
import Testing

func fixture(_ name: String) -> String { fixturesFolder().appendingPathComponent(name).path }

@Suite("PyTorch fixtures")
struct TorchFixtureTests {
    @Test func everyDtype() throws {
        let value = try TorchFile.read(at: fixture("dtypes.pt"))
        let tensors = try value.stateDictionary()
        #expect(tensors.names == [
            "float32", "float64", "float16", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool",
            "complex64", "uint16", "uint32", "scalar", "empty",
        ])
        #expect(tensors["float32"]?.shape == [2, 3])
        #expect(try tensors["float32"]?.values(as: Float.self) == [-1, -0.75, -0.5, -0.25, 0, 0.25])
        #expect(try tensors["float64"]?.values(as: Double.self) == [0.1, -2.5, 1e300])
        #expect(tensors["float16"]?.dtype == .float16)
        #expect(try tensors["float16"]?.values(as: Float.self) == [0.5, -2, 65504, 0x1p-24])
        #expect(tensors["bfloat16"]?.dtype == .bfloat16)
        let bfloat = HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16Bits(from: 3.0e38))
        #expect(try tensors["bfloat16"]?.values(as: Float.self) == [1, -0.5, bfloat])
        #expect(try tensors["int8"]?.values(as: Int8.self) == [-128, 0, 127])
        #expect(try tensors["int16"]?.values(as: Int16.self) == [-32768, 7, 32767])
        #expect(tensors["int32"]?.shape == [2, 1])
        #expect(try tensors["int32"]?.values(as: Int32.self) == [Int32.min, Int32.max])
        #expect(try tensors["int64"]?.values(as: Int64.self) == [Int64.min, 0, Int64.max])
        #expect(try tensors["uint8"]?.values(as: UInt8.self) == [0, 200, 255])
        #expect(try tensors["bool"]?.values(as: Bool.self) == [true, false, true])
        #expect(tensors["complex64"]?.dtype == .complex64)
        #expect(try tensors["complex64"].map(elementDescriptions) == [.double(1), .double(2), .double(-3.5), .double(-0.5)])
        #expect(try tensors["uint16"]?.values(as: UInt16.self) == [0, 65535])
        #expect(try tensors["uint32"]?.values(as: UInt32.self) == [4_000_000_000])
        #expect(tensors["scalar"]?.shape == [])
        #expect(try tensors["scalar"]?.values(as: Float.self) == [2.5])
        #expect(tensors["empty"]?.shape == [0, 4])
        #expect(tensors["float32"]?.isMemoryMapped == true, "storages stored in place share the mapping")
    }

    @Test func viewsSharedStoragesAndStrides() throws {
        let tensors = try TorchFile.read(at: fixture("views.pt")).stateDictionary()
        #expect(try tensors["base"]?.values(as: Float.self) == (0..<12).map(Float.init))
        #expect(try tensors["offset_view"]?.values(as: Float.self) == [3, 4, 5, 6])
        #expect(tensors["matrix"]?.shape == [3, 4])
        #expect(try tensors["matrix"]?.values(as: Float.self) == (0..<12).map(Float.init))
        #expect(tensors["transposed"]?.shape == [4, 3])
        #expect(try tensors["transposed"]?.values(as: Float.self) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        #expect(try tensors["strided"]?.values(as: Float.self) == [0, 3, 6, 9])
        #expect(tensors["expanded"]?.shape == [2, 3])
        #expect(try tensors["expanded"]?.values(as: Float.self) == [0, 1, 2, 0, 1, 2])
        #expect(tensors["element"]?.shape == [])
        #expect(try tensors["element"]?.values(as: Float.self) == [5])
        #expect(tensors["shared_a"] == tensors["shared_b"])
        #expect(try tensors["shared_a"]?.values(as: Int64.self) == [0, 1, 2, 3])
        #expect(try tensors["conjugated"].map(elementDescriptions) == [.double(1), .double(-2), .double(3), .double(4)])
    }

    @Test func moduleStateDictionary() throws {
        let value = try TorchFile.read(at: fixture("module_state.pt"))
        let tensors = try value.stateDictionary()
        let expected = try SafetensorsFile(contentsOf: fixture("module_state.safetensors")).tensors
        #expect(tensors.names == [
            "fc.weight", "fc.bias", "conv.weight", "conv.bias", "bn.weight", "bn.bias",
            "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
        ])
        for entry in tensors {
            #expect(entry.array == expected[entry.name], "\(entry.name)")
        }
        #expect(tensors["conv.weight"]?.shape == [2, 1, 2, 2])
        #expect(tensors["bn.num_batches_tracked"]?.dtype == .int64)
        #expect(tensors["bn.num_batches_tracked"]?.shape == [])
        #expect(try tensors["bn.num_batches_tracked"]?.values(as: Int64.self) == [1])
        let dictionary = try #require(value.dictionaryValue)
        #expect(dictionary.isOrdered)
        let versions = dictionary.attributes?["_metadata"]?.dictionaryValue
        #expect(versions?["bn"]?["version"] == .int(2), "state_dict()._metadata survives as attributes")
    }

    @Test func adamOptimizerState() throws {
        let value = try TorchFile.read(at: fixture("adam.pt"))
        let expected = try SafetensorsFile(contentsOf: fixture("adam.safetensors")).tensors
        let state = try #require(value["state"]?.dictionaryValue)
        #expect(state.keys == (0..<6).map { .int(Int64($0)) })
        for pair in state.entries {
            let index = try #require(pair.key.intValue)
            let slots = try #require(pair.value.dictionaryValue)
            #expect(slots.keys == [.string("step"), .string("exp_avg"), .string("exp_avg_sq")])
            for slot in ["step", "exp_avg", "exp_avg_sq"] {
                #expect(slots[slot]?.tensorValue == expected["state.\(index).\(slot)"], "state[\(index)][\(slot)]")
            }
        }
        let group = try #require(value["param_groups"]?.sequenceValue?.first)
        #expect(group["lr"] == .float(0.001))
        #expect(group["betas"] == .tuple([.float(0.9), .float(0.999)]))
        #expect(group["eps"] == .float(1e-8))
        #expect(group["amsgrad"] == .bool(false))
        #expect(group["foreach"] == TorchValue.null)
        #expect(group["params"] == .list((0..<6).map { .int(Int64($0)) }))
    }

    @Test func checkpointWithPlainValues() throws {
        let value = try TorchFile.read(at: fixture("checkpoint.pt"))
        #expect(value["epoch"] == .int(3))
        #expect(value["global_step"]?.intValue == 1200)
        #expect(value["run"] == .string("baseline-✓"))
        #expect(value["losses"] == .list([.float(0.5), .float(0.25)]))
        #expect(value["best"] == TorchValue.null)
        #expect(value["config"]?["betas"] == .tuple([.float(0.9), .float(0.999)]))
        #expect(value["config"]?["layers"] == .list([.int(4), .int(3)]))
        let model = try #require(value["model"]).stateDictionary()
        #expect(model == (try TorchFile.read(at: fixture("module_state.pt")).stateDictionary()))
        #expect(value["optimizer"]?["state"]?.dictionaryValue?.count == 6)
        expectError([.typeMismatch]) { _ = try value.stateDictionary() }
    }

    @Test func parametersDevicesDtypesAndSizes() throws {
        let value = try TorchFile.read(at: fixture("objects.pt"))
        guard case .tensor(let weight)? = value["weight"], case .tensor(let frozen)? = value["frozen"],
              case .tensor(let tracked)? = value["tracked"] else {
            Issue.record("expected tensors, got \(value)")
            return
        }
        #expect(weight.isParameter && weight.requiresGrad)
        #expect(try weight.array.values(as: Float.self) == [0, 1, 2, 3])
        #expect(frozen.isParameter && !frozen.requiresGrad)
        #expect(!tracked.isParameter && tracked.requiresGrad)
        #expect(try tracked.array.values(as: Double.self) == [0, 1, 2])
        #expect(value["device"] == .device("cpu"))
        #expect(value["dtype"] == .dtype("float16"))
        #expect(value["size"] == .tuple([.int(2), .int(3)]))
        #expect(value.description.contains("Parameter(float32, [4])"))
    }

    @Test func bigEndianArchivesAreSwapped() throws {
        let little = try TorchFile.read(at: fixture("little.pt")).stateDictionary()
        let big = try TorchFile.read(at: fixture("big_endian.pt")).stateDictionary()
        #expect(big == little)
        #expect(try big["a"]?.values(as: Int32.self) == [0, 1, 2])
        #expect(try big["b"]?.values(as: Double.self) == [1.5, -2])
        #expect(try big["c"]?.values(as: Float.self) == [0.5])
        #expect(big["b"]?.dtype.byteOrder == .littleEndian)
    }

    @Test func legacyFilesAskForAResave() {
        do {
            _ = try TorchFile.read(at: fixture("legacy.pt"))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unsupportedFeature)
            #expect(error.message.contains("legacy"))
            #expect(error.message.contains("save it again"))
            #expect(error.path == fixture("legacy.pt"))
        }
    }

    @Test func inMemoryReadingMatchesMappedReading() throws {
        for name in ["dtypes.pt", "views.pt", "checkpoint.pt", "objects.pt", "big_endian.pt"] {
            let mapped = try TorchFile.read(at: fixture(name))
            let loaded = try TorchFile.read(bytes: try LocalFile.read(fixture(name)))
            #expect(mapped == loaded, "\(name)")
        }
    }
}
