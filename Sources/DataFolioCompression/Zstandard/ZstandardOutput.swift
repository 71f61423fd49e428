import DataFolioSupport

/// Where decompressed bytes go: either a caller's fixed buffer or a buffer that grows up to
/// a limit. Matches refer back into everything written, so the output stays contiguous.
struct ZstdOutput {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count: Int
    /// The most bytes this output may ever hold.
    let limit: Int
    /// Whether `base` was allocated here and must be released.
    private let ownsMemory: Bool
    /// Whether the buffer may be reallocated to grow.
    private let isGrowable: Bool

    /// Wraps a caller's buffer.
    init(fixed buffer: UnsafeMutableRawBufferPointer) {
        if let address = buffer.baseAddress, buffer.count > 0 {
            base = address.bindMemory(to: UInt8.self, capacity: buffer.count)
            ownsMemory = false
        } else {
            // An empty buffer still needs an address; nothing is ever written through it.
            base = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
            ownsMemory = true
        }
        capacity = buffer.count
        count = 0
        limit = buffer.count
        isGrowable = false
    }

    /// Allocates a growable buffer holding `initialCapacity` bytes at first.
    init(growingFrom initialCapacity: Int, limit: Int) {
        let capacity = max(64, min(initialCapacity, limit))
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        self.capacity = capacity
        count = 0
        self.limit = limit
        ownsMemory = true
        isGrowable = true
    }

    /// Frees memory allocated here.
    func release() {
        if ownsMemory { base.deallocate() }
    }

    /// The bytes written so far.
    var written: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base, count: count)
    }

    /// Makes room for `additional` more bytes when the buffer can grow, up to ``limit``.
    /// Afterwards `capacity - count` may still be smaller if the limit is reached first.
    mutating func reserve(_ additional: Int) {
        let wanted = min(limit, count + additional)
        guard isGrowable, wanted > capacity else { return }
        let newCapacity = min(limit, max(wanted, capacity * 2))
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Throws unless `additional` more bytes fit.
    mutating func require(_ additional: Int) throws(DataFolioError) {
        reserve(additional)
        guard additional <= capacity - count else { throw overflowError() }
    }

    /// The error for data that decompresses to more than the output may hold.
    func overflowError() -> DataFolioError {
        if isGrowable {
            return DataFolioError(
                .limitExceeded,
                "Zstandard: the data decompresses to more than the limit of \(limit) bytes. Raise the limit if the data is trusted.")
        }
        return DataFolioError(
            .limitExceeded,
            "Zstandard: the data decompresses to more than the \(limit) bytes of the output buffer. The expected size is wrong or the data is damaged.")
    }
}
