import Foundation
import Testing

/// Runs the real Python tools (numpy, pandas, pyarrow, polars, duckdb, torch,
/// safetensors, datafolio) from tests.
///
/// The interpreter comes from `DATAFOLIO_TEST_PYTHON`, which the test script sets to
/// the virtual environment it prepares. Without it, interop tests are skipped — unless
/// `DATAFOLIO_REQUIRE_INTEROP=1`, in which case they run and fail, so a CI run can
/// never pass without them.
public enum InteropPython {
    /// The interpreter path, if configured.
    public static var executable: String? {
        guard let path = ProcessInfo.processInfo.environment["DATAFOLIO_TEST_PYTHON"], !path.isEmpty else { return nil }
        return path
    }

    /// Extra `PYTHONPATH` entries that make `import datafolio` load the old 1.x
    /// package (the three-file layout) instead of 2.3.0: `DATAFOLIO_TEST_OLD_DATAFOLIO`.
    public static var oldDatafolioEnvironment: [String: String] {
        get throws {
            guard let path = ProcessInfo.processInfo.environment["DATAFOLIO_TEST_OLD_DATAFOLIO"], !path.isEmpty else {
                throw InteropError("DATAFOLIO_TEST_OLD_DATAFOLIO is not set; run the tests through scripts/test.sh, which installs datafolio 1.3.0 there.")
            }
            return ["PYTHONPATH": path]
        }
    }

    /// Whether interop tests must run (and fail when Python is missing).
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["DATAFOLIO_REQUIRE_INTEROP"] == "1"
    }

    /// Whether interop tests should run.
    public static var shouldRun: Bool { executable != nil || isRequired }

    /// What a finished Python process printed.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `script` with `arguments` (available as `sys.argv[1:]`) and returns its output.
    /// Throws when Python is not configured or exits with a non-zero status.
    @discardableResult
    public static func run(
        _ script: String, arguments: [String] = [], environment: [String: String] = [:],
        workingDirectory: URL? = nil, allowFailure: Bool = false
    ) throws -> Output {
        guard let python = executable else {
            throw InteropError("DATAFOLIO_TEST_PYTHON is not set; run the tests through scripts/test.sh, which prepares the Python environment.")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes concurrently so a chatty process cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let output = Output(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
        if output.status != 0 && !allowFailure {
            throw InteropError("Python exited with status \(output.status):\n\(output.stderr)\n\(output.stdout)")
        }
        return output
    }
}

/// A failure in the test harness itself.
public struct InteropError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the Python tools are available (or required).
    public static var interop: Self {
        .enabled(if: InteropPython.shouldRun, "needs the Python tools (run scripts/test.sh)")
    }
}

/// A fresh folder under the system's temporary folder, removed when the value is
/// no longer used.
public final class TemporaryFolder: @unchecked Sendable {
    /// The folder.
    public let url: URL
    /// The folder's path.
    public var path: String { url.path }

    public init(_ label: String = "test") {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("datafolio-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A folder for a value shared by a whole test run. A static property is never
    /// deinitialized, so the folder is removed when the process exits instead.
    public static func forTheWholeRun(_ label: String) -> TemporaryFolder {
        let folder = TemporaryFolder(label)
        FoldersRemovedAtExit.shared.add(folder.url)
        return folder
    }

    /// A path inside the folder.
    public func path(_ component: String) -> String {
        url.appendingPathComponent(component).path
    }

    deinit {
        if ProcessInfo.processInfo.environment["DATAFOLIO_KEEP_TEST_FILES"] != "1" {
            try? FileManager.default.removeItem(at: url)
        }
    }
}

/// The folders of ``TemporaryFolder/forTheWholeRun(_:)``, removed by an exit handler.
private final class FoldersRemovedAtExit: @unchecked Sendable {
    static let shared = FoldersRemovedAtExit()
    private let lock = NSLock()
    private var urls: [URL] = []
    private var installed = false

    func add(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        urls.append(url)
        if !installed {
            installed = true
            atexit { FoldersRemovedAtExit.shared.removeAll() }
        }
    }

    private func removeAll() {
        lock.lock()
        let urls = self.urls
        self.urls = []
        lock.unlock()
        guard ProcessInfo.processInfo.environment["DATAFOLIO_KEEP_TEST_FILES"] != "1" else { return }
        for url in urls { try? FileManager.default.removeItem(at: url) }
    }
}

/// The folder of committed fixture files next to a test file.
public func fixturesFolder(_ filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures", isDirectory: true)
}

/// Built executables of this package (the test writer), found next to the test binary.
public enum BuiltProducts {
    /// The path of an executable product built with the tests.
    public static func executable(_ name: String) throws -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw InteropError("\(name) was not built; run 'swift build --build-tests' first (scripts/test.sh does).")
    }
}

/// SplitMix64: a small, fast, seeded random generator, so generated test data and fuzz
/// inputs are the same on every run.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
