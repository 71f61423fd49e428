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
    ///
    /// ```swift
    /// try Data(config.formattedBytes()).write(to: URL(fileURLWithPath: "config.json"))
    /// ```
    public func formattedBytes(indented: Bool = true) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(into: &out, indented: indented)
        return out
    }

    /// Appends the JSON text of the value to `out`.
    ///
    /// ```swift
    /// var out = Array("{\"config\": ".utf8)
    /// config.write(into: &out, indented: false)
    /// out.append(UInt8(ascii: "}"))
    /// ```
    ///
    /// - Parameters:
    ///   - out: The bytes to append to.
    ///   - indented: `false` gives compact output, as ``formatted(indented:)`` does.
    ///   - depth: The nesting level the value sits at, for indentation (the
    ///     value itself is not indented; its members are indented one level deeper).
    public func write(into out: inout [UInt8], indented: Bool = true, depth: Int = 0) {
        JSONWriter.write(self, into: &out, depth: depth, indented: indented)
    }
}

package enum JSONWriter {
    /// An open array or object and the position of the next member to write.
    /// Containers are written from an explicit stack rather than by recursion, so a
    /// deeply nested value costs no call-stack space.
    private struct Frame {
        let isObject: Bool
        let elements: [JSONValue]
        let members: [(key: String, value: JSONValue)]
        var next = 0

        var count: Int { isObject ? members.count : elements.count }
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], depth: Int, indented: Bool) {
        var stack = [Frame]()
        var current = value
        nextValue: while true {
            switch current {
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
                } else {
                    out.append(0x5B)
                    stack.append(Frame(isObject: false, elements: elements, members: []))
                }
            case .object(let object):
                if object.isEmpty {
                    out.append(contentsOf: [0x7B, 0x7D])
                } else {
                    out.append(0x7B)
                    stack.append(Frame(isObject: true, elements: [], members: object.members))
                }
            }
            // Move to the next member of the innermost open container, closing the
            // containers that are finished.
            while !stack.isEmpty {
                let top = stack.count - 1
                let next = stack[top].next
                if next < stack[top].count {
                    if next > 0 { out.append(0x2C) }
                    if indented { newline(depth + stack.count, &out) }
                    stack[top].next = next + 1
                    if stack[top].isObject {
                        writeString(stack[top].members[next].key, into: &out)
                        out.append(0x3A)
                        if indented { out.append(0x20) }
                        current = stack[top].members[next].value
                    } else {
                        current = stack[top].elements[next]
                    }
                    continue nextValue
                }
                let closing: UInt8 = stack[top].isObject ? 0x7D : 0x5D
                stack.removeLast()
                if indented { newline(depth + stack.count, &out) }
                out.append(closing)
            }
            return
        }
    }

    /// A newline and the indentation of 64 levels, sliced for shallower ones.
    private static let newlineAndSpaces: [UInt8] = [0x0A] + Array(repeating: 0x20, count: 128)

    @inline(__always)
    static func newline(_ depth: Int, _ out: inout [UInt8]) {
        let width = depth * 2
        if width < newlineAndSpaces.count {
            out.append(contentsOf: newlineAndSpaces[...width])
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
        var text = text
        text.withUTF8 { writeString(utf8: $0, into: &out) }
    }

    /// Appends valid UTF-8 text as a JSON string: quotes, backslashes and control
    /// characters escaped, everything else as it is. Shared with the table writers so that
    /// every JSON string the package writes has the same bytes.
    package static func writeString(utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(0x22)
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
        out.append(0x22)
    }
}

