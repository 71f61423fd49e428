import DataFolioSupport

/// State shared by every decoder and container of one top-level `decode` call, and
/// the conversions from JSON values to Swift scalars.
final class JSONDecodingContext {
    let options: JSONValueDecoder
    private var snakeCaseNames: [String: String] = [:]
    private lazy var bridgedUserInfo: [CodingUserInfoKey: Any] = options.userInfo.mapValues { $0 as Any }

    init(decoder: JSONValueDecoder) {
        options = decoder
    }

    var userInfo: [CodingUserInfoKey: Any] { bridgedUserInfo }

    /// The object key that `key` reads under ``JSONValueDecoder/KeyDecodingStrategy/convertFromSnakeCase``.
    func snakeCaseName(for key: some CodingKey) -> String {
        let name = key.stringValue
        if let cached = snakeCaseNames[name] { return cached }
        let converted = KeyCaseConversion.snakeCase(name)
        snakeCaseNames[name] = converted
        return converted
    }

    /// Decodes any value at `path`: types with a JSON form of their own directly,
    /// everything else through its `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type, from value: JSONValue, at path: @autoclosure () -> CodingPathNode) throws -> T {
        if let special = T.self as? any JSONSpecialDecodable.Type {
            guard let result = try special.decodeJSON(value, in: self, at: path) as? T else {
                throw DataFolioError(.typeMismatch, "Cannot decode \(T.self) at \(path().rendered).")
            }
            return result
        }
        let path = path()
        guard path.depth <= maximumCodingDepth else {
            throw DataFolioError(
                .limitExceeded,
                "Cannot decode \(T.self) at \(path.rendered): decoding nests more than \(maximumCodingDepth) levels deep.")
        }
        return try T(from: JSONValueDecoderImpl(context: self, value: value, path: path))
    }

    // MARK: Scalars

    func mismatch(_ expected: String, _ value: JSONValue, at path: CodingPathNode) -> DataFolioError {
        DataFolioError(.typeMismatch, "Cannot decode \(expected) at \(path.rendered): found \(value.kindDescription).")
    }

    func bool(_ value: JSONValue, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> Bool {
        guard case .bool(let flag) = value else { throw mismatch("Bool", value, at: path()) }
        return flag
    }

    func string(_ value: JSONValue, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> String {
        guard case .string(let text) = value else { throw mismatch("String", value, at: path()) }
        return text
    }

    func double(_ value: JSONValue, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> Double {
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        case .null where options.decodesNullAsNaN: return .nan
        default: throw mismatch("Double", value, at: path())
        }
    }

    func float(_ value: JSONValue, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> Float {
        switch value {
        case .double(let number):
            let narrowed = Float(number)
            guard narrowed.isFinite || !number.isFinite else {
                throw DataFolioError(
                    .typeMismatch,
                    "Cannot decode Float at \(path().rendered): \(JSONNumberFormatting.string(for: number)) is outside Float's range; decode a Double instead.")
            }
            return narrowed
        case .int(let number): return Float(number)
        case .null where options.decodesNullAsNaN: return .nan
        default: throw mismatch("Float", value, at: path())
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ value: JSONValue, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> T {
        switch value {
        case .int(let number):
            if let exact = T(exactly: number) { return exact }
            throw DataFolioError(
                .typeMismatch,
                "Cannot decode \(T.self) at \(path().rendered): \(number) is outside its range \(T.min)...\(T.max).")
        case .double(let number):
            if let exact = T(exactly: number) { return exact }
            let text = JSONNumberFormatting.string(for: number)
            if number.isFinite && number.rounded(.towardZero) == number {
                throw DataFolioError(
                    .typeMismatch,
                    "Cannot decode \(T.self) at \(path().rendered): \(text) is outside its range \(T.min)...\(T.max).")
            }
            throw DataFolioError(.typeMismatch, "Cannot decode \(T.self) at \(path().rendered): \(text) is not an integer.")
        default:
            throw mismatch("\(T.self)", value, at: path())
        }
    }

    /// An error thrown while decoding, as a `DataFolioError`.
    static func convert(_ error: any Error, decoding type: Any.Type) -> DataFolioError {
        switch error {
        case let error as DataFolioError:
            return error
        case let error as DecodingError:
            switch error {
            case .typeMismatch(let expected, let context):
                return DataFolioError(
                    .typeMismatch,
                    "Cannot decode \(expected) at \(CodingPathNode.render(context.codingPath)): \(context.debugDescription)")
            case .valueNotFound(let expected, let context):
                return DataFolioError(
                    .typeMismatch,
                    "Cannot decode \(expected) at \(CodingPathNode.render(context.codingPath)): \(context.debugDescription)")
            case .keyNotFound(let key, let context):
                return DataFolioError(
                    .typeMismatch,
                    "Cannot decode \(type): no value for key '\(key.stringValue)' at \(CodingPathNode.render(context.codingPath)). \(context.debugDescription)")
            case .dataCorrupted(let context):
                return DataFolioError(
                    .typeMismatch,
                    "Cannot decode \(type) at \(CodingPathNode.render(context.codingPath)): \(context.debugDescription)")
            @unknown default:
                return DataFolioError(.typeMismatch, "Cannot decode \(type): \(error)")
            }
        default:
            return DataFolioError(.typeMismatch, "Cannot decode \(type): \(error)")
        }
    }
}
