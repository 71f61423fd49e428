#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DataFolioSupport

/// A type the encoder writes directly rather than through its `encode(to:)`: either
/// because its JSON form differs from its `Codable` form (`Date`, `Data`, `URL`,
/// `Decimal`, dictionaries) or because going through an `Encoder` would only cost time
/// (numbers, strings, optionals).
protocol JSONSpecialEncodable {
    /// The JSON form of the value; `path` is evaluated only when needed (for errors and
    /// nested values), so plain values cost no path bookkeeping.
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue
}

extension JSONValue: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { self }
}

extension JSONObject: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .object(self) }
}

extension Bool: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .bool(self) }
}

extension String: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .string(self) }
}

extension Double: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        try context.double(self, at: path())
    }
}

extension Float: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        try context.float(self, at: path())
    }
}

extension Int: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(Int64(self)) }
}

extension Int8: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(Int64(self)) }
}

extension Int16: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(Int64(self)) }
}

extension Int32: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(Int64(self)) }
}

extension Int64: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(self) }
}

extension UInt: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        try context.unsigned(self, at: path())
    }
}

extension UInt8: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(Int64(self)) }
}

extension UInt16: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(Int64(self)) }
}

extension UInt32: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue { .int(Int64(self)) }
}

extension UInt64: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        try context.unsigned(self, at: path())
    }
}

extension Optional: JSONSpecialEncodable where Wrapped: Encodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        guard let wrapped = self else { return .null }
        return try context.encodeValue(wrapped, at: path())
    }
}

extension Date: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        switch context.options.dateEncodingStrategy {
        case .iso8601:
            do {
                return .string(try ISO8601Timestamp.string(from: self))
            } catch {
                throw DataFolioError(error.code, "Cannot encode the date at \(path().rendered): \(error.message)")
            }
        case .secondsSince1970:
            return try context.double(timeIntervalSince1970, at: path())
        case .millisecondsSince1970:
            return try context.double(timeIntervalSince1970 * 1000, at: path())
        }
    }
}

extension Data: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        switch context.options.dataEncodingStrategy {
        case .base64:
            return .string(base64EncodedString())
        case .byteArray:
            return .array(map { .int(Int64($0)) })
        }
    }
}

extension URL: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        .string(absoluteString)
    }
}

extension Decimal: JSONSpecialEncodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        // The description is the exact decimal; an integer that fits stays an integer,
        // anything else becomes the nearest double.
        let text = description
        if let integer = Int64(text) { return .int(integer) }
        guard let number = Double(text) else {
            return try context.double(.nan, at: path())
        }
        return try context.double(number, at: path())
    }
}

extension Dictionary: JSONSpecialEncodable where Key: Encodable, Value: Encodable {
    func encodeJSON(in context: JSONEncodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        let path = path()
        var entries = [(name: String, number: Int?, value: Value)]()
        entries.reserveCapacity(count)
        let keysAreStrings = Key.self == String.self
        for (key, value) in self {
            if let name = key as? String {
                entries.append((name, nil, value))
            } else if let representable = key as? any CodingKeyRepresentable {
                let codingKey = representable.codingKey
                entries.append((codingKey.stringValue, codingKey.intValue, value))
            } else {
                // Keys that are neither strings nor integers: the dictionary's own
                // encoding (an array of alternating keys and values), as Foundation does.
                let encoder = JSONValueEncoderImpl(context: context, path: path)
                try encode(to: encoder)
                return encoder.materialize()
            }
        }
        if context.options.sortsDictionaryKeys {
            if entries.allSatisfy({ $0.number != nil }) {
                entries.sort { ($0.number ?? 0) < ($1.number ?? 0) }
            } else {
                entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            }
        }
        var members = [(key: String, value: JSONValue)]()
        members.reserveCapacity(entries.count)
        for entry in entries {
            members.append((entry.name, try context.encodeValue(entry.value, at: path.appending(JSONCodingKey(stringValue: entry.name)))))
        }
        if keysAreStrings || Key.self == Int.self { return .object(JSONObject(uniqueMembers: members)) }
        // Distinct keys of a custom CodingKeyRepresentable type can share a text form;
        // the object then keeps the last value, as a dictionary literal would.
        return .object(JSONObject(members.map { ($0.key, $0.value) }))
    }
}
