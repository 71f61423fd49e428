import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation

/// Remote folios on the SeaweedFS server the harness starts: one bucket, a fresh prefix per
/// test, clients with fast retries, and the environment the `datafolio` command and Python
/// need to reach the same bucket.
enum RemoteFixture {
    static let bucket = "datafolio-remote"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var prepared = false

    /// The shared server, with the bucket created and `s3://` and `http://` locations on
    /// 127.0.0.1 registered for this process.
    static func server() throws -> SeaweedServer {
        registerLoopbackStores()
        let server = try SeaweedServer.shared()
        try lock.withLock {
            guard !prepared else { return }
            try client(endpoint: server.endpoint, server: server).createBucket()
            prepared = true
        }
        return server
    }

    nonisolated(unsafe) private static var registered = false

    /// Registers stores for locations on this machine only. Other locations keep failing
    /// as in a program that registered nothing, so tests elsewhere in this process that
    /// expect an unregistered `s3://` keep seeing `unsupportedFeature`.
    static func registerLoopbackStores() {
        let first = lock.withLock { () -> Bool in
            defer { registered = true }
            return !registered
        }
        guard first else { return }
        let credentials = S3Credentials(accessKeyID: SeaweedServer.testAccessKey, secretAccessKey: SeaweedServer.testSecretKey)
        FolioLocations.register(scheme: "s3") { location throws(DataFolioError) in
            guard location.hasPrefix("s3://http://127.0.0.1:") else {
                throw DataFolioError(.unsupportedFeature, "'\(location)' is not on this machine; the tests open only local stores.")
            }
            return try S3FolioStorage(location, credentials: credentials, environment: ["AWS_MAX_ATTEMPTS": "3"])
        }
        FolioLocations.register(scheme: "http") { location throws(DataFolioError) in
            guard location.hasPrefix("http://127.0.0.1:") else {
                throw DataFolioError(.unsupportedFeature, "'\(location)' is not on this machine; the tests open only local stores.")
            }
            return try HTTPFolioStorage(location)
        }
    }

    static func client(endpoint: String, server: SeaweedServer, secret: String? = nil, bucket: String = bucket) throws -> S3Client {
        let configuration = S3Configuration(
            endpoint: try S3Endpoint(parsing: endpoint), region: "us-east-1", addressing: .path,
            credentials: S3Credentials(accessKeyID: server.accessKey, secretAccessKey: secret ?? server.secretKey),
            timeouts: Timeouts(connect: 5, request: 30),
            retry: RetryPolicy(maxAttempts: 4, baseDelay: 0.02, maxDelay: 0.2, maxTotalTime: 10), endpointSource: "the test")
        return S3Client(bucket: bucket, configuration: configuration)
    }

    /// A prefix no other test uses.
    static func freshPrefix(_ label: String) -> String {
        "\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// cloud-files' form of a location on the server (or on a proxy in front of it).
    static func location(_ prefix: String, endpoint: String) -> String {
        "s3://\(endpoint)/\(bucket)/\(prefix)"
    }

    /// The store of a prefix, through `endpoint` (the server, or a proxy in front of it).
    static func storage(_ prefix: String, endpoint: String? = nil, secret: String? = nil) throws -> S3FolioStorage {
        let server = try server()
        let endpoint = endpoint ?? server.endpoint
        let location = try S3Location(parsing: location(prefix, endpoint: endpoint))
        return S3FolioStorage(location: location, client: try client(endpoint: endpoint, server: server, secret: secret))
    }

    /// A new folio at a fresh prefix, with its own payload cache.
    static func newFolio(_ label: String, cache: TemporaryFolder) throws -> (DataFolio, String) {
        let prefix = freshPrefix(label)
        let folio = try DataFolio(storage: try storage(prefix))
        folio.payloadCache = PayloadCache(folder: cache.path)
        return (folio, prefix)
    }

    /// What a child process (the `datafolio` command, the test writer) needs to reach the
    /// server: the keys, fast retries, and a cache of its own.
    static func environment(_ server: SeaweedServer, cache: TemporaryFolder) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": server.accessKey, "AWS_SECRET_ACCESS_KEY": server.secretKey, "AWS_MAX_ATTEMPTS": "3",
            "DATAFOLIO_CACHE_DIR": cache.path,
        ]
    }

    /// A home folder holding cloud-files' secret for the server, for Python.
    static func pythonHome(_ server: SeaweedServer) throws -> TemporaryFolder {
        let home = TemporaryFolder("remote-home")
        let secrets = home.path(".cloudvolume/secrets")
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        let secret = #"{"AWS_ACCESS_KEY_ID": "\#(server.accessKey)", "AWS_SECRET_ACCESS_KEY": "\#(server.secretKey)"}"#
        try secret.write(toFile: secrets + "/aws-secret.json", atomically: true, encoding: .utf8)
        return home
    }

    /// The environment for Python through cloud-files: the test home, and no AWS
    /// variables (cloud-files must find the secret file).
    static func pythonEnvironment(home: TemporaryFolder) -> [String: String] {
        ["HOME": home.path, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "CLOUD_VOLUME_DIR": home.path(".cloudvolume")]
    }
}

/// Runs the `datafolio` command built with the tests.
enum RemoteCLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ arguments: [String], environment: [String: String] = [:], in folder: String? = nil, executable: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? BuiltProducts.executable("datafolio"))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATAFOLIO_PATH")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var errors = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errors = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self))
    }
}
