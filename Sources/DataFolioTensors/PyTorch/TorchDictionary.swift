/// One key–value pair of a ``TorchDictionary``.
public struct TorchPair: Sendable, Equatable {
    /// The key: a string in state dicts, an integer in optimizer state.
    public var key: TorchValue
    /// The value.
    public var value: TorchValue

    /// Creates a pair.
    ///
    /// ```swift
    /// let pair = TorchPair(.string("epoch"), .int(3))
    /// ```
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
    ///
    /// ```swift
    /// let checkpoint = TorchValue.dict(TorchDictionary([
    ///     TorchPair(.string("epoch"), .int(3)),
    ///     TorchPair(.string("state_dict"), .stateDictionary(weights)),
    /// ]))
    /// ```
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
    ///
    /// ```swift
    /// if case .dict(let dictionary) = checkpoint, let epoch = dictionary["epoch"]?.intValue { print(epoch) }
    /// ```
    public subscript(key: String) -> TorchValue? {
        get { self[key: .string(key)] }
        set { self[key: .string(key)] = newValue }
    }

    /// The value for any key; setting `nil` removes the key.
    ///
    /// ```swift
    /// let first = dictionary[key: .int(0)]   // a dictionary keyed by layer index
    /// ```
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
