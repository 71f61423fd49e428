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

    /// Reads exactly `count` bytes starting at `offset` into the first `count` bytes of
    /// `buffer`, growing it when it is smaller (so one buffer can serve many reads).
    /// The default implementation calls ``read(offset:count:)``.
    func read(offset: Int, count: Int, into buffer: inout [UInt8]) throws(DataFolioError)
}

extension ParquetByteSource {
    public func read(offset: Int, count: Int, into buffer: inout [UInt8]) throws(DataFolioError) {
        let bytes = try read(offset: offset, count: count)
        guard bytes.count == count else {
            throw DataFolioError.truncated("Parquet", "a read of \(count) bytes at offset \(offset) returned \(bytes.count)")
        }
        if buffer.count < count {
            buffer = bytes
            return
        }
        buffer.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                if let base = source.baseAddress, let out = target.baseAddress, count > 0 {
                    out.update(from: base, count: count)
                }
            }
        }
    }
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
        var result: [UInt8] = []
        try read(offset: offset, count: count, into: &result)
        if result.count > count { result.removeSubrange(count...) }
        return result
    }

    public func read(offset: Int, count: Int, into buffer: inout [UInt8]) throws(DataFolioError) {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw DataFolioError.truncated("Parquet", "a read of \(count) bytes at offset \(offset) passes the end of '\(path)'")
        }
        if buffer.count < count {
            buffer = [UInt8](uninitializedCapacity: count) { _, initialized in initialized = count }
        }
        try buffer.withMutableRawBytes { (raw) throws(DataFolioError) in
            try LocalFile.read(
                fd: descriptor, path: path, offset: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<count]))
        }
    }
}

/// A memory-mapped file (used inside the package, where the mapping is shared with
/// other readers).
package struct ParquetMappedSource: ParquetByteSource {
    /// The mapping.
    package let file: MappedFile

    /// Reads from `file`.
    package init(_ file: MappedFile) {
        self.file = file
    }

    package var size: Int { file.bytes.count }

    package func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw DataFolioError.truncated("Parquet", "a read of \(count) bytes at offset \(offset) passes the end of the mapped file")
        }
        return [UInt8](UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + count)]))
    }
}
