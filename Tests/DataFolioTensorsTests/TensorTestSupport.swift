import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import DataFolioTensors
import Testing

/// Tensors of every dtype the formats share, with awkward values (NaN, infinities,
/// negative zero, extremes, subnormal halves).
func sampleTensors() throws -> TensorDictionary {
    let halfBits: [UInt16] = [0x3C00, 0xC000, 0x7C00, 0xFC00, 0x0001, 0x8000, 0x7BFF, 0x3555]
    let bfloatBits: [UInt16] = [0x3F80, 0xC000, 0x7F80, 0xFF80, 0x0001, 0x8000, 0x7F7F, 0x3EAB]
    func bytes(_ bits: [UInt16]) -> [UInt8] { bits.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
    var tensors = TensorDictionary()
    tensors["f32"] = try NDArray(shape: [2, 3], [1.5, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, Float.leastNonzeroMagnitude] as [Float])
    tensors["f64"] = try NDArray(shape: [3, 1], [Double.pi, -1e300, Double.leastNonzeroMagnitude] as [Double])
    tensors["f16"] = try NDArray(shape: [2, 4], dtype: .float16, bytes: bytes(halfBits))
    tensors["bf16"] = try NDArray(shape: [8], dtype: .bfloat16, bytes: bytes(bfloatBits))
    tensors["i8"] = NDArray([-128, 0, 127] as [Int8])
    tensors["i16"] = NDArray([-32768, 1, 32767] as [Int16])
    tensors["i32"] = try NDArray(shape: [1, 3], [Int32.min, 0, Int32.max] as [Int32])
    tensors["i64"] = NDArray([Int64.min, -1, Int64.max] as [Int64])
    tensors["u8"] = NDArray([0, 128, 255] as [UInt8])
    tensors["bool"] = try NDArray(shape: [2, 2], [true, false, false, true])
    tensors["scalar"] = NDArray(scalar: Float(42))
    tensors["empty"] = try NDArray.zeros(shape: [0, 3], dtype: .float32)
    return tensors
}

/// Python code defining `dump(obj)`, a JSON-ready description of tensors and plain
/// values that the Swift side compares exactly with ``expectMatches(_:_:)``.
let pythonDump = #"""
import json, math, collections, sys
def dump(obj):
    import torch
    if isinstance(obj, torch.Tensor):
        t = obj.detach().resolve_conj().resolve_neg().contiguous()
        dtype = str(t.dtype).replace("torch.", "")
        if t.is_complex():
            values = torch.view_as_real(t).flatten().tolist()
        elif t.dtype in (torch.float16, torch.bfloat16):
            values = t.float().flatten().tolist()
        elif t.dtype in (torch.uint16, torch.uint32, torch.uint64):
            values = t.to(torch.int64).flatten().tolist() if t.dtype != torch.uint64 else [int(x) for x in t.view(torch.int64).flatten().tolist()]
        else:
            values = t.flatten().tolist()
        return {"__tensor__": dtype, "shape": list(t.shape), "values": values,
                "parameter": isinstance(obj, torch.nn.Parameter), "requires_grad": bool(obj.requires_grad)}
    if isinstance(obj, collections.OrderedDict):
        return {"__ordered_dict__": [[dump(k), dump(v)] for k, v in obj.items()]}
    if isinstance(obj, dict):
        return {"__dict__": [[dump(k), dump(v)] for k, v in obj.items()]}
    if isinstance(obj, tuple):
        return {"__tuple__": [dump(x) for x in obj]}
    if isinstance(obj, list):
        return [dump(x) for x in obj]
    if isinstance(obj, float):
        return {"__float__": repr(obj)}
    if isinstance(obj, (bool, int, str)) or obj is None:
        return obj
    if isinstance(obj, torch.device):
        return {"__device__": str(obj)}
    if isinstance(obj, torch.dtype):
        return {"__dtype__": str(obj).replace("torch.", "")}
    return {"__other__": repr(obj)}

"""#

/// The elements of an array as doubles, or as exact integers for 64-bit integer dtypes.
func elementDescriptions(_ array: NDArray) throws -> [JSONValue] {
    switch array.dtype.nativeByteOrder {
    case .int64: return try array.values(as: Int64.self).map { .int($0) }
    case .uint64: return try array.values(as: UInt64.self).map { .int(Int64(bitPattern: $0)) }
    case .bool: return try array.values(as: Bool.self).map { .bool($0) }
    case .complex64:
        let raw = array.rowMajor()
        return raw.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count, by: 4).map { JSONValue.double(Double(bytes.loadUnaligned(fromByteOffset: $0, as: Float.self))) }
        }
    case .complex128:
        let raw = array.rowMajor()
        return raw.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count, by: 8).map { JSONValue.double(bytes.loadUnaligned(fromByteOffset: $0, as: Double.self)) }
        }
    default:
        if array.dtype.kind == .signedInteger || array.dtype.kind == .unsignedInteger {
            return try array.doubleValues().map { .int(Int64($0)) }
        }
        return try array.doubleValues().map { .double($0) }
    }
}

func sameNumber(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.double(let x), .double(let y)): return (x.isNaN && y.isNaN) || (x == y && x.sign == y.sign)
    case (.double(let x), .int(let y)), (.int(let y), .double(let x)): return x == Double(y) && !(x == 0 && x.sign == .minus)
    default: return false
    }
}

/// Compares a Swift tensor with `dump()` output of the same tensor, element by element.
func expectMatches(_ array: NDArray, _ json: JSONValue?, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let description = try #require(json?.objectValue, "\(label): no tensor on the Python side", sourceLocation: sourceLocation)
    #expect(description["__tensor__"]?.stringValue == torchName(array.dtype), "\(label): dtype", sourceLocation: sourceLocation)
    #expect(description["shape"]?.arrayValue?.compactMap(\.intValue) == array.shape, "\(label): shape", sourceLocation: sourceLocation)
    let expected = description["values"]?.arrayValue ?? []
    let actual = try elementDescriptions(array)
    #expect(expected.count == actual.count, "\(label): count", sourceLocation: sourceLocation)
    for (i, (e, a)) in zip(expected, actual).enumerated() where !sameNumber(e, a) {
        Issue.record("\(label)[\(i)]: Python has \(e), Swift has \(a)", sourceLocation: sourceLocation)
        break
    }
}

func torchName(_ dtype: DType) -> String {
    switch dtype.nativeByteOrder {
    case .bfloat16: return "bfloat16"
    default: return dtype.name
    }
}

/// Expects `body` to throw a ``DataFolioError`` with one of `codes`.
func expectError(
    _ codes: [DataFolioError.Code], _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("\(label): expected an error", sourceLocation: sourceLocation)
    } catch let error as DataFolioError {
        #expect(codes.contains(error.code), "\(label): unexpected \(error.code): \(error.message)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(label): unexpected error type \(error)", sourceLocation: sourceLocation)
    }
}

extension Array where Element == UInt8 {
    /// The bytes with a little-endian integer stored at `offset`.
    func patchingLE<T: FixedWidthInteger>(_ value: T, at offset: Int) -> [UInt8] {
        var copy = self
        Swift.withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, byte) in raw.enumerated() { copy[offset + i] = byte }
        }
        return copy
    }
}
