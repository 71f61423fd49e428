import DataFolioNumPy
import DataFolioSupport

/// A value stored in a PyTorch `.pt` file, with tensors as ``NDArray``s.
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

/// A tensor of a `.pt` file.
public struct TorchTensor: Sendable, Equatable {
    /// The elements, contiguous and in row-major order.
    public var array: NDArray
    /// Whether autograd tracks the tensor (`requires_grad`).
    public var requiresGrad: Bool
    /// Whether the tensor is an `nn.Parameter`.
    public var isParameter: Bool

    /// Creates a tensor.
    public init(_ array: NDArray, requiresGrad: Bool = false, isParameter: Bool = false) {
        self.array = array
        self.requiresGrad = requiresGrad
        self.isParameter = isParameter
    }
}

/// One key–value pair of a ``TorchDictionary``.
public struct TorchPair: Sendable, Equatable {
    /// The key: a string in state dicts, an integer in optimizer state.
    public var key: TorchValue
    /// The value.
    public var value: TorchValue

    /// Creates a pair.
    public init(_ key: TorchValue, _ value: TorchValue) {
        self.key = key
        self.value = value
    }
}

/// A `dict` or `collections.OrderedDict` of a `.pt` file, keys in insertion order.
///
/// ```swift
/// var groups = TorchDictionary(isOrdered: false)
/// groups["lr"] = .float(0.001)
/// ```
public struct TorchDictionary: Sendable, Equatable, RandomAccessCollection {
    /// The pairs in insertion order; keys are unique.
    public private(set) var entries: [TorchPair]
    /// Whether this is a `collections.OrderedDict`.
    public var isOrdered: Bool
    /// Instance attributes set on the dictionary, if any (state dicts made by
    /// `nn.Module.state_dict()` carry module versions as `_metadata`).
    public var attributes: TorchValue?
    // String and integer keys (nearly all keys) are found by hashing; others by search.
    private var stringPositions: [String: Int] = [:]
    private var intPositions: [Int64: Int] = [:]

    /// Creates a dictionary; a repeated key keeps its first position and takes the last value.
    public init(_ entries: [TorchPair] = [], isOrdered: Bool = false, attributes: TorchValue? = nil) {
        self.entries = []
        self.isOrdered = isOrdered
        self.attributes = attributes
        self.entries.reserveCapacity(entries.count)
        for entry in entries { self[key: entry.key] = entry.value }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }
    public subscript(position: Int) -> TorchPair { entries[position] }

    /// The keys in order.
    public var keys: [TorchValue] { entries.map(\.key) }

    /// The value for a string key; setting `nil` removes the key.
    public subscript(key: String) -> TorchValue? {
        get { self[key: .string(key)] }
        set { self[key: .string(key)] = newValue }
    }

    /// The value for any key; setting `nil` removes the key.
    public subscript(key key: TorchValue) -> TorchValue? {
        get { position(of: key).map { entries[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (let position?, let value?):
                entries[position].value = value
            case (let position?, nil):
                entries.remove(at: position)
                reindex()
            case (nil, let value?):
                record(key, at: entries.count)
                entries.append(TorchPair(key, value))
            case (nil, nil):
                break
            }
        }
    }

    private func position(of key: TorchValue) -> Int? {
        switch key {
        case .string(let text): return stringPositions[text]
        case .int(let number): return intPositions[number]
        default: return entries.firstIndex { $0.key == key }
        }
    }

    private mutating func record(_ key: TorchValue, at position: Int) {
        switch key {
        case .string(let text): stringPositions[text] = position
        case .int(let number): intPositions[number] = position
        default: break
        }
    }

    private mutating func reindex() {
        stringPositions.removeAll(keepingCapacity: true)
        intPositions.removeAll(keepingCapacity: true)
        for (position, entry) in entries.enumerated() { record(entry.key, at: position) }
    }

    public static func == (lhs: TorchDictionary, rhs: TorchDictionary) -> Bool {
        lhs.entries == rhs.entries && lhs.isOrdered == rhs.isOrdered && lhs.attributes == rhs.attributes
    }
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
    public subscript(key: String) -> TorchValue? {
        dictionaryValue?[key]
    }

    /// The tensors of a state dict: this value when it is a dictionary of tensors with
    /// string keys, otherwise its `"state_dict"` entry.
    ///
    /// - Throws: ``DataFolioError`` with code `typeMismatch` when neither is a state dict.
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
        func list(_ items: [TorchValue], _ open: String, _ close: String) {
            out += open
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                render(item, into: &out, depth: depth + 1)
            }
            if items.count == 1 && open == "(" { out += "," }
            out += close
        }
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
        case .list(let items): list(items, "[", "]")
        case .tuple(let items): list(items, "(", ")")
        case .set(let items): items.isEmpty ? (out += "set()") : list(items, "{", "}")
        case .frozenSet(let items): out += "frozenset("; list(items, "{", "}"); out += ")"
        case .dict(let dictionary):
            out += dictionary.isOrdered ? "OrderedDict({" : "{"
            for (i, pair) in dictionary.entries.enumerated() {
                if i > 0 { out += ", " }
                render(pair.key, into: &out, depth: depth + 1)
                out += ": "
                render(pair.value, into: &out, depth: depth + 1)
            }
            out += dictionary.isOrdered ? "})" : "}"
        case .device(let name): out += "device('\(name)')"
        case .dtype(let name): out += "torch.\(name)"
        case .opaque(let record): out += record.description
        }
    }
}
