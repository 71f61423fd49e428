/// Encodes values with the RLE/bit-packed hybrid: runs of 8 or more equal values become
/// RLE runs, everything else is bit-packed in groups of 8.
enum RLEHybridEncoder {
    /// Appends the encoding of `values` at `bitWidth` bits (no length prefix).
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        var i = 0
        var literalStart = -1
        while i < n {
            let value = values[i]
            var run = 1
            while i + run < n && values[i + run] == value { run += 1 }
            if run >= 8 {
                if literalStart >= 0 {
                    // A literal run holds a multiple of 8 values: borrow from this run.
                    let pad = (8 - (i - literalStart) % 8) % 8
                    i += pad
                    run -= pad
                    appendLiteral(UnsafeBufferPointer(rebasing: values[literalStart..<i]), bitWidth: bitWidth, into: &out)
                    literalStart = -1
                    if run < 8 {
                        literalStart = i
                        i += run
                        continue
                    }
                }
                appendRepeat(value, count: run, bitWidth: bitWidth, into: &out)
                i += run
            } else {
                if literalStart < 0 { literalStart = i }
                i += run
            }
        }
        if literalStart >= 0 {
            appendLiteral(UnsafeBufferPointer(rebasing: values[literalStart..<n]), bitWidth: bitWidth, into: &out)
        }
    }

    /// Appends one RLE run.
    static func appendRepeat(_ value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        appendVarint(UInt64(count) << 1, into: &out)
        let valueBytes = (bitWidth + 7) / 8
        for i in 0..<valueBytes {
            out.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * i)))
        }
    }

    /// Appends a bit-packed run, padding the last group of 8 with zeros.
    static func appendLiteral(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let groups = (values.count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, into: &out)
        let start = out.count
        BitPacking.pack(values, width: bitWidth, into: &out)
        let wanted = start + groups * bitWidth
        if out.count < wanted { out.append(contentsOf: repeatElement(0, count: wanted - out.count)) }
    }

    static func appendVarint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
