import DataFolioSupport
import Foundation

/// Everything an ``S3Client`` needs besides the bucket: endpoint, region, addressing,
/// credentials, timeouts and retries.
///
/// ``resolve(for:credentials:environment:)`` fills it the way the AWS tools and cloud-files
/// do, so a set-up that works for them works here:
/// - endpoint: the one in the location (`s3://http://host:port/bucket/…`), else
///   `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`,
///   else AWS (`https://s3.<region>.amazonaws.com`);
/// - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's or cloud-files'
///   region, else `us-east-1`;
/// - addressing: virtual-hosted (`bucket.s3.region.amazonaws.com`) on AWS endpoints when
///   the bucket name allows it, path-style (`endpoint/bucket/key`) everywhere else; the
///   profile's `s3 = addressing_style = path|virtual` overrides it;
/// - credentials: see ``S3Credentials/resolve(bucket:environment:)``;
/// - retries: `AWS_MAX_ATTEMPTS` attempts when set; timeouts: `DATAFOLIO_S3_TIMEOUT`
///   seconds per attempt when set.
///
/// ```swift
/// var configuration = try S3Configuration.resolve(for: S3Location(parsing: "s3://lab/run"))
/// configuration.timeouts.request = 120
/// let client = S3Client(bucket: "lab", configuration: configuration)
/// ```
public struct S3Configuration: Sendable {
    /// How a bucket appears in request URLs.
    ///
    /// ```swift
    /// configuration.addressing = .path   // e.g. for a MinIO server behind a single host name
    /// ```
    public enum Addressing: Sendable, Hashable {
        /// `https://bucket.host/key`.
        case virtualHosted
        /// `https://host/bucket/key`.
        case path
    }

    /// The service endpoint.
    public var endpoint: S3Endpoint
    /// The signing region.
    public var region: String
    /// Path-style or virtual-hosted requests.
    public var addressing: Addressing
    /// The signing keys (``S3Credentials/anonymous`` for unsigned requests).
    public var credentials: S3Credentials
    /// Connect and per-attempt timeouts.
    public var timeouts: Timeouts
    /// How failed requests are retried.
    public var retry: RetryPolicy
    /// Whether request bodies are hashed into the signature (`x-amz-content-sha256`). When
    /// false, bodies are sent as `UNSIGNED-PAYLOAD`, which saves hashing on HTTPS where TLS
    /// already protects them.
    public var signsPayloads: Bool
    /// Where the endpoint came from (the location, `AWS_ENDPOINT_URL_S3`, …), named in
    /// error messages so the user knows what to change.
    public var endpointSource: String
    /// Seconds added to this computer's clock when signing, for a machine whose clock is
    /// off and cannot be set (S3 refuses signatures more than 15 minutes off).
    public var clockOffset: Int64

    /// Creates a configuration from explicit values.
    ///
    /// ```swift
    /// let configuration = S3Configuration(
    ///     endpoint: try S3Endpoint(parsing: "http://127.0.0.1:8333"), region: "us-east-1",
    ///     credentials: S3Credentials(accessKeyID: "key", secretAccessKey: "secret"))
    /// ```
    public init(
        endpoint: S3Endpoint, region: String = "us-east-1", addressing: Addressing = .path,
        credentials: S3Credentials, timeouts: Timeouts = Timeouts(), retry: RetryPolicy = RetryPolicy(),
        signsPayloads: Bool = true, endpointSource: String = "the configuration", clockOffset: Int64 = 0
    ) {
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self.credentials = credentials
        self.timeouts = timeouts
        self.retry = retry
        self.signsPayloads = signsPayloads
        self.endpointSource = endpointSource
        self.clockOffset = clockOffset
    }

    /// Builds the configuration for a location from the environment, the AWS files and
    /// cloud-files' secrets (see the type's documentation). `credentials`, when given, wins
    /// over every other source.
    ///
    /// ```swift
    /// let configuration = try S3Configuration.resolve(
    ///     for: try S3Location(parsing: "s3://lab/run"), environment: ["AWS_REGION": "eu-west-1"])
    /// ```
    public static func resolve(
        for location: S3Location, credentials explicit: S3Credentials? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DataFolioError) -> S3Configuration {
        let credentials: S3Credentials
        if let explicit {
            credentials = explicit
        } else {
            credentials = try S3Credentials.resolve(bucket: location.bucket, environment: environment)
        }
        let nonEmpty = S3Credentials.nonEmpty
        let region = nonEmpty(environment["AWS_REGION"]) ?? nonEmpty(environment["AWS_DEFAULT_REGION"])
            ?? credentials.region ?? AWSProfiles.region(environment: environment) ?? "us-east-1"
        let endpoint: S3Endpoint
        let endpointSource: String
        if let explicitEndpoint = location.endpoint {
            endpoint = explicitEndpoint
            endpointSource = "the location \(location)"
        } else if let text = nonEmpty(environment["AWS_ENDPOINT_URL_S3"]) {
            endpoint = try Self.endpoint(text, from: "AWS_ENDPOINT_URL_S3")
            endpointSource = "AWS_ENDPOINT_URL_S3"
        } else if let text = nonEmpty(environment["AWS_ENDPOINT_URL"]) {
            endpoint = try Self.endpoint(text, from: "AWS_ENDPOINT_URL")
            endpointSource = "AWS_ENDPOINT_URL"
        } else if let text = credentials.endpointURL {
            endpoint = try Self.endpoint(text, from: credentials.source)
            endpointSource = "endpoint_url in \(credentials.source)"
        } else {
            endpoint = .aws(region: region)
            endpointSource = "AWS's endpoint for region \(region); set AWS_ENDPOINT_URL_S3 for another store"
        }
        var addressing: Addressing = endpoint.isAWS && location.isVirtualHostCompatible ? .virtualHosted : .path
        switch Self.profileSetting("s3.addressing_style", environment: environment)?.lowercased() {
        case "path": addressing = .path
        case "virtual": addressing = location.isVirtualHostCompatible ? .virtualHosted : .path
        default: break
        }
        var timeouts = Timeouts()
        if let text = nonEmpty(environment["DATAFOLIO_S3_TIMEOUT"]) {
            guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
                throw DataFolioError(.invalidArgument, "DATAFOLIO_S3_TIMEOUT is '\(text)'; set it to a number of seconds.")
            }
            timeouts.request = seconds
        }
        var retry = RetryPolicy()
        if let text = nonEmpty(environment["AWS_MAX_ATTEMPTS"]) {
            guard let attempts = Int(text), (1...100).contains(attempts) else {
                throw DataFolioError(.invalidArgument, "AWS_MAX_ATTEMPTS is '\(text)'; set it to a whole number from 1 to 100.")
            }
            retry.maxAttempts = attempts
        }
        return S3Configuration(
            endpoint: endpoint, region: region, addressing: addressing, credentials: credentials,
            timeouts: timeouts, retry: retry, endpointSource: endpointSource)
    }

    private static func endpoint(_ text: String, from source: String) throws(DataFolioError) -> S3Endpoint {
        do {
            return try S3Endpoint(parsing: text)
        } catch {
            throw DataFolioError(.invalidArgument, "\(source) is '\(text)', which is not an endpoint URL; write http://host:port or https://host.")
        }
    }

    private static func profileSetting(_ key: String, environment: [String: String]) -> String? {
        let profile = S3Credentials.nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        guard let path = S3Credentials.nonEmpty(environment["AWS_CONFIG_FILE"]) ?? homeFolder(environment).map({ "\($0)/.aws/config" }),
            let text = try? readTextFileIfPresent(path)
        else { return nil }
        let sections = INIFile(text).sections
        let section = profile == "default" ? (sections["default"] ?? sections["profile default"]) : sections["profile \(profile)"]
        return S3Credentials.nonEmpty(section?[key])
    }
}

/// Connect and request timeouts, in seconds.
///
/// ```swift
/// var timeouts = Timeouts()
/// timeouts.request = 300   // large objects over a slow link
/// ```
public struct Timeouts: Sendable, Hashable {
    /// How long to wait for a TCP (and TLS) connection.
    public var connect: Double
    /// How long one attempt of one request may take from start to the last byte of the
    /// answer. Streamed downloads apply it between consecutive chunks instead.
    public var request: Double

    /// Creates timeouts (defaults: 10 s to connect, 60 s per request).
    ///
    /// ```swift
    /// let timeouts = Timeouts(connect: 5, request: 120)
    /// ```
    public init(connect: Double = 10, request: Double = 60) {
        self.connect = connect
        self.request = request
    }
}
