import DataFolioTensors
import Foundation

// Tensors through safetensors bytes, with metadata.
do {
    let weights: TensorDictionary = ["dense.weight": try NDArray(shape: [2, 2], [1, 0, 0, 1] as [Float])]
    let file = SafetensorsFile(tensors: weights, metadata: ["format": "pt"])
    let back = try SafetensorsFile(bytes: try file.serialized())
    guard back.tensors == weights, back.metadata["format"] == "pt" else {
        print("TensorsClient: the tensors read back differ")
        exit(1)
    }
    print("TensorsClient: ok (\(back.tensors.count) tensor)")
} catch {
    print("TensorsClient: \(error.localizedDescription)")
    exit(1)
}
