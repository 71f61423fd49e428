#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Output

/// Writes to a descriptor that is already open, such as standard output (1) or a pipe,
/// through a 1 MiB buffer.
///
/// The descriptor is not closed; call ``flush()`` when done.
///
/// ```swift
/// let stdout = FileDescriptorOutput(fileDescriptor: 1, name: "standard output")
/// try stdout.write(Array("id,name\n".utf8))
/// try stdout.flush()
/// ```
package final class FileDescriptorOutput: ByteOutput {
    /// The descriptor written to.
    package let fileDescriptor: Int32
    /// How the descriptor is named in error messages.
    package let name: String
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 20

    /// Writes to `fileDescriptor`, naming it `name` in errors.
    package init(fileDescriptor: Int32, name: String) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        buffer.reserveCapacity(FileDescriptorOutput.bufferSize)
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        if buffer.count + bytes.count > FileDescriptorOutput.bufferSize { try flush() }
        if bytes.count >= FileDescriptorOutput.bufferSize {
            try LocalFile.writeAll(fd: fileDescriptor, path: name, bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes out what the buffer holds.
    package func flush() throws(DataFolioError) {
        guard !buffer.isEmpty else { return }
        let fd = fileDescriptor
        let name = self.name
        try buffer.withBytesTyped { (raw) throws(DataFolioError) in try LocalFile.writeAll(fd: fd, path: name, raw) }
        buffer.removeAll(keepingCapacity: true)
    }
}

// MARK: - Input

/// A source of bytes read front to back: a file, standard input, a pipe, a download.
///
/// Readers that can use the input twice (for example to scan a CSV file for its column
/// types before converting it) check ``canRewind``. The readers also take a path or an
/// open descriptor directly; conform to this protocol for other sources.
///
/// ```swift
/// final class Chunks: ByteInput {
///     var parts: [[UInt8]]
///     init(_ parts: [[UInt8]]) { self.parts = parts }
///     func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int {
///         guard !parts.isEmpty else { return 0 }
///         let part = parts.removeFirst()   // assumes each part fits the buffer
///         buffer.copyBytes(from: part)
///         return part.count
///     }
///     var canRewind: Bool { false }
///     func rewind() throws(DataFolioError) { throw DataFolioError(.invalidArgument, "read once") }
///     var size: Int? { nil }
///     var name: String { "chunks" }
/// }
/// let reader = try CSVReader(input: Chunks([Array("a,b\n1,2\n".utf8)]))
/// ```
public protocol ByteInput: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns how many, 0 only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int
    /// Whether ``rewind()`` can start the input over.
    var canRewind: Bool { get }
    /// Starts reading from the first byte again.
    /// - Throws: `invalidArgument` when the input cannot be rewound.
    func rewind() throws(DataFolioError)
    /// The total size in bytes, when known (a regular file, memory), for progress.
    var size: Int? { get }
    /// How the input is named in error messages (a path, "standard input").
    var name: String { get }
}

/// Reads a file or an open descriptor (standard input, a pipe) with `read(2)`. The
/// public readers take a path or a descriptor and build one of these.
///
/// A regular file can be rewound; a pipe, a FIFO or a terminal cannot.
///
/// ```swift
/// let file = try FileInput(path: "data.csv")
/// let stdin = FileInput(fileDescriptor: 0, name: "standard input")
/// print(file.canRewind, stdin.canRewind)   // true false (when stdin is a pipe)
/// ```
package final class FileInput: ByteInput {
    /// The descriptor read from.
    package let fileDescriptor: Int32
    package let name: String
    package let canRewind: Bool
    package let size: Int?
    private let ownsDescriptor: Bool
    /// The offset of the next read in a rewindable file.
    private var position: Int = 0
    /// Where a rewind goes back to.
    private var startOffset = 0

    /// Opens the file at `path` for reading.
    /// - Throws: `fileNotFound`, or `ioFailure` for a folder or an unreadable file.
    package init(path: String) throws(DataFolioError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LocalFile.failure("Cannot open", path) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let failure = LocalFile.failure("Cannot inspect", path)
            close(fd)
            throw failure
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw DataFolioError(.ioFailure, "Cannot read '\(path)': it is a folder, not a file.", path: path)
        }
        let regular = st.st_mode & S_IFMT == S_IFREG
        fileDescriptor = fd
        name = path
        canRewind = regular
        size = regular ? Int(st.st_size) : nil
        ownsDescriptor = true
    }

    /// Reads from a descriptor that is already open (it is not closed afterwards).
    ///
    /// A descriptor of a regular file reads from its current offset and can be rewound
    /// to that offset; any other kind is read once.
    package init(fileDescriptor: Int32, name: String) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        var st = stat()
        let regular = fstat(fileDescriptor, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
        let offset = regular ? Int(lseek(fileDescriptor, 0, SEEK_CUR)) : -1
        canRewind = regular && offset >= 0
        size = canRewind ? Int(st.st_size) - offset : nil
        startOffset = max(offset, 0)
        position = startOffset
        ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { close(fileDescriptor) }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            // A rewindable file is read with pread, so the descriptor's own offset (shared
            // with whoever opened it) does not matter.
            let n = canRewind
                ? pread(fileDescriptor, base, buffer.count, off_t(position))
                : systemRead(fileDescriptor, base, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw LocalFile.failure("Cannot read", name)
            }
            position += n
            return n
        }
    }

    package func rewind() throws(DataFolioError) {
        guard canRewind else {
            throw DataFolioError(.invalidArgument, "'\(name)' can be read only once; it cannot be rewound.", path: name)
        }
        position = startOffset
    }
}

/// The system's `read(2)`, named apart from the method of the same name.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Bytes held in memory, read as an input.
///
/// ```swift
/// let input = MemoryInput(Array("a,b\n1,2\n".utf8))
/// ```
package final class MemoryInput: ByteInput {
    /// The bytes.
    package let bytes: [UInt8]
    package let name: String
    private var position = 0

    /// Reads `bytes`; `name` is used in error messages.
    package init(_ bytes: [UInt8], name: String = "the input") {
        self.bytes = bytes
        self.name = name
    }

    package var canRewind: Bool { true }
    package var size: Int? { bytes.count }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0, let target = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { raw in
            if let source = raw.baseAddress { target.copyMemory(from: source + position, byteCount: count) }
        }
        position += count
        return count
    }

    package func rewind() throws(DataFolioError) {
        position = 0
    }
}
