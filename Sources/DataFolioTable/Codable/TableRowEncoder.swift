import DataFolioSupport
import Foundation

/// Captures the fields of one `Encodable` row, in the order the row encodes them.
final class RowFields {
    /// The fields in encoding order; a key encoded twice appears twice and the later wins.
    var entries: [(name: String, cell: EncodedCell)] = []
    var error: DataFolioError?

    init() {
        entries.reserveCapacity(16)
    }

    /// Records a field and returns its position, for lists that fill in later.
    @discardableResult
    func set(_ name: String, _ cell: EncodedCell) -> Int {
        entries.append((name, cell))
        return entries.count - 1
    }

    func fail(_ message: String) {
        if error == nil { error = DataFolioError(.typeMismatch, message) }
    }
}

/// The encoder handed to a row's `encode(to:)`: it accepts only a keyed container.
struct RowEncoder: Encoder {
    let fields: RowFields
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowContainer<Key>(fields: fields))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        fields.fail("A table row must encode named fields (a struct or class), not an array.")
        return CellListContainer(list: CellList(), fields: fields, codingPath: [])
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        fields.fail("A table row must encode named fields (a struct or class), not a single value.")
        return CellValueContainer(encoder: CellEncoder(fields: fields, codingPath: []))
    }
}

/// The keyed container of a row: each key becomes a column.
struct RowContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let fields: RowFields
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) { fields.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) { fields.set(key.stringValue, .value(.bool(value), .bool)) }
    mutating func encode(_ value: String, forKey key: Key) { fields.set(key.stringValue, .value(.string(value), .string)) }
    mutating func encode(_ value: Double, forKey key: Key) { fields.set(key.stringValue, .value(.double(value), .float64)) }
    mutating func encode(_ value: Float, forKey key: Key) { fields.set(key.stringValue, .value(.double(Double(value)), .float32)) }
    mutating func encode(_ value: Int, forKey key: Key) { fields.set(key.stringValue, .value(.int(Int64(value)), .int64)) }
    mutating func encode(_ value: Int8, forKey key: Key) { fields.set(key.stringValue, .value(.int(Int64(value)), .int8)) }
    mutating func encode(_ value: Int16, forKey key: Key) { fields.set(key.stringValue, .value(.int(Int64(value)), .int16)) }
    mutating func encode(_ value: Int32, forKey key: Key) { fields.set(key.stringValue, .value(.int(Int64(value)), .int32)) }
    mutating func encode(_ value: Int64, forKey key: Key) { fields.set(key.stringValue, .value(.int(value), .int64)) }
    mutating func encode(_ value: UInt, forKey key: Key) { fields.set(key.stringValue, .value(.uint(UInt64(value)), .uint64)) }
    mutating func encode(_ value: UInt8, forKey key: Key) { fields.set(key.stringValue, .value(.uint(UInt64(value)), .uint8)) }
    mutating func encode(_ value: UInt16, forKey key: Key) { fields.set(key.stringValue, .value(.uint(UInt64(value)), .uint16)) }
    mutating func encode(_ value: UInt32, forKey key: Key) { fields.set(key.stringValue, .value(.uint(UInt64(value)), .uint32)) }
    mutating func encode(_ value: UInt64, forKey key: Key) { fields.set(key.stringValue, .value(.uint(value), .uint64)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let encoder = CellEncoder(fields: fields, codingPath: [key])
        fields.set(key.stringValue, try encoder.encodeCell(value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy _: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let object = CellObject(isMap: false)
        let fields = self.fields
        let position = fields.set(key.stringValue, object.cell)
        object.onChange = { fields.entries[position].cell = $0 }
        return KeyedEncodingContainer(CellObjectContainer<NestedKey>(object: object, fields: fields, codingPath: [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let list = CellList()
        let fields = self.fields
        let position = fields.set(key.stringValue, .list([]))
        list.onChange = { fields.entries[position].cell = .list($0) }
        return CellListContainer(list: list, fields: fields, codingPath: [key])
    }

    mutating func superEncoder() -> any Encoder {
        fields.fail("Table rows cannot use a superclass encoder; encode the superclass's fields directly.")
        return CellEncoder(fields: fields, codingPath: [])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        fields.fail("Table rows cannot use a superclass encoder (field '\(key.stringValue)').")
        return CellEncoder(fields: fields, codingPath: [key])
    }
}

/// Dictionaries with text keys, which become maps rather than structs.
protocol TextKeyedDictionary {}
extension Dictionary: TextKeyedDictionary where Key == String {}

/// Encodes one field value into a cell: scalars, lists, nested structs (keyed
/// containers), `[String: T]` dictionaries (maps), and the Foundation types with a
/// table representation (`Date`, `Data`, `Decimal`, `URL`).
final class CellEncoder: Encoder {
    let fields: RowFields
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var cell: EncodedCell?
    var list: CellList?
    var object: CellObject?
    /// Whether the value being encoded is a `[String: T]` dictionary.
    var encodesMap = false

    init(fields: RowFields, codingPath: [any CodingKey]) {
        self.fields = fields
        self.codingPath = codingPath
    }

    var fieldName: String { codingPath.map(\.stringValue).joined(separator: ".") }

    /// The cell for `value`.
    func encodeCell<T: Encodable>(_ value: T) throws -> EncodedCell {
        if let special = CellEncoder.specialCell(value) { return special }
        guard codingPath.count <= 32 else {
            fields.fail("Field '\(fieldName)' nests values more than 32 levels deep.")
            return .null
        }
        encodesMap = value is any TextKeyedDictionary
        try value.encode(to: self)
        if let list { return .list(list.items) }
        if let object { return object.cell }
        guard let cell else {
            fields.fail("Field '\(fieldName)' encoded no value.")
            return .null
        }
        return cell
    }

    static func specialCell<T: Encodable>(_ value: T) -> EncodedCell? {
        // Compare types rather than casting: an empty array casts to any array type.
        if T.self == Date.self, let date = value as? Date {
            return .value(
                .timestamp(Column.count(of: .microsecond, in: date), .microsecond, timeZone: "UTC"),
                .timestamp(.microsecond, timeZone: "UTC"))
        }
        if T.self == Data.self, let data = value as? Data {
            return .value(.binary(Array(data)), .binary)
        }
        if T.self == [UInt8].self, let bytes = value as? [UInt8] {
            return .value(.binary(bytes), .binary)
        }
        if T.self == Decimal.self, let decimal = value as? Decimal {
            return decimal.isNaN ? .value(.double(.nan), .float64) : .decimal(decimal.description)
        }
        if T.self == URL.self, let url = value as? URL {
            return .value(.string(url.absoluteString), .string)
        }
        return nil
    }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
        let object = self.object ?? CellObject(isMap: encodesMap)
        self.object = object
        return KeyedEncodingContainer(CellObjectContainer<Key>(object: object, fields: fields, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let list = CellList()
        self.list = list
        return CellListContainer(list: list, fields: fields, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        CellValueContainer(encoder: self)
    }
}

/// The growing elements of a list field.
final class CellList {
    var items: [EncodedCell] = [] {
        didSet { onChange?(items) }
    }
    var onChange: (([EncodedCell]) -> Void)?
}

struct CellValueContainer: SingleValueEncodingContainer {
    let encoder: CellEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    func encodeNil() { encoder.cell = .null }
    func encode(_ value: Bool) { encoder.cell = .value(.bool(value), .bool) }
    func encode(_ value: String) { encoder.cell = .value(.string(value), .string) }
    func encode(_ value: Double) { encoder.cell = .value(.double(value), .float64) }
    func encode(_ value: Float) { encoder.cell = .value(.double(Double(value)), .float32) }
    func encode(_ value: Int) { encoder.cell = .value(.int(Int64(value)), .int64) }
    func encode(_ value: Int8) { encoder.cell = .value(.int(Int64(value)), .int8) }
    func encode(_ value: Int16) { encoder.cell = .value(.int(Int64(value)), .int16) }
    func encode(_ value: Int32) { encoder.cell = .value(.int(Int64(value)), .int32) }
    func encode(_ value: Int64) { encoder.cell = .value(.int(value), .int64) }
    func encode(_ value: UInt) { encoder.cell = .value(.uint(UInt64(value)), .uint64) }
    func encode(_ value: UInt8) { encoder.cell = .value(.uint(UInt64(value)), .uint8) }
    func encode(_ value: UInt16) { encoder.cell = .value(.uint(UInt64(value)), .uint16) }
    func encode(_ value: UInt32) { encoder.cell = .value(.uint(UInt64(value)), .uint32) }
    func encode(_ value: UInt64) { encoder.cell = .value(.uint(value), .uint64) }
    func encode<T: Encodable>(_ value: T) throws {
        encoder.cell = try CellEncoder(fields: encoder.fields, codingPath: encoder.codingPath).encodeCell(value)
    }
}

struct CellListContainer: UnkeyedEncodingContainer {
    let list: CellList
    let fields: RowFields
    let codingPath: [any CodingKey]
    var count: Int { list.items.count }

    private func append(_ cell: EncodedCell) { list.items.append(cell) }

    func encodeNil() { append(.null) }
    func encode(_ value: Bool) { append(.value(.bool(value), .bool)) }
    func encode(_ value: String) { append(.value(.string(value), .string)) }
    func encode(_ value: Double) { append(.value(.double(value), .float64)) }
    func encode(_ value: Float) { append(.value(.double(Double(value)), .float32)) }
    func encode(_ value: Int) { append(.value(.int(Int64(value)), .int64)) }
    func encode(_ value: Int8) { append(.value(.int(Int64(value)), .int8)) }
    func encode(_ value: Int16) { append(.value(.int(Int64(value)), .int16)) }
    func encode(_ value: Int32) { append(.value(.int(Int64(value)), .int32)) }
    func encode(_ value: Int64) { append(.value(.int(value), .int64)) }
    func encode(_ value: UInt) { append(.value(.uint(UInt64(value)), .uint64)) }
    func encode(_ value: UInt8) { append(.value(.uint(UInt64(value)), .uint8)) }
    func encode(_ value: UInt16) { append(.value(.uint(UInt64(value)), .uint16)) }
    func encode(_ value: UInt32) { append(.value(.uint(UInt64(value)), .uint32)) }
    func encode(_ value: UInt64) { append(.value(.uint(value), .uint64)) }
    func encode<T: Encodable>(_ value: T) throws {
        let element = CellEncoder(fields: fields, codingPath: codingPath + [ListIndexKey(intValue: count)])
        append(try element.encodeCell(value))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let object = CellObject(isMap: false)
        let index = list.items.count
        list.items.append(object.cell)
        let parent = list
        object.onChange = { parent.items[index] = $0 }
        return KeyedEncodingContainer(
            CellObjectContainer<NestedKey>(
                object: object, fields: fields, codingPath: codingPath + [ListIndexKey(intValue: index)]))
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = CellList()
        let index = list.items.count
        list.items.append(.list([]))
        let parent = list
        child.onChange = { parent.items[index] = .list($0) }
        return CellListContainer(list: child, fields: fields, codingPath: codingPath + [ListIndexKey(intValue: index)])
    }

    func superEncoder() -> any Encoder {
        fields.fail("Field '\(codingPath.map(\.stringValue).joined(separator: "."))' cannot use a superclass encoder.")
        return CellEncoder(fields: fields, codingPath: codingPath)
    }
}

/// The growing fields of a nested struct, or entries of a `[String: T]` dictionary.
final class CellObject {
    let isMap: Bool
    private(set) var entries: [(name: String, cell: EncodedCell)] = []
    private var positions: [String: Int] = [:]
    var onChange: ((EncodedCell) -> Void)?

    init(isMap: Bool) {
        self.isMap = isMap
    }

    /// The cell so far: a struct in encoding order, or a map sorted by key (dictionary
    /// order is random, and a table should not depend on it).
    var cell: EncodedCell {
        if isMap { return .map(entries.sorted { $0.name < $1.name }.map { ($0.name, $0.cell) }) }
        return .struct(entries)
    }

    /// Sets a field; a key encoded twice keeps its first position and its last value.
    @discardableResult
    func set(_ name: String, _ cell: EncodedCell) -> Int {
        let position: Int
        if let known = positions[name] {
            entries[known].cell = cell
            position = known
        } else {
            position = entries.count
            positions[name] = position
            entries.append((name, cell))
        }
        onChange?(self.cell)
        return position
    }

    func update(_ position: Int, _ cell: EncodedCell) {
        entries[position].cell = cell
        onChange?(self.cell)
    }
}

/// The keyed container of a nested struct or dictionary.
struct CellObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: CellObject
    let fields: RowFields
    let codingPath: [any CodingKey]

    private func set(_ key: Key, _ cell: EncodedCell) { object.set(key.stringValue, cell) }

    mutating func encodeNil(forKey key: Key) { set(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) { set(key, .value(.bool(value), .bool)) }
    mutating func encode(_ value: String, forKey key: Key) { set(key, .value(.string(value), .string)) }
    mutating func encode(_ value: Double, forKey key: Key) { set(key, .value(.double(value), .float64)) }
    mutating func encode(_ value: Float, forKey key: Key) { set(key, .value(.double(Double(value)), .float32)) }
    mutating func encode(_ value: Int, forKey key: Key) { set(key, .value(.int(Int64(value)), .int64)) }
    mutating func encode(_ value: Int8, forKey key: Key) { set(key, .value(.int(Int64(value)), .int8)) }
    mutating func encode(_ value: Int16, forKey key: Key) { set(key, .value(.int(Int64(value)), .int16)) }
    mutating func encode(_ value: Int32, forKey key: Key) { set(key, .value(.int(Int64(value)), .int32)) }
    mutating func encode(_ value: Int64, forKey key: Key) { set(key, .value(.int(value), .int64)) }
    mutating func encode(_ value: UInt, forKey key: Key) { set(key, .value(.uint(UInt64(value)), .uint64)) }
    mutating func encode(_ value: UInt8, forKey key: Key) { set(key, .value(.uint(UInt64(value)), .uint8)) }
    mutating func encode(_ value: UInt16, forKey key: Key) { set(key, .value(.uint(UInt64(value)), .uint16)) }
    mutating func encode(_ value: UInt32, forKey key: Key) { set(key, .value(.uint(UInt64(value)), .uint32)) }
    mutating func encode(_ value: UInt64, forKey key: Key) { set(key, .value(.uint(value), .uint64)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(key, try CellEncoder(fields: fields, codingPath: codingPath + [key]).encodeCell(value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy _: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = CellObject(isMap: false)
        let parent = object
        let position = parent.set(key.stringValue, child.cell)
        child.onChange = { parent.update(position, $0) }
        return KeyedEncodingContainer(CellObjectContainer<NestedKey>(object: child, fields: fields, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let list = CellList()
        let parent = object
        let position = parent.set(key.stringValue, .list([]))
        list.onChange = { parent.update(position, .list($0)) }
        return CellListContainer(list: list, fields: fields, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        fields.fail("Field '\(codingPath.map(\.stringValue).joined(separator: "."))' cannot use a superclass encoder.")
        return CellEncoder(fields: fields, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        fields.fail("Field '\(codingPath.map(\.stringValue).joined(separator: "."))' cannot use a superclass encoder.")
        return CellEncoder(fields: fields, codingPath: codingPath + [key])
    }
}

/// The coding key of a list element.
struct ListIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { intValue.map { "[\($0)]" } ?? "" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue _: String) { nil }
}
