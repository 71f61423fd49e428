import DataFolioSupport

/// State shared by every encoder and container of one top-level `encode` call.
final class JSONEncodingContext {
    let options: JSONValueEncoder
    /// The first misuse of the `Encoder` protocol seen in a non-throwing method (such
    /// as asking for a keyed container after a single value was encoded); reported
    /// when the top-level call finishes.
    private(set) var misuse: DataFolioError?
    private var snakeCaseNames: [String: String] = [:]
    private lazy var bridgedUserInfo: [CodingUserInfoKey: Any] = options.userInfo.mapValues { $0 as Any }

    init(encoder: JSONValueEncoder) {
        options = encoder
    }

    var userInfo: [CodingUserInfoKey: Any] { bridgedUserInfo }

    func reportMisuse(_ message: String) {
        if misuse == nil { misuse = DataFolioError(.invalidArgument, message) }
    }

    /// The object key for a coding key of a keyed container.
    func name(for key: some CodingKey) -> String {
        switch options.keyEncodingStrategy {
        case .useDefaultKeys:
            return key.stringValue
        case .convertToSnakeCase:
            let name = key.stringValue
            if let cached = snakeCaseNames[name] { return cached }
            let converted = KeyCaseConversion.snakeCase(name)
            snakeCaseNames[name] = converted
            return converted
        }
    }

    /// Encodes any value at `path`: values with a JSON form of their own directly,
    /// everything else through its `encode(to:)`.
    func encodeValue<T: Encodable>(_ value: T, at path: @autoclosure () -> CodingPathNode) throws -> JSONValue {
        if let special = value as? any JSONSpecialEncodable {
            return try special.encodeJSON(in: self, at: path)
        }
        let path = path()
        guard path.depth <= maximumCodingDepth else {
            throw DataFolioError(
                .limitExceeded,
                "Cannot encode \(T.self) at \(path.rendered): the value nests more than \(maximumCodingDepth) levels deep. Check for a cycle in the data (a class instance that contains itself).")
        }
        let encoder = JSONValueEncoderImpl(context: self, path: path)
        try value.encode(to: encoder)
        return encoder.materialize()
    }

    func double(_ value: Double, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> JSONValue {
        if value.isFinite { return .double(value) }
        switch options.nonFiniteFloatEncodingStrategy {
        case .null:
            return .null
        case .throw:
            throw DataFolioError(
                .invalidArgument,
                "Cannot encode \(value) at \(path().rendered): JSON has no NaN or infinity. Set nonFiniteFloatEncodingStrategy to .null to write null, as Python's datafolio does.")
        }
    }

    func float(_ value: Float, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> JSONValue {
        guard value.isFinite else { return try double(Double(value), at: path()) }
        // Keep the digits a person wrote (0.1 as 0.1, not 0.10000000149011612): the
        // shortest text that identifies the Float, read as a Double.
        // Small integers need no digit search: every one of them is exact in both types.
        let widened = Double(value)
        if widened.magnitude <= 16_777_216, widened.rounded(.towardZero) == widened { return .double(widened) }
        return .double(Double(value.description) ?? widened)
    }

    func unsigned<T: UnsignedInteger & FixedWidthInteger>(_ value: T, at path: @autoclosure () -> CodingPathNode) throws(DataFolioError) -> JSONValue {
        if let exact = Int64(exactly: value) { return .int(exact) }
        switch options.largeUnsignedIntegerEncodingStrategy {
        case .double:
            return .double(Double(value))
        case .throw:
            throw DataFolioError(
                .invalidArgument,
                "Cannot encode \(value) at \(path().rendered): it exceeds \(Int64.max), the largest integer a folio's JSON holds. Set largeUnsignedIntegerEncodingStrategy to .double to store the nearest double, or encode it as a string.")
        }
    }

    /// An error thrown while encoding, as a `DataFolioError`.
    static func convert(_ error: any Error, encoding type: Any.Type) -> DataFolioError {
        switch error {
        case let error as DataFolioError:
            return error
        case let error as EncodingError:
            switch error {
            case .invalidValue(_, let context):
                return DataFolioError(
                    .invalidArgument,
                    "Cannot encode \(type) at \(CodingPathNode.render(context.codingPath)): \(context.debugDescription)")
            @unknown default:
                return DataFolioError(.invalidArgument, "Cannot encode \(type): \(error)")
            }
        default:
            return DataFolioError(.invalidArgument, "Cannot encode \(type): \(error)")
        }
    }
}
