import DataFolioSupport

/// The `Decoder` handed to `init(from:)`; it is also its own single-value container.
final class JSONValueDecoderImpl: Decoder, SingleValueDecodingContainer {
    let context: JSONDecodingContext
    let value: JSONValue
    let path: CodingPathNode

    init(context: JSONDecodingContext, value: JSONValue, path: CodingPathNode) {
        self.context = context
        self.value = value
        self.path = path
    }

    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { context.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw context.mismatch("an object", value, at: path)
        }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(context: context, object: object, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw context.mismatch("an array", value, at: path)
        }
        return JSONUnkeyedDecodingContainer(context: context, elements: elements, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Single value

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try context.bool(value, at: path) }
    func decode(_ type: String.Type) throws -> String { try context.string(value, at: path) }
    func decode(_ type: Double.Type) throws -> Double { try context.double(value, at: path) }
    func decode(_ type: Float.Type) throws -> Float { try context.float(value, at: path) }
    func decode(_ type: Int.Type) throws -> Int { try context.integer(Int.self, value, at: path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try context.integer(Int8.self, value, at: path) }
    func decode(_ type: Int16.Type) throws -> Int16 { try context.integer(Int16.self, value, at: path) }
    func decode(_ type: Int32.Type) throws -> Int32 { try context.integer(Int32.self, value, at: path) }
    func decode(_ type: Int64.Type) throws -> Int64 { try context.integer(Int64.self, value, at: path) }
    func decode(_ type: UInt.Type) throws -> UInt { try context.integer(UInt.self, value, at: path) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try context.integer(UInt8.self, value, at: path) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try context.integer(UInt16.self, value, at: path) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try context.integer(UInt32.self, value, at: path) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try context.integer(UInt64.self, value, at: path) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try context.decodeValue(T.self, from: value, at: path) }
}

struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let context: JSONDecodingContext
    let object: JSONObject
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }

    var allKeys: [Key] {
        switch context.options.keyDecodingStrategy {
        case .useDefaultKeys:
            return object.keys.compactMap { Key(stringValue: $0) }
        case .convertFromSnakeCase:
            return object.keys.compactMap { Key(stringValue: KeyCaseConversion.camelCase($0)) ?? Key(stringValue: $0) }
        }
    }

    private func lookup(_ key: Key) -> JSONValue? {
        switch context.options.keyDecodingStrategy {
        case .useDefaultKeys:
            return object[key.stringValue]
        case .convertFromSnakeCase:
            return object[context.snakeCaseName(for: key)] ?? object[key.stringValue]
        }
    }

    private func require(_ key: Key, for type: Any.Type) throws(DataFolioError) -> JSONValue {
        guard let value = lookup(key) else {
            var name = key.stringValue
            if context.options.keyDecodingStrategy == .convertFromSnakeCase { name = context.snakeCaseName(for: key) }
            throw DataFolioError(
                .typeMismatch,
                "Cannot decode \(type) at \(path.appending(key).rendered): the object has no key '\(name)'.")
        }
        return value
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try require(key, for: Optional<Any>.self).isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try context.bool(require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try context.string(require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try context.double(require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try context.float(require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try context.integer(type, require(key, for: type), at: path.appending(key))
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try context.decodeValue(T.self, from: require(key, for: type), at: path.appending(key))
    }

    // One lookup instead of the three of the default `contains` + `decodeNil` + `decode`.
    private func present(_ key: Key) -> JSONValue? {
        guard let value = lookup(key), !value.isNull else { return nil }
        return value
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = present(key) else { return nil }
        return try context.bool(value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = present(key) else { return nil }
        return try context.string(value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let value = present(key) else { return nil }
        return try context.double(value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let value = present(key) else { return nil }
        return try context.float(value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        guard let value = present(key) else { return nil }
        return try context.integer(type, value, at: path.appending(key))
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = present(key) else { return nil }
        return try context.decodeValue(T.self, from: value, at: path.appending(key))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let value = try require(key, for: [String: Any].self)
        guard case .object(let nested) = value else {
            throw context.mismatch("an object", value, at: path.appending(key))
        }
        return KeyedDecodingContainer(
            JSONKeyedDecodingContainer<NestedKey>(context: context, object: nested, path: path.appending(key)))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let value = try require(key, for: [Any].self)
        guard case .array(let elements) = value else {
            throw context.mismatch("an array", value, at: path.appending(key))
        }
        return JSONUnkeyedDecodingContainer(context: context, elements: elements, path: path.appending(key))
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoderImpl(
            context: context, value: object[JSONCodingKey.superKey.stringValue] ?? .null,
            path: path.appending(JSONCodingKey.superKey))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoderImpl(context: context, value: lookup(key) ?? .null, path: path.appending(key))
    }
}

struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let context: JSONDecodingContext
    let elements: [JSONValue]
    let path: CodingPathNode
    private(set) var currentIndex = 0

    init(context: JSONDecodingContext, elements: [JSONValue], path: CodingPathNode) {
        self.context = context
        self.elements = elements
        self.path = path
    }

    var codingPath: [any CodingKey] { path.keys }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var currentPath: CodingPathNode { path.appending(index: currentIndex) }

    /// The next element; the index moves on only once the element has been decoded,
    /// so a caller can retry with another type after a mismatch.
    private func peek(_ type: Any.Type) throws(DataFolioError) -> JSONValue {
        guard currentIndex < elements.count else {
            throw DataFolioError(
                .typeMismatch,
                "Cannot decode \(type) at \(currentPath.rendered): the array has only \(elements.count) element\(elements.count == 1 ? "" : "s").")
        }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard try peek(Optional<Any>.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    private mutating func next<T>(_ decode: (JSONValue, () -> CodingPathNode) throws -> T) throws -> T {
        let path = path
        let index = currentIndex
        let result = try decode(try peek(T.self)) { path.appending(index: index) }
        currentIndex += 1
        return result
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next { [context] in try context.bool($0, at: $1()) } }
    mutating func decode(_ type: String.Type) throws -> String { try next { [context] in try context.string($0, at: $1()) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next { [context] in try context.double($0, at: $1()) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next { [context] in try context.float($0, at: $1()) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next { [context] in try context.integer(type, $0, at: $1()) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next { [context] in try context.decodeValue(T.self, from: $0, at: $1()) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next { [context] value, path in
            guard case .object(let object) = value else { throw context.mismatch("an object", value, at: path()) }
            return KeyedDecodingContainer(JSONKeyedDecodingContainer<NestedKey>(context: context, object: object, path: path()))
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next { [context] value, path in
            guard case .array(let elements) = value else { throw context.mismatch("an array", value, at: path()) }
            return JSONUnkeyedDecodingContainer(context: context, elements: elements, path: path())
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next { [context] value, path in JSONValueDecoderImpl(context: context, value: value, path: path()) }
    }
}
