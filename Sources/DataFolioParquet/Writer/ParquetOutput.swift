#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// Where ``ParquetWriter`` sends bytes: a file, memory, or anything that appends.
///
/// `FileWriter` from DataFolioSupport conforms, so a folio can hash a Parquet file while
/// it is written.
///
/// ```swift
/// let file = try FileWriter(creating: "t.parquet", computeMD5: true)
/// let writer = try ParquetWriter(output: file)
/// try writer.write(table)
/// try writer.close()
/// let md5 = try file.finish(sync: true)
/// ```
public protocol ParquetOutput: AnyObject {
    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError)
}

extension FileWriter: ParquetOutput {}

/// Collects written bytes in memory.
///
/// ```swift
/// let memory = ParquetMemoryOutput()
/// let writer = try ParquetWriter(output: memory)
/// try writer.write(table)
/// try writer.close()
/// let bytes = memory.bytes
/// ```
public final class ParquetMemoryOutput: ParquetOutput {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty output.
    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        self.bytes.append(contentsOf: bytes)
    }
}

/// Writes to a local file, creating it or replacing its contents.
///
/// For writes that must never leave a half-written file, write to a temporary path
/// and rename, or use `FileWriter` (which refuses to overwrite).
///
/// ```swift
/// let writer = try ParquetWriter(output: try ParquetFileOutput(path: "out.parquet"))
/// ```
public final class ParquetFileOutput: ParquetOutput {
    /// The file's path.
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var closed = false
    private static let bufferSize = 1 << 20

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws(DataFolioError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = LocalFile.errnoDescription()
            throw DataFolioError(errno == ENOENT ? .fileNotFound : .ioFailure, "Cannot create '\(path)': \(reason).", path: path)
        }
        self.path = path
        descriptor = fd
        buffer.reserveCapacity(ParquetFileOutput.bufferSize)
    }

    deinit {
        if !closed { close(descriptor) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        if bytes.count >= ParquetFileOutput.bufferSize {
            try flush()
            try LocalFile.writeAll(fd: descriptor, path: path, bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= ParquetFileOutput.bufferSize { try flush() }
    }

    private func flush() throws(DataFolioError) {
        guard !buffer.isEmpty else { return }
        try buffer.withRawBytes { (raw) throws(DataFolioError) in
            try LocalFile.writeAll(fd: descriptor, path: path, raw)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func finish() throws(DataFolioError) {
        guard !closed else { return }
        try flush()
        closed = true
        if close(descriptor) != 0 {
            throw DataFolioError(.ioFailure, "Cannot close '\(path)': \(LocalFile.errnoDescription()).", path: path)
        }
    }
}
