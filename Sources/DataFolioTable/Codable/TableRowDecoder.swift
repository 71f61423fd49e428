import Foundation

/// Column lookup shared by the decoders of every row.
final class RowSource {
    let table: Table
    let positions: [String: Int]

    init(table: Table) {
        self.table = table
        var positions: [String: Int] = [:]
        for (index, name) in table.columnNames.enumerated() { positions[name] = index }
        self.positions = positions
    }
}

/// The decoder handed to a row type's `init(from:)`: keys are column names.
struct RowDecoder: Decoder {
    let source: RowSource
    let row: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowDecodingContainer<Key>(source: source, row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self,
            .init(codingPath: [], debugDescription: "A table row decodes into named fields (a struct or class), not an array."))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self,
            .init(codingPath: [], debugDescription: "A table row decodes into named fields (a struct or class), not a single value."))
    }
}

struct RowDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let source: RowSource
    let row: Int
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] { source.table.columnNames.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { source.positions[key.stringValue] != nil }

    private func cell(_ key: Key) throws -> TableValue {
        guard let index = source.positions[key.stringValue] else {
            let names = source.table.columnNames.map { "'\($0)'" }.joined(separator: ", ")
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: [key],
                    debugDescription: "The table has no column '\(key.stringValue)' (it has \(names)). "
                        + "Make the property optional or add the column."))
        }
        return source.table.columns[index][row]
    }

    func decodeNil(forKey key: Key) throws -> Bool { try cell(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try CellDecoder(cell: try cell(key), codingPath: [key]).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy _: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try CellDecoder(cell: try cell(key), codingPath: [key]).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try CellDecoder(cell: try cell(key), codingPath: [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: [], debugDescription: "Table rows cannot be decoded with a superclass decoder."))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try superDecoder()
    }
}

/// Decodes one cell: scalars with numeric widening and range-checked narrowing,
/// dates, data, decimals and lists.
struct CellDecoder: Decoder, SingleValueDecodingContainer {
    let cell: TableValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch cell {
        case .struct(let fields):
            return KeyedDecodingContainer(CellObjectDecoder<Key>(members: fields, codingPath: codingPath))
        case .map(let entries):
            var members: [(name: String, value: TableValue)] = []
            members.reserveCapacity(entries.count)
            for entry in entries {
                guard case .string(let key) = entry.key else {
                    throw DecodingError.typeMismatch(
                        [String: Any].self,
                        .init(codingPath: codingPath, debugDescription: "\(location) is a map with \(entry.key) as a key; only text keys decode into keyed values."))
                }
                members.append((key, entry.value))
            }
            return KeyedDecodingContainer(CellObjectDecoder<Key>(members: members, codingPath: codingPath))
        default:
            throw DecodingError.typeMismatch(
                [String: Any].self,
                .init(codingPath: codingPath, debugDescription: "\(location) holds \(describe), not a nested object."))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let items) = cell else {
            throw mismatch([Any].self)
        }
        return CellListDecoder(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Single value

    func decodeNil() -> Bool { cell.isNull }

    var location: String {
        var path = ""
        for key in codingPath {
            if !path.isEmpty && key.intValue == nil { path += "." }
            path += key.stringValue
        }
        return path.isEmpty ? "The value" : "Column '\(path)'"
    }

    var describe: String {
        switch cell {
        case .null: "null"
        case .bool: "a bool (\(cell))"
        case .int, .uint: "an integer (\(cell))"
        case .double: "a floating-point number (\(cell))"
        case .string(let text): "text (\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\")"
        case .binary: "binary data"
        case .date: "a date (\(cell))"
        case .timestamp: "a timestamp (\(cell))"
        case .decimal: "a decimal (\(cell))"
        case .list: "a list"
        case .struct: "a struct"
        case .map: "a map"
        }
    }

    func mismatch(_ type: Any.Type, _ extra: String = "") -> DecodingError {
        if cell.isNull {
            return DecodingError.valueNotFound(
                type,
                .init(codingPath: codingPath, debugDescription: "\(location) is null; make the property optional to accept nulls."))
        }
        return DecodingError.typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "\(location) holds \(describe), which cannot be read as \(type)\(extra)."))
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let v) = cell else { throw mismatch(type) }
        return v
    }

    func decode(_ type: String.Type) throws -> String {
        switch cell {
        case .string(let v): return v
        case .decimal(let v): return v
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch cell {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case .uint(let v): return Double(v)
        case .decimal(let text):
            guard let v = Double(text) else { throw mismatch(type) }
            return v
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Float.Type) throws -> Float {
        let wide = try decode(Double.self)
        let narrow = Float(wide)
        guard narrow.isFinite || !wide.isFinite else { throw mismatch(type, " (out of range)") }
        return narrow
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch cell {
        case .int(let v):
            guard let result = T(exactly: v) else { throw mismatch(type, " (out of range)") }
            return result
        case .uint(let v):
            guard let result = T(exactly: v) else { throw mismatch(type, " (out of range)") }
            return result
        case .double(let v):
            guard v.isFinite, let result = T(exactly: v) else { throw mismatch(type, " (not a whole number in range)") }
            return result
        case .decimal(let text):
            guard let result = T(text) else { throw mismatch(type, " (not a whole number in range)") }
            return result
        default:
            throw mismatch(type)
        }
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(type)
    }

    /// Decodes `type`, handling the Foundation types that have a table representation.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Date.self {
            guard let date = cell.dateValue else { throw mismatch(type) }
            return try cast(date)
        }
        if type == Data.self {
            switch cell {
            case .binary(let bytes): return try cast(Data(bytes))
            case .string(let text): return try cast(Data(text.utf8))
            default: throw mismatch(type)
            }
        }
        if type == [UInt8].self {
            switch cell {
            case .binary(let bytes): return try cast(bytes)
            case .string(let text): return try cast(Array(text.utf8))
            case .list: break
            default: throw mismatch(type)
            }
        }
        if type == Decimal.self {
            switch cell {
            case .decimal(let text), .string(let text):
                guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { throw mismatch(type) }
                return try cast(value)
            case .int(let v): return try cast(Decimal(v))
            case .uint(let v): return try cast(Decimal(v))
            case .double(let v): return try cast(Decimal(v))
            default: throw mismatch(type)
            }
        }
        if type == URL.self {
            guard case .string(let text) = cell, let url = URL(string: text) else { throw mismatch(type) }
            return try cast(url)
        }
        if type == UUID.self, case .binary(let bytes) = cell, bytes.count == 16 {
            let uuid = UUID(uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
            return try cast(uuid)
        }
        return try T(from: self)
    }

    private func cast<T, U>(_ value: U) throws -> T {
        guard let result = value as? T else { throw mismatch(T.self) }
        return result
    }
}

/// Decodes the elements of a list cell.
struct CellListDecoder: UnkeyedDecodingContainer {
    let items: [TableValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next(_ type: Any.Type) throws -> CellDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "The list has only \(items.count) elements."))
        }
        let decoder = CellDecoder(cell: items[currentIndex], codingPath: codingPath + [ListIndexKey(intValue: currentIndex)])
        currentIndex += 1
        return decoder
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if items[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type).decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next([String: Any].self).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([Any].self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try next(Any.self)
    }
}

/// The keyed container of a struct cell (field names) or a map cell with text keys.
struct CellObjectDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(name: String, value: TableValue)]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.name) } }

    func contains(_ key: Key) -> Bool { members.contains { $0.name == key.stringValue } }

    private func member(_ key: Key) throws -> TableValue {
        // A key given twice (possible in a map) decodes as its last value.
        guard let value = members.last(where: { $0.name == key.stringValue })?.value else {
            let names = members.map { "'\($0.name)'" }.joined(separator: ", ")
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: codingPath + [key],
                    debugDescription: "The nested value has no field '\(key.stringValue)' (it has \(names)). Make the property optional."))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try CellDecoder(cell: try member(key), codingPath: codingPath + [key]).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy _: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try CellDecoder(cell: try member(key), codingPath: codingPath + [key]).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try CellDecoder(cell: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "Nested values cannot be decoded with a superclass decoder."))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try superDecoder()
    }
}
