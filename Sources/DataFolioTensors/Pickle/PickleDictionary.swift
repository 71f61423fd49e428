/// One key–value pair of a pickled dictionary.
public struct PicklePair: Sendable, Hashable {
    /// The key.
    public var key: PickleValue
    /// The value.
    public var value: PickleValue

    /// Creates a pair.
    ///
    /// ```swift
    /// let pair = PicklePair(.string("loss"), .float(0.25))
    /// ```
    public init(_ key: PickleValue, _ value: PickleValue) {
        self.key = key
        self.value = value
    }
}

/// A pickled `dict` or `collections.OrderedDict`.
///
/// ```swift
/// let dictionary = PickleDictionary([PicklePair(.string("lr"), .float(0.01))])
/// print(dictionary["lr"] ?? .null)
/// ```
public struct PickleDictionary: Sendable, Hashable, RandomAccessCollection {
    /// The pairs in insertion order; keys are unique.
    public var entries: [PicklePair]
    /// Whether this is a `collections.OrderedDict` rather than a plain `dict`.
    public var isOrdered: Bool
    /// The instance attributes the pickle sets on the dictionary, if any (a PyTorch
    /// state dict carries its module versions as `_metadata` this way).
    public var state: PickleValue?

    /// Creates a dictionary.
    ///
    /// ```swift
    /// let ordered = PickleDictionary([PicklePair(.string("a"), .int(1))], isOrdered: true)   // an OrderedDict
    /// ```
    public init(_ entries: [PicklePair] = [], isOrdered: Bool = false, state: PickleValue? = nil) {
        self.entries = entries
        self.isOrdered = isOrdered
        self.state = state
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }
    public subscript(position: Int) -> PicklePair { entries[position] }

    /// The value of the first pair whose key is the string `key`.
    ///
    /// ```swift
    /// if case .int(let epoch)? = dictionary["epoch"] { print(epoch) }
    /// ```
    public subscript(key: String) -> PickleValue? {
        entries.first { $0.key == .string(key) }?.value
    }

    /// The value of the first pair whose key equals `key`.
    ///
    /// ```swift
    /// let value = dictionary[key: .int(0)]
    /// ```
    public subscript(key key: PickleValue) -> PickleValue? {
        entries.first { $0.key == key }?.value
    }
}
