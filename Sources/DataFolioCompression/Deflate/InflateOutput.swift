#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// Where decompressed bytes go: either a buffer the caller sized in advance, or memory
/// that grows on demand up to a limit.
///
/// Decompression bombs stop at the limit with ``DataFolioError/Code/limitExceeded``.
struct InflateOutput: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count: Int
    let limit: Int
    let growable: Bool
    let format: String

    /// Writes into the caller's buffer; producing more than fits is an error.
    init(fixed buffer: UnsafeMutableRawBufferPointer, format: String) {
        let pointer = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        // A zero-sized buffer may have no address; a dangling one-byte allocation is never written.
        base = pointer ?? UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        capacity = buffer.count
        count = 0
        limit = buffer.count
        growable = false
        self.format = format
        ownsEmptyPlaceholder = pointer == nil
    }

    /// Allocates memory that grows as needed, starting at `initialCapacity`.
    init(initialCapacity: Int, limit: Int, format: String) {
        let limit = max(0, limit)
        let (memory, allocated) = Self.allocate(max(64, min(initialCapacity, limit)))
        base = memory
        // Never offer more room than the limit, or small limits would not be enforced.
        capacity = min(allocated, limit)
        count = 0
        self.limit = limit
        growable = true
        self.format = format
        ownsEmptyPlaceholder = false
    }

    private let ownsEmptyPlaceholder: Bool

    deinit {
        if growable {
            free(base)
        } else if ownsEmptyPlaceholder {
            base.deallocate()
        }
    }

    // Growable memory comes from malloc so that growing can use realloc, which moves
    // large blocks by remapping pages rather than copying them. A large first guess
    // that cannot be had falls back to a small start that grows.
    private static func allocate(_ capacity: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        if let raw = malloc(capacity) { return (raw.assumingMemoryBound(to: UInt8.self), capacity) }
        if let raw = malloc(64) { return (raw.assumingMemoryBound(to: UInt8.self), 64) }
        fatalError("out of memory")
    }

    /// Makes room for `extra` more bytes, growing or throwing.
    @inline(never)
    mutating func reserve(_ extra: Int) throws(DataFolioError) {
        let needed = count + extra
        if needed <= capacity { return }
        guard needed <= limit else {
            if growable {
                throw DataFolioError(
                    .limitExceeded,
                    "\(format): the data decompresses to more than the allowed \(limit) bytes. Raise maximumOutputSize if the data is trusted.")
            }
            throw DataFolioError.corrupt(format, "the data decompresses to more than the \(limit) bytes expected")
        }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity = newCapacity > limit / 2 ? limit : newCapacity * 2 }
        guard let grown = realloc(base, newCapacity) else {
            throw DataFolioError(.limitExceeded, "\(format): out of memory growing the output to \(newCapacity) bytes.")
        }
        base = grown.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    /// The bytes produced so far as an array.
    func makeArray() -> [UInt8] {
        [UInt8](uninitializedCapacity: count) { buffer, initialized in
            if count > 0, let target = buffer.baseAddress { target.update(from: base, count: count) }
            initialized = count
        }
    }
}
