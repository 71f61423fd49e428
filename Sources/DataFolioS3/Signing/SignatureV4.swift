import Crypto
import DataFolioSupport

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as S3 and S3-compatible stores verify it.
///
/// The signer builds the canonical request (method, URI-encoded path, sorted and encoded
/// query, lowercase sorted headers with trimmed values, signed header list, payload hash),
/// the string to sign, and the signature with a key derived from the secret, the date, the
/// region and the service. Its steps are public so they can be checked against published
/// test vectors.
///
/// ```swift
/// let signer = SignatureV4(credentials: credentials, region: "us-east-1")
/// let request = SignatureV4.Request(
///     method: "GET", path: "/bucket/items.json", query: [],
///     headers: [("host", "127.0.0.1:8333")], payloadHash: SignatureV4.emptyPayloadHash)
/// let headers = signer.signedHeaders(for: request, at: .now)   // adds x-amz-date, Authorization…
/// ```
public struct SignatureV4: Sendable {
    /// The keys that sign; anonymous credentials leave requests unsigned.
    public var credentials: S3Credentials
    /// The region in the credential scope, e.g. `us-east-1`.
    public var region: String
    /// The service in the credential scope: `s3` for object stores.
    public var service: String

    /// The SHA-256 of an empty body, the payload hash of GET, HEAD and DELETE requests.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash S3 accepts for a body that is not hashed (streamed uploads).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Creates a signer.
    ///
    /// ```swift
    /// let signer = SignatureV4(credentials: credentials, region: "eu-west-1")
    /// ```
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request to sign.
    ///
    /// ```swift
    /// let request = SignatureV4.Request(
    ///     method: "GET", path: "/", query: [("list-type", "2"), ("prefix", "runs/")],
    ///     headers: [("host", "bucket.s3.us-east-1.amazonaws.com")],
    ///     payloadHash: SignatureV4.emptyPayloadHash)
    /// ```
    public struct Request: Sendable {
        /// The HTTP method, e.g. `GET`.
        public var method: String
        /// The path exactly as sent: already percent-encoded (see ``URIEncoding/encodePath(_:)``).
        public var path: String
        /// Query parameters, not encoded; the signer encodes and sorts them.
        public var query: [(name: String, value: String)]
        /// Headers to sign (the `host` header must be among them).
        public var headers: [(name: String, value: String)]
        /// The lowercase hex SHA-256 of the body, or ``SignatureV4/unsignedPayload``.
        public var payloadHash: String

        /// Creates a request description.
        ///
        /// ```swift
        /// let request = SignatureV4.Request(
        ///     method: "HEAD", path: "/lab/run/items.json", query: [], headers: [("host", "127.0.0.1:8333")],
        ///     payloadHash: SignatureV4.emptyPayloadHash)
        /// ```
        public init(
            method: String, path: String, query: [(name: String, value: String)],
            headers: [(name: String, value: String)], payloadHash: String
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// Every intermediate value of one signature.
    ///
    /// ```swift
    /// let parts = signer.signature(for: request, amzDate: "20150830T123600Z")
    /// print(parts.canonicalRequest, parts.stringToSign, parts.signature)
    /// ```
    public struct Signature: Sendable, Equatable {
        /// The canonical request (step 1).
        public var canonicalRequest: String
        /// The string to sign (step 2).
        public var stringToSign: String
        /// The lowercase hex signature (step 3).
        public var signature: String
        /// The `Authorization` header value.
        public var authorization: String
        /// The `;`-separated lowercase names of the signed headers.
        public var signedHeaders: String
    }

    /// Computes the signature of a request whose headers already hold `x-amz-date` (and, for
    /// S3, `x-amz-content-sha256`), at the time `amzDate` (`yyyyMMdd'T'HHmmss'Z'`).
    ///
    /// ```swift
    /// let parts = signer.signature(for: request, amzDate: "20130524T000000Z")
    /// ```
    public func signature(for request: Request, amzDate: String) -> Signature {
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method,
            request.path.isEmpty ? "/" : request.path,
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")
        let dateStamp = String(amzDate.prefix(8))
        let scope = "\(dateStamp)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256",
            amzDate,
            scope,
            SHA256.hash(data: Array(canonicalRequest.utf8)).hexString,
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        let signature = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key).hexString
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization, signedHeaders: signedHeaders)
    }

    /// The headers of `request` plus `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` (with a session token) and `Authorization`, for a request sent
    /// at `epochSeconds`. Anonymous credentials add only the payload hash and no signature.
    ///
    /// ```swift
    /// let headers = signer.signedHeaders(for: request, epochSeconds: 1_700_000_000)
    /// ```
    public func signedHeaders(for request: Request, epochSeconds: Int64) -> [(name: String, value: String)] {
        var request = request
        request.headers.append(("x-amz-content-sha256", request.payloadHash))
        guard !credentials.isAnonymous else { return request.headers }
        let amzDate = Self.amzDate(epochSeconds: epochSeconds)
        request.headers.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken, !token.isEmpty {
            request.headers.append(("x-amz-security-token", token))
        }
        let parts = signature(for: request, amzDate: amzDate)
        request.headers.append(("Authorization", parts.authorization))
        return request.headers
    }

    /// Formats a time as `yyyyMMdd'T'HHmmss'Z'` (UTC).
    ///
    /// ```swift
    /// SignatureV4.amzDate(epochSeconds: 1_440_938_160)   // "20150830T123600Z"
    /// ```
    public static func amzDate(epochSeconds: Int64) -> String {
        let (days, secondsOfDay) = CivilDate.floorDivide(epochSeconds, 86_400)
        let date = CivilDate.date(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2) + "T"
            + pad(secondsOfDay / 3600, 2) + pad(secondsOfDay / 60 % 60, 2) + pad(secondsOfDay % 60, 2) + "Z"
    }

    /// The lowercase hex SHA-256 of bytes, for `x-amz-content-sha256`.
    ///
    /// ```swift
    /// SignatureV4.payloadHash(of: [])   // SignatureV4.emptyPayloadHash
    /// ```
    public static func payloadHash(of bytes: UnsafeRawBufferPointer) -> String {
        SHA256.hash(data: bytes).hexString
    }

    /// The lowercase hex SHA-256 of bytes, for `x-amz-content-sha256`.
    ///
    /// ```swift
    /// let hash = SignatureV4.payloadHash(of: Array("Welcome to Amazon S3.".utf8))
    /// ```
    public static func payloadHash(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).hexString
    }

    /// Query parameters encoded, sorted by name and then value, joined with `&`.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (URIEncoding.encode($0.name), URIEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lowercase names, values trimmed with inner runs of spaces collapsed, repeated
    /// headers joined with commas in their original order, sorted by name.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            values[name.lowercased(), default: []].append(collapsingSpaces(value))
        }
        let names = values.keys.sorted()
        var canonical = ""
        for name in names {
            canonical += "\(name):\(values[name, default: []].joined(separator: ","))\n"
        }
        return (canonical, names.joined(separator: ";"))
    }

    private static func collapsingSpaces(_ value: String) -> String {
        var out = [UInt8]()
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
