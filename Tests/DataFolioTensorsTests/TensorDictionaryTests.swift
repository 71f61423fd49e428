import DataFolioNumPy
import DataFolioTensors
import Testing

@Suite("TensorDictionary")
struct TensorDictionaryTests {
    @Test func keepsInsertionOrderAndReplacesInPlace() throws {
        var tensors = TensorDictionary()
        tensors["b"] = NDArray([1, 2] as [Float])
        tensors["a"] = NDArray([3] as [Int64])
        tensors["c"] = NDArray(scalar: true)
        #expect(tensors.names == ["b", "a", "c"])
        tensors["a"] = NDArray([4, 5, 6] as [Int8])
        #expect(tensors.names == ["b", "a", "c"])
        #expect(tensors["a"]?.dtype == .int8)
        #expect(tensors[1].shape == [3])
        #expect(tensors[1].byteCount == 3)
        #expect(tensors.count == 3)
    }

    @Test func removesAndReindexes() {
        var tensors: TensorDictionary = ["x": NDArray([1] as [Float]), "y": NDArray([2] as [Float]), "z": NDArray([3] as [Float])]
        #expect(tensors.removeValue(forName: "x") != nil)
        #expect(tensors.removeValue(forName: "missing") == nil)
        tensors["y"] = nil
        #expect(tensors.names == ["z"])
        #expect(tensors["z"] == NDArray([3] as [Float]))
        tensors["w"] = NDArray([4] as [Float])
        #expect(tensors.names == ["z", "w"])
        #expect(tensors.contains("w") && !tensors.contains("y"))
    }

    @Test func reportsSizes() throws {
        let tensors: TensorDictionary = [
            "w": try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float]),
            "b": NDArray([1, 2] as [Double]),
        ]
        #expect(tensors.totalByteCount == 24 + 16)
        #expect(tensors.map(\.dtype) == [.float32, .float64])
        #expect(tensors.map(\.shape) == [[2, 3], [2]])
        #expect(tensors.description.contains("w: float32 [2, 3]"))
    }

    @Test func equalityDependsOnOrderNamesAndValues() {
        let a: TensorDictionary = ["x": NDArray([1] as [Float]), "y": NDArray([2] as [Float])]
        let b: TensorDictionary = ["y": NDArray([2] as [Float]), "x": NDArray([1] as [Float])]
        let c: TensorDictionary = ["x": NDArray([1] as [Float]), "y": NDArray([3] as [Float])]
        #expect(a == a)
        #expect(a != b)
        #expect(a != c)
        #expect(TensorDictionary() == TensorDictionary())
    }

    @Test func repeatedNamesKeepTheFirstPositionAndLastValue() {
        let tensors = TensorDictionary([("a", NDArray([1] as [Int32])), ("b", NDArray([2] as [Int32])), ("a", NDArray([3] as [Int32]))])
        #expect(tensors.names == ["a", "b"])
        #expect(tensors["a"] == NDArray([3] as [Int32]))
    }
}
