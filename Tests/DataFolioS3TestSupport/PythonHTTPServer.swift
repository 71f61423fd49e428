#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioTestSupport
import Foundation

/// Python's `http.server` serving a folder on 127.0.0.1: a plain web server that ignores
/// `Range` and answers 404 for missing files.
public final class PythonHTTPServer: @unchecked Sendable {
    /// The port.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }
    private let process: Process

    /// Serves `folder`; waits until the server answers.
    public init(serving folder: String) throws {
        guard let python = InteropPython.executable else {
            throw InteropError("DATAFOLIO_TEST_PYTHON is not set; run the tests through scripts/test.sh.")
        }
        port = try LoopbackSockets.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", folder]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if LoopbackSockets.httpStatus(port: port) != nil { return }
            if !process.isRunning { break }
            usleep(50_000)
        }
        stop()
        throw InteropError("python -m http.server did not start on port \(port).")
    }

    deinit { stop() }

    /// Stops the server. SIGKILL, because a child started from a thread of the test
    /// process may inherit a signal mask that blocks SIGTERM.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
