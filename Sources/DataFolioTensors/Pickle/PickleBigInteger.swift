/// A Python `int` too large for 64 bits, kept as its two's-complement bytes.
///
/// Pickles store such integers (opcodes `LONG1`, `LONG4`) as little-endian
/// two's-complement bytes; this type keeps them exactly, prints them in decimal and
/// writes them back unchanged.
///
/// ```swift
/// let big = PickleBigInteger(decimal: "1180591620717411303424")!   // 2 ** 70
/// print(big, big.int64Value as Any)                                // 1180591620717411303424 nil
/// ```
public struct PickleBigInteger: Sendable, Hashable, CustomStringConvertible {
    /// The value in little-endian two's complement, without redundant sign bytes.
    public let littleEndianBytes: [UInt8]

    /// Creates a value from little-endian two's-complement bytes (as in a pickle).
    ///
    /// ```swift
    /// let big = PickleBigInteger(twosComplementLittleEndian: [0, 0, 0, 0, 0, 0, 0, 0, 1])   // 2^64
    /// print(big)   // 18446744073709551616
    /// ```
    public init(twosComplementLittleEndian bytes: [UInt8]) {
        var trimmed = bytes
        // Drop sign-extension bytes that do not change the value.
        while trimmed.count > 1 {
            let last = trimmed[trimmed.count - 1]
            let previousSign = trimmed[trimmed.count - 2] & 0x80
            if (last == 0 && previousSign == 0) || (last == 0xFF && previousSign != 0) {
                trimmed.removeLast()
            } else {
                break
            }
        }
        littleEndianBytes = trimmed == [0] ? [] : trimmed
    }

    /// Creates a value from a 64-bit integer.
    ///
    /// ```swift
    /// let small = PickleBigInteger(-5)
    /// print(small)   // -5
    /// ```
    public init(_ value: Int64) {
        self.init(twosComplementLittleEndian: withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    /// Parses an optionally signed decimal integer (at most 4300 digits, Python's limit).
    public init?(decimal text: some StringProtocol) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 4300, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // Magnitude in base 2^32, least significant limb first.
        var limbs: [UInt32] = [0]
        for character in digits.utf8 {
            var carry = UInt64(character - UInt8(ascii: "0"))
            for i in limbs.indices {
                let product = UInt64(limbs[i]) * 10 + carry
                limbs[i] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }
        var bytes: [UInt8] = []
        for limb in limbs {
            withUnsafeBytes(of: limb.littleEndian) { bytes.append(contentsOf: $0) }
        }
        bytes.append(0)  // room for the sign bit
        if negative {
            // Two's complement: invert and add one.
            var carry = 1
            for i in bytes.indices {
                let sum = Int(~bytes[i]) + carry
                bytes[i] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        self.init(twosComplementLittleEndian: bytes)
    }

    /// Whether the value is below zero.
    public var isNegative: Bool { (littleEndianBytes.last ?? 0) & 0x80 != 0 }

    /// The value as an `Int64`, when it fits.
    public var int64Value: Int64? {
        guard littleEndianBytes.count <= 8 else { return nil }
        var value: UInt64 = isNegative ? .max : 0
        for (i, byte) in littleEndianBytes.enumerated() {
            value &= ~(UInt64(0xFF) << (8 * UInt64(i)))
            value |= UInt64(byte) << (8 * UInt64(i))
        }
        return Int64(bitPattern: value)
    }

    /// The decimal digits (hexadecimal, `0x…`, for values beyond Python's 4300-digit limit).
    public var description: String {
        if littleEndianBytes.isEmpty { return "0" }
        var magnitude = littleEndianBytes
        if isNegative {
            var carry = 1
            for i in magnitude.indices {
                let sum = Int(~magnitude[i]) + carry
                magnitude[i] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        let sign = isNegative ? "-" : ""
        if magnitude.count > 1780 {
            let hex = magnitude.reversed().map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
            return sign + "0x" + String(hex.drop { $0 == "0" })
        }
        var limbs: [UInt32] = []
        var index = 0
        while index < magnitude.count {
            var limb: UInt32 = 0
            for k in 0..<4 where index + k < magnitude.count {
                limb |= UInt32(magnitude[index + k]) << (8 * UInt32(k))
            }
            limbs.append(limb)
            index += 4
        }
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
        // Repeated division by 10^9 yields nine digits at a time.
        var chunks: [UInt32] = []
        while !(limbs.count == 1 && limbs[0] == 0) {
            var remainder: UInt64 = 0
            for i in stride(from: limbs.count - 1, through: 0, by: -1) {
                let current = (remainder << 32) | UInt64(limbs[i])
                limbs[i] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
        }
        if chunks.isEmpty { return "0" }
        var text = sign + String(chunks[chunks.count - 1])
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
