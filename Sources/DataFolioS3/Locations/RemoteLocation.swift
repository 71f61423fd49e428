import DataFolioSupport

/// Where a remote folio or referenced file lives: an S3-compatible bucket or a read-only
/// HTTP(S) folder.
///
/// ```swift
/// switch try RemoteLocation.parse("s3://lab/experiments/run-1") {
/// case .s3(let location)?: print(location.bucket, location.prefix)   // lab experiments/run-1
/// case .http(let location)?: print(location.baseURL)
/// case nil: print("a local path")
/// }
/// ```
public enum RemoteLocation: Sendable, Hashable, CustomStringConvertible {
    /// A bucket and key prefix in an S3-compatible store.
    case s3(S3Location)
    /// A folder on a web server, read-only.
    case http(HTTPLocation)

    /// Parses `s3://…`, `http://…` and `https://…`; returns nil for anything else (a local
    /// path or `file://` URL), and throws for a malformed remote location.
    ///
    /// ```swift
    /// try RemoteLocation.parse("s3://http://127.0.0.1:8333/lab/run")   // endpoint in the path
    /// try RemoteLocation.parse("/data/run")                            // nil
    /// ```
    public static func parse(_ string: String) throws(DataFolioError) -> RemoteLocation? {
        let lower = string.lowercased()
        if lower.hasPrefix("s3://") { return .s3(try S3Location(parsing: string)) }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            return .http(try HTTPLocation(parsing: string))
        }
        return nil
    }

    /// Whether a string names a remote location (without validating it).
    ///
    /// ```swift
    /// RemoteLocation.isRemote("s3://lab/run")   // true
    /// ```
    public static func isRemote(_ string: String) -> Bool {
        let lower = string.lowercased()
        return lower.hasPrefix("s3://") || lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The location in its canonical form.
    public var description: String {
        switch self {
        case .s3(let location): return location.description
        case .http(let location): return location.description
        }
    }
}

/// A bucket and key prefix: `s3://bucket/prefix`, or cloud-files' form with the endpoint
/// in the path, `s3://http://127.0.0.1:8333/bucket/prefix` (also `s3://https://…`).
///
/// ```swift
/// let location = try S3Location(parsing: "s3://lab/experiments/run-1/")
/// location.bucket                 // "lab"
/// location.prefix                 // "experiments/run-1"
/// location.key("items.json")      // "experiments/run-1/items.json"
/// ```
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name.
    public var bucket: String
    /// The key prefix inside the bucket, without leading or trailing `/` (empty for the
    /// bucket's root).
    public var prefix: String
    /// The endpoint written in the location itself (`s3://http://host:port/…`), which wins
    /// over the environment; nil for plain `s3://bucket/…`.
    public var endpoint: S3Endpoint?

    /// Creates a location from parts.
    ///
    /// ```swift
    /// let location = S3Location(bucket: "lab", prefix: "runs/a")
    /// ```
    public init(bucket: String, prefix: String = "", endpoint: S3Endpoint? = nil) {
        self.bucket = bucket
        self.prefix = Self.trimSlashes(prefix)
        self.endpoint = endpoint
    }

    /// Parses `s3://bucket[/prefix]`, `s3://http://host[:port]/bucket[/prefix]` or
    /// `s3://https://host[:port]/bucket[/prefix]`.
    ///
    /// ```swift
    /// let local = try S3Location(parsing: "s3://http://127.0.0.1:8333/lab/run")
    /// local.endpoint?.description   // "http://127.0.0.1:8333"
    /// ```
    public init(parsing string: String) throws(DataFolioError) {
        guard string.lowercased().hasPrefix("s3://") else {
            throw DataFolioError(.invalidArgument, "'\(string)' is not an S3 location; write s3://bucket/prefix.")
        }
        var rest = Substring(string.dropFirst(5))
        var endpoint: S3Endpoint?
        let lowerRest = rest.lowercased()
        if lowerRest.hasPrefix("http://") || lowerRest.hasPrefix("https://") {
            let schemeEnd = rest.range(of: "://").map { $0.upperBound } ?? rest.startIndex
            let authorityEnd = rest[schemeEnd...].firstIndex(of: "/") ?? rest.endIndex
            endpoint = try S3Endpoint(parsing: String(rest[..<authorityEnd]))
            rest = authorityEnd < rest.endIndex ? rest[rest.index(after: authorityEnd)...] : ""
        }
        let bucketEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let bucket = String(rest[..<bucketEnd])
        let prefix = bucketEnd < rest.endIndex ? String(rest[rest.index(after: bucketEnd)...]) : ""
        guard !bucket.isEmpty else {
            throw DataFolioError(.invalidArgument, "'\(string)' names no bucket; write s3://bucket/prefix.")
        }
        guard Self.isPlausibleBucketName(bucket) else {
            throw DataFolioError(
                .invalidArgument,
                "'\(bucket)' in '\(string)' is not a valid bucket name (3 to 63 letters, digits, '.', '-' or '_').")
        }
        if prefix.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw DataFolioError(.invalidArgument, "'\(string)' contains control characters.")
        }
        self.init(bucket: bucket, prefix: prefix, endpoint: endpoint)
    }

    /// The full key of a path relative to the prefix.
    ///
    /// ```swift
    /// S3Location(bucket: "lab", prefix: "run").key("tables/a--r1.parquet")   // "run/tables/a--r1.parquet"
    /// ```
    public func key(_ relativePath: String) -> String {
        let relative = relativePath.hasPrefix("/") ? String(relativePath.drop(while: { $0 == "/" })) : relativePath
        if prefix.isEmpty { return relative }
        if relative.isEmpty { return prefix }
        return "\(prefix)/\(relative)"
    }

    /// The prefix to list everything under this location: `prefix/` (empty at the root).
    public var folderPrefix: String { prefix.isEmpty ? "" : prefix + "/" }

    /// `s3://bucket/prefix`, or `s3://http://host:port/bucket/prefix` with an endpoint.
    public var description: String {
        let tail = prefix.isEmpty ? bucket : "\(bucket)/\(prefix)"
        if let endpoint { return "s3://\(endpoint)/\(tail)" }
        return "s3://\(tail)"
    }

    static func trimSlashes(_ text: String) -> String {
        var text = Substring(text)
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    /// Accepts every name AWS accepts plus the underscores and capitals that some
    /// S3-compatible stores allow; rejects what could never be a bucket.
    static func isPlausibleBucketName(_ name: String) -> Bool {
        guard (3...63).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { byte in
            URIEncoding.isUnreserved(byte) && byte != UInt8(ascii: "~")
        }
    }

    /// Whether the bucket can be a DNS label under an AWS endpoint (virtual-hosted
    /// addressing): lowercase letters, digits and '-', starting and ending with a letter or
    /// digit, no dots (they break TLS certificates).
    var isVirtualHostCompatible: Bool {
        let bytes = Array(bucket.utf8)
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
        }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }
}

/// The scheme, host and port of an S3-compatible service, e.g. `http://127.0.0.1:8333`
/// or `https://s3.eu-west-1.amazonaws.com`.
///
/// ```swift
/// let endpoint = try S3Endpoint(parsing: "http://127.0.0.1:8333")
/// endpoint.isSecure   // false
/// ```
public struct S3Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address (IPv6 addresses without brackets).
    public var host: String
    /// The port, when not the scheme's default.
    public var port: Int?
    /// A path the service is mounted under (rare; usually empty), without trailing `/`.
    public var basePath: String

    /// Parses `http[s]://host[:port][/path]`.
    ///
    /// ```swift
    /// let aws = try S3Endpoint(parsing: "https://s3.us-east-1.amazonaws.com")
    /// ```
    public init(parsing string: String) throws(DataFolioError) {
        let lower = string.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https"
        } else if lower.hasPrefix("http://") {
            scheme = "http"
        } else {
            throw DataFolioError(.invalidArgument, "'\(string)' is not an endpoint URL; write http://host:port or https://host.")
        }
        let rest = string.dropFirst(scheme.count + 3)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw DataFolioError(.invalidArgument, "'\(string)' has an unterminated IPv6 address.")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw DataFolioError(.invalidArgument, "'\(string)' names no host.") }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw DataFolioError(.invalidArgument, "'\(string)' has an invalid port '\(portText)'.")
            }
            port = value == (scheme == "https" ? 443 : 80) ? nil : value
        }
        let path = rest[authorityEnd...].prefix(while: { $0 != "?" && $0 != "#" })
        self.scheme = scheme
        self.host = String(host).lowercased()
        self.port = port
        self.basePath = S3Location.trimSlashes(String(path))
    }

    /// AWS's endpoint for a region: `https://s3.<region>.amazonaws.com`.
    ///
    /// ```swift
    /// S3Endpoint.aws(region: "eu-west-1").host   // "s3.eu-west-1.amazonaws.com"
    /// ```
    public static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: "s3.\(region).amazonaws.com", port: nil, basePath: "")
    }

    init(scheme: String, host: String, port: Int?, basePath: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// Whether requests use TLS.
    public var isSecure: Bool { scheme == "https" }

    /// Whether this is one of AWS's own S3 endpoints.
    public var isAWS: Bool { host == "amazonaws.com" || host.hasSuffix(".amazonaws.com") }

    /// The `Host` header value: the host, plus the port when it is not the default.
    var hostHeader: String { Self.authority(host: host, port: port) }

    static func authority(host: String, port: Int?) -> String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        if let port { return "\(shownHost):\(port)" }
        return shownHost
    }

    /// `scheme://host[:port][/basePath]`.
    public var description: String {
        "\(scheme)://\(hostHeader)" + (basePath.isEmpty ? "" : "/\(basePath)")
    }
}

/// A folder on a web server (`http://…` or `https://…`), read-only: a folio served as
/// static files, or a public bucket's HTTPS address.
///
/// ```swift
/// let location = try HTTPLocation(parsing: "https://example.org/folios/run-1/")
/// location.url(for: "items.json")   // "https://example.org/folios/run-1/items.json"
/// ```
public struct HTTPLocation: Sendable, Hashable, CustomStringConvertible {
    /// The server: scheme, host and port.
    public var server: S3Endpoint
    /// The folder's path on the server, percent-encoded, without leading or trailing `/`.
    public var path: String

    /// Parses an `http://` or `https://` URL. A query or fragment is not allowed.
    ///
    /// ```swift
    /// let location = try HTTPLocation(parsing: "http://127.0.0.1:8000/run")
    /// ```
    public init(parsing string: String) throws(DataFolioError) {
        if string.contains("?") || string.contains("#") {
            throw DataFolioError(.invalidArgument, "'\(string)' has a query or fragment; give the folder's plain URL.")
        }
        let server = try S3Endpoint(parsing: string)
        self.server = S3Endpoint(scheme: server.scheme, host: server.host, port: server.port, basePath: "")
        // Decoding first makes "a b" and "a%20b" the same folder.
        self.path = URIEncoding.encodePath(URIEncoding.decode(server.basePath))
    }

    /// The URL of a file below the folder; each segment of `relativePath` is
    /// percent-encoded.
    ///
    /// ```swift
    /// location.url(for: "tables/t--r1.parquet")   // "https://example.org/folios/run-1/tables/t--r1.parquet"
    /// ```
    public func url(for relativePath: String) -> String {
        let encoded = URIEncoding.encodePath(S3Location.trimSlashes(relativePath))
        var full = "\(server.scheme)://\(server.hostHeader)/"
        if !path.isEmpty { full += path + (encoded.isEmpty ? "" : "/") }
        return full + encoded
    }

    /// The folder's URL.
    public var description: String { url(for: "") }
}
