import DataFolioSupport
import DataFolioTable

/// Accumulates a validity bitmap slot by slot; stays empty (no allocation) until the
/// first null, since most columns have none.
struct ValidityBuilder {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    private(set) var nullCount = 0
    private var materialized = false

    /// Appends `n` valid slots.
    mutating func appendValid(_ n: Int) {
        guard materialized else {
            count += n
            return
        }
        setRange(from: count, count: n)
        count += n
    }

    /// Appends one slot per level: valid when the level equals `threshold`.
    mutating func append(levels: UnsafePointer<UInt8>, count n: Int, threshold: UInt8) {
        var valid = 0
        // Wrapping adds without a branch, so the count vectorizes.
        for i in 0..<n { valid &+= levels[i] == threshold ? 1 : 0 }
        if valid == n {
            appendValid(n)
            return
        }
        materialize()
        reserveBits(count + n)
        bytes.withUnsafeMutableBufferPointer { out in
            var bit = count
            for i in 0..<n {
                if levels[i] == threshold { out[bit >> 3] |= UInt8(1) << UInt8(bit & 7) }
                bit += 1
            }
        }
        count += n
        nullCount += n - valid
    }

    /// Appends one slot per level: valid when the level is at least `minimum`.
    mutating func append(levels: UnsafePointer<UInt8>, count n: Int, minimum: UInt8) {
        var valid = 0
        for i in 0..<n { valid &+= levels[i] >= minimum ? 1 : 0 }
        if valid == n {
            appendValid(n)
            return
        }
        materialize()
        reserveBits(count + n)
        bytes.withUnsafeMutableBufferPointer { out in
            var bit = count
            for i in 0..<n {
                if levels[i] >= minimum { out[bit >> 3] |= UInt8(1) << UInt8(bit & 7) }
                bit += 1
            }
        }
        count += n
        nullCount += n - valid
    }

    /// Appends `n` null slots.
    mutating func appendNull(_ n: Int) {
        guard n > 0 else { return }
        materialize()
        reserveBits(count + n)
        count += n
        nullCount += n
    }

    /// Appends one slot.
    mutating func append(_ valid: Bool) {
        if valid { appendValid(1) } else { appendNull(1) }
    }

    private mutating func materialize() {
        guard !materialized else { return }
        materialized = true
        let existing = count
        count = 0
        reserveBits(existing)
        setRange(from: 0, count: existing)
        count = existing
    }

    private mutating func reserveBits(_ bits: Int) {
        let needed = (bits + 7) / 8
        if bytes.count < needed {
            if bytes.capacity < needed { bytes.reserveCapacity(max(needed, bytes.capacity * 2)) }
            bytes.append(contentsOf: repeatElement(0, count: needed - bytes.count))
        }
    }

    private mutating func setRange(from start: Int, count n: Int) {
        guard n > 0 else { return }
        reserveBits(start + n)
        bytes.withUnsafeMutableBufferPointer { out in
            var bit = start
            let end = start + n
            while bit < end && bit & 7 != 0 {
                out[bit >> 3] |= UInt8(1) << UInt8(bit & 7)
                bit += 1
            }
            while bit + 8 <= end {
                out[bit >> 3] = 0xFF
                bit += 8
            }
            while bit < end {
                out[bit >> 3] |= UInt8(1) << UInt8(bit & 7)
                bit += 1
            }
        }
    }

    /// The bitmap, or `nil` when no slot is null.
    func bitmap() throws(DataFolioError) -> Bitmap? {
        guard nullCount > 0 else { return nil }
        return try Bitmap(bytes: bytes, count: count)
    }
}
