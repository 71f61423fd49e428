#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large, not yet touched buffers with huge pages.
///
/// Reading a big table writes hundreds of megabytes into fresh memory; with 4 KB pages
/// a third of the time goes to page faults. Linux maps 2 MB pages on request
/// (`madvise(MADV_HUGEPAGE)`), which removes almost all of them. Elsewhere this does
/// nothing.
enum HugePages {
    /// Buffers smaller than this are left alone.
    static let threshold = 8 << 20

    static func advise(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= threshold else { return }
        let huge = 2 << 20
        let start = (Int(bitPattern: pointer) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: pointer) + byteCount) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
