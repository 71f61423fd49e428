/// Unpacking and packing of little-endian bit-packed integers (LSB first), the layout of
/// the RLE/bit-packed hybrid, PLAIN booleans and DELTA_BINARY_PACKED miniblocks.
///
/// Callers check that `bitOffset + count * width` bits lie within `available` bytes;
/// these functions then read no byte outside that range.
enum BitPacking {
    /// Unpacks `count` values of `width` bits (0…32) into 32-bit integers.
    @inline(__always)
    static func unpack32(
        _ source: UnsafePointer<UInt8>, available: Int, bitOffset: Int, width: Int, count: Int,
        into destination: UnsafeMutablePointer<UInt32>
    ) {
        if width == 0 {
            destination.initialize(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = (UInt64(1) << UInt64(width)) - 1
        var bit = bitOffset
        var i = 0
        // Fast path: one unaligned 8-byte load covers any value of up to 32 bits plus
        // the 7 bits of the starting shift.
        let raw = UnsafeRawPointer(source)
        while i < count {
            let byte = bit >> 3
            if byte + 8 > available { break }
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
            destination[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += width
            i += 1
        }
        while i < count {
            destination[i] = UInt32(truncatingIfNeeded: slowRead(source, available: available, bit: bit, width: width))
            bit += width
            i += 1
        }
    }

    /// Unpacks `count` values of `width` bits (0…64) into 64-bit integers.
    @inline(__always)
    static func unpack64(
        _ source: UnsafePointer<UInt8>, available: Int, bitOffset: Int, width: Int, count: Int,
        into destination: UnsafeMutablePointer<UInt64>
    ) {
        if width == 0 {
            destination.initialize(repeating: 0, count: count)
            return
        }
        if width <= 56 {
            let mask: UInt64 = (UInt64(1) << UInt64(width)) - 1
            var bit = bitOffset
            var i = 0
            let raw = UnsafeRawPointer(source)
            while i < count {
                let byte = bit >> 3
                if byte + 8 > available { break }
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
                destination[i] = (word >> UInt64(bit & 7)) & mask
                bit += width
                i += 1
            }
            while i < count {
                destination[i] = slowRead(source, available: available, bit: bit, width: width)
                bit += width
                i += 1
            }
            return
        }
        var bit = bitOffset
        for i in 0..<count {
            destination[i] = slowRead(source, available: available, bit: bit, width: width)
            bit += width
        }
    }

    /// Reads one value bit by byte; bytes past `available` read as zero.
    @inline(__always)
    static func slowRead(_ source: UnsafePointer<UInt8>, available: Int, bit: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        var produced = 0
        var position = bit
        while produced < width {
            let byte = position >> 3
            let shift = position & 7
            let take = min(8 - shift, width - produced)
            let current: UInt64 = byte < available ? UInt64(source[byte]) : 0
            value |= ((current >> UInt64(shift)) & ((UInt64(1) << UInt64(take)) - 1)) << UInt64(produced)
            produced += take
            position += take
        }
        return value
    }

    /// Appends `values` packed at `width` bits each (LSB first), padded to whole bytes.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, width: Int, into out: inout [UInt8]) {
        guard width > 0 else { return }
        let byteCount = (values.count * width + 7) / 8
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: byteCount))
        out.withUnsafeMutableBufferPointer { buffer in
            guard let origin = buffer.baseAddress else { return }
            let base = origin + start
            var accumulator: UInt64 = 0
            var bits = 0
            var position = 0
            for value in values {
                accumulator |= UInt64(value) << UInt64(bits)
                bits += width
                while bits >= 8 {
                    base[position] = UInt8(truncatingIfNeeded: accumulator)
                    position += 1
                    accumulator >>= 8
                    bits -= 8
                }
            }
            if bits > 0 {
                base[position] = UInt8(truncatingIfNeeded: accumulator)
            }
        }
    }

    /// The number of bits needed for values up to `maximum`.
    @inline(__always)
    static func bitWidth(of maximum: UInt64) -> Int {
        maximum == 0 ? 0 : 64 - maximum.leadingZeroBitCount
    }
}
