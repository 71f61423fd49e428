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
    /// Positions by key, kept only for objects with more than ``indexThreshold`` members;
    /// smaller objects (most of them) are searched directly, which is faster than hashing.
    private var index: [ExactString: Int]?

    private static let indexThreshold = 16

    /// An empty object.
    ///
    /// ```swift
    /// var object = JSONObject()
    /// object["name"] = "baseline"
    /// ```
    public init() {
        members = []
        index = nil
    }

    /// An object with the given members; for a repeated key the last value wins and
    /// the first position is kept.
    ///
    /// ```swift
    /// let object = JSONObject([("b", 1), ("a", 2)])
    /// print(object.keys)   // ["b", "a"]
    /// ```
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
        index = nil
        if members.count > Self.indexThreshold { rebuildIndex(from: 0) }
    }

    /// An object from members in the order a parser met them: for a repeated key the
    /// last value wins in the first key's position, as in a Python `dict` (and as
    /// assigning them one by one would have it), with each key hashed once.
    package init(parsedMembers: [(key: String, value: JSONValue)]) {
        guard parsedMembers.count > Self.indexThreshold else {
            self.init()
            for (key, value) in parsedMembers { self[key] = value }
            return
        }
        // One hash per key: the index is built and repeated keys found in the same pass.
        var built = [ExactString: Int](minimumCapacity: parsedMembers.count)
        var unique = parsedMembers
        var repeated = false
        for (position, member) in parsedMembers.enumerated() {
            if let first = built.updateValue(position, forKey: ExactString(member.key)) {
                built[ExactString(member.key)] = first
                unique[first].value = member.value
                repeated = true
            }
        }
        guard repeated else {
            self.init()
            members = unique
            index = built
            return
        }
        // Rare: drop the later copies of repeated keys and renumber.
        var kept = [(key: String, value: JSONValue)]()
        kept.reserveCapacity(built.count)
        for (position, member) in unique.enumerated() where built[ExactString(member.key)] == position {
            kept.append(member)
        }
        self.init(uniqueMembers: kept)
    }

    /// Brings the index up to date for the members from `start` on (building it if the
    /// object has outgrown linear search).
    private mutating func rebuildIndex(from start: Int) {
        guard members.count > Self.indexThreshold else {
            index = nil
            return
        }
        if index == nil {
            var built = [ExactString: Int](minimumCapacity: members.count * 2)
            for (position, member) in members.enumerated() { built[ExactString(member.key)] = position }
            index = built
            return
        }
        for position in start..<members.count { index?[ExactString(members[position].key)] = position }
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
    ///
    /// ```swift
    /// if !settings.contains("seed") { print("no seed recorded") }
    /// ```
    public func contains(_ key: String) -> Bool { position(ofKey: key) != nil }

    /// The position of `key` among the members, if present.
    ///
    /// ```swift
    /// let object: JSONObject = ["b": 1, "a": 2]
    /// print(object.position(ofKey: "a") ?? -1)   // 1
    /// ```
    public func position(ofKey key: String) -> Int? {
        let exact = ExactString(key)
        if let index { return index[exact] }
        return members.firstIndex { ExactString($0.key) == exact }
    }

    /// The value for `key`; setting `nil` removes the key.
    ///
    /// ```swift
    /// var object: JSONObject = ["lr": 0.1]
    /// object["lr"] = 0.01      // keeps its place
    /// object["lr"] = nil       // removes it
    /// ```
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = position(ofKey: key) else { return nil }
            return members[position].value
        }
        set {
            if let newValue {
                if let position = position(ofKey: key) {
                    members[position].value = newValue
                } else {
                    members.append((key, newValue))
                    rebuildIndex(from: members.count - 1)
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes `key` and returns its value; later members move up one place.
    ///
    /// ```swift
    /// var object: JSONObject = ["a": 1, "b": 2]
    /// let removed = object.removeValue(forKey: "a")   // 1; "b" is now first
    /// ```
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = position(ofKey: key) else { return nil }
        index?.removeValue(forKey: ExactString(key))
        let removed = members.remove(at: position).value
        rebuildIndex(from: position)
        return removed
    }

    /// Removes every member.
    ///
    /// ```swift
    /// object.removeAll()
    /// print(object.isEmpty)   // true
    /// ```
    public mutating func removeAll() {
        members.removeAll()
        index = nil
    }

    /// Sets `key` to `value`. A new key is placed at `position` (clamped to
    /// `0...count`); an existing key keeps its place and takes the new value.
    ///
    /// ```swift
    /// var object: JSONObject = ["b": 1]
    /// object.insert(0, forKey: "a", at: 0)
    /// print(object.keys)   // ["a", "b"]
    /// ```
    public mutating func insert(_ value: JSONValue, forKey key: String, at position: Int) {
        if let existing = self.position(ofKey: key) {
            members[existing].value = value
            return
        }
        let at = Swift.max(0, Swift.min(position, members.count))
        members.insert((key, value), at: at)
        rebuildIndex(from: at)
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
    ///
    /// ```swift
    /// let x: JSONObject = ["a": 1, "b": 2]
    /// let y: JSONObject = ["b": 2, "a": 1]
    /// print(x == y, x.hasSameMembers(as: y))   // false true
    /// ```
    public func hasSameMembers(as other: JSONObject) -> Bool {
        guard count == other.count else { return false }
        for member in members where other[member.key] != member.value { return false }
        return true
    }
}
