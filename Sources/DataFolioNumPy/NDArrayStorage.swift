#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// The bytes behind an ``NDArray``: either memory the array owns or a region of a
/// memory-mapped file. Never mutated once shared, which makes it safe to send.
final class NDArrayStorage: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let owned: UnsafeMutableRawPointer?
    private let mapping: MappedFile?
    /// The storage this one is a part of (a view keeps it alive).
    private let parent: NDArrayStorage?

    /// Allocates `count` uninitialized bytes, at least 64-byte aligned, and lets `fill`
    /// initialize them. `fill` must write every byte.
    ///
    /// Used where the size is that of memory which already exists (values, another
    /// array), so failing to allocate is as fatal as for any Swift array.
    convenience init<E: Error>(count: Int, fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        guard let base = NDArrayStorage.allocate(count) else {
            fatalError("Out of memory: cannot allocate \(count) bytes for an array.")
        }
        try self.init(base: base, count: count, fill: fill)
    }

    /// Like ``init(count:fill:)``, but reports a failed allocation as an error: for
    /// sizes that come from a caller or a file (already checked against its size).
    static func allocating(
        count: Int, fill: (UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> NDArrayStorage {
        guard let base = allocate(count) else {
            throw DataFolioError(.limitExceeded, "Cannot allocate \(count) bytes for an array: the system is out of memory.")
        }
        return try NDArrayStorage(base: base, count: count, fill: fill)
    }

    private init<E: Error>(base: UnsafeMutableRawPointer, count: Int, fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        let region = UnsafeMutableRawBufferPointer(start: base, count: count)
        do {
            try fill(region)
        } catch {
            free(base)
            throw error
        }
        owned = base
        bytes = UnsafeRawBufferPointer(region)
        mapping = nil
        parent = nil
    }

    private static func allocate(_ count: Int) -> UnsafeMutableRawPointer? {
        // Large arrays start on a huge-page boundary so that all their pages can be huge.
        let large = count >= HugePages.threshold
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, large ? HugePages.size : 64, max(count, 1)) == 0, let pointer else { return nil }
        HugePages.advise(UnsafeMutableRawBufferPointer(start: pointer, count: count))
        return pointer
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
        parent = nil
        bytes = UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + count)])
    }

    /// Shares the bytes of `range` of another storage, without copying.
    init(sharing source: NDArrayStorage, range: Range<Int>) {
        parent = source
        mapping = nil
        owned = nil
        bytes = UnsafeRawBufferPointer(rebasing: source.bytes[range])
    }

    var isMapped: Bool { mapping != nil || parent?.isMapped == true }

    /// Whether the bytes belong to another storage (a view), so writing needs a copy.
    var isView: Bool { parent != nil }

    deinit {
        free(owned)
    }
}
