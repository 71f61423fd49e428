import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import DataFolioTensors
import DataFolioTestSupport
import Foundation
import Testing

/// Every tensor dtype a `.pt` file can hold, with awkward values.
func torchSampleTensors() throws -> TensorDictionary {
    var tensors = try sampleTensors()
    tensors["u16"] = NDArray([0, 1, 65535] as [UInt16])
    tensors["u32"] = try NDArray(shape: [1, 2], [0, 4_000_000_000] as [UInt32])
    tensors["u64"] = NDArray([0, 1 << 62] as [UInt64])
    tensors["c64"] = try NDArray(shape: [2], dtype: .complex64, bytes: [1, -2.5, 0, .infinity].flatMap { (value: Float) in
        withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
    })
    tensors["c128"] = try NDArray(shape: [1], dtype: .complex128, bytes: [Double.pi, -0.0].flatMap { (value: Double) in
        withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
    })
    return tensors
}

@Suite("PyTorch interop", .serialized)
struct TorchInteropTests {
    @Test(.interop) func swiftReadsFreshTorchFilesExactly() throws {
        let folder = TemporaryFolder("torch-read")
        let script = try String(contentsOf: fixturesFolder().appendingPathComponent("make_torch_fixtures.py"), encoding: .utf8)
        let output = try InteropPython.run(pythonDump + script.replacingOccurrences(of: "if __name__ == \"__main__\":", with: "if False:") + #"""

import os
folder = sys.argv[1]
net, optimizer = trained()
attributed = torch.arange(3, dtype=torch.int16)
attributed.note = "a tensor with a Python attribute"
objects = {
    "dtypes": dtypes(),
    "views": views(),
    "module": net.state_dict(),
    "adam": optimizer.state_dict(),
    "checkpoint": {"epoch": 7, "name": "ünïcode", "loss": float("inf"), "ids": (1, -2, 2**40),
                   "model": net.state_dict(), "optimizer": optimizer.state_dict(), "nothing": None,
                   "nested": [{"a": [1.5, True]}, ()]},
    "objects": {"p": torch.nn.Parameter(torch.randn(2, 3)), "g": torch.randn(3).requires_grad_(), "attr": attributed,
                "device": torch.device("cpu"), "dtype": torch.bfloat16, "size": torch.Size([4])},
    "noncontiguous": {"t": torch.randn(3, 5, dtype=torch.float64).t(), "p": torch.randn(2, 3, 4).permute(2, 0, 1),
                      "s": torch.arange(30, dtype=torch.int16)[5:25:4], "h": torch.randn(4, 4).half()[1:, ::2],
                      "b": torch.randn(6, 2).bfloat16().t()[1], "neg": torch.tensor([1 + 2j, 3 - 4j]).conj().imag,
                      "c128": torch.randn(3, 2, dtype=torch.complex128).t().conj()},
}
result = {}
for name, obj in objects.items():
    torch.save(obj, os.path.join(folder, name + ".pt"))
    result[name] = dump(torch.load(os.path.join(folder, name + ".pt"), weights_only=True))
print(json.dumps(result))
"""#, arguments: [folder.path])
        let expected = try JSONValue(parsing: output.stdout)
        for name in ["dtypes", "views", "module", "adam", "checkpoint", "objects", "noncontiguous"] {
            let value = try TorchFile.read(at: folder.path("\(name).pt"))
            try expectMatches(value, try #require(expected[name]), path: name)
        }
    }

    @Test(.interop) func torchLoadsSwiftStateDictionariesExactly() throws {
        let folder = TemporaryFolder("torch-write")
        let path = folder.path("weights.pt")
        let tensors = try torchSampleTensors()
        try TorchFile.write(.stateDictionary(tensors), to: path)
        let output = try InteropPython.run(pythonDump + #"""
import torch, zipfile
path = sys.argv[1]
obj = torch.load(path, weights_only=True)
assert type(obj) is collections.OrderedDict, type(obj)
import struct
raw = open(path, "rb").read()
with zipfile.ZipFile(path) as z:
    layout = []
    for info in z.infolist():
        name_length, extra_length = struct.unpack_from("<HH", raw, info.header_offset + 26)
        start = info.header_offset + 30 + name_length + extra_length
        layout.append([info.filename, start % 64, info.compress_type])
mmapped = torch.load(path, weights_only=True, mmap=True)
assert all(torch.equal(mmapped[k], obj[k]) for k in obj)
print(json.dumps({"tensors": dump(obj), "layout": layout}))
"""#, arguments: [path])
        let result = try JSONValue(parsing: output.stdout)
        try expectMatches(.stateDictionary(tensors), try #require(result["tensors"]))
        let layout = try #require(result["layout"]?.arrayValue)
        let names = layout.compactMap { $0[0]?.stringValue }
        #expect(names == ["weights/data.pkl", "weights/.format_version", "weights/.storage_alignment", "weights/byteorder"]
            + (0..<tensors.count).map { "weights/data/\($0)" } + ["weights/version", "weights/.data/serialization_id"])
        #expect(layout.allSatisfy { $0[1] == .int(0) && $0[2] == .int(0) }, "every record stored and 64-byte aligned")
    }

    @Test(.interop) func torchLoadsSwiftModelCheckpoints() throws {
        let folder = TemporaryFolder("torch-checkpoint")
        let source = try TorchFile.read(at: fixture("module_state.pt")).stateDictionary()
        let checkpoint = TorchModelCheckpoint(
            stateDictionary: source, modelClass: "Net", modelModule: "make_torch_fixtures",
            initArguments: ["hidden": 3, "dropout": 0.25, "name": "ü", "sizes": [1, 2], "extra": nil, "flag": true, "nested": ["a": 1]])
        let path = folder.path("net.pt")
        try checkpoint.write(to: path)
        #expect(try TorchModelCheckpoint(contentsOf: path) == checkpoint)
        let script = try String(contentsOf: fixturesFolder().appendingPathComponent("make_torch_fixtures.py"), encoding: .utf8)
        let output = try InteropPython.run(script.replacingOccurrences(of: "if __name__ == \"__main__\":", with: "if False:") + #"""

import sys, json, collections
obj = torch.load(sys.argv[1], weights_only=True)
assert list(obj.keys()) == ["state_dict", "metadata"]
assert type(obj["state_dict"]) is collections.OrderedDict
assert type(obj["metadata"]) is dict
net = Net()
net.load_state_dict(obj["state_dict"])  # strict: every key and shape must match
reference = torch.load(sys.argv[2], weights_only=True)
assert all(torch.equal(net.state_dict()[k], reference[k]) for k in reference)
print(json.dumps(obj["metadata"]))
"""#, arguments: [path, fixture("module_state.pt")])
        let metadata = try JSONValue(parsing: output.stdout)
        #expect(metadata["model_class"] == "Net")
        #expect(metadata["model_module"] == "make_torch_fixtures")
        #expect(metadata["init_args"] == checkpoint.initArguments)
    }

    @Test(.interop) func torchLoadsArbitrarySwiftValues() throws {
        let folder = TemporaryFolder("torch-values")
        let path = folder.path("values.pt")
        let weight = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float])
        let original = TorchValue.dict(TorchDictionary([
            TorchPair(.string("epoch"), .int(12)),
            TorchPair(.string("big"), .int(Int64.max)),
            TorchPair(.string("lr"), .float(3e-4)),
            TorchPair(.string("name"), .string("ünïcode ✓")),
            TorchPair(.string("flags"), .list([.bool(true), .bool(false), .null])),
            TorchPair(.string("betas"), .tuple([.float(0.9), .float(0.999)])),
            TorchPair(.int(3), .string("integer key")),
            TorchPair(.string("param"), .tensor(TorchTensor(weight, requiresGrad: true, isParameter: true))),
            TorchPair(.string("frozen"), .tensor(TorchTensor(weight, requiresGrad: false, isParameter: true))),
            TorchPair(.string("grad"), .tensor(TorchTensor(NDArray([1.5] as [Double]), requiresGrad: true))),
            TorchPair(.string("device"), .device("cpu")),
            TorchPair(.string("dtype"), .dtype("bfloat16")),
            TorchPair(.string("ordered"), .dict(TorchDictionary([TorchPair(.string("z"), .int(1)), TorchPair(.string("a"), .int(2))], isOrdered: true))),
            TorchPair(.string("tensors"), .list([.tensor(TorchTensor(NDArray([1, 2] as [Int8]))), .tensor(TorchTensor(NDArray(scalar: true)))])),
        ]))
        try TorchFile.write(original, to: path)
        #expect(try TorchFile.read(at: path) == original)
        let output = try InteropPython.run(pythonDump + #"""
import torch
print(json.dumps(dump(torch.load(sys.argv[1], weights_only=True))))
"""#, arguments: [path])
        try expectMatches(original, try JSONValue(parsing: output.stdout))
    }

    @Test(.interop) func safetensorsToTorchConversionIsExact() throws {
        // A memory-mapped safetensors file streamed into a .pt file, then back.
        let folder = TemporaryFolder("torch-convert")
        let output = try InteropPython.run(#"""
import torch, sys
from safetensors.torch import save_file
torch.manual_seed(1)
save_file({"w": torch.randn(64, 32), "b": torch.randn(32).bfloat16(), "i": torch.arange(10)}, sys.argv[1])
"""#, arguments: [folder.path("in.safetensors")])
        _ = output
        let source = try SafetensorsFile(contentsOf: folder.path("in.safetensors")).tensors
        try TorchFile.write(.stateDictionary(source), to: folder.path("out.pt"))
        let check = try InteropPython.run(#"""
import torch, sys
from safetensors.torch import load_file
a = load_file(sys.argv[1]); b = torch.load(sys.argv[2], weights_only=True)
assert list(a.keys()) == sorted(b.keys()) or set(a) == set(b)
print(all(torch.equal(a[k], b[k]) and a[k].dtype == b[k].dtype for k in a))
"""#, arguments: [folder.path("in.safetensors"), folder.path("out.pt")])
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
    }
}
