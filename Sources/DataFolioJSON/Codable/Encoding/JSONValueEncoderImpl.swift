import DataFolioSupport

/// The `Encoder` handed to `encode(to:)`; it is also its own single-value container.
final class JSONValueEncoderImpl: Encoder, SingleValueEncodingContainer {
    private enum Storage {
        case value(JSONValue)
        case object(JSONObjectBox)
        case array(JSONArrayBox)
    }

    let context: JSONEncodingContext
    let path: CodingPathNode
    /// What has been encoded so far; `nil` until the first container is asked for.
    private var storage: Storage?

    init(context: JSONEncodingContext, path: CodingPathNode) {
        self.context = context
        self.path = path
    }

    /// The encoded value; a type that encoded nothing gives an empty object.
    func materialize() -> JSONValue {
        switch storage {
        case nil: return .object(JSONObject())
        case .value(let value)?: return value
        case .object(let box)?: return .object(box.materialize())
        case .array(let box)?: return .array(box.materialize())
        }
    }

    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { context.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        switch storage {
        case nil:
            box = JSONObjectBox()
            storage = .object(box)
        case .object(let existing)?:
            box = existing
        default:
            context.reportMisuse("Cannot encode at \(path.rendered): a keyed container was requested where a value of another kind was already encoded.")
            box = JSONObjectBox()
        }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(context: context, box: box, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        switch storage {
        case nil:
            box = JSONArrayBox()
            storage = .array(box)
        case .array(let existing)?:
            box = existing
        default:
            context.reportMisuse("Cannot encode at \(path.rendered): an unkeyed container was requested where a value of another kind was already encoded.")
            box = JSONArrayBox()
        }
        return JSONUnkeyedEncodingContainer(context: context, box: box, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: Single value

    private func store(_ value: JSONValue) throws(DataFolioError) {
        guard storage == nil else {
            throw DataFolioError(
                .invalidArgument,
                "Cannot encode at \(path.rendered): a single-value container was given a second value.")
        }
        storage = .value(value)
    }

    func encodeNil() throws { try store(.null) }
    func encode(_ value: Bool) throws { try store(.bool(value)) }
    func encode(_ value: String) throws { try store(.string(value)) }
    func encode(_ value: Double) throws { try store(context.double(value, at: path)) }
    func encode(_ value: Float) throws { try store(context.float(value, at: path)) }
    func encode(_ value: Int) throws { try store(.int(Int64(value))) }
    func encode(_ value: Int8) throws { try store(.int(Int64(value))) }
    func encode(_ value: Int16) throws { try store(.int(Int64(value))) }
    func encode(_ value: Int32) throws { try store(.int(Int64(value))) }
    func encode(_ value: Int64) throws { try store(.int(value)) }
    func encode(_ value: UInt) throws { try store(context.unsigned(value, at: path)) }
    func encode(_ value: UInt8) throws { try store(.int(Int64(value))) }
    func encode(_ value: UInt16) throws { try store(.int(Int64(value))) }
    func encode(_ value: UInt32) throws { try store(.int(Int64(value))) }
    func encode(_ value: UInt64) throws { try store(context.unsigned(value, at: path)) }

    func encode<T: Encodable>(_ value: T) throws {
        guard storage == nil else {
            throw DataFolioError(
                .invalidArgument,
                "Cannot encode at \(path.rendered): a single-value container was given a second value.")
        }
        storage = .value(try context.encodeValue(value, at: path))
    }
}

struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let context: JSONEncodingContext
    let box: JSONObjectBox
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }

    private func set(_ value: JSONValue, _ key: Key) {
        box.set(context.name(for: key), value)
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(try context.double(value, at: path.appending(key)), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(try context.float(value, at: path.appending(key)), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        set(try context.unsigned(value, at: path.appending(key)), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        set(try context.unsigned(value, at: path.appending(key)), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(context.name(for: key), try context.encodeValue(value, at: path.appending(key)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let name = context.name(for: key)
        let nested: JSONObjectBox
        if case .object(let existing)? = box.pendingSlot(for: name) {
            nested = existing
        } else {
            nested = JSONObjectBox()
            box.set(name, .object(nested))
        }
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(context: context, box: nested, path: path.appending(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let name = context.name(for: key)
        let nested: JSONArrayBox
        if case .array(let existing)? = box.pendingSlot(for: name) {
            nested = existing
        } else {
            nested = JSONArrayBox()
            box.set(name, .array(nested))
        }
        return JSONUnkeyedEncodingContainer(context: context, box: nested, path: path.appending(key))
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = JSONValueEncoderImpl(context: context, path: path.appending(JSONCodingKey.superKey))
        box.set(context.name(for: JSONCodingKey.superKey), .encoder(encoder))
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let encoder = JSONValueEncoderImpl(context: context, path: path.appending(key))
        box.set(context.name(for: key), .encoder(encoder))
        return encoder
    }
}

struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let context: JSONEncodingContext
    let box: JSONArrayBox
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }
    var count: Int { box.count }

    private func append(_ value: JSONValue) {
        box.append(value)
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try context.double(value, at: path.appending(index: count))) }
    mutating func encode(_ value: Float) throws { append(try context.float(value, at: path.appending(index: count))) }
    mutating func encode(_ value: Int) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.int(value)) }
    mutating func encode(_ value: UInt) throws { append(try context.unsigned(value, at: path.appending(index: count))) }
    mutating func encode(_ value: UInt8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(try context.unsigned(value, at: path.appending(index: count))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.append(try context.encodeValue(value, at: path.appending(index: count)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        let nestedPath = path.appending(index: count)
        box.append(.object(nested))
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(context: context, box: nested, path: nestedPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        let nestedPath = path.appending(index: count)
        box.append(.array(nested))
        return JSONUnkeyedEncodingContainer(context: context, box: nested, path: nestedPath)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = JSONValueEncoderImpl(context: context, path: path.appending(index: count))
        box.append(.encoder(encoder))
        return encoder
    }
}
