import DataFolioNumPy
import Foundation

// An array through .npy bytes, read back as a typed buffer.
do {
    let array = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float])
    let back = try NDArray(npyData: try array.npyData())
    let sum = try back.withUnsafeBufferPointer(of: Float.self) { $0.reduce(0, +) }
    guard back.shape == [2, 2], sum == 10, try back[1, 0, as: Float.self] == 3 else {
        print("NumPyClient: the array read back differs")
        exit(1)
    }
    print("NumPyClient: ok")
} catch {
    print("NumPyClient: \(error.localizedDescription)")
    exit(1)
}
