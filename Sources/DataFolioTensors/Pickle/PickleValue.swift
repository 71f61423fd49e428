/// A value read from (or to be written to) a Python pickle, as plain data.
///
/// The reader never runs anything a pickle asks for. Python's plain data types become
/// the matching cases; a handful of pure-data constructors (`collections.OrderedDict`,
/// `set`, `frozenset`, `bytearray`, `complex`, and `_codecs.encode` for bytes) are
/// recognized and turned into data; every other reference to Python code stays an
/// inert ``global(module:name:)`` or ``object(_:)`` node that records what the
/// pickle asked for, for inspection only.
///
/// ```swift
/// let value = try PickleReader().read(bytes)
/// if case .dict(let dictionary) = value, case .int(let epoch)? = dictionary["epoch"] {
///     print("epoch", epoch)
/// }
/// ```
public enum PickleValue: Sendable, Hashable {
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
    /// A `list`.
    case list([PickleValue])
    /// A `tuple`.
    case tuple([PickleValue])
    /// A `dict` or `collections.OrderedDict`, keys in insertion order.
    indirect case dict(PickleDictionary)
    /// A `set`, elements in the order the pickle lists them.
    case set([PickleValue])
    /// A `frozenset`.
    case frozenSet([PickleValue])
    /// A reference to a Python class or function, never resolved.
    case global(module: String, name: String)
    /// An object the pickle builds by calling Python code, recorded but never built.
    indirect case object(PickleObject)
    /// A persistent id: a reference to data stored outside the pickle (PyTorch uses it
    /// for tensor storages).
    indirect case persistentID(PickleValue)
}

extension PickleValue {
    /// `"module.name"` for a ``global(module:name:)``.
    public var globalName: String? {
        if case .global(let module, let name) = self { return "\(module).\(name)" }
        return nil
    }

    /// The integer value of an ``int(_:)`` or ``bool(_:)``.
    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .bool(let flag): return flag ? 1 : 0
        default: return nil
        }
    }

    /// The string of a ``string(_:)``.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements of a ``tuple(_:)`` or ``list(_:)``.
    public var sequenceValue: [PickleValue]? {
        switch self {
        case .tuple(let items), .list(let items): return items
        default: return nil
        }
    }
}

extension PickleValue: CustomStringConvertible {
    /// A short Python-like rendering, e.g. `{'a': [1, 2.5]}` or `<os.system(...)>`.
    public var description: String {
        var out = ""
        PickleValue.render(self, into: &out, depth: 0)
        return out
    }

    private static func render(_ value: PickleValue, into out: inout String, depth: Int) {
        guard depth < 32 else {
            out += "…"
            return
        }
        let element = { (item: PickleValue, out: inout String) in render(item, into: &out, depth: depth + 1) }
        func list(_ items: [PickleValue], _ open: String, _ close: String) {
            PythonRendering.sequence(items, open, close, into: &out, element)
        }
        switch value {
        case .null: out += "None"
        case .bool(let flag): out += flag ? "True" : "False"
        case .int(let number): out += String(number)
        case .bigInteger(let number): out += number.description
        case .float(let number): out += String(number)
        case .complex(let real, let imaginary): out += "(\(real)\(imaginary < 0 ? "-" : "+")\(abs(imaginary))j)"
        case .string(let text): out += "'" + text + "'"
        case .bytes(let bytes): out += "b'" + bytes.map { byteDescription($0) }.joined() + "'"
        case .byteArray(let bytes): out += "bytearray(b'" + bytes.map { byteDescription($0) }.joined() + "')"
        case .list(let items): list(items, "[", "]")
        case .tuple(let items): list(items, "(", ")")
        case .set(let items): PythonRendering.set(items, frozen: false, into: &out, element)
        case .frozenSet(let items): PythonRendering.set(items, frozen: true, into: &out, element)
        case .dict(let dictionary):
            PythonRendering.mapping(dictionary.entries.map { ($0.key, $0.value) }, ordered: dictionary.isOrdered, into: &out, element)
        case .global(let module, let name): out += "<global \(module).\(name)>"
        case .object(let object):
            out += "<"
            render(object.callable, into: &out, depth: depth + 1)
            list(object.arguments, "(", ")")
            out += ">"
        case .persistentID(let id):
            out += "<persistent "
            render(id, into: &out, depth: depth + 1)
            out += ">"
        }
    }

    private static func byteDescription(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "\\") {
            return String(UnicodeScalar(byte))
        }
        let hex = String(byte, radix: 16)
        return "\\x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
