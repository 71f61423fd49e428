import DataFolioNumPy
import DataFolioSupport

/// Turns the pickle of a `.pt` archive into a ``TorchValue``: recognizes PyTorch's
/// tensor-rebuilding calls and builds each tensor from its storage record. Nothing is
/// executed; unrecognized records stay opaque.
struct TorchDecoder {
    static let format = "PyTorch"

    /// The globals a PyTorch weights-only load accepts, besides the pickle reader's own
    /// pure-data constructors.
    static let allowedGlobals: Set<String> = {
        var names: Set<String> = [
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor_v3",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
            "torch._utils._rebuild_sparse_tensor", "torch._utils._rebuild_qtensor",
            "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_wrapper_subclass",
            "torch._utils._rebuild_device_tensor_from_numpy", "torch._utils._rebuild_device_tensor_from_cpu_tensor",
            "torch._tensor._rebuild_from_type_v2",
            "torch.Tensor", "torch.nn.parameter.Parameter", "torch.device", "torch.Size",
            "torch.serialization._get_layout", "torch.strided",
            "torch.storage.UntypedStorage", "torch.UntypedStorage", "torch.storage.TypedStorage",
        ]
        for storage in storageNames { names.insert("torch.\(storage)") }
        for dtype in dtypeNames { names.insert("torch.\(dtype)") }
        return names
    }()

    static let storageNames = [
        "DoubleStorage", "FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage",
        "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage",
        "QInt8Storage", "QInt32Storage", "QUInt8Storage", "QUInt4x2Storage", "QUInt2x4Storage",
    ]

    static let dtypeNames = [
        "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
        "complex32", "complex64", "complex128", "uint16", "uint32", "uint64",
        "float8_e5m2", "float8_e4m3fn", "float8_e5m2fnuz", "float8_e4m3fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2",
        "qint8", "qint32", "quint8", "quint4x2", "quint2x4", "bits8", "bits16", "bits1x8", "bits2x4", "bits4x2",
    ]

    /// Finds the record `data/<key>` of the archive.
    let loadStorage: (String) throws(DataFolioError) -> TorchRecord
    let bigEndian: Bool
    private var records: [String: TorchRecord] = [:]

    init(bigEndian: Bool, loadStorage: @escaping (String) throws(DataFolioError) -> TorchRecord) {
        self.bigEndian = bigEndian
        self.loadStorage = loadStorage
    }

    static func corrupt(_ detail: String) -> DataFolioError {
        DataFolioError.corrupt(format, detail)
    }

    // MARK: Values

    mutating func decode(_ value: PickleValue) throws(DataFolioError) -> TorchValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .bigInteger(let number): return .bigInteger(number)
        case .float(let number): return .float(number)
        case .complex(let real, let imaginary): return .complex(real: real, imaginary: imaginary)
        case .string(let text): return .string(text)
        case .bytes(let bytes): return .bytes(bytes)
        case .byteArray(let bytes): return .byteArray(bytes)
        case .list(let items): return .list(try decode(items))
        case .tuple(let items): return .tuple(try decode(items))
        case .set(let items): return .set(try decode(items))
        case .frozenSet(let items): return .frozenSet(try decode(items))
        case .dict(let dictionary):
            var pairs: [TorchPair] = []
            pairs.reserveCapacity(dictionary.count)
            for pair in dictionary.entries {
                pairs.append(TorchPair(try decode(pair.key), try decode(pair.value)))
            }
            var attributes: TorchValue?
            if let state = dictionary.state { attributes = try decode(state) }
            return .dict(TorchDictionary(pairs, isOrdered: dictionary.isOrdered, attributes: attributes))
        case .global(let module, let name):
            if module == "torch", DType(torchName: name) != nil || TorchDecoder.dtypeNames.contains(name) {
                return .dtype(name)
            }
            return .opaque(value)
        case .object(let object):
            return try decode(object, original: value)
        case .persistentID:
            return .opaque(value)
        }
    }

    mutating func decode(_ items: [PickleValue]) throws(DataFolioError) -> [TorchValue] {
        var values: [TorchValue] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try decode(item)) }
        return values
    }

    mutating func decode(_ object: PickleObject, original: PickleValue) throws(DataFolioError) -> TorchValue {
        let arguments = object.arguments
        switch object.callableName {
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor_v3", "torch._utils._rebuild_tensor":
            return .tensor(try rebuildTensor(object))
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard arguments.count >= 2, case .tensor(var tensor) = try decode(arguments[0]) else {
                throw TorchDecoder.corrupt("a parameter does not wrap a tensor")
            }
            tensor.isParameter = true
            tensor.requiresGrad = arguments[1].intValue.map { $0 != 0 } ?? true
            return .tensor(tensor)
        case "torch._tensor._rebuild_from_type_v2":
            // (function, type, arguments, state): a tensor with Python attributes.
            guard arguments.count >= 3, case .tuple(let innerArguments) = arguments[2] else {
                throw TorchDecoder.corrupt("a tensor with attributes has malformed arguments")
            }
            let inner = try decode(.object(PickleObject(callable: arguments[0], arguments: innerArguments)))
            if case .tensor(var tensor) = inner, arguments[1].globalName == "torch.nn.parameter.Parameter" {
                tensor.isParameter = true
                return .tensor(tensor)
            }
            return inner
        case "torch.device":
            if case .string(let kind)? = arguments.first {
                if arguments.count == 2, case .int(let index) = arguments[1] { return .device("\(kind):\(index)") }
                if arguments.count == 1 { return .device(kind) }
            }
            return .opaque(original)
        case "torch.Size":
            if arguments.count == 1, case .tuple(let dimensions) = arguments[0] { return .tuple(try decode(dimensions)) }
            return .opaque(original)
        case "torch._utils._rebuild_sparse_tensor":
            throw DataFolioError.unsupported(TorchDecoder.format, "a sparse tensor (convert it with .to_dense() before saving)")
        case "torch._utils._rebuild_qtensor":
            throw DataFolioError.unsupported(TorchDecoder.format, "a quantized tensor (convert it with .dequantize() before saving)")
        case "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_wrapper_subclass":
            throw DataFolioError.unsupported(TorchDecoder.format, "a tensor without data (a meta or wrapper tensor)")
        case "torch._utils._rebuild_device_tensor_from_numpy", "torch._utils._rebuild_device_tensor_from_cpu_tensor":
            throw DataFolioError.unsupported(TorchDecoder.format, "a tensor of an accelerator device saved without storage")
        default:
            return .opaque(original)
        }
    }

    // MARK: Tensors

    private struct StorageReference {
        var key: String
        var dtype: DType?
        var byteCount: Int
    }

    /// Reads `('storage', storage_type, key, location, numel)`.
    private func storageReference(_ value: PickleValue) throws(DataFolioError) -> StorageReference {
        guard case .persistentID(let id) = value, case .tuple(let fields) = id, fields.count >= 5,
              fields[0] == .string("storage"), case .global(let module, let typeName) = fields[1],
              case .string(let key) = fields[2], case .int(let numel) = fields[4], numel >= 0
        else {
            throw TorchDecoder.corrupt("a tensor refers to its storage in an unknown way")
        }
        var dtype: DType?
        if typeName == "UntypedStorage" {
            dtype = nil
        } else if module.hasPrefix("torch"), let typed = DType(torchStorageName: typeName) {
            dtype = typed
        } else {
            throw DataFolioError.unsupported(TorchDecoder.format, "tensor storage type \(module).\(typeName)")
        }
        let itemSize = dtype?.itemSize ?? 1
        let (byteCount, overflow) = Int(numel).multipliedReportingOverflow(by: itemSize)
        guard !overflow else { throw TorchDecoder.corrupt("a storage size overflows") }
        return StorageReference(key: key, dtype: dtype, byteCount: byteCount)
    }

    private func integers(_ value: PickleValue, _ what: String) throws(DataFolioError) -> [Int] {
        guard let items = value.sequenceValue else { throw TorchDecoder.corrupt("a tensor's \(what) is not a tuple") }
        var numbers: [Int] = []
        numbers.reserveCapacity(items.count)
        for item in items {
            guard case .int(let number) = item, number >= 0, let value = Int(exactly: number) else {
                throw TorchDecoder.corrupt("a tensor's \(what) holds an invalid number")
            }
            numbers.append(value)
        }
        return numbers
    }

    private mutating func record(for key: String) throws(DataFolioError) -> TorchRecord {
        if let cached = records[key] { return cached }
        let record = try loadStorage(key)
        records[key] = record
        return record
    }

    mutating func rebuildTensor(_ object: PickleObject) throws(DataFolioError) -> TorchTensor {
        let arguments = object.arguments
        let isVersion3 = object.callableName == "torch._utils._rebuild_tensor_v3"
        guard arguments.count >= (isVersion3 ? 7 : 4) else { throw TorchDecoder.corrupt("a tensor has too few arguments") }
        let reference = try storageReference(arguments[0])
        guard case .int(let offset64) = arguments[1], offset64 >= 0, let storageOffset = Int(exactly: offset64) else {
            throw TorchDecoder.corrupt("a tensor has an invalid storage offset")
        }
        let shape = try integers(arguments[2], "size")
        let strides = try integers(arguments[3], "stride")
        guard shape.count == strides.count else { throw TorchDecoder.corrupt("a tensor's size and stride differ in length") }
        let requiresGrad = arguments.count > 4 ? (arguments[4].intValue ?? 0) != 0 : false

        var dtype: DType
        var metadata: PickleValue?
        if isVersion3 {
            guard case .global(_, let name) = arguments[6] else { throw TorchDecoder.corrupt("a tensor's dtype is missing") }
            guard let resolved = DType(torchName: name) else {
                throw DataFolioError.unsupported(TorchDecoder.format, "tensors of dtype torch.\(name)")
            }
            dtype = resolved
            metadata = arguments.count > 7 ? arguments[7] : nil
        } else {
            guard let typed = reference.dtype else { throw TorchDecoder.corrupt("a tensor's storage has no dtype") }
            dtype = typed
            metadata = arguments.count > 6 ? arguments[6] : nil
        }

        let record = try record(for: reference.key)
        guard reference.byteCount <= record.count else {
            throw DataFolioError.truncated(
                TorchDecoder.format, "storage '\(reference.key)' should hold \(reference.byteCount) bytes but its record has \(record.count)")
        }
        var array = try TorchDecoder.materialize(
            record: record, storageBytes: reference.byteCount, dtype: dtype, bigEndian: bigEndian,
            offset: storageOffset, shape: shape, strides: strides)
        if case .dict(let flags)? = metadata {
            if flags["conj"] == .bool(true) { try TorchDecoder.flipSigns(&array, imaginaryOnly: true) }
            if flags["neg"] == .bool(true) { try TorchDecoder.flipSigns(&array, imaginaryOnly: false) }
        }
        return TorchTensor(array, requiresGrad: requiresGrad)
    }

    /// The tensor `storage[offset + Σ index·stride]` as a contiguous row-major array.
    static func materialize(
        record: TorchRecord, storageBytes: Int, dtype: DType, bigEndian: Bool,
        offset: Int, shape: [Int], strides: [Int]
    ) throws(DataFolioError) -> NDArray {
        let itemSize = dtype.itemSize
        let storageElements = storageBytes / itemSize
        var count = 1
        var lastIndex = offset
        for (size, stride) in zip(shape, strides) {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw corrupt("a tensor's size overflows") }
            count = product
            if size > 0 {
                let (reach, overflowReach) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, overflowSum) = lastIndex.addingReportingOverflow(reach)
                guard !overflowReach, !overflowSum else { throw corrupt("a tensor's strides overflow") }
                lastIndex = sum
            }
        }
        let storedDType = bigEndian && itemSize > 1
            ? DType(kind: dtype.kind, itemSize: itemSize, byteOrder: .bigEndian) : dtype
        if count == 0 {
            return try NDArray.zeros(shape: shape, dtype: dtype)
        }
        guard lastIndex < storageElements else {
            throw corrupt("a tensor reaches element \(lastIndex) of a storage of \(storageElements) elements")
        }

        // Row-major strides (ignoring dimensions of length 1) mean one contiguous run.
        var expected = 1
        var contiguous = true
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { contiguous = false }
            expected *= shape[axis]
        }
        if contiguous {
            let array = try record.array(shape: shape, dtype: storedDType, byteOffset: offset * itemSize)
            return array.nativeByteOrder()
        }

        let gathered = try record.withBytes { source throws(DataFolioError) in
            try NDArray(shape: shape, dtype: storedDType) { target throws(DataFolioError) in
                gather(from: source, into: target, itemSize: itemSize, offset: offset, shape: shape, strides: strides)
            }
        }
        return gathered.nativeByteOrder()
    }

    /// Copies a strided view element by element (runs of the last axis at once when it is contiguous).
    private static func gather(
        from source: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer,
        itemSize: Int, offset: Int, shape: [Int], strides: [Int]
    ) {
        guard let sourceBase = source.baseAddress, let targetBase = target.baseAddress else { return }
        if shape.isEmpty {
            targetBase.copyMemory(from: sourceBase + offset * itemSize, byteCount: itemSize)
            return
        }
        let rank = shape.count
        let innerSize = shape[rank - 1]
        let innerStride = strides[rank - 1]
        let outerCount = shape.dropLast().reduce(1, *)
        var index = [Int](repeating: 0, count: rank - 1)
        var sourceElement = offset
        var targetByte = 0
        for _ in 0..<outerCount {
            if innerStride == 1 {
                targetBase.advanced(by: targetByte).copyMemory(from: sourceBase + sourceElement * itemSize, byteCount: innerSize * itemSize)
                targetByte += innerSize * itemSize
            } else {
                var element = sourceElement
                for _ in 0..<innerSize {
                    targetBase.advanced(by: targetByte).copyMemory(from: sourceBase + element * itemSize, byteCount: itemSize)
                    targetByte += itemSize
                    element += innerStride
                }
            }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                sourceElement += strides[axis]
                if index[axis] < shape[axis] { break }
                sourceElement -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Applies PyTorch's lazy conjugate or negative bit by flipping IEEE sign bits.
    static func flipSigns(_ array: inout NDArray, imaginaryOnly: Bool) throws(DataFolioError) {
        let dtype = array.dtype
        guard dtype.kind == .float || dtype.kind == .bfloat16 || dtype.kind == .complex else {
            throw DataFolioError.unsupported(format, "a negated view of a \(dtype.name) tensor")
        }
        if imaginaryOnly && dtype.kind != .complex { return }
        let itemSize = dtype.itemSize
        let part = dtype.kind == .complex ? itemSize / 2 : itemSize
        array.withUnsafeMutableBytes { bytes in
            var element = 0
            while element + itemSize <= bytes.count {
                // Little-endian: the sign bit is the top bit of each part's last byte.
                if dtype.kind == .complex && !imaginaryOnly { bytes[element + part - 1] ^= 0x80 }
                bytes[element + itemSize - 1] ^= 0x80
                element += itemSize
            }
        }
    }
}
