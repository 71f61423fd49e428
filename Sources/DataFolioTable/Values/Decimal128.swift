import DataFolioSupport

/// Conversions between decimal text (`"-12.50"`) and Arrow's 16-byte little-endian
/// two's complement decimal storage, without a platform 128-bit integer type.
enum Decimal128 {
    /// A 128-bit magnitude as two 64-bit halves.
    struct Magnitude: Equatable {
        var high: UInt64
        var low: UInt64

        var isZero: Bool { high == 0 && low == 0 }

        /// Multiplies by a small factor and adds a digit; returns false on overflow.
        mutating func multiplyAdd(_ factor: UInt64, _ addend: UInt64) -> Bool {
            let lowProduct = low.multipliedFullWidth(by: factor)
            let highProduct = high.multipliedFullWidth(by: factor)
            guard highProduct.high == 0 else { return false }
            let (newLow, carry1) = lowProduct.low.addingReportingOverflow(addend)
            let (midSum, carry2) = highProduct.low.addingReportingOverflow(lowProduct.high)
            let (newHigh, carry3) = midSum.addingReportingOverflow(carry1 ? 1 : 0)
            guard !carry2, !carry3 else { return false }
            high = newHigh
            low = newLow
            return true
        }

        /// Divides by a small divisor, returning the remainder.
        mutating func divide(by divisor: UInt64) -> UInt64 {
            let (q1, r1) = high.quotientAndRemainder(dividingBy: divisor)
            let (q0, r0) = divisor.dividingFullWidth((r1, low))
            high = q1
            low = q0
            return r0
        }
    }

    /// The text of the decimal stored in `bytes[start..<start + 16]` with `scale` fraction digits.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, scale: Int) -> String {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for k in 0..<8 {
            low |= UInt64(bytes[start + k]) << UInt64(k * 8)
            high |= UInt64(bytes[start + 8 + k]) << UInt64(k * 8)
        }
        let negative = high >> 63 == 1
        var magnitude = Magnitude(high: high, low: low)
        if negative {
            // Two's complement negation.
            magnitude.low = ~low &+ 1
            magnitude.high = ~high &+ (magnitude.low == 0 ? 1 : 0)
        }
        var digits = [UInt8]()
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(magnitude.divide(by: 10)))
        } while !magnitude.isZero
        while digits.count <= scale { digits.append(UInt8(ascii: "0")) }
        var out = [UInt8]()
        out.reserveCapacity(digits.count + 2)
        if negative { out.append(UInt8(ascii: "-")) }
        for (i, digit) in digits.reversed().enumerated() {
            if i == digits.count - scale { out.append(UInt8(ascii: ".")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses decimal text (`[+-]digits[.digits]`, optional exponent `e±n`) into 16 bytes at
    /// the given scale, rounding is not done: extra non-zero fraction digits are an error.
    static func bytes(_ text: String, precision: Int, scale: Int) throws(DataFolioError) -> [UInt8] {
        func bad(_ why: String) -> DataFolioError {
            DataFolioError(.invalidArgument, "'\(text)' is not a decimal that fits decimal128(\(precision), \(scale)): \(why).")
        }
        var utf8 = Array(text.utf8)
        var negative = false
        var index = 0
        if index < utf8.count, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") {
            negative = utf8[index] == UInt8(ascii: "-")
            index += 1
        }
        // Split off an exponent.
        var exponent = 0
        if let e = utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Int(String(decoding: utf8[(e + 1)...], as: UTF8.self)), abs(value) < 1000 else {
                throw bad("the exponent is not a small integer")
            }
            exponent = value
            utf8.removeSubrange(e...)
        }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var seenPoint = false
        while index < utf8.count {
            let c = utf8[index]
            if c == UInt8(ascii: ".") {
                guard !seenPoint else { throw bad("it has two decimal points") }
                seenPoint = true
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                if seenPoint { fractionDigits.append(c - UInt8(ascii: "0")) } else { integerDigits.append(c - UInt8(ascii: "0")) }
            } else {
                throw bad("it contains '\(Character(Unicode.Scalar(c)))'")
            }
            index += 1
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { throw bad("it has no digits") }
        // Apply the exponent by moving the decimal point.
        var all = integerDigits + fractionDigits
        var pointPosition = integerDigits.count + exponent
        if pointPosition < 0 {
            all.insert(contentsOf: repeatElement(0, count: -pointPosition), at: 0)
            pointPosition = 0
        }
        while all.count < pointPosition { all.append(0) }
        var fraction = Array(all[pointPosition...])
        let integer = all[..<pointPosition].drop(while: { $0 == 0 })
        while fraction.count > scale {
            guard fraction.removeLast() == 0 else { throw bad("it has more than \(scale) fraction digits") }
        }
        while fraction.count < scale { fraction.append(0) }
        guard integer.count <= precision - scale else {
            throw bad("it has more than \(precision - scale) integer digits")
        }
        var magnitude = Magnitude(high: 0, low: 0)
        for digit in integer + fraction {
            guard magnitude.multiplyAdd(10, UInt64(digit)) else { throw bad("it is too large") }
        }
        var low = magnitude.low
        var high = magnitude.high
        if negative && !magnitude.isZero {
            low = ~low &+ 1
            high = ~high &+ (low == 0 ? 1 : 0)
        }
        var out = [UInt8](repeating: 0, count: 16)
        for k in 0..<8 {
            out[k] = UInt8(truncatingIfNeeded: low >> UInt64(k * 8))
            out[8 + k] = UInt8(truncatingIfNeeded: high >> UInt64(k * 8))
        }
        return out
    }

    /// The precision and scale needed to hold decimal text exactly, or nil when it is not decimal text.
    static func shape(of text: String) -> (integerDigits: Int, scale: Int)? {
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        var seenDigit = false
        var leading = true
        for (i, c) in text.utf8.enumerated() {
            if i == 0 && (c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) { continue }
            if c == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                seenDigit = true
                if seenPoint {
                    fractionDigits += 1
                } else if !(leading && c == UInt8(ascii: "0")) {
                    leading = false
                    integerDigits += 1
                }
            } else {
                return nil
            }
        }
        return seenDigit ? (integerDigits, fractionDigits) : nil
    }
}
