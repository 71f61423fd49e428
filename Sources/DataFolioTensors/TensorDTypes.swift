import DataFolioNumPy
import DataFolioSupport

// The names the tensor formats give the element types an NDArray can hold.
extension DType {
    private static let safetensorsCodes: [(String, DType)] = [
        ("BOOL", .bool), ("U8", .uint8), ("I8", .int8), ("I16", .int16), ("U16", .uint16),
        ("I32", .int32), ("U32", .uint32), ("I64", .int64), ("U64", .uint64),
        ("F16", .float16), ("BF16", .bfloat16), ("F32", .float32), ("F64", .float64),
        ("C64", .complex64),
    ]

    /// The safetensors dtype code (`"F32"`, `"BF16"`, …), or `nil` when the format has none.
    public var safetensorsCode: String? {
        let native = nativeByteOrder
        return DType.safetensorsCodes.first { $0.1 == native }?.0
    }

    /// The dtype of a safetensors dtype code.
    init?(safetensorsCode code: String) {
        guard let match = DType.safetensorsCodes.first(where: { $0.0 == code }) else { return nil }
        self = match.1
    }

    // (torch dtype name, legacy typed storage class, dtype). Storage classes exist only
    // for the dtypes PyTorch had before it switched to untyped storages.
    private static let torchTypes: [(String, String?, DType)] = [
        ("float64", "DoubleStorage", .float64), ("float32", "FloatStorage", .float32),
        ("float16", "HalfStorage", .float16), ("bfloat16", "BFloat16Storage", .bfloat16),
        ("int64", "LongStorage", .int64), ("int32", "IntStorage", .int32),
        ("int16", "ShortStorage", .int16), ("int8", "CharStorage", .int8),
        ("uint8", "ByteStorage", .uint8), ("bool", "BoolStorage", .bool),
        ("complex64", "ComplexFloatStorage", .complex64), ("complex128", "ComplexDoubleStorage", .complex128),
        ("uint16", nil, .uint16), ("uint32", nil, .uint32), ("uint64", nil, .uint64),
    ]

    /// PyTorch's name for the dtype (`"float32"` for `torch.float32`), or `nil`.
    public var torchName: String? {
        let native = nativeByteOrder
        return DType.torchTypes.first { $0.2 == native }?.0
    }

    /// The dtype named `torch.<name>`.
    init?(torchName name: String) {
        guard let match = DType.torchTypes.first(where: { $0.0 == name }) else { return nil }
        self = match.2
    }

    /// The legacy typed storage class (`"FloatStorage"`) PyTorch pickles for tensors of
    /// this dtype, or `nil` when PyTorch pickles an `UntypedStorage` plus the dtype.
    var torchStorageName: String? {
        let native = nativeByteOrder
        return DType.torchTypes.first { $0.2 == native }?.1
    }

    /// The dtype of a legacy typed storage class.
    init?(torchStorageName name: String) {
        guard let match = DType.torchTypes.first(where: { $0.1 == name }) else { return nil }
        self = match.2
    }
}
