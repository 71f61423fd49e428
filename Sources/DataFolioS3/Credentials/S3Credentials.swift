import DataFolioSupport
import Foundation

/// The keys that sign S3 requests, and where they came from.
///
/// Credentials are looked up, in this order, by ``resolve(bucket:environment:)``:
/// 1. `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`);
/// 2. the profile `AWS_PROFILE` (default `default`) in `~/.aws/credentials`, then
///    `~/.aws/config` (`[profile NAME]` there; paths can be moved with
///    `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`);
/// 3. cloud-files' secret, `~/.cloudvolume/secrets/<bucket>-aws-secret.json` or
///    `aws-secret.json` (also under `~/.cloudfiles/secrets/`), a JSON object with
///    `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`;
/// 4. none: requests are sent unsigned, which works for public buckets.
///
/// Credentials given in the API take precedence over all of these.
///
/// ```swift
/// let explicit = S3Credentials(accessKeyID: "AKIA…", secretAccessKey: "…")
/// let found = try S3Credentials.resolve(bucket: "lab")
/// print(found.source)   // e.g. "AWS_ACCESS_KEY_ID" or "profile 'default' in ~/.aws/credentials"
/// ```
public struct S3Credentials: Sendable, Hashable, CustomStringConvertible {
    /// The access key ID (empty for anonymous access).
    public var accessKeyID: String
    /// The secret access key (empty for anonymous access).
    public var secretAccessKey: String
    /// A session token for temporary credentials.
    public var sessionToken: String?
    /// Where the keys came from, for error messages: what to fix when they are wrong.
    public var source: String
    /// A region found next to the keys (an AWS profile's `region`, or cloud-files'
    /// `AWS_DEFAULT_REGION`), used when no region is set in the environment.
    public var region: String?
    /// An endpoint found next to the keys (an AWS profile's `endpoint_url`).
    public var endpointURL: String?

    /// Creates credentials given in code.
    ///
    /// ```swift
    /// let credentials = S3Credentials(accessKeyID: "AKIA…", secretAccessKey: "…")
    /// ```
    public init(
        accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
        source: String = "the credentials passed to DataFolio"
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// No credentials: requests go unsigned (public buckets and public HTTP endpoints).
    ///
    /// ```swift
    /// let client = try S3Client(location: location, credentials: .anonymous)
    /// ```
    public static let anonymous = S3Credentials(
        accessKeyID: "", secretAccessKey: "",
        source: "no credentials (none in AWS_ACCESS_KEY_ID, ~/.aws/credentials or ~/.cloudvolume/secrets/aws-secret.json)")

    /// Whether requests are sent unsigned.
    public var isAnonymous: Bool { accessKeyID.isEmpty }

    /// The access key and the source; never the secret.
    public var description: String {
        isAnonymous ? "anonymous" : "access key \(accessKeyID) from \(source)"
    }

    /// Finds credentials in the environment and the files named above, or returns
    /// ``anonymous`` when there are none. `HOME` is read from `environment`.
    ///
    /// Throws when `AWS_PROFILE` names a profile that does not exist, or a credentials file
    /// cannot be read or parsed.
    ///
    /// ```swift
    /// let credentials = try S3Credentials.resolve(bucket: "lab", environment: ["HOME": "/tmp/home"])
    /// ```
    public static func resolve(
        bucket: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DataFolioError) -> S3Credentials {
        if let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
                throw DataFolioError(
                    .authenticationFailed,
                    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both (or neither).")
            }
            return S3Credentials(
                accessKeyID: key, secretAccessKey: secret,
                sessionToken: nonEmpty(environment["AWS_SESSION_TOKEN"]), source: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
        }
        if let profile = try AWSProfiles.credentials(environment: environment) {
            return profile
        }
        if let secret = try CloudFilesSecret.credentials(bucket: bucket, environment: environment) {
            return secret
        }
        return .anonymous
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// The home folder, from `HOME` in the given environment (tests point it elsewhere).
func homeFolder(_ environment: [String: String]) -> String? {
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home
}

/// Shows a path under the home folder as `~/…` in messages.
func displayPath(_ path: String, home: String?) -> String {
    if let home, path.hasPrefix(home + "/") { return "~" + path.dropFirst(home.count) }
    return path
}

/// Reads a small text file, or returns nil when it does not exist.
func readTextFileIfPresent(_ path: String) throws(DataFolioError) -> String? {
    do {
        return String(decoding: try LocalFile.read(path), as: UTF8.self)
    } catch where error.code == .fileNotFound {
        return nil
    }
}
