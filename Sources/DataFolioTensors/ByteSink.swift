#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// Where a writer sends its bytes: memory or a file, so the same encoder serves both.
protocol ByteSink {
    /// The number of bytes written so far.
    var position: Int { get }
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError)
}

extension ByteSink {
    mutating func write(_ bytes: [UInt8]) throws(DataFolioError) {
        var failure: DataFolioError?
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

}

/// Collects the bytes in memory.
struct MemorySink: ByteSink {
    var bytes: [UInt8] = []
    var position: Int { bytes.count }

    mutating func write(_ raw: UnsafeRawBufferPointer) throws(DataFolioError) {
        bytes.append(contentsOf: raw)
    }
}

/// Streams the bytes to a temporary file next to the destination and renames it over
/// the destination on ``finish(sync:)``, so readers never see a half-written file, a
/// large tensor file is never held in memory, and arrays still memory-mapped from the
/// file being replaced stay valid.
struct AtomicFileSink: ByteSink {
    let path: String
    /// The temporary file; bytes written to it directly are not counted in ``position``.
    let writer: FileWriter
    private var finished = false

    init(path: String) throws(DataFolioError) {
        self.path = path
        let folder = LocalFile.parentFolder(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? "tensors"
        let temporary = "\(folder)/.\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
        writer = try FileWriter(creating: temporary, computeMD5: false)
    }

    /// Counted here because the writer buffers.
    private(set) var position = 0

    mutating func write(_ raw: UnsafeRawBufferPointer) throws(DataFolioError) {
        do {
            try writer.write(raw)
        } catch {
            writer.abandon()
            throw error
        }
        position += raw.count
    }

    /// Optionally flushes the file to disk, then moves it to ``path``.
    func finish(sync: Bool) throws(DataFolioError) {
        do {
            try writer.finish(sync: sync)
        } catch {
            writer.abandon()
            throw error
        }
        guard rename(writer.path, path) == 0 else {
            let reason = LocalFile.errnoDescription()
            unlink(writer.path)
            throw DataFolioError(.ioFailure, "Cannot move the finished file to '\(path)': \(reason).", path: path)
        }
    }

    /// Deletes the partial file after a failure.
    func abandon() {
        writer.abandon()
    }
}

/// Streams the bytes into a caller's output (which may hash them on the way).
struct OutputSink: ByteSink {
    let writer: any ByteOutput
    private(set) var position = 0

    init(writer: any ByteOutput) {
        self.writer = writer
    }

    mutating func write(_ raw: UnsafeRawBufferPointer) throws(DataFolioError) {
        try writer.write(raw)
        position += raw.count
    }
}
