/// A JSON value whose objects keep their keys in insertion order.
///
/// This is the value model of the folio catalog (`items.json`) and of JSON items.
/// Order matters because the catalog is meant to be diffed in git and written in
/// exactly the layout the Python datafolio writes, so objects are ``JSONObject``s,
/// never dictionaries.
///
/// Literals build values directly:
///
/// ```swift
/// let config: JSONValue = ["lr": 0.01, "layers": [64, 32], "name": "baseline", "notes": nil]
/// print(config["layers"]?[1]?.intValue ?? 0)   // 32
/// print(config.formatted())                     // 2-space indented, keys in order
/// ```
///
/// Equality is structural: strings and keys compare by their exact Unicode scalars (as
/// in JSON and Python, so `"é"` and `"e\u{301}"` differ), `.int(1)` differs from
/// `.double(1)`, `0.0` equals `-0.0`, and a NaN equals nothing, itself included.
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// A floating-point number. NaN and infinities are written as `null`, as Python does.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with ordered keys.
    case object(JSONObject)
}

extension JSONValue {
    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as a `Bool`, if it is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as an `Int`, if it is an integer (or an integral double that fits).
    public var intValue: Int? {
        switch self {
        case .int(let value): return Int(exactly: value)
        case .double(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// The value as an `Int64`, if it is an integer (or an integral double that fits).
    public var int64Value: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// The value as a `Double`, if it is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value as a `String`, if it is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object, if this is one.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member named `key`, if this is an object that has it.
    ///
    /// ```swift
    /// let config: JSONValue = ["model": ["layers": 3]]
    /// print(config["model"]?["layers"]?.intValue ?? 0)   // 3
    /// ```
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index`, if this is an array long enough.
    ///
    /// ```swift
    /// let sizes: JSONValue = [64, 32]
    /// print(sizes[1]?.intValue ?? 0, sizes[5] == nil)   // 32 true
    /// ```
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The name Python's datafolio records as `data_type` for a value of this shape
    /// (`dict`, `list`, `int`, `float`, `str`, `bool`, `NoneType`).
    public var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String { formatted(indented: false) }
}

// Equality and hashing walk nested values with an explicit stack instead of recursion,
// so comparing deeply nested values (up to the parser's 512 levels and beyond) costs
// no call-stack space.
extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        var pending = [(JSONValue, JSONValue)]()
        var pair = (lhs, rhs)
        while true {
            switch pair {
            case (.null, .null): break
            case (.bool(let a), .bool(let b)): if a != b { return false }
            case (.int(let a), .int(let b)): if a != b { return false }
            case (.double(let a), .double(let b)): if a != b { return false }
            case (.string(let a), .string(let b)): if ExactString(a) != ExactString(b) { return false }
            case (.array(let a), .array(let b)):
                guard a.count == b.count else { return false }
                pending.append(contentsOf: zip(a, b))
            case (.object(let a), .object(let b)):
                guard a.count == b.count else { return false }
                for (l, r) in zip(a.members, b.members) {
                    guard ExactString(l.key) == ExactString(r.key) else { return false }
                    pending.append((l.value, r.value))
                }
            default:
                return false
            }
            guard let next = pending.popLast() else { return true }
            pair = next
        }
    }

    public func hash(into hasher: inout Hasher) {
        var pending = [JSONValue]()
        var value = self
        while true {
            switch value {
            case .null:
                hasher.combine(0 as UInt8)
            case .bool(let flag):
                hasher.combine(1 as UInt8)
                hasher.combine(flag)
            case .int(let number):
                hasher.combine(2 as UInt8)
                hasher.combine(number)
            case .double(let number):
                hasher.combine(3 as UInt8)
                hasher.combine(number)
            case .string(let text):
                hasher.combine(4 as UInt8)
                hasher.combine(ExactString(text))
            case .array(let elements):
                hasher.combine(5 as UInt8)
                hasher.combine(elements.count)
                pending.append(contentsOf: elements.reversed())
            case .object(let object):
                hasher.combine(6 as UInt8)
                hasher.combine(object.count)
                for member in object.members { hasher.combine(ExactString(member.key)) }
                pending.append(contentsOf: object.members.reversed().map(\.value))
            }
            guard let next = pending.popLast() else { return }
            value = next
        }
    }
}
