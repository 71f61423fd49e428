import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import DataFolioTensors
import DataFolioTestSupport
import Foundation
import Testing

/// A safetensors file with the given header text and data bytes.
func safetensorsBytes(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (declaredLength ?? UInt64(headerBytes.count)).littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + headerBytes + data
}

@Suite("safetensors")
struct SafetensorsTests {
    @Test func roundTripsEveryDtypeInMemory() throws {
        let file = SafetensorsFile(tensors: try sampleTensors(), metadata: ["format": "pt", "note": "ünïcode ✓"])
        let bytes = try file.serialized()
        let back = try SafetensorsFile(bytes: bytes)
        #expect(back == file)
        #expect(back.tensors.names == file.tensors.names)
        #expect(back.metadata["note"] == "ünïcode ✓")
    }

    @Test func headerIsPaddedAndDataAligned() throws {
        let tensors: TensorDictionary = [
            "byte": NDArray([1, 2, 3] as [UInt8]),
            "double": NDArray([1.0, 2.0] as [Double]),
            "half": try NDArray(shape: [1], dtype: .float16, bytes: [0x00, 0x3C]),
            "int": NDArray([7] as [Int32]),
        ]
        let bytes = try SafetensorsFile(tensors: tensors).serialized()
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
        #expect((8 + headerLength) % 8 == 0)
        let header = try JSONValue(parsing: Array(bytes[8..<(8 + headerLength)]))
        let object = try #require(header.objectValue)
        #expect(object.keys == ["byte", "double", "half", "int"], "the header keeps the dictionary order")
        for (name, size) in [("byte", 1), ("double", 8), ("half", 2), ("int", 4)] {
            let begin = try #require(object[name]?["data_offsets"]?[0]?.intValue)
            #expect(begin % size == 0, "\(name) starts at \(begin)")
        }
        #expect(object["__metadata__"] == nil)
        #expect(String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self).hasSuffix("}") || bytes[8 + headerLength - 1] == 0x20)
    }

    @Test func readsFromAMemoryMapAndWritesAtomically() throws {
        let folder = TemporaryFolder("safetensors")
        let path = folder.path("weights.safetensors")
        let file = SafetensorsFile(tensors: try sampleTensors(), metadata: ["k": "v"])
        try file.write(to: path)
        try file.write(to: path)  // replaces the existing file
        let back = try SafetensorsFile(contentsOf: path)
        #expect(back == file)
        #expect(back.tensors["f32"]?.isMemoryMapped == true)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["weights.safetensors"])
    }

    @Test func emptyFileContents() throws {
        let bytes = try SafetensorsFile().serialized()
        #expect(bytes.count % 8 == 0)
        let back = try SafetensorsFile(bytes: bytes)
        #expect(back.tensors.isEmpty && back.metadata.isEmpty)
    }

    @Test func bigEndianAndColumnMajorArraysAreWrittenCanonically() throws {
        let columnMajor = try NDArray(shape: [2, 3], dtype: .float32, bytes: [1, 4, 2, 5, 3, 6].flatMap { (value: Float) in
            withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        }, order: .columnMajor)
        let bigEndian = try NDArray(shape: [2], dtype: DType(kind: .signedInteger, itemSize: 4, byteOrder: .bigEndian), bytes: [0, 0, 0, 1, 0, 0, 1, 0])
        let back = try SafetensorsFile(bytes: try SafetensorsFile(tensors: ["c": columnMajor, "b": bigEndian]).serialized())
        #expect(try back.tensors["c"]?.values(as: Float.self) == [1, 2, 3, 4, 5, 6])
        #expect(try back.tensors["b"]?.values(as: Int32.self) == [1, 256])
    }

    @Test func refusesDtypesWithoutACode() throws {
        let strings = try NDArray(shape: [1], strings: ["x"])
        expectError([.unsupportedFeature]) { _ = try SafetensorsFile(tensors: ["s": strings]).serialized() }
    }

    @Test func readsOffsetsInAnyHeaderOrder() throws {
        let header = #"{"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#
        let file = try SafetensorsFile(bytes: safetensorsBytes(header: header, data: [1, 2, 3, 4]))
        #expect(file.tensors.names == ["b", "a"])
        #expect(try file.tensors["a"]?.values(as: UInt8.self) == [1, 2])
        #expect(try file.tensors["b"]?.values(as: UInt8.self) == [3, 4])
    }

    @Test(arguments: [
        ("too short", [UInt8]([1, 2, 3]), [DataFolioError.Code.truncatedData]),
        ("header too large", safetensorsBytes(header: "{}", declaredLength: 100_000_001), [.limitExceeded]),
        ("header beyond file", safetensorsBytes(header: "{}", declaredLength: 1 << 40), [.limitExceeded]),
        ("header past end", safetensorsBytes(header: "{}", declaredLength: 50), [.truncatedData]),
        ("not an object", safetensorsBytes(header: "[1]"), [.corruptData]),
        ("invalid json", safetensorsBytes(header: "{\"a\":"), [.corruptData]),
        ("invalid utf8", safetensorsBytes(header: "{\"\u{00e9}\":1}").enumerated().map { $0.offset == 11 ? 0xFF : $0.element }, [.corruptData]),
        ("unknown dtype", safetensorsBytes(header: #"{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0]), [.unsupportedFeature]),
        ("missing dtype", safetensorsBytes(header: #"{"a":{"shape":[1],"data_offsets":[0,1]}}"#, data: [0]), [.corruptData]),
        ("negative shape", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}"#, data: [0]), [.corruptData]),
        ("fractional shape", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}"#, data: [0]), [.corruptData]),
        ("size mismatch", safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), [.corruptData]),
        ("shape overflow", safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), [.corruptData]),
        ("reversed offsets", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}"#, data: [0]), [.corruptData]),
        ("gap", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [0, 0]), [.corruptData]),
        ("overlap", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}"#, data: [0, 0, 0]), [.corruptData]),
        ("beyond data", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#, data: [0, 0]), [.truncatedData]),
        ("trailing data", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, data: [0, 0]), [.corruptData]),
        ("huge offsets", safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[9223372036854775806,9223372036854775807]}}"#, data: [0]), [.corruptData]),
        ("metadata not strings", safetensorsBytes(header: #"{"__metadata__":{"a":1}}"#), [.corruptData]),
        ("metadata not an object", safetensorsBytes(header: #"{"__metadata__":[1]}"#), [.corruptData]),
        ("deep nesting", safetensorsBytes(header: "{\"a\":" + String(repeating: "[", count: 100_000)), [.corruptData]),
    ])
    func rejectsInvalidFiles(label: String, bytes: [UInt8], codes: [DataFolioError.Code]) {
        expectError(codes, label) { _ = try SafetensorsFile(bytes: bytes) }
    }

    @Test func everyTruncationFailsCleanly() throws {
        let bytes = try SafetensorsFile(tensors: ["a": NDArray([1, 2, 3] as [Float]), "b": NDArray([true])], metadata: ["m": "x"]).serialized()
        for length in 0..<bytes.count {
            expectError([.truncatedData, .corruptData], "truncated to \(length)") { _ = try SafetensorsFile(bytes: Array(bytes.prefix(length))) }
        }
    }

    @Test func committedFixtureMadeByPython() throws {
        let path = fixturesFolder().appendingPathComponent("python.safetensors").path
        let file = try SafetensorsFile(contentsOf: path)
        #expect(file.metadata == ["source": "safetensors fixture", "format": "pt"])
        #expect(Set(file.tensors.names) == ["weight", "bias", "ids", "half", "brain", "mask"])
        #expect(try file.tensors["weight"]?.values(as: Float.self) == (0..<6).map { Float($0) / 4 })
        #expect(file.tensors["weight"]?.shape == [2, 3])
        #expect(try file.tensors["bias"]?.values(as: Double.self) == [-1.5, 2.5])
        #expect(try file.tensors["ids"]?.values(as: Int64.self) == [1, -2, 3_000_000_000])
        #expect(try file.tensors["half"]?.values(as: Float.self) == [0.5, -2, 65504])
        #expect(file.tensors["brain"]?.dtype == .bfloat16)
        #expect(try file.tensors["brain"]?.values(as: Float.self) == [1, -0.5, 256])
        #expect(try file.tensors["mask"]?.values(as: Bool.self) == [true, false, true])
    }

    @Test(.interop) func pythonReadsWhatSwiftWrites() throws {
        let folder = TemporaryFolder("safetensors-interop")
        let path = folder.path("swift.safetensors")
        let tensors = try sampleTensors()
        try SafetensorsFile(tensors: tensors, metadata: ["written_by": "swift", "ü": "✓"]).write(to: path)
        let output = try InteropPython.run(pythonDump + #"""
from safetensors import safe_open
from safetensors.torch import load_file
path = sys.argv[1]
with safe_open(path, framework="pt") as f:
    metadata = f.metadata()
tensors = load_file(path)
print(json.dumps({"metadata": metadata, "tensors": {k: dump(v) for k, v in tensors.items()}}))
"""#, arguments: [path])
        let result = try JSONValue(parsing: output.stdout)
        #expect(result["metadata"]?.objectValue?.hasSameMembers(as: ["written_by": "swift", "ü": "✓"]) == true)
        #expect(result["tensors"]?.objectValue?.count == tensors.count)
        for entry in tensors {
            try expectMatches(entry.array, result["tensors"]?[entry.name], entry.name)
        }
    }

    @Test(.interop) func swiftReadsWhatPythonWrites() throws {
        let folder = TemporaryFolder("safetensors-interop")
        let path = folder.path("python.safetensors")
        let output = try InteropPython.run(pythonDump + #"""
import torch
from safetensors.torch import save_file
torch.manual_seed(0)
tensors = {
    "f32": torch.randn(3, 4), "f64": torch.randn(5, dtype=torch.float64), "f16": torch.randn(2, 2).half(),
    "bf16": torch.randn(7).bfloat16(), "i8": torch.tensor([-128, 5, 127], dtype=torch.int8),
    "i16": torch.tensor([-300, 300], dtype=torch.int16), "i32": torch.tensor([[1], [-2]], dtype=torch.int32),
    "i64": torch.tensor([2**62, -2**62]), "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "u16": torch.tensor([0, 65535], dtype=torch.uint16), "u32": torch.tensor([4000000000], dtype=torch.uint32),
    "bool": torch.tensor([True, False]), "scalar": torch.tensor(3.25), "empty": torch.zeros(0, 2),
    "special": torch.tensor([float("nan"), float("inf"), -0.0]),
}
save_file(tensors, sys.argv[1], metadata={"k": "v"})
print(json.dumps({k: dump(v) for k, v in tensors.items()}))
"""#, arguments: [path])
        let expected = try JSONValue(parsing: output.stdout)
        let file = try SafetensorsFile(contentsOf: path)
        #expect(file.metadata == ["k": "v"])
        #expect(file.tensors.count == expected.objectValue?.count)
        for entry in file.tensors {
            try expectMatches(entry.array, expected[entry.name], entry.name)
        }
    }
}
