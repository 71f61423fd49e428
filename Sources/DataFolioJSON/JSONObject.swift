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
///
/// Keys are told apart by their exact Unicode scalars, as in JSON and Python: `"é"`
/// (one scalar) and `"e\u{301}"` (letter plus combining accent) are two keys, even
/// though Swift's `String ==` calls them equal. Two objects are equal when they have
/// the same members in the same order; ``hasSameMembers(as:)`` ignores the order.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The members in order.
    public private(set) var members: [(key: String, value: JSONValue)]
    private var index: [ExactString: Int]

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

    /// An object from members whose keys are known to be distinct.
    init(uniqueMembers: [(key: String, value: JSONValue)]) {
        members = uniqueMembers
        index = [:]
        index.reserveCapacity(uniqueMembers.count)
        for (position, member) in uniqueMembers.enumerated() { index[ExactString(member.key)] = position }
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
    public func contains(_ key: String) -> Bool { index[ExactString(key)] != nil }

    /// The position of `key` among the members, if present.
    public func position(ofKey key: String) -> Int? { index[ExactString(key)] }

    /// The value for `key`; setting `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = index[ExactString(key)] else { return nil }
            return members[position].value
        }
        set {
            if let newValue {
                if let position = index[ExactString(key)] {
                    members[position].value = newValue
                } else {
                    index[ExactString(key)] = members.count
                    members.append((key, newValue))
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes `key` and returns its value; later members move up one place.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index.removeValue(forKey: ExactString(key)) else { return nil }
        let removed = members.remove(at: position).value
        for i in position..<members.count { index[ExactString(members[i].key)] = i }
        return removed
    }

    /// Removes every member.
    public mutating func removeAll() {
        members.removeAll()
        index.removeAll()
    }

    /// Sets `key` to `value`. A new key is placed at `position` (clamped to
    /// `0...count`); an existing key keeps its place and takes the new value.
    public mutating func insert(_ value: JSONValue, forKey key: String, at position: Int) {
        if let existing = index[ExactString(key)] {
            members[existing].value = value
            return
        }
        let at = Swift.max(0, Swift.min(position, members.count))
        members.insert((key, value), at: at)
        for i in at..<members.count { index[ExactString(members[i].key)] = i }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        JSONValue.object(lhs) == JSONValue.object(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        JSONValue.object(self).hash(into: &hasher)
    }

    /// Whether both objects have the same members, ignoring order.
    public func hasSameMembers(as other: JSONObject) -> Bool {
        guard count == other.count else { return false }
        for member in members where other[member.key] != member.value { return false }
        return true
    }
}
