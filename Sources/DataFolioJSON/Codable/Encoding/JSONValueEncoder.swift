#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DataFolioSupport

/// Encodes `Encodable` values into ``JSONValue``s, keeping object keys in the order
/// the type encodes them.
///
/// With synthesized `Codable`, a struct's properties come out in declaration order —
/// the layout Python's `dataclasses.asdict` gives — so the JSON text written by
/// ``JSONValue/formatted(indented:)`` matches what the Python datafolio writes.
///
/// ```swift
/// struct RunConfig: Codable {
///     var learningRate: Double
///     var layers: [Int]
///     var startedAt: Date
/// }
/// var encoder = JSONValueEncoder()
/// encoder.keyEncodingStrategy = .convertToSnakeCase
/// let value = try encoder.encode(RunConfig(learningRate: 0.01, layers: [64, 32], startedAt: .now))
/// print(value.formatted())
/// // {
/// //   "learning_rate": 0.01,
/// //   "layers": [ … ],
/// //   "started_at": "2024-01-15T10:30:00.123456+00:00"
/// // }
/// ```
///
/// Values with a JSON form of their own are encoded directly: `Date` per
/// ``dateEncodingStrategy``, `Data` per ``dataEncodingStrategy``, `URL` as its absolute
/// string, `Decimal` as a number, ``JSONValue`` and ``JSONObject`` as themselves.
/// Dictionaries whose keys are strings, integers or `CodingKeyRepresentable` become
/// objects; their keys are data, so ``keyEncodingStrategy`` leaves them alone.
///
/// Errors are `DataFolioError`s whose message names the coding path, such as
/// `'runs[2].loss'`.
public struct JSONValueEncoder: Sendable {
    /// How `Date` values are written.
    public enum DateEncodingStrategy: Sendable, Hashable {
        /// ISO 8601 text in UTC with microseconds, as Python's `isoformat()` writes it:
        /// `2024-01-15T10:30:00.123456+00:00` (no fraction when the microseconds are zero).
        /// See ``ISO8601Timestamp``. The default.
        case iso8601
        /// Seconds since 1970-01-01T00:00:00Z as a floating-point number (Python's
        /// `datetime.timestamp()`).
        case secondsSince1970
        /// Milliseconds since 1970-01-01T00:00:00Z as a floating-point number
        /// (JavaScript's `Date.getTime()`).
        case millisecondsSince1970
    }

    /// How `Data` values are written.
    public enum DataEncodingStrategy: Sendable, Hashable {
        /// A Base64 string (RFC 4648, padded, no line breaks). The default.
        case base64
        /// An array of integers 0–255 (Python's `list(data)`).
        case byteArray
    }

    /// How NaN and infinite `Double` and `Float` values are written.
    public enum NonFiniteFloatEncodingStrategy: Sendable, Hashable {
        /// As `null`, which is what the Python datafolio (orjson) writes.
        case null
        /// Throw an error naming the coding path. The default: nothing is silently
        /// replaced.
        case `throw`
    }

    /// How unsigned integers above `Int64.max` are written. JSON integers in a folio
    /// are 64-bit signed (Python's writer refuses larger ones), so such a value cannot
    /// be stored exactly.
    public enum LargeUnsignedIntegerEncodingStrategy: Sendable, Hashable {
        /// Throw an error naming the coding path. The default: nothing is silently rounded.
        case `throw`
        /// Store the nearest `Double` (exact only up to 2^53); decoding it back into a
        /// `UInt64` works when that double is an integer in range.
        case double
    }

    /// How the names of coding keys become object keys.
    public enum KeyEncodingStrategy: Sendable, Hashable {
        /// Use each key's `stringValue` as is. The default.
        case useDefaultKeys
        /// `learningRate` → `learning_rate`, `myURLProperty` → `my_url_property`,
        /// `layer2Size` → `layer2_size`; leading and trailing underscores are kept.
        /// Dictionary keys are data and are never converted.
        case convertToSnakeCase
    }

    /// How `Date` values are written. Default: ``DateEncodingStrategy/iso8601``.
    public var dateEncodingStrategy: DateEncodingStrategy = .iso8601
    /// How `Data` values are written. Default: ``DataEncodingStrategy/base64``.
    public var dataEncodingStrategy: DataEncodingStrategy = .base64
    /// How NaN and infinities are written. Default: ``NonFiniteFloatEncodingStrategy/throw``.
    public var nonFiniteFloatEncodingStrategy: NonFiniteFloatEncodingStrategy = .throw
    /// How unsigned integers above `Int64.max` are written.
    /// Default: ``LargeUnsignedIntegerEncodingStrategy/throw``.
    public var largeUnsignedIntegerEncodingStrategy: LargeUnsignedIntegerEncodingStrategy = .throw
    /// How coding keys become object keys. Default: ``KeyEncodingStrategy/useDefaultKeys``.
    public var keyEncodingStrategy: KeyEncodingStrategy = .useDefaultKeys
    /// Whether dictionary keys are sorted (integer keys numerically, other keys by
    /// Unicode code point, as Python's `sorted` does). The default is `true`.
    ///
    /// Swift dictionaries have no order, and their iteration order changes from one run
    /// of a program to the next; sorting makes the same data encode to the same bytes on
    /// every run (clean diffs, stable checksums). Use ``JSONObject`` for a chosen order.
    /// The keys of structs and other keyed types always keep the order they are encoded
    /// in.
    public var sortsDictionaryKeys = true
    /// Values made available to `encode(to:)` implementations through `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// An encoder with the default strategies.
    ///
    /// ```swift
    /// var encoder = JSONValueEncoder()
    /// encoder.keyEncodingStrategy = .convertToSnakeCase
    /// ```
    public init() {}

    /// Encodes `value` into a JSON value.
    ///
    /// ```swift
    /// let value = try JSONValueEncoder().encode([1.5, 2])   // [1.5, 2.0]
    /// ```
    ///
    /// A type that encodes nothing becomes an empty object.
    ///
    /// - Throws: `DataFolioError` with code `invalidArgument` (a value JSON cannot
    ///   hold, such as NaN under ``NonFiniteFloatEncodingStrategy/throw``, or an error
    ///   thrown by the value's own `encode(to:)`) or `limitExceeded` (nesting deeper
    ///   than 512 levels, as with a cyclic object graph). The message names the coding path.
    public func encode<T: Encodable>(_ value: T) throws(DataFolioError) -> JSONValue {
        let context = JSONEncodingContext(encoder: self)
        do {
            let result = try context.encodeValue(value, at: .root)
            if let pending = context.misuse { throw pending }
            return result
        } catch {
            throw context.misuse ?? JSONEncodingContext.convert(error, encoding: T.self)
        }
    }
}

extension JSONValue {
    /// Encodes `value` into a JSON value.
    ///
    /// ```swift
    /// struct Point: Codable { var x: Double; var y: Double }
    /// let value = try JSONValue(encoding: Point(x: 1, y: 2))   // {"x":1.0,"y":2.0}
    /// ```
    public init(encoding value: some Encodable, using encoder: JSONValueEncoder = JSONValueEncoder()) throws(DataFolioError) {
        self = try encoder.encode(value)
    }
}
