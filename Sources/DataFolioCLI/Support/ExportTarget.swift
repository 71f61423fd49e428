import DataFolio
import Foundation

/// Where `export --to` writes, and how, without ever replacing what the user did not
/// mean to replace:
/// - `-` is standard output;
/// - a new path gets a new file, written to a temporary file and renamed into place;
/// - an existing regular file is replaced the same way, only with `--force`;
/// - with `--force`, a symbolic link is written through to the regular file it points
///   at (never replaced by a file); a link to anything else is refused;
/// - a FIFO or a character device (`/dev/stdout`, `/dev/null`) is written to, never
///   replaced.
struct ExportTarget {
    enum Destination {
        case standardOutput
        case newFile(String)
        case replacedFile(String)
        case existing(String)
    }

    let path: String
    let destination: Destination

    init(_ path: String, force: Bool) throws {
        self.path = path
        if path == "-" {
            destination = .standardOutput
            return
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw CommandFailure("Cannot inspect \(path): \(String(cString: strerror(errno))).") }
            destination = .newFile(path)
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFIFO, S_IFCHR:
            destination = .existing(path)
        case S_IFREG:
            guard force else { throw CommandFailure("\(path) already exists; pass --force to replace it.") }
            destination = .replacedFile(path)
        case S_IFLNK:
            guard force else { throw CommandFailure("\(path) already exists (a symbolic link); pass --force to write to the file it points at.") }
            var target = stat()
            guard stat(path, &target) == 0 else {
                throw CommandFailure("\(path) is a symbolic link to nothing; remove it or export elsewhere.")
            }
            switch target.st_mode & S_IFMT {
            case S_IFREG, S_IFIFO, S_IFCHR: destination = .existing(path)
            default: throw CommandFailure("\(path) is a symbolic link to a folder or special file; export to a file instead.")
            }
        case S_IFDIR:
            throw CommandFailure("\(path) is a folder; export to a file path (a folder item exports to a new folder).")
        default:
            throw CommandFailure("\(path) is a socket or another special file; export to a file path.")
        }
    }

    /// Whether the bytes go to standard output (the success message then goes to
    /// standard error, so piped output stays clean).
    var isStandardOutput: Bool {
        if case .standardOutput = destination { return true }
        return false
    }

    /// Lets `body` write the content; a new or replaced file appears only when `body`
    /// succeeds.
    func write(_ body: (any ByteOutput) throws -> Void) throws {
        switch destination {
        case .standardOutput:
            let output = DescriptorOutput(descriptor: STDOUT_FILENO, path: "standard output", owned: false)
            try body(output)
            try output.flush()
        case .existing(let path):
            // Opening follows the link the user asked to write through; no O_CREAT, so
            // nothing new appears.
            let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else { throw CommandFailure("Cannot open \(path) for writing: \(String(cString: strerror(errno))).") }
            let output = DescriptorOutput(descriptor: fd, path: path, owned: true)
            try body(output)
            try output.flush()
        case .newFile(let path), .replacedFile(let path):
            let folder = (path as NSString).deletingLastPathComponent
            var template = Array(((folder.isEmpty ? "." : folder) + "/.datafolio-export-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
            guard fd >= 0 else { throw CommandFailure("Cannot create a file next to \(path): \(String(cString: strerror(errno))).") }
            let temporary = template.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { String(cString: $0) } ?? "" }
            fchmod(fd, 0o644)
            let output = DescriptorOutput(descriptor: fd, path: path, owned: true)
            do {
                try body(output)
                try output.flush()
                guard rename(temporary, path) == 0 else {
                    throw CommandFailure("Cannot write \(path): \(String(cString: strerror(errno))).")
                }
            } catch {
                unlink(temporary)
                throw error
            }
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try write { output in try output.write(bytes) }
    }
}

/// Buffered writes to a file descriptor.
final class DescriptorOutput: ByteOutput {
    private let descriptor: Int32
    private let path: String
    private let owned: Bool
    private var buffer: [UInt8] = []

    init(descriptor: Int32, path: String, owned: Bool) {
        self.descriptor = descriptor
        self.path = path
        self.owned = owned
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if owned { close(descriptor) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws(DataFolioError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                raw.baseAddress.map { Foundation.write(descriptor, $0 + offset, raw.count - offset) } ?? 0
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw DataFolioError(.ioFailure, "Cannot write \(path): \(String(cString: strerror(errno))).", path: path)
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
