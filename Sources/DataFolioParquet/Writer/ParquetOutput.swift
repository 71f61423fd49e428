#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// Where ``ParquetWriter`` sends bytes: any ``ByteOutput`` — a file, a folio payload
/// hashed while it is written, memory (``MemoryOutput``).
///
/// ```swift
/// let memory = MemoryOutput()
/// let writer = try ParquetWriter(output: memory)
/// try writer.write(table)
/// try writer.close()
/// let bytes = memory.bytes
/// ```
public typealias ParquetOutput = ByteOutput

/// Writes to a local file, creating it or replacing its contents.
///
/// For writes that must never leave a half-written file, write to a temporary path
/// and rename it into place.
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
