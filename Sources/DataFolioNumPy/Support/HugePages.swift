#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Asks Linux to back large fresh buffers with 2 MiB pages. Filling a buffer of
/// hundreds of megabytes then takes a few hundred page faults instead of tens of
/// thousands, which is most of the cost of loading an array (numpy does the same).
enum HugePages {
    static let size = 2 << 20
    static let threshold = 4 << 20

    /// Advises the whole 2 MiB pages inside `buffer`; call it before the first write.
    static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard buffer.count >= threshold, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(size - 1)
        if end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        }
        #endif
    }
}
