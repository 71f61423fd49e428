#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioJSON
import DataFolioSupport
import Foundation

/// What a snapshot records about where it was taken.
public struct SnapshotCapture: OptionSet, Sendable {
    public let rawValue: Int
    /// Creates a capture set from its raw bits.
    ///
    /// ```swift
    /// let capture = SnapshotCapture(rawValue: SnapshotCapture.git.rawValue)
    /// ```
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The git commit, branch, dirty flag and remote (credentials removed) of the
    /// repository holding the current folder.
    public static let git = SnapshotCapture(rawValue: 1 << 0)
    /// The Swift version, operating system, architecture and a hash of
    /// `Package.resolved` (if the current folder has one).
    public static let environment = SnapshotCapture(rawValue: 1 << 1)
    /// The current folder and the command line.
    public static let execution = SnapshotCapture(rawValue: 1 << 2)
}

/// Gathers the optional context blocks of a snapshot record, in the shape the Python
/// datafolio writes (`git`, `environment`, `execution`).
enum SnapshotContext {
    /// The `git` block, or `nil` outside a repository or when git is unavailable.
    static func git(in folder: String = FileManager.default.currentDirectoryPath) -> JSONObject? {
        guard let commit = run(["rev-parse", "HEAD"], in: folder), commit.count >= 7,
              let branch = run(["rev-parse", "--abbrev-ref", "HEAD"], in: folder),
              let status = run(["status", "--porcelain"], in: folder, trimming: false)
        else { return nil }
        var block: JSONObject = [
            "commit": .string(commit),
            "commit_short": .string(String(commit.prefix(7))),
            "branch": .string(branch),
            "dirty": .bool(!status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty),
        ]
        if let remote = run(["config", "--get", "remote.origin.url"], in: folder), !remote.isEmpty,
           let clean = removingCredentials(remote)
        {
            block["remote"] = .string(clean)
        }
        return block
    }

    /// `https://user:token@host/repo.git` → `https://host/repo.git`; other forms kept.
    static func removingCredentials(_ url: String) -> String? {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return url }
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(authority[authority.index(after: at)...]) + String(rest[authorityEnd...])
    }

    /// The `environment` block.
    static func environment(in folder: String = FileManager.default.currentDirectoryPath) -> JSONObject {
        var system = utsname()
        uname(&system)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let os = field(system.sysname)
        let release = field(system.release)
        let machine = field(system.machine)
        var block: JSONObject = [
            "swift_version": .string(swiftVersion),
            "platform": .string("\(os)-\(release)-\(machine)"),
            "os": .string(os),
            "architecture": .string(machine),
            "datafolio_version": .string(DataFolio.version),
        ]
        if let bytes = try? LocalFile.read(folder + "/Package.resolved") {
            block["package_resolved_hash"] = .string(MD5.hex(of: bytes))
        }
        return block
    }

    /// The `execution` block.
    static func execution() -> JSONObject {
        [
            "working_dir": .string(FileManager.default.currentDirectoryPath),
            "entry_point": .string(CommandLine.arguments.joined(separator: " ")),
        ]
    }

    /// The language version the library was compiled with.
    static var swiftVersion: String {
        #if swift(>=6.3)
        return "6.3"
        #elseif swift(>=6.2)
        return "6.2"
        #elseif swift(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// Runs `git` with a 5-second limit; `nil` on any failure.
    private static func run(_ arguments: [String], in folder: String, trimming: Bool = true) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // A hung git (a network filesystem, a lock) must not hang the snapshot.
        let watched = UnsafeSendableBox(process)
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) {
            if watched.value.isRunning { watched.value.terminate() }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return trimming ? text.trimmingCharacters(in: .whitespacesAndNewlines) : text
    }
}
