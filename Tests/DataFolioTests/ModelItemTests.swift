import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

struct LinearModel: Codable, Equatable {
    var weights: [Double]
    var bias: Double
    var labels: [String]
}

/// A tiny network rebuilt from a folio's PyTorch item.
struct TinyNet: FolioReadable {
    var inputs: Int
    var weight: [Float] = []
    var bias: [Float] = []

    init(folioValue value: ItemValue) throws(DataFolioError) {
        guard let model = value.model?.pyTorch else { throw DataFolioError(.wrongItemType, "not PyTorch weights") }
        guard let inputs = model.initArguments["input_dim"]?.intValue else { throw DataFolioError(.invalidArgument, "input_dim missing") }
        guard let weight = model.stateDict["fc.weight"], let bias = model.stateDict["fc.bias"] else {
            throw DataFolioError(.invalidArgument, "fc.weight or fc.bias missing")
        }
        self.inputs = inputs
        self.weight = try weight.values(as: Float.self)
        self.bias = try bias.values(as: Float.self)
    }
}

func sampleStateDict() throws -> TensorDictionary {
    var tensors = TensorDictionary()
    tensors["fc.weight"] = try NDArray(shape: [2, 3], [0.5, -1, 2, 3.25, 0, -0.125] as [Float])
    tensors["fc.bias"] = NDArray([0.1, -0.2] as [Float])
    tensors["bn.num_batches_tracked"] = NDArray(scalar: Int64(7))
    tensors["f64"] = NDArray([1.5, -2.5] as [Double])
    tensors["f16"] = try NDArray(shape: [2], dtype: .float16, bytes: [0x00, 0x3C, 0x00, 0xC0])     // 1.0, -2.0
    tensors["bf16"] = try NDArray(shape: [2], dtype: .bfloat16, bytes: [0x80, 0x3F, 0x40, 0xC0])   // 1.0, -3.0
    tensors["i8"] = NDArray([-8, 7] as [Int8])
    tensors["i16"] = NDArray([-300, 300] as [Int16])
    tensors["i32"] = NDArray([-70000, 70000] as [Int32])
    tensors["u8"] = NDArray([0, 255] as [UInt8])
    tensors["mask"] = NDArray([true, false, true])
    return tensors
}

@Suite("Models and tensors in the folio")
struct ModelItemTests {
    @Test func codableModelsRoundTrip() throws {
        let temp = TemporaryFolder("models")
        let folio = try DataFolio(at: temp.path("f"))
        let model = LinearModel(weights: [0.5, -1], bias: 0.1, labels: ["no", "yes"])
        try folio.add("classifier", model: model, hyperparameters: ["l2": 0.01, "solver": "lbfgs", "max_iter": 100, "tol": 1e-4], inputs: ["clean"])
        let entry = try folio.item("classifier")
        #expect(entry.fields.keys == ["name", "item_type", "filename", "checksum", "model_type", "serialization_format", "created_at", "inputs", "hyperparameters", "version_id", "is_current", "size_bytes"])
        #expect(entry.filename == "classifier--r2.json")
        #expect(entry.fields["model_type"] == "LinearModel")
        #expect(try folio.get("classifier", as: LinearModel.self) == model)
        let decoded: LinearModel = try folio.get("classifier")
        #expect(decoded == model)
        let stored = try #require(try folio.value("classifier").model)
        #expect(stored.modelType == "LinearModel")
        #expect(stored.format == "json")
        let text = folio.describe()
        #expect(text.contains("Models (1):\n  • classifier: (no description)\n    ↳ size: "))
        #expect(text.contains("↳ hyperparameters: l2=0.01, solver=lbfgs, max_iter=100, ... (1 more)"))
        #expect(folio.validate().isValid)
    }

    @Test func pyTorchStateDictsRoundTrip() throws {
        let temp = TemporaryFolder("pt")
        let folio = try DataFolio(at: temp.path("f"))
        let weights = try sampleStateDict()
        try folio.add(
            "net", model: PyTorchModel(stateDict: weights, modelClass: "TinyNet", modelModule: "nets", initArguments: ["input_dim": 3]),
            hyperparameters: ["lr": 0.1])
        let entry = try folio.item("net")
        #expect(entry.kind == .model)
        #expect(entry.fields["serialization_format"] == "pytorch_state_dict")
        #expect(entry.filename == "net--r2.pt")
        #expect(entry.fields["init_args"] == ["input_dim": 3])
        let stored = try folio.get("net", as: PyTorchModel.self)
        #expect(stored.stateDict == weights)
        #expect(stored.modelClass == "TinyNet")
        #expect(stored.modelModule == "nets")
        #expect(stored.initArguments == ["input_dim": 3])
        let net = try folio.get("net", as: TinyNet.self)
        #expect(net.inputs == 3)
        #expect(net.bias == [0.1, -0.2])
        let tensors: TensorDictionary = try folio.get("net")
        #expect(tensors.names == weights.names)
        try folio.add("weights", weights, metadata: ["source": "swift"])
        let back: TensorDictionary = try folio.get("weights")
        #expect(back == weights)
        #expect(try folio.item("weights").fields["category"] == "tensors")
        #expect(try folio.item("weights").fields["tensors"]?["bf16"] == ["dtype": "BF16", "shape": [2]])
        #expect(folio.validate().isValid)
        #expect(folio.describe().contains("Models (1):\n  • net: (no description)"))
    }

    @Test func wrongKindsGiveClearErrors() throws {
        let temp = TemporaryFolder("wrong")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("j", 1)
        #expect(throws: DataFolioError.self) { try folio.get("j", as: LinearModel.self) }
        #expect(throws: DataFolioError.self) { try folio.get("j", as: PyTorchModel.self) }
        #expect(throws: DataFolioError.self) { let _: TensorDictionary = try folio.get("j") }
    }

    @Test(.interop) func pythonLoadsSwiftModelsAndSwiftReadsPythonModels() throws {
        let temp = TemporaryFolder("model-interop")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("linear", model: LinearModel(weights: [0.5, -1], bias: 0.1, labels: ["a"]), hyperparameters: ["l2": 0.01])
        try folio.add("net", model: PyTorchModel(stateDict: try sampleStateDict(), modelClass: "TinyNet", modelModule: "__main__", initArguments: ["input_dim": 3]))
        try folio.add("weights", try sampleStateDict())
        let script = #"""
import sys, json
import numpy as np, torch
from safetensors.torch import load_file
from datafolio import DataFolio
root = sys.argv[1]
f = DataFolio(root + "/f")
out = {"validate": f.validate(), "described": f.describe(return_string=True)}
entry = f.item_info("net")
ckpt = torch.load(root + "/f/models/" + entry["filename"], weights_only=True)
sd = ckpt["state_dict"]
out["keys"] = list(sd.keys())
out["meta"] = ckpt["metadata"]
out["values"] = {k: v.to(torch.float64).tolist() if v.dtype == torch.bfloat16 else v.tolist() for k, v in sd.items()}
out["dtypes"] = {k: str(v.dtype) for k, v in sd.items()}
class TinyNet(torch.nn.Module):
    def __init__(self, input_dim):
        super().__init__()
        self.fc = torch.nn.Linear(input_dim, 2)
    def forward(self, x):
        return self.fc(x)
net = TinyNet(**ckpt["metadata"]["init_args"])
net.load_state_dict({k: v for k, v in sd.items() if k.startswith("fc.")})
out["forward"] = net(torch.ones(1, 3)).tolist()
st = load_file(f.get("weights"))
out["st_keys"] = sorted(st.keys())
out["st_f64"] = st["f64"].tolist()
out["st_bf16"] = st["bf16"].to(torch.float64).tolist()
try:
    f.get("linear")
    out["linear"] = "loaded?"
except Exception as e:
    out["linear"] = type(e).__name__
print(json.dumps(out))
"""#
        let output = try InteropPython.run(script, arguments: [temp.path])
        let result = try JSONValue(parsing: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["validate"]?["linear"] == true)
        #expect(result["validate"]?["weights"] == true)
        #expect(result["validate"]?["net"] == true, "Python validates Swift's PyTorch weights")
        #expect(result["keys"] == .array(try sampleStateDict().names.map(JSONValue.string)))
        #expect(result["meta"] == ["model_class": "TinyNet", "model_module": "__main__", "init_args": ["input_dim": 3]])
        #expect(result["values"]?["fc.weight"] == [[0.5, -1.0, 2.0], [3.25, 0.0, -0.125]])
        #expect(result["values"]?["bn.num_batches_tracked"] == 7)
        #expect(result["values"]?["f16"] == [1.0, -2.0])
        #expect(result["values"]?["bf16"] == [1.0, -3.0])
        #expect(result["values"]?["mask"] == [true, false, true])
        #expect(result["dtypes"]?["bf16"] == "torch.bfloat16")
        #expect(result["dtypes"]?["u8"] == "torch.uint8")
        #expect(result["forward"]?[0]?[0]?.doubleValue.map { abs($0 - (0.5 - 1 + 2 + 0.1)) < 1e-6 } == true)
        #expect(result["st_f64"] == [1.5, -2.5])
        #expect(result["st_bf16"] == [1.0, -3.0])
        #expect(result["linear"]?.stringValue?.isEmpty == false)
        #expect(result["described"]?.stringValue?.contains("• linear") == true)

        // Python writes: a torch checkpoint the way the original design's add_pytorch did
        // (including a dill-serialized class), and scikit-learn models.
        let pythonSide = #"""
import sys, json, datetime, hashlib
import torch, dill
from datafolio import DataFolio
from sklearn.linear_model import LogisticRegression
root = sys.argv[1]
f = DataFolio(root + "/py")
clf = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
f.add_model("clf", clf)
class Net(torch.nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc = torch.nn.Linear(2, hidden)
net = Net(hidden=3)
torch.manual_seed(0)
payload = {"state_dict": net.state_dict(), "metadata": {"model_class": "Net", "model_module": "__main__", "init_args": {"hidden": 3}}, "serialized_class": dill.dumps(Net)}
path = root + "/py/models/net.pt"
torch.save(payload, path)
items = json.load(open(root + "/py/items.json"))
items["items"].append({"name": "net", "item_type": "pytorch_model", "filename": "net.pt",
    "checksum": hashlib.md5(open(path, "rb").read()).hexdigest(), "model_type": "Net", "torch_version": torch.__version__,
    "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(), "init_args": {"hidden": 3},
    "has_serialized_class": True, "is_current": True})
items["revision"] += 1
json.dump(items, open(root + "/py/items.json", "w"), indent=2)
print(json.dumps({"weight": net.fc.weight.tolist()}))
"""#
        let written = try InteropPython.run(pythonSide, arguments: [temp.path])
        let expected = try JSONValue(parsing: written.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let python = try DataFolio(at: temp.path("py"))
        let net = try python.get("net", as: PyTorchModel.self)
        #expect(net.hasSerializedClass)
        #expect(net.modelClass == "Net")
        #expect(net.initArguments == ["hidden": 3])
        let weight = try #require(net.stateDict["fc.weight"])
        #expect(weight.shape == [3, 2])
        #expect(try weight.jsonValue() == expected["weight"])
        #expect(python.validate().isValid)
        do {
            let _: LinearModel = try python.get("clf", as: LinearModel.self)
            Issue.record("a scikit-learn model decoded")
        } catch {
            #expect(error.code == .unsupportedFeature)
            #expect(error.message.contains("scikit-learn") || error.message.contains("LogisticRegression"))
            #expect(error.message.contains("clf--r2.joblib"))
        }
        let sklearn = try python.get("clf", as: ModelValue.self)
        #expect(sklearn.format == "joblib")
        #expect(sklearn.modelType == "LogisticRegression")
        #expect(sklearn.json == nil && sklearn.pyTorch == nil)
        #expect(FileManager.default.fileExists(atPath: try #require(sklearn.fileURL).path))
    }
}
