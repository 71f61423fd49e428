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
    ///
    /// ```swift
    /// var out: [UInt8] = []
    /// JSONNumberFormatting.appendDouble(0.1, to: &out)   // "0.1"
    /// ```
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            return
        }
        if value.sign == .minus { out.append(0x2D) }
        let magnitude = value.magnitude
        // Integers below 1e16 are their own shortest digits: below 2^53 no other integer
        // shares the double, and above it the spacing is 2, so a shorter candidate (a
        // multiple of ten) can only be the value itself.
        if magnitude < 1e16 && magnitude.rounded(.towardZero) == magnitude {
            JSONWriter.writeInteger(Int64(magnitude), into: &out)
            out.append(contentsOf: [0x2E, 0x30])
            return
        }
        // Swift's description yields the shortest digits that round-trip (and, among
        // those, the closest), as orjson does; only the layout differs, so take the
        // digits and lay them out again.
        var text = magnitude.description
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
                let (count, exponent) = shortestDigits(utf8, into: digits)
                layOut(UnsafeBufferPointer(rebasing: digits[..<count]), exponent: exponent, fixed: magnitude >= 1e-5 && magnitude < 1e16, to: &out)
            }
        }
    }

    /// Reads the significant digits and decimal exponent out of Swift's description of
    /// a positive finite double ("123.45", "0.001", "1.5e-07", "1e+16"); the value is
    /// 0.d1d2… × 10^(exponent+1).
    private static func shortestDigits(
        _ text: UnsafeBufferPointer<UInt8>, into digits: UnsafeMutableBufferPointer<UInt8>
    ) -> (count: Int, exponent: Int) {
        var mantissaEnd = text.count
        var explicitExponent = 0
        if let e = text.firstIndex(where: { $0 == 0x65 || $0 == 0x45 }) {
            mantissaEnd = e
            var i = e + 1
            var negative = false
            if i < text.count && (text[i] == 0x2B || text[i] == 0x2D) {
                negative = text[i] == 0x2D
                i += 1
            }
            var parsed = 0
            while i < text.count {
                parsed = parsed * 10 + Int(text[i] &- 0x30)
                i += 1
            }
            explicitExponent = negative ? -parsed : parsed
        }
        var count = 0
        var integerDigits: Int?
        var seenNonZero = false
        var leadingZeros = 0
        for i in 0..<mantissaEnd {
            let byte = text[i]
            if byte == 0x2E {
                integerDigits = count + leadingZeros
                continue
            }
            if !seenNonZero && byte == 0x30 {
                leadingZeros += 1
                continue
            }
            seenNonZero = true
            if count < digits.count {
                digits[count] = byte
                count += 1
            }
        }
        while count > 1 && digits[count - 1] == 0x30 { count -= 1 }
        let pointPosition = (integerDigits ?? (count + leadingZeros)) - leadingZeros
        return (count, pointPosition - 1 + explicitExponent)
    }

    private static func layOut(_ digits: UnsafeBufferPointer<UInt8>, exponent: Int, fixed: Bool, to out: inout [UInt8]) {
        if fixed {
            if exponent >= 0 {
                let integerCount = exponent + 1
                if digits.count <= integerCount {
                    out.append(contentsOf: digits)
                    out.append(contentsOf: repeatElement(0x30, count: integerCount - digits.count))
                    out.append(contentsOf: [0x2E, 0x30])
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<integerCount]))
                    out.append(0x2E)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[integerCount...]))
                }
            } else {
                out.append(contentsOf: [0x30, 0x2E])
                out.append(contentsOf: repeatElement(0x30, count: -exponent - 1))
                out.append(contentsOf: digits)
            }
            return
        }
        out.append(digits[0])
        if digits.count > 1 {
            out.append(0x2E)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[1...]))
        }
        out.append(0x65)
        out.append(exponent >= 0 ? 0x2B : 0x2D)
        JSONWriter.writeInteger(Int64(abs(exponent)), into: &out)
    }
}
