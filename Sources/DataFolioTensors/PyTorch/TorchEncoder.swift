import DataFolioNumPy
import DataFolioSupport

/// Turns a ``TorchValue`` into the pickle `torch.save` would write, collecting the
/// tensors whose bytes become the archive's storage records.
struct TorchEncoder {
    /// The tensors in storage-key order (`data/0`, `data/1`, …); they are made
    /// contiguous and little-endian one at a time as they are written.
    private(set) var storages: [NDArray] = []

    private static let emptyHooks = PickleValue.dict(PickleDictionary([], isOrdered: true))

    /// Deeper values could not be pickled anyway (see ``PickleWriter/maximumDepth``).
    static let maximumDepth = 200

    mutating func encode(_ value: TorchValue, depth: Int = 0) throws(DataFolioError) -> PickleValue {
        guard depth <= TorchEncoder.maximumDepth else {
            throw DataFolioError(.limitExceeded, "PyTorch: the value is nested more than \(TorchEncoder.maximumDepth) levels deep and cannot be saved.")
        }
        let next = depth + 1
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
        case .list(let items): return .list(try encode(items, depth: next))
        case .tuple(let items): return .tuple(try encode(items, depth: next))
        case .set(let items): return .set(try encode(items, depth: next))
        case .frozenSet(let items): return .frozenSet(try encode(items, depth: next))
        case .dict(let dictionary):
            var pairs: [PicklePair] = []
            pairs.reserveCapacity(dictionary.count)
            for pair in dictionary.entries {
                pairs.append(PicklePair(try encode(pair.key, depth: next), try encode(pair.value, depth: next)))
            }
            var state: PickleValue?
            if let attributes = dictionary.attributes { state = try encode(attributes, depth: next) }
            return .dict(PickleDictionary(pairs, isOrdered: dictionary.isOrdered, state: state))
        case .device(let name):
            let parts = name.split(separator: ":", maxSplits: 1)
            var arguments: [PickleValue] = [.string(parts.first.map(String.init) ?? name)]
            if parts.count == 2, let index = Int64(parts[1]) { arguments.append(.int(index)) }
            return .object(PickleObject(callable: .global(module: "torch", name: "device"), arguments: arguments))
        case .dtype(let name):
            return .global(module: "torch", name: name)
        case .opaque(let record):
            return record
        case .tensor(let tensor):
            let rebuilt = try encodeTensor(tensor.array, requiresGrad: tensor.isParameter ? false : tensor.requiresGrad)
            guard tensor.isParameter else { return rebuilt }
            return .object(PickleObject(
                callable: .global(module: "torch._utils", name: "_rebuild_parameter"),
                arguments: [rebuilt, .bool(tensor.requiresGrad), TorchEncoder.emptyHooks]))
        }
    }

    mutating func encode(_ items: [TorchValue], depth: Int) throws(DataFolioError) -> [PickleValue] {
        var values: [PickleValue] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try encode(item, depth: depth)) }
        return values
    }

    /// `_rebuild_tensor_v2(storage, 0, size, stride, requires_grad, OrderedDict())`, or
    /// `_rebuild_tensor_v3(…, dtype)` over an untyped storage for the unsigned dtypes
    /// that PyTorch never gave a typed storage class.
    mutating func encodeTensor(_ array: NDArray, requiresGrad: Bool) throws(DataFolioError) -> PickleValue {
        guard let dtypeName = array.dtype.torchName else {
            throw DataFolioError(
                .unsupportedFeature,
                "PyTorch has no dtype for \(array.dtype.name) arrays; convert the array to a numeric dtype before saving it as a tensor.")
        }
        let key = String(storages.count)
        storages.append(array)

        var strides = [Int](repeating: 1, count: array.shape.count)
        var running = 1
        for axis in stride(from: array.shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= max(array.shape[axis], 1)
        }
        let storageType: PickleValue
        let numel: Int
        if let storageName = array.dtype.torchStorageName {
            storageType = .global(module: "torch", name: storageName)
            numel = array.count
        } else {
            storageType = .global(module: "torch.storage", name: "UntypedStorage")
            numel = array.count * array.dtype.itemSize
        }
        let storage = PickleValue.persistentID(.tuple([
            .string("storage"), storageType, .string(key), .string("cpu"), .int(Int64(numel)),
        ]))
        var arguments: [PickleValue] = [
            storage, .int(0),
            .tuple(array.shape.map { .int(Int64($0)) }),
            .tuple(strides.map { .int(Int64($0)) }),
            .bool(requiresGrad), TorchEncoder.emptyHooks,
        ]
        let function: String
        if array.dtype.torchStorageName == nil {
            arguments.append(.global(module: "torch", name: dtypeName))
            function = "_rebuild_tensor_v3"
        } else {
            function = "_rebuild_tensor_v2"
        }
        return .object(PickleObject(callable: .global(module: "torch._utils", name: function), arguments: arguments))
    }
}
