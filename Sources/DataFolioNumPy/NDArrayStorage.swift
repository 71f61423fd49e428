import DataFolioSupport

/// The bytes behind an ``NDArray``: either memory the array owns or a region of a
/// memory-mapped file. Never mutated once shared, which makes it safe to send.
final class NDArrayStorage: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let owned: UnsafeMutableRawBufferPointer?
    private let mapping: MappedFile?

    /// Allocates `count` uninitialized bytes, 64-byte aligned, and lets `fill`
    /// initialize them. `fill` must write every byte.
    init<E: Error>(count: Int, fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 64)
        let region = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
        do {
            try fill(region)
        } catch {
            buffer.deallocate()
            throw error
        }
        owned = buffer
        bytes = UnsafeRawBufferPointer(region)
        mapping = nil
    }

    /// Allocates `count` zeroed bytes.
    convenience init(zeroedCount count: Int) {
        self.init(count: count) { buffer in buffer.initializeMemory(as: UInt8.self, repeating: 0) }
    }

    /// Copies `source`.
    convenience init(copying source: UnsafeRawBufferPointer) {
        self.init(count: source.count) { buffer in
            if let base = source.baseAddress, let target = buffer.baseAddress, source.count > 0 {
                target.copyMemory(from: base, byteCount: source.count)
            }
        }
    }

    /// Shares `count` bytes of a mapped file starting at `offset`.
    init(mapping file: MappedFile, offset: Int, count: Int) {
        mapping = file
        owned = nil
        bytes = UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + count)])
    }

    var isMapped: Bool { mapping != nil }

    deinit {
        owned?.deallocate()
    }
}
