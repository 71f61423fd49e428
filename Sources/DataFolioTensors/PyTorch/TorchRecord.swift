import DataFolioNumPy
import DataFolioSupport

/// The bytes of one record of a PyTorch archive: a region of a memory-mapped file (the
/// usual case, as PyTorch stores records uncompressed) or bytes held in memory.
struct TorchRecord: Sendable {
    enum Storage: Sendable {
        case mapped(MappedFile, offset: Int)
        case memory([UInt8])
    }

    let storage: Storage
    let count: Int

    init(mapping file: MappedFile, offset: Int, count: Int) {
        storage = .mapped(file, offset: offset)
        self.count = count
    }

    init(bytes: [UInt8]) {
        storage = .memory(bytes)
        count = bytes.count
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        switch storage {
        case .mapped(let file, let offset):
            return try body(UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + count)]))
        case .memory(let bytes):
            var result: Result<R, DataFolioError>?
            bytes.withUnsafeBytes { raw in
                do throws(DataFolioError) { result = .success(try body(raw)) } catch { result = .failure(error) }
            }
            guard let result else { throw DataFolioError(.corruptData, "PyTorch: a record could not be read.") }
            return try result.get()
        }
    }

    /// An array over `byteCount` bytes at `byteOffset`, sharing a mapped file's pages.
    func array(shape: [Int], dtype: DType, byteOffset: Int) throws(DataFolioError) -> NDArray {
        switch storage {
        case .mapped(let file, let offset):
            return try NDArray(shape: shape, dtype: dtype, mapping: file, offset: offset + byteOffset)
        case .memory:
            return try withBytes { raw throws(DataFolioError) in
                let byteCount = shape.reduce(1, *) * dtype.itemSize
                return try NDArray(shape: shape, dtype: dtype, bytes: UnsafeRawBufferPointer(rebasing: raw[byteOffset..<(byteOffset + byteCount)]))
            }
        }
    }
}
