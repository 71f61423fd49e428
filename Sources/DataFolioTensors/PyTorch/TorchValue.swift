import DataFolioNumPy
import DataFolioSupport

/// A value stored in a PyTorch `.pt` file, with tensors as `NDArray`s.
///
/// `torch.save` pickles any Python structure; a `.pt` file usually holds a state dict
/// (an `OrderedDict` of tensors), an optimizer state dict, or a checkpoint dictionary
/// mixing tensors, numbers and strings. Every such structure maps onto this tree.
/// Objects the data-only reader does not understand stay ``opaque(_:)`` records when
/// the read options allow them.
///
/// ```swift
/// let checkpoint = try TorchFile.read(at: "checkpoint.pt")
/// print(checkpoint["epoch"]?.intValue ?? 0)
/// let weights = try checkpoint.stateDictionary()          // top level or "state_dict"
/// print(weights["fc.weight"]?.shape ?? [])
/// ```
public enum TorchValue: Sendable, Equatable {
    /// Python's `None`.
    case null
    /// `True` or `False`.
    case bool(Bool)
    /// An `int` that fits in 64 bits.
    case int(Int64)
    /// An `int` too large for 64 bits.
    case bigInteger(PickleBigInteger)
    /// A `float`.
    case float(Double)
    /// A `complex`.
    case complex(real: Double, imaginary: Double)
    /// A `str`.
    case string(String)
    /// A `bytes`.
    case bytes([UInt8])
    /// A `bytearray`.
    case byteArray([UInt8])
    /// A tensor or `nn.Parameter`.
    case tensor(TorchTensor)
    /// A `list`.
    case list([TorchValue])
    /// A `tuple` (also `torch.Size`).
    case tuple([TorchValue])
    /// A `dict` or `collections.OrderedDict`.
    indirect case dict(TorchDictionary)
    /// A `set`.
    case set([TorchValue])
    /// A `frozenset`.
    case frozenSet([TorchValue])
    /// A `torch.device`, e.g. `"cpu"` or `"cuda:0"`.
    case device(String)
    /// A `torch.dtype` by PyTorch's name, e.g. `"float32"` for `torch.float32`.
    case dtype(String)
    /// Anything else, as the inert record the pickle reader made of it.
    indirect case opaque(PickleValue)
}

extension TorchValue {
    /// The array of a ``tensor(_:)``.
    public var tensorValue: NDArray? {
        if case .tensor(let tensor) = self { return tensor.array }
        return nil
    }

    /// The value of an ``int(_:)`` (or a `bool` as 0 or 1).
    public var intValue: Int64? {
        switch self {
        case .int(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        default: return nil
        }
    }

    /// The value of a ``float(_:)`` or ``int(_:)``.
    public var doubleValue: Double? {
        switch self {
        case .float(let number): return number
        case .int(let number): return Double(number)
        default: return nil
        }
    }

    /// The text of a ``string(_:)``.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The dictionary of a ``dict(_:)``.
    public var dictionaryValue: TorchDictionary? {
        if case .dict(let dictionary) = self { return dictionary }
        return nil
    }

    /// The elements of a ``list(_:)`` or ``tuple(_:)``.
    public var sequenceValue: [TorchValue]? {
        switch self {
        case .list(let items), .tuple(let items): return items
        default: return nil
        }
    }

    /// The value for a string key of a ``dict(_:)``.
    ///
    /// ```swift
    /// let learningRate = checkpoint["optimizer"]?["param_groups"]
    /// ```
    public subscript(key: String) -> TorchValue? {
        dictionaryValue?[key]
    }

    /// The tensors of a state dict: this value when it is a dictionary of tensors with
    /// string keys, otherwise its `"state_dict"` entry.
    ///
    /// ```swift
    /// let weights = try TorchFile.read(at: "checkpoint.pt").stateDictionary()
    /// print(weights.names)
    /// ```
    ///
    /// - Throws: `DataFolioError` with code `typeMismatch` when neither is a state dict.
    public func stateDictionary() throws(DataFolioError) -> TensorDictionary {
        if let tensors = asTensorDictionary() { return tensors }
        if let nested = self["state_dict"], let tensors = nested.asTensorDictionary() { return tensors }
        throw DataFolioError(
            .typeMismatch,
            "The PyTorch data is not a state dict (a dictionary of tensors by name) and has no 'state_dict' entry that is one.")
    }

    private func asTensorDictionary() -> TensorDictionary? {
        guard case .dict(let dictionary) = self else { return nil }
        var tensors = TensorDictionary()
        for entry in dictionary.entries {
            guard case .string(let name) = entry.key, case .tensor(let tensor) = entry.value else { return nil }
            tensors[name] = tensor.array
        }
        return tensors
    }
}

extension TorchValue: CustomStringConvertible {
    /// A short Python-like rendering; tensors appear as `tensor(float32, [2, 3])`.
    public var description: String {
        var out = ""
        TorchValue.render(self, into: &out, depth: 0)
        return out
    }

    private static func render(_ value: TorchValue, into out: inout String, depth: Int) {
        guard depth < 32 else {
            out += "…"
            return
        }
        let element = { (item: TorchValue, out: inout String) in render(item, into: &out, depth: depth + 1) }
        switch value {
        case .null: out += "None"
        case .bool(let flag): out += flag ? "True" : "False"
        case .int(let number): out += String(number)
        case .bigInteger(let number): out += number.description
        case .float(let number): out += String(number)
        case .complex(let real, let imaginary): out += PickleValue.complex(real: real, imaginary: imaginary).description
        case .string(let text): out += "'" + text + "'"
        case .bytes(let bytes): out += PickleValue.bytes(bytes).description
        case .byteArray(let bytes): out += PickleValue.byteArray(bytes).description
        case .tensor(let tensor):
            out += tensor.isParameter ? "Parameter(" : "tensor("
            out += "\(tensor.array.dtype.name), \(tensor.array.shape))"
        case .list(let items): PythonRendering.sequence(items, "[", "]", into: &out, element)
        case .tuple(let items): PythonRendering.sequence(items, "(", ")", into: &out, element)
        case .set(let items): PythonRendering.set(items, frozen: false, into: &out, element)
        case .frozenSet(let items): PythonRendering.set(items, frozen: true, into: &out, element)
        case .dict(let dictionary):
            PythonRendering.mapping(dictionary.entries.map { ($0.key, $0.value) }, ordered: dictionary.isOrdered, into: &out, element)
        case .device(let name): out += "device('\(name)')"
        case .dtype(let name): out += "torch.\(name)"
        case .opaque(let record): out += record.description
        }
    }
}
