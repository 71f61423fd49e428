import DataFolioSupport
import Foundation
import NIOHTTP1

/// Turns failed S3 answers and network failures into one-line errors that say what to fix:
/// which credentials were used and where they came from, which variable set the endpoint.
struct S3ErrorContext: Sendable {
    var operation: String
    var bucket: String
    var key: String?
    var configuration: S3Configuration

    private var target: String {
        var location = "s3://\(bucket)"
        if let key, !key.isEmpty { location += "/\(key)" }
        return location
    }

    private var endpoint: String { configuration.endpoint.description }
    private var credentials: S3Credentials { configuration.credentials }

    func describe(_ failure: TransportFailure) -> DataFolioError {
        failure.describe(endpoint: endpoint, timeouts: configuration.timeouts, hint: "set by \(configuration.endpointSource)")
    }

    func describe(_ response: CollectedResponse) -> DataFolioError {
        let status = response.status.code
        let body = S3ErrorBody.parse(response.bodyBytes)
        let code = body?.code ?? ""
        let serverMessage = body.map { $0.message.isEmpty ? $0.code : "\($0.code): \($0.message)" } ?? "HTTP \(status)"
        let fixCredentials = credentialsFix
        switch (status, code) {
        case (412, _), (409, "ConditionalRequestConflict"):
            return DataFolioError(
                .preconditionFailed,
                "Cannot \(operation) \(target): it changed since it was read (another writer got there first); read it again and retry.",
                path: key)
        case (_, "NoSuchBucket"):
            return DataFolioError(
                .bucketNotFound,
                "Bucket '\(bucket)' does not exist at \(endpoint) (endpoint from \(configuration.endpointSource)); create it, or fix the bucket name or endpoint.")
        case (404, "NoSuchUpload"):
            return DataFolioError(.fileNotFound, "Cannot \(operation) \(target): the multipart upload no longer exists (it was completed or abandoned).", path: key)
        case (404, _):
            return DataFolioError(.fileNotFound, "Cannot \(operation) \(target): no such object.", path: key)
        case (_, "InvalidAccessKeyId"):
            return DataFolioError(
                .authenticationFailed,
                "\(endpoint) does not know the access key '\(credentials.accessKeyID)' (from \(credentials.source)); \(fixCredentials)")
        case (_, "SignatureDoesNotMatch"):
            return DataFolioError(
                .authenticationFailed,
                "\(endpoint) rejected the signature: the secret key (from \(credentials.source)) does not match the access key '\(credentials.accessKeyID)'; \(fixCredentials)")
        case (_, "ExpiredToken"), (_, "InvalidToken"), (_, "TokenRefreshRequired"):
            return DataFolioError(
                .authenticationFailed,
                "\(endpoint) rejected the session token (from \(credentials.source)): \(serverMessage). Get new temporary credentials and update AWS_SESSION_TOKEN or the profile.")
        case (_, "RequestTimeTooSkewed"):
            let server = body?.serverTime.flatMap(HTTPDate.epochSeconds) ?? response.headers.first(name: "date").flatMap(HTTPDate.epochSeconds)
            var skew = ""
            if let server {
                let local = Int64(Date().timeIntervalSince1970) + configuration.clockOffset
                skew = " by about \(abs(server - local) / 60) minutes"
            }
            return DataFolioError(
                .clockSkew,
                "This computer's clock differs from \(endpoint)'s\(skew), and S3 refuses signatures more than 15 minutes off; set the clock right (enable NTP).")
        case (400, "AuthorizationHeaderMalformed"), (301, _), (400, "IllegalLocationConstraintException"):
            let region = response.headers.first(name: "x-amz-bucket-region")
            let advice = region.map { "set AWS_REGION=\($0)" } ?? "set AWS_REGION to the bucket's region"
            return DataFolioError(
                .invalidArgument,
                "Bucket '\(bucket)' is not in region \(configuration.region) (\(serverMessage)); \(advice).")
        case (401, _), (403, _):
            if credentials.isAnonymous {
                return DataFolioError(
                    .authenticationFailed,
                    "\(endpoint) refused to let anonymous users \(operation) \(target); no credentials were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in ~/.aws/credentials, or ~/.cloudvolume/secrets/aws-secret.json.")
            }
            if body == nil {
                // HEAD answers carry no body, so the reason is unknown.
                return DataFolioError(
                    .accessDenied,
                    "\(endpoint) refused to \(operation) \(target) (HTTP \(status)) with access key '\(credentials.accessKeyID)' from \(credentials.source): the keys are wrong or lack permission; \(fixCredentials)")
            }
            return DataFolioError(
                .accessDenied,
                "Access key '\(credentials.accessKeyID)' (from \(credentials.source)) may not \(operation) \(target) (\(serverMessage)); ask for permission on the bucket or use other credentials.")
        case (_, "BadDigest"), (_, "InvalidDigest"):
            return DataFolioError(
                .corruptData,
                "Cannot \(operation) \(target): the bytes reached \(endpoint) damaged (their MD5 is not the one sent); nothing was stored. Try again.",
                path: key)
        case (501, _):
            return DataFolioError(.unsupportedFeature, "\(endpoint) does not support this request (\(serverMessage)).")
        case (500...599, _), (429, _), (400, "SlowDown"), (400, "RequestTimeout"):
            return DataFolioError(
                .remoteFailure,
                "\(endpoint) kept failing to \(operation) \(target) (\(serverMessage)) after \(response.attempt) attempt\(response.attempt == 1 ? "" : "s"); try again later.")
        default:
            return DataFolioError(.remoteFailure, "Cannot \(operation) \(target): \(endpoint) answered \(serverMessage).", path: key)
        }
    }

    private var credentialsFix: String {
        let source = credentials.source
        if source.hasPrefix("AWS_ACCESS_KEY_ID") {
            return "fix AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        }
        if source.hasPrefix("profile") {
            return "fix the keys in \(source) (or choose another profile with AWS_PROFILE)."
        }
        if source.hasPrefix("the credentials passed") {
            return "fix the credentials passed in code."
        }
        return "fix AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in \(source)."
    }
}
