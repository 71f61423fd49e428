/// Where an encoder sends the bytes it produces, in order: a file, an upload to an
/// object store, memory.
///
/// Every writer of the format modules (`.npy`, `.parquet`, `.pt`, `.safetensors`, ZIP)
/// streams into a `ByteOutput`, so the same encoder fills a local file, a folio payload
/// that is hashed while it is written, or a multipart upload.
///
/// ```swift
/// final class Collector: ByteOutput {
///     var bytes: [UInt8] = []
///     func write(_ chunk: UnsafeRawBufferPointer) throws(DataFolioError) { bytes.append(contentsOf: chunk) }
/// }
/// let output = Collector()
/// try array.writeNPY(to: output)
/// ```
public protocol ByteOutput: AnyObject {
    /// Appends bytes. The buffer is only valid during the call.
    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError)
}

extension ByteOutput {
    /// Appends the bytes of an array.
    public func write(_ bytes: [UInt8]) throws(DataFolioError) {
        try bytes.withBytesTyped { raw throws(DataFolioError) in try write(raw) }
    }
}

/// Collects everything written in memory.
///
/// ```swift
/// let memory = MemoryOutput()
/// try array.writeNPY(to: memory)
/// print(memory.bytes.count)
/// ```
public final class MemoryOutput: ByteOutput {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty output.
    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        self.bytes.append(contentsOf: bytes)
    }
}
