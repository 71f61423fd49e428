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
public enum JSONValue: Sendable, Hashable {
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
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index`, if this is an array long enough.
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

/// A JSON object: string keys in insertion order, each key at most once.
///
/// Assigning to an existing key keeps its position, as a Python `dict` does; new keys
/// go at the end; assigning `nil` removes the key.
///
/// ```swift
/// var object: JSONObject = ["b": 1, "a": 2]
/// object["c"] = 3
/// object["b"] = 10          // stays first
/// print(object.keys)        // ["b", "a", "c"]
/// ```
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The members in order.
    public private(set) var members: [(key: String, value: JSONValue)]
    private var index: [String: Int]

    /// An empty object.
    public init() {
        members = []
        index = [:]
    }

    /// An object with the given members; for a repeated key the last value wins and
    /// the first position is kept.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether there are no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The values in key order.
    public var values: [JSONValue] { members.map(\.value) }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { index[key] != nil }

    /// The value for `key`; setting `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = index[key] else { return nil }
            return members[position].value
        }
        set {
            if let newValue {
                if let position = index[key] {
                    members[position].value = newValue
                } else {
                    index[key] = members.count
                    members.append((key, newValue))
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes `key` and returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index.removeValue(forKey: key) else { return nil }
        let removed = members.remove(at: position).value
        for i in position..<members.count { index[members[i].key] = i }
        return removed
    }

    /// Inserts or replaces `key`, placing a new key at `position`.
    public mutating func insert(_ value: JSONValue, forKey key: String, at position: Int) {
        if let existing = index[key] {
            members[existing].value = value
            return
        }
        let at = Swift.max(0, Swift.min(position, members.count))
        members.insert((key, value), at: at)
        for i in at..<members.count { index[members[i].key] = i }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (l, r) in zip(lhs.members, rhs.members) where l.key != r.key || l.value != r.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }

    /// Whether both objects have the same members, ignoring order.
    public func hasSameMembers(as other: JSONObject) -> Bool {
        guard count == other.count else { return false }
        for member in members where other[member.key] != member.value { return false }
        return true
    }
}
