#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DataFolioSupport

/// A type the decoder reads directly rather than through its `init(from:)`: either
/// because its JSON form differs from its `Codable` form (`Date`, `Data`, `URL`,
/// `Decimal`, dictionaries) or because going through a `Decoder` would only cost time.
protocol JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Self
}

extension JSONValue: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> JSONValue {
        value
    }
}

extension JSONObject: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> JSONObject {
        guard case .object(let object) = value else { throw context.mismatch("an object", value, at: path()) }
        return object
    }
}

extension Bool: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Bool {
        try context.bool(value, at: path())
    }
}

extension String: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> String {
        try context.string(value, at: path())
    }
}

extension Double: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Double {
        try context.double(value, at: path())
    }
}

extension Float: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Float {
        try context.float(value, at: path())
    }
}

extension Int: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Int {
        try context.integer(Int.self, value, at: path())
    }
}

extension Int8: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Int8 {
        try context.integer(Int8.self, value, at: path())
    }
}

extension Int16: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Int16 {
        try context.integer(Int16.self, value, at: path())
    }
}

extension Int32: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Int32 {
        try context.integer(Int32.self, value, at: path())
    }
}

extension Int64: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Int64 {
        try context.integer(Int64.self, value, at: path())
    }
}

extension UInt: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> UInt {
        try context.integer(UInt.self, value, at: path())
    }
}

extension UInt8: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> UInt8 {
        try context.integer(UInt8.self, value, at: path())
    }
}

extension UInt16: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> UInt16 {
        try context.integer(UInt16.self, value, at: path())
    }
}

extension UInt32: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> UInt32 {
        try context.integer(UInt32.self, value, at: path())
    }
}

extension UInt64: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> UInt64 {
        try context.integer(UInt64.self, value, at: path())
    }
}

extension Optional: JSONSpecialDecodable where Wrapped: Decodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Wrapped? {
        if value.isNull { return nil }
        return try context.decodeValue(Wrapped.self, from: value, at: path())
    }
}

extension Date: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Date {
        switch context.options.dateDecodingStrategy {
        case .iso8601:
            guard case .string(let text) = value else {
                throw context.mismatch("Date (ISO 8601 text)", value, at: path())
            }
            guard let date = ISO8601Timestamp.parse(Array(text.utf8)) else {
                throw DataFolioError(
                    .typeMismatch,
                    "Cannot decode Date at \(path().rendered): \(value.kindDescription) is not an ISO 8601 timestamp like 2024-01-15T10:30:00.123456+00:00.")
            }
            return date
        case .secondsSince1970:
            guard let seconds = value.doubleValue, seconds.isFinite else {
                throw context.mismatch("Date (seconds since 1970)", value, at: path())
            }
            return Date(timeIntervalSince1970: seconds)
        case .millisecondsSince1970:
            guard let milliseconds = value.doubleValue, milliseconds.isFinite else {
                throw context.mismatch("Date (milliseconds since 1970)", value, at: path())
            }
            return Date(timeIntervalSince1970: milliseconds / 1000)
        }
    }
}

extension Data: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Data {
        switch context.options.dataDecodingStrategy {
        case .base64:
            guard case .string(let text) = value else {
                throw context.mismatch("Data (Base64 text)", value, at: path())
            }
            guard let data = Data(base64Encoded: text) else {
                throw DataFolioError(.typeMismatch, "Cannot decode Data at \(path().rendered): \(value.kindDescription) is not valid Base64.")
            }
            return data
        case .byteArray:
            guard case .array(let elements) = value else {
                throw context.mismatch("Data (an array of bytes)", value, at: path())
            }
            var bytes = [UInt8]()
            bytes.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                bytes.append(try context.integer(UInt8.self, element, at: path().appending(index: index)))
            }
            return Data(bytes)
        }
    }
}

extension URL: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> URL {
        guard case .string(let text) = value else { throw context.mismatch("URL (text)", value, at: path()) }
        guard let url = URL(string: text) else {
            throw DataFolioError(.typeMismatch, "Cannot decode URL at \(path().rendered): \(value.kindDescription) is not a valid URL.")
        }
        return url
    }
}

extension Decimal: JSONSpecialDecodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> Decimal {
        switch value {
        case .int(let number):
            return Decimal(number)
        case .double(let number) where number.isFinite:
            // The shortest digits that identify the double, so 0.1 reads as exactly 0.1.
            if let decimal = Decimal(string: JSONNumberFormatting.string(for: number)) { return decimal }
            throw DataFolioError(.typeMismatch, "Cannot decode Decimal at \(path().rendered): \(value.kindDescription) has no Decimal form.")
        default:
            throw context.mismatch("Decimal (a number)", value, at: path())
        }
    }
}

extension Dictionary: JSONSpecialDecodable where Key: Decodable, Value: Decodable {
    static func decodeJSON(_ value: JSONValue, in context: JSONDecodingContext, at path: () -> CodingPathNode) throws -> [Key: Value] {
        let path = path()
        guard let keyType = Key.self as? any CodingKeyRepresentable.Type else {
            // Keys that are neither strings nor integers: the dictionary's own decoding
            // (an array of alternating keys and values), as Foundation does.
            return try Self(from: JSONValueDecoderImpl(context: context, value: value, path: path))
        }
        guard case .object(let object) = value else {
            throw context.mismatch("\(Self.self) (an object)", value, at: path)
        }
        var result = [Key: Value](minimumCapacity: object.count)
        let keysAreStrings = Key.self == String.self
        for (name, member) in object {
            let codingKey = JSONCodingKey(stringValue: name)
            let key: Key
            if keysAreStrings, let name = name as? Key {
                key = name
            } else if let converted = keyType.init(codingKey: codingKey) as? Key {
                key = converted
            } else {
                throw DataFolioError(
                    .typeMismatch,
                    "Cannot decode \(Self.self) at \(path.rendered): the key \"\(name)\" is not a valid \(Key.self).")
            }
            result[key] = try context.decodeValue(Value.self, from: member, at: path.appending(codingKey))
        }
        return result
    }
}
