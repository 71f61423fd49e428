import DataFolioTestSupport
import Foundation
import Testing

/// Headless Chromium (Debian's `chromium` package, which scripts/test.sh installs).
///
/// Browser tests run when a browser is found on the PATH (or named by
/// `DATAFOLIO_TEST_CHROMIUM`); with `DATAFOLIO_REQUIRE_INTEROP=1` they run anyway and
/// fail when it is missing.
enum Chromium {
    static var executable: String? {
        let environment = ProcessInfo.processInfo.environment
        if let named = environment["DATAFOLIO_TEST_CHROMIUM"], !named.isEmpty { return named }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return folder + "/" + name
            }
        }
        return nil
    }

    static var shouldRun: Bool { executable != nil || InteropPython.isRequired }

    struct Output {
        var status: Int32
        var stdout: String
        var seconds: Double
    }

    /// Runs headless Chromium on a local file with the given extra arguments, in a
    /// fresh profile, and returns what it printed. Gives up after `timeout` seconds.
    static func run(_ arguments: [String], page: URL, timeout: Double = 120) throws -> Output {
        guard let executable else {
            throw InteropError("Chromium is not installed; run scripts/test.sh, which installs Debian's chromium package (apt-get install chromium).")
        }
        let profile = TemporaryFolder("chromium-profile")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
        ] + arguments + [page.absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        let deadline = DispatchTime.now() + timeout
        DispatchQueue.global().asyncAfter(deadline: deadline) { [process] in
            if process.isRunning { process.terminate() }
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when headless Chromium is available (or required).
    static var browser: Self {
        .enabled(if: Chromium.shouldRun, "needs headless Chromium (run scripts/test.sh, which installs it)")
    }
}
