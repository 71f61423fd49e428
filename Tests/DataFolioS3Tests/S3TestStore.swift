import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation

/// Clients of the shared SeaweedFS server: one bucket for all tests, a fresh prefix per test.
enum S3TestStore {
    static let bucket = "datafolio-tests"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var bucketsMade: Set<String> = []

    /// A fast-retrying policy so fault tests stay quick.
    static let quickRetry = RetryPolicy(maxAttempts: 4, baseDelay: 0.02, maxDelay: 0.2, maxTotalTime: 10)

    static func configuration(
        endpoint: String, server: SeaweedServer, secret: String? = nil, retry: RetryPolicy = quickRetry,
        timeouts: Timeouts = Timeouts(connect: 5, request: 30)
    ) throws -> S3Configuration {
        S3Configuration(
            endpoint: try S3Endpoint(parsing: endpoint), region: "us-east-1", addressing: .path,
            credentials: S3Credentials(accessKeyID: server.accessKey, secretAccessKey: secret ?? server.secretKey),
            timeouts: timeouts, retry: retry, endpointSource: "the test")
    }

    /// A client of the test bucket on the shared server (created on first use).
    static func client(bucket: String = bucket, retry: RetryPolicy = quickRetry) throws -> (S3Client, SeaweedServer) {
        let server = try SeaweedServer.shared()
        let client = S3Client(bucket: bucket, configuration: try configuration(endpoint: server.endpoint, server: server, retry: retry))
        try ensureBucket(client)
        return (client, server)
    }

    static func ensureBucket(_ client: S3Client) throws {
        let key = "\(client.configuration.endpoint)/\(client.bucket)"
        lock.lock()
        let made = bucketsMade.contains(key)
        lock.unlock()
        if made { return }
        try client.createBucket()
        lock.lock()
        bucketsMade.insert(key)
        lock.unlock()
    }

    /// A prefix no other test uses.
    static func freshPrefix(_ label: String) -> String {
        "\(label)-\(UUID().uuidString.prefix(8).lowercased())/"
    }

    /// Deterministic bytes.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        var out = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = random.next()
            for _ in 0..<8 where index < count {
                out[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return out
    }

    static func md5(_ bytes: [UInt8]) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize().hexString
    }
}
