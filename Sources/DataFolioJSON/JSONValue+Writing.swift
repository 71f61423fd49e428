extension JSONValue {
    /// The JSON text of the value, in the layout the Python datafolio writes (orjson
    /// with 2-space indentation): keys in insertion order, `"key": value`, empty
    /// containers inline, non-ASCII text unescaped, `/` unescaped, integral doubles with
    /// `.0`, NaN and infinities as `null`, and no trailing newline.
    ///
    /// ```swift
    /// let value: JSONValue = ["a": [1, 2], "b": [:], "c": 3.0]
    /// print(value.formatted())
    /// // {
    /// //   "a": [
    /// //     1,
    /// //     2
    /// //   ],
    /// //   "b": {},
    /// //   "c": 3.0
    /// // }
    /// ```
    ///
    /// - Parameter indented: `false` gives compact output (`{"a":[1,2]}`).
    public func formatted(indented: Bool = true) -> String {
        String(decoding: formattedBytes(indented: indented), as: UTF8.self)
    }

    /// The UTF-8 bytes of ``formatted(indented:)``.
    public func formattedBytes(indented: Bool = true) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(into: &out, indented: indented)
        return out
    }

    /// Appends the JSON text of the value to `out`.
    ///
    /// - Parameter depth: The nesting level the value sits at, for indentation (the
    ///   value itself is not indented; its members are indented one level deeper).
    public func write(into out: inout [UInt8], indented: Bool = true, depth: Int = 0) {
        JSONWriter.write(self, into: &out, depth: depth, indented: indented)
    }
}

enum JSONWriter {
    static func write(_ value: JSONValue, into out: inout [UInt8], depth: Int, indented: Bool) {
        switch value {
        case .null:
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let flag):
            if flag {
                out.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
            } else {
                out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
            }
        case .int(let number):
            writeInteger(number, into: &out)
        case .double(let number):
            JSONNumberFormatting.appendDouble(number, to: &out)
        case .string(let text):
            writeString(text, into: &out)
        case .array(let elements):
            if elements.isEmpty {
                out.append(contentsOf: [0x5B, 0x5D])
                return
            }
            out.append(0x5B)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(0x2C) }
                if indented { newline(depth + 1, &out) }
                write(element, into: &out, depth: depth + 1, indented: indented)
            }
            if indented { newline(depth, &out) }
            out.append(0x5D)
        case .object(let object):
            if object.isEmpty {
                out.append(contentsOf: [0x7B, 0x7D])
                return
            }
            out.append(0x7B)
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(0x2C) }
                if indented { newline(depth + 1, &out) }
                writeString(member.key, into: &out)
                out.append(0x3A)
                if indented { out.append(0x20) }
                write(member.value, into: &out, depth: depth + 1, indented: indented)
            }
            if indented { newline(depth, &out) }
            out.append(0x7D)
        }
    }

    private static let indentation: [UInt8] = [0x0A] + [UInt8](repeating: 0x20, count: 256)

    @inline(__always)
    static func newline(_ depth: Int, _ out: inout [UInt8]) {
        let width = depth * 2
        if width < indentation.count {
            out.append(contentsOf: indentation[0...width])
        } else {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: width))
        }
    }

    static func writeInteger(_ number: Int64, into out: inout [UInt8]) {
        if number == 0 {
            out.append(0x30)
            return
        }
        var magnitude = number.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            }
            if number < 0 { out.append(0x2D) }
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                if byte >= 0x20 && byte != 0x22 && byte != 0x5C { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                out.append(0x5C)
                switch byte {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x08: out.append(0x62)
                case 0x0C: out.append(0x66)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                default:
                    out.append(contentsOf: [0x75, 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                }
            }
            if runStart < utf8.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        out.append(0x22)
    }
}

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
