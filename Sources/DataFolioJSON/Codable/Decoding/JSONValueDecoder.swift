import DataFolioSupport

/// Decodes `Decodable` values from ``JSONValue``s.
///
/// ```swift
/// struct RunConfig: Codable {
///     var learningRate: Double
///     var layers: [Int]
///     var startedAt: Date
/// }
/// let value = try JSONValue(parsing: #"{"learning_rate": 0.01, "layers": [64, 32], "started_at": "2024-01-15T10:30:00+00:00"}"#)
/// var decoder = JSONValueDecoder()
/// decoder.keyDecodingStrategy = .convertFromSnakeCase
/// let config = try decoder.decode(RunConfig.self, from: value)
/// ```
///
/// Numbers convert where no information is lost: an integer reads into any integer type
/// whose range holds it; a double reads into an integer type when it is integral and in
/// range (`3.0` → `3`); an integer reads into `Double` or `Float` (rounded to the nearest
/// representable value, as any JSON reader does); a double reads into `Float` when it is
/// within `Float`'s range. `Date` follows ``dateDecodingStrategy``, `Data`
/// ``dataDecodingStrategy``, `URL` reads from a string, `Decimal` from a number.
/// Dictionaries with string, integer or `CodingKeyRepresentable` keys read from objects;
/// their keys are taken as they are, whatever the ``keyDecodingStrategy``.
///
/// Errors are `DataFolioError`s (code `typeMismatch`) whose message names the coding
/// path, such as `Cannot decode Int at 'runs[2].epochs': found a string ("ten").`
public struct JSONValueDecoder: Sendable {
    /// How `Date` values are read.
    public enum DateDecodingStrategy: Sendable, Hashable {
        /// ISO 8601 text: `2024-01-15T10:30:00.123456+00:00`, `…Z`, any offset, any
        /// number of fraction digits, no offset read as UTC. See ``ISO8601Timestamp``.
        /// The default.
        case iso8601
        /// A number of seconds since 1970-01-01T00:00:00Z.
        case secondsSince1970
        /// A number of milliseconds since 1970-01-01T00:00:00Z.
        case millisecondsSince1970
    }

    /// How `Data` values are read.
    public enum DataDecodingStrategy: Sendable, Hashable {
        /// A Base64 string. The default.
        case base64
        /// An array of integers 0–255.
        case byteArray
    }

    /// How object keys are matched to coding keys.
    public enum KeyDecodingStrategy: Sendable, Hashable {
        /// A coding key matches the object key equal to its `stringValue`. The default.
        case useDefaultKeys
        /// A coding key such as `learningRate` or `myURLProperty` matches the object key
        /// `learning_rate` / `my_url_property` (its snake_case form, as
        /// ``JSONValueEncoder/KeyEncodingStrategy/convertToSnakeCase`` writes it), or
        /// else the key spelled exactly like it. `allKeys` reports object keys converted
        /// to camelCase (`learning_rate` → `learningRate`).
        case convertFromSnakeCase
    }

    /// How `Date` values are read. Default: ``DateDecodingStrategy/iso8601``.
    public var dateDecodingStrategy: DateDecodingStrategy = .iso8601
    /// How `Data` values are read. Default: ``DataDecodingStrategy/base64``.
    public var dataDecodingStrategy: DataDecodingStrategy = .base64
    /// How object keys are matched. Default: ``KeyDecodingStrategy/useDefaultKeys``.
    public var keyDecodingStrategy: KeyDecodingStrategy = .useDefaultKeys
    /// Whether `null` reads as NaN into a non-optional `Double` or `Float`.
    ///
    /// Python's datafolio, and ``JSONValueEncoder`` by default, write NaN and infinities
    /// as `null`; turn this on to read such values back into non-optional properties.
    /// Optional properties read `null` as `nil` either way.
    public var decodesNullAsNaN = false
    /// Values made available to `init(from:)` implementations through `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// A decoder with the default strategies.
    ///
    /// ```swift
    /// var decoder = JSONValueDecoder()
    /// decoder.keyDecodingStrategy = .convertFromSnakeCase
    /// ```
    public init() {}

    /// Decodes a value of type `type` from `value`.
    ///
    /// ```swift
    /// struct Point: Codable { var x: Double; var y: Double }
    /// let point = try JSONValueDecoder().decode(Point.self, from: ["x": 1, "y": 2.5])
    /// ```
    ///
    /// - Throws: `DataFolioError` with code `typeMismatch` when the value does not
    ///   have the shape the type expects (the message names the coding path), or
    ///   `limitExceeded` when decoding nests more than 512 levels deep.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from value: JSONValue) throws(DataFolioError) -> T {
        let context = JSONDecodingContext(decoder: self)
        do {
            return try context.decodeValue(T.self, from: value, at: .root)
        } catch {
            throw JSONDecodingContext.convert(error, decoding: T.self)
        }
    }
}

extension JSONValue {
    /// Decodes a value of type `type` from this value.
    ///
    /// ```swift
    /// struct Point: Codable { var x: Double; var y: Double }
    /// let point = try JSONValue(parsing: #"{"x": 1, "y": 2.5}"#).decode(as: Point.self)
    /// ```
    public func decode<T: Decodable>(as type: T.Type = T.self, using decoder: JSONValueDecoder = JSONValueDecoder()) throws(DataFolioError) -> T {
        try decoder.decode(T.self, from: self)
    }
}
