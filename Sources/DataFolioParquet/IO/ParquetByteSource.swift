#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// Random access to the bytes of a Parquet file: "read N bytes at offset".
///
/// The reader asks only for the footer and the column chunks it needs, so a source can
/// be a local file, a memory map, bytes in memory, or a remote object store that serves
/// byte ranges.
///
/// ```swift
/// struct RangeSource: ParquetByteSource {
///     let size: Int
///     func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8] { … }
/// }
/// let reader = try ParquetReader(source: RangeSource(size: 1_234_567))
/// ```
public protocol ParquetByteSource: Sendable {
    /// The total number of bytes.
    var size: Int { get }

    /// Reads exactly `count` bytes starting at `offset` (the reader only asks for ranges
    /// inside `0..<size`).
    func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8]
}

extension ParquetByteSource {
    /// Checks a range against ``size`` before reading it.
    func checkedRead(offset: Int, count: Int, what: @autoclosure () -> String) throws(DataFolioError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw DataFolioError.corrupt(
                "Parquet", "\(what()) lies outside the file (\(count) bytes at offset \(offset) of \(size))")
        }
        return try read(offset: offset, count: count)
    }
}

/// Parquet bytes held in memory.
///
/// ```swift
/// let reader = try ParquetReader(source: ParquetMemorySource(bytes))
/// ```
public struct ParquetMemorySource: ParquetByteSource {
    /// The bytes.
    public let bytes: [UInt8]

    /// Wraps bytes.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var size: Int { bytes.count }

    public func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw DataFolioError.truncated("Parquet", "a read of \(count) bytes at offset \(offset) passes the end of the data")
        }
        return Array(bytes[offset..<(offset + count)])
    }
}

/// A local file read with positioned reads (`pread`); only the requested ranges are read.
///
/// ```swift
/// let reader = try ParquetReader(source: try ParquetFileSource(path: "big.parquet"))
/// ```
public final class ParquetFileSource: ParquetByteSource, @unchecked Sendable {
    // The descriptor is only used with pread, which is safe from several threads.
    /// The file's path.
    public let path: String
    public let size: Int
    private let descriptor: Int32

    /// Opens the file at `path`.
    public init(path: String) throws(DataFolioError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT {
                throw DataFolioError(.fileNotFound, "Cannot open '\(path)': no such file.", path: path)
            }
            throw DataFolioError(.ioFailure, "Cannot open '\(path)': \(LocalFile.errnoDescription()).", path: path)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = LocalFile.errnoDescription()
            close(fd)
            throw DataFolioError(.ioFailure, "Cannot inspect '\(path)': \(reason).", path: path)
        }
        self.path = path
        self.descriptor = fd
        self.size = Int(st.st_size)
    }

    deinit {
        close(descriptor)
    }

    public func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw DataFolioError.truncated("Parquet", "a read of \(count) bytes at offset \(offset) passes the end of '\(path)'")
        }
        var result = [UInt8](repeating: 0, count: count)
        var failure: DataFolioError?
        result.withUnsafeMutableBytes { buffer in
            do throws(DataFolioError) {
                try LocalFile.read(fd: descriptor, path: path, offset: offset, into: buffer)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }
}

/// A memory-mapped file.
///
/// ```swift
/// let reader = try ParquetReader(source: ParquetMappedSource(try MappedFile(path: "t.parquet")))
/// ```
public struct ParquetMappedSource: ParquetByteSource {
    /// The mapping.
    public let file: MappedFile

    /// Reads from `file`.
    public init(_ file: MappedFile) {
        self.file = file
    }

    public var size: Int { file.bytes.count }

    public func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw DataFolioError.truncated("Parquet", "a read of \(count) bytes at offset \(offset) passes the end of the mapped file")
        }
        return [UInt8](UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + count)]))
    }
}
