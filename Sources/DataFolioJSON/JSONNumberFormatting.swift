/// Number formatting shared by the JSON writer and by text output elsewhere.
public enum JSONNumberFormatting {
    /// The digits of a finite double in the orjson style: shortest round-trip digits,
    /// fixed notation for 1e-5 ≤ |x| < 1e16 with `.0` on integral values, otherwise
    /// `1.5e-7` / `1e+16`. NaN and infinities give `null`.
    ///
    /// ```swift
    /// JSONNumberFormatting.string(for: 1705332600)   // "1705332600.0"
    /// JSONNumberFormatting.string(for: 0.00001)      // "0.00001"
    /// JSONNumberFormatting.string(for: 1.5e-7)       // "1.5e-7"
    /// ```
    public static func string(for value: Double) -> String {
        var out = [UInt8]()
        appendDouble(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the orjson-style text of `value` to `out`.
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: Array("null".utf8))
            return
        }
        if value == 0 {
            if value.sign == .minus { out.append(0x2D) }
            out.append(contentsOf: [0x30, 0x2E, 0x30])
            return
        }
        // Swift's description yields the shortest digits that round-trip; only the
        // layout differs from orjson's, so take the digits and lay them out again.
        let (digits, exponent) = shortestDigits(value.magnitude)
        if value < 0 { out.append(0x2D) }
        let magnitude = value.magnitude
        if magnitude >= 1e-5 && magnitude < 1e16 {
            if exponent >= 0 {
                let integerCount = exponent + 1
                if digits.count <= integerCount {
                    out.append(contentsOf: digits)
                    for _ in 0..<(integerCount - digits.count) { out.append(0x30) }
                    out.append(contentsOf: [0x2E, 0x30])
                } else {
                    out.append(contentsOf: digits[0..<integerCount])
                    out.append(0x2E)
                    out.append(contentsOf: digits[integerCount...])
                }
            } else {
                out.append(contentsOf: [0x30, 0x2E])
                for _ in 0..<(-exponent - 1) { out.append(0x30) }
                out.append(contentsOf: digits)
            }
        } else {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(0x2E)
                out.append(contentsOf: digits[1...])
            }
            out.append(0x65)
            out.append(exponent >= 0 ? 0x2B : 0x2D)
            out.append(contentsOf: Array(String(abs(exponent)).utf8))
        }
    }

    /// The shortest round-trip decimal digits of a positive finite double and the
    /// power of ten of its first digit (value = 0.d1d2… × 10^(exponent+1)).
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        let text = Array(value.description.utf8)
        var mantissa: ArraySlice<UInt8> = text[...]
        var explicitExponent = 0
        if let e = text.firstIndex(where: { $0 == 0x65 || $0 == 0x45 }) {
            mantissa = text[..<e]
            var exponentText = text[(e + 1)...]
            var negative = false
            if let first = exponentText.first, first == 0x2B || first == 0x2D {
                negative = first == 0x2D
                exponentText = exponentText.dropFirst()
            }
            var parsed = 0
            for byte in exponentText { parsed = parsed * 10 + Int(byte - 0x30) }
            explicitExponent = negative ? -parsed : parsed
        }
        var digits = [UInt8]()
        var pointPosition: Int?
        for byte in mantissa {
            if byte == 0x2E {
                pointPosition = digits.count
            } else {
                digits.append(byte)
            }
        }
        var integerDigits = pointPosition ?? digits.count
        // Drop leading zeros ("0.00123" → "123"), adjusting the point.
        var leading = 0
        while leading < digits.count - 1 && digits[leading] == 0x30 { leading += 1 }
        digits.removeFirst(leading)
        integerDigits -= leading
        // Drop trailing zeros ("1.0" → "1", "100" → "1" with a larger exponent).
        while digits.count > 1 && digits.last == 0x30 { digits.removeLast() }
        return (digits, integerDigits - 1 + explicitExponent)
    }
}
