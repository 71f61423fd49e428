import DataFolioSupport

/// A value of the small subset of Python literal syntax that `.npy` headers use:
/// a dict of strings, booleans, integers, tuples and lists.
///
/// numpy writes the header with `repr` and reads it with `ast.literal_eval`; this is a
/// parser for that subset that never evaluates anything, bounds its work by the input
/// size and limits nesting, so that a hostile header cannot crash or stall a reader.
enum PythonLiteral: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dictionary([Entry])

    /// One `key: value` pair of a dict, in the order written.
    struct Entry: Equatable, Sendable {
        var key: PythonLiteral
        var value: PythonLiteral
    }

    /// How the bytes of strings are decoded: `.npy` 1.0 and 2.0 headers are Latin-1,
    /// 3.0 headers are UTF-8.
    enum Encoding: Sendable {
        case latin1
        case utf8
    }

    /// The value of the last entry whose key is the string `key` (Python keeps the
    /// last of duplicate keys).
    func value(forKey key: String) -> PythonLiteral? {
        guard case .dictionary(let entries) = self else { return nil }
        return entries.last(where: { $0.key == .string(key) })?.value
    }

    /// A short description of the value's Python type, for error messages.
    var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .boolean: return "a boolean"
        case .none: return "None"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dictionary: return "a dict"
        }
    }

    /// Parses `bytes` as exactly one literal, surrounded by optional whitespace.
    static func parse(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, format: String = "NPY") throws(DataFolioError) -> PythonLiteral {
        var parser = PythonLiteralParser(bytes: bytes, encoding: encoding, format: format)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.isAtEnd else {
            throw parser.failure("unexpected text after the header dict")
        }
        return value
    }
}

/// A recursive-descent parser over bytes; see ``PythonLiteral``.
struct PythonLiteralParser {
    /// Deeper nesting than this is never written by numpy and is refused.
    static let maximumDepth = 32

    let bytes: UnsafeRawBufferPointer
    let encoding: PythonLiteral.Encoding
    let format: String
    var offset = 0

    init(bytes: UnsafeRawBufferPointer, encoding: PythonLiteral.Encoding, format: String) {
        self.bytes = bytes
        self.encoding = encoding
        self.format = format
    }

    var isAtEnd: Bool { offset >= bytes.count }

    func failure(_ detail: String) -> DataFolioError {
        DataFolioError.corrupt(format, "the header cannot be parsed at byte \(offset): \(detail)")
    }

    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
            offset += 1
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(DataFolioError) {
        skipWhitespace()
        guard current == byte else {
            throw failure(current == nil ? "the header ends before \(what)" : "expected \(what)")
        }
        offset += 1
    }

    mutating func parseValue(depth: Int) throws(DataFolioError) -> PythonLiteral {
        guard depth < PythonLiteralParser.maximumDepth else {
            throw failure("values are nested more than \(PythonLiteralParser.maximumDepth) levels deep")
        }
        skipWhitespace()
        guard let byte = current else { throw failure("the header ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"):
            return try parseDictionary(depth: depth)
        case UInt8(ascii: "("):
            return try parseSequence(closing: UInt8(ascii: ")"), depth: depth)
        case UInt8(ascii: "["):
            return try parseSequence(closing: UInt8(ascii: "]"), depth: depth)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            // A Python 2 unicode literal, u'...'.
            let next = offset + 1 < bytes.count ? bytes[offset + 1] : 0
            if next == UInt8(ascii: "'") || next == UInt8(ascii: "\"") {
                offset += 1
                return .string(try parseString())
            }
            return try parseName()
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try parseInteger())
        default:
            return try parseName()
        }
    }

    mutating func parseDictionary(depth: Int) throws(DataFolioError) -> PythonLiteral {
        offset += 1
        var entries: [PythonLiteral.Entry] = []
        while true {
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                offset += 1
                return .dictionary(entries)
            }
            guard current != nil else { throw failure("the header ends before the dict's closing '}'") }
            let key = try parseValue(depth: depth + 1)
            try expect(UInt8(ascii: ":"), "':' after a dict key")
            let value = try parseValue(depth: depth + 1)
            entries.append(PythonLiteral.Entry(key: key, value: value))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                offset += 1
            } else if current == UInt8(ascii: "}") {
                offset += 1
                return .dictionary(entries)
            } else {
                throw failure(current == nil ? "the header ends before the dict's closing '}'" : "expected ',' or '}' in the dict")
            }
        }
    }

    /// Parses `(...)` or `[...]`. A parenthesized single value without a comma is that
    /// value, as in Python: `(3)` is `3`, `(3,)` is a tuple.
    mutating func parseSequence(closing: UInt8, depth: Int) throws(DataFolioError) -> PythonLiteral {
        let isTuple = closing == UInt8(ascii: ")")
        offset += 1
        var items: [PythonLiteral] = []
        var sawComma = false
        while true {
            skipWhitespace()
            if current == closing {
                offset += 1
                break
            }
            guard current != nil else { throw failure("the header ends inside a \(isTuple ? "tuple" : "list")") }
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                offset += 1
                sawComma = true
            } else if current == closing {
                offset += 1
                break
            } else {
                let name = isTuple ? "tuple" : "list"
                throw failure(current == nil ? "the header ends inside a \(name)" : "expected ',' or the end of the \(name)")
            }
        }
        if isTuple {
            if items.count == 1 && !sawComma, let only = items.first { return only }
            return .tuple(items)
        }
        return .list(items)
    }

    mutating func parseInteger() throws(DataFolioError) -> Int {
        var negative = false
        if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") {
            negative = current == UInt8(ascii: "-")
            offset += 1
            skipWhitespace()
        }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw failure("expected digits after a sign")
        }
        var magnitude: UInt64 = 0
        var overflow = false
        while let byte = current {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                magnitude = sum
                offset += 1
            } else if byte == UInt8(ascii: "_") {
                offset += 1
            } else {
                break
            }
        }
        // Python 2 wrote long integers with an `L` suffix.
        if current == UInt8(ascii: "L") || current == UInt8(ascii: "l") { offset += 1 }
        if let byte = current, Self.isNameByte(byte) {
            throw failure("a number runs into other characters")
        }
        let limit = negative ? UInt64(Int.max) + 1 : UInt64(Int.max)
        guard !overflow, magnitude <= limit else {
            throw DataFolioError(.limitExceeded, "\(format): the header holds an integer too large for 64 bits. The file is damaged or describes an impossibly large array.")
        }
        if negative {
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        return Int(magnitude)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    mutating func parseName() throws(DataFolioError) -> PythonLiteral {
        let start = offset
        while let byte = current, Self.isNameByte(byte), offset - start < 16 { offset += 1 }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        switch name {
        case "True": return .boolean(true)
        case "False": return .boolean(false)
        case "None": return .none
        default:
            offset = start
            throw failure(name.isEmpty ? "unexpected character" : "'\(name)' is not a literal value")
        }
    }

    /// Parses a quoted string (single or double quotes, no triple quotes) with Python's
    /// common backslash escapes.
    mutating func parseString() throws(DataFolioError) -> String {
        guard let quote = current else { throw failure("expected a string") }
        offset += 1
        var raw: [UInt8] = []
        var scalars = String.UnicodeScalarView()
        func flush(_ raw: inout [UInt8], into scalars: inout String.UnicodeScalarView, encoding: PythonLiteral.Encoding) {
            guard !raw.isEmpty else { return }
            switch encoding {
            case .latin1:
                for byte in raw { scalars.append(Unicode.Scalar(byte)) }
            case .utf8:
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            }
            raw.removeAll(keepingCapacity: true)
        }
        while true {
            guard let byte = current else { throw failure("the header ends inside a string") }
            offset += 1
            if byte == quote { break }
            if byte == 0x0A || byte == 0x0D { throw failure("a string runs past the end of the line") }
            guard byte == UInt8(ascii: "\\") else {
                raw.append(byte)
                continue
            }
            guard let escaped = current else { throw failure("the header ends inside a string") }
            offset += 1
            let simple: UInt8?
            switch escaped {
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): simple = escaped
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "r"): simple = 0x0D
            case 0x0A: continue  // a backslash-newline joins lines
            default: simple = nil
            }
            if let simple {
                raw.append(simple)
                continue
            }
            if escaped >= UInt8(ascii: "0") && escaped <= UInt8(ascii: "7") {
                // Up to three octal digits, as in Python.
                var value = UInt32(escaped - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard let next = current, next >= UInt8(ascii: "0"), next <= UInt8(ascii: "7") else { break }
                    value = value << 3 | UInt32(next - UInt8(ascii: "0"))
                    offset += 1
                }
                flush(&raw, into: &scalars, encoding: encoding)
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                continue
            }
            let digits: Int
            switch escaped {
            case UInt8(ascii: "x"): digits = 2
            case UInt8(ascii: "u"): digits = 4
            case UInt8(ascii: "U"): digits = 8
            default:
                // Python keeps unknown escapes as written.
                raw.append(UInt8(ascii: "\\"))
                raw.append(escaped)
                continue
            }
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let hex = current, let nibble = Self.hexValue(hex) else {
                    throw failure("a \\\(Character(Unicode.Scalar(escaped))) escape needs \(digits) hex digits")
                }
                value = value << 4 | UInt32(nibble)
                offset += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw failure("the escape \\\(Character(Unicode.Scalar(escaped))) names no Unicode character")
            }
            flush(&raw, into: &scalars, encoding: encoding)
            scalars.append(scalar)
        }
        flush(&raw, into: &scalars, encoding: encoding)
        return String(scalars)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
