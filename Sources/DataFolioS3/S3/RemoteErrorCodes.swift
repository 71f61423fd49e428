import DataFolioSupport

extension DataFolioError.Code {
    /// The store rejected the credentials: unknown access key, a secret that does not match
    /// it, an expired session token, or no credentials where they are required.
    public static let authenticationFailed = Self("authenticationFailed")
    /// The credentials are valid but not allowed to do this (HTTP 403 AccessDenied).
    public static let accessDenied = Self("accessDenied")
    /// The bucket does not exist at this endpoint.
    public static let bucketNotFound = Self("bucketNotFound")
    /// The computer's clock is too far from the server's for signed requests.
    public static let clockSkew = Self("clockSkew")
    /// No complete answer arrived within the configured time.
    public static let timedOut = Self("timedOut")
    /// The server could not be reached, or the connection broke and retries did not help.
    public static let connectionFailed = Self("connectionFailed")
    /// The server kept failing (HTTP 5xx, SlowDown) after every retry, or answered in a
    /// way this client does not understand.
    public static let remoteFailure = Self("remoteFailure")
}
