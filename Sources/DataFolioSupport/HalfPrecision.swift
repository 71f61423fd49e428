/// Conversions between `Float` and the 16-bit floating-point formats stored in data
/// files: IEEE 754 binary16 (`float16`, numpy `<f2`) and bfloat16.
///
/// Swift's `Float16` type is not available on every platform (it is missing on
/// Intel Macs), so the formats are handled as bit patterns.
///
/// ```swift
/// let bits = HalfPrecision.float16Bits(from: 1.5)     // 0x3E00
/// let back = HalfPrecision.float(fromFloat16: bits)  // 1.5
/// ```
package enum HalfPrecision {
    /// Widens IEEE binary16 bits to a `Float` exactly.
    @inlinable
    package static func float(fromFloat16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            // Subnormal half: value = mantissa × 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// Narrows a `Float` to IEEE binary16 bits, rounding to nearest even.
    @inlinable
    package static func float16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x007F_FFFF
        if exponent == 0xFF {
            // Keep NaNs quiet and non-zero.
            return sign | 0x7C00 | (mantissa != 0 ? UInt16(0x0200 | (mantissa >> 13)) : 0)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            if halfExponent < -10 { return sign }
            mantissa |= 0x0080_0000
            let shift = UInt32(14 - halfExponent)
            var half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && (half & 1) != 0) { half += 1 }
            return sign | UInt16(half)
        }
        var half = UInt32(halfExponent) << 10 | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && (half & 1) != 0) { half += 1 }
        return sign | UInt16(half)
    }

    /// Widens bfloat16 bits to a `Float` exactly.
    @inlinable
    package static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Narrows a `Float` to bfloat16 bits, rounding to nearest even.
    @inlinable
    package static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }
}
