import DataFolioSupport

extension JSONValue {
    /// Parses JSON text.
    ///
    /// The parser treats its input as hostile: nesting is limited to
    /// ``JSONParsingOptions/maximumDepth`` levels, strings must be valid UTF-8, and every
    /// problem is reported as a ``DataFolioError`` with the byte offset. Like Python's
    /// `json` module it also accepts the non-standard `NaN`, `Infinity` and `-Infinity`,
    /// and it skips a leading byte-order mark.
    ///
    /// ```swift
    /// let value = try JSONValue(parsing: Array(#"{"a": [1, 2.5, "x"]}"#.utf8))
    /// ```
    public init(parsing bytes: [UInt8], options: JSONParsingOptions = .init()) throws(DataFolioError) {
        var result: Result<JSONValue, DataFolioError> = .success(.null)
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                result = .success(try JSONValue(parsing: raw, options: options))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    /// Parses JSON text from a string.
    public init(parsing text: String, options: JSONParsingOptions = .init()) throws(DataFolioError) {
        try self.init(parsing: Array(text.utf8), options: options)
    }

    /// Parses JSON text from raw bytes.
    public init(parsing bytes: UnsafeRawBufferPointer, options: JSONParsingOptions = .init()) throws(DataFolioError) {
        var parser = JSONParser(bytes: bytes, options: options)
        self = try parser.parseDocument()
    }
}

/// Limits and switches for ``JSONValue/init(parsing:options:)-([UInt8],_)``.
public struct JSONParsingOptions: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public var maximumDepth: Int = 512
    /// The name used in error messages (e.g. a file name).
    public var sourceName: String = "JSON"

    /// Default options.
    public init(maximumDepth: Int = 512, sourceName: String = "JSON") {
        self.maximumDepth = maximumDepth
        self.sourceName = sourceName
    }
}

struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    let options: JSONParsingOptions
    var position = 0

    init(bytes: UnsafeRawBufferPointer, options: JSONParsingOptions) {
        self.bytes = bytes
        self.options = options
    }

    func error(_ message: String) -> DataFolioError {
        DataFolioError(.corruptData, "\(options.sourceName) is not valid JSON: \(message) at byte \(position).")
    }

    mutating func parseDocument() throws(DataFolioError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < bytes.count else { throw error("the text is empty") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected text after the value") }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    mutating func parseValue(depth: Int) throws(DataFolioError) -> JSONValue {
        guard position < bytes.count else { throw error("the text ends where a value was expected") }
        switch bytes[position] {
        case 0x7B: return try parseObject(depth: depth + 1)
        case 0x5B: return try parseArray(depth: depth + 1)
        case 0x22: return .string(try parseString())
        case 0x74: try expectLiteral("true"); return .bool(true)
        case 0x66: try expectLiteral("false"); return .bool(false)
        case 0x6E: try expectLiteral("null"); return .null
        case 0x4E: try expectLiteral("NaN"); return .double(.nan)
        case 0x49: try expectLiteral("Infinity"); return .double(.infinity)
        case 0x2D, 0x30...0x39: return try parseNumber()
        default: throw error("unexpected character '\(printable(bytes[position]))'")
        }
    }

    func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + [byte].hexString
    }

    mutating func expectLiteral(_ literal: StaticString) throws(DataFolioError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw error("the text ends inside a literal") }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for i in 0..<count where bytes[position + i] != expected[i] {
            throw error("unknown literal")
        }
        position += count
    }

    mutating func parseObject(depth: Int) throws(DataFolioError) -> JSONValue {
        guard depth <= options.maximumDepth else { throw error("nesting deeper than \(options.maximumDepth) levels") }
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if position < bytes.count && bytes[position] == 0x7D {
            position += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == 0x22 else { throw error("expected a quoted key") }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == 0x3A else { throw error("expected ':' after a key") }
            position += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth)
            skipWhitespace()
            guard position < bytes.count else { throw error("the text ends inside an object") }
            if bytes[position] == 0x2C {
                position += 1
                continue
            }
            if bytes[position] == 0x7D {
                position += 1
                return .object(object)
            }
            throw error("expected ',' or '}' in an object")
        }
    }

    mutating func parseArray(depth: Int) throws(DataFolioError) -> JSONValue {
        guard depth <= options.maximumDepth else { throw error("nesting deeper than \(options.maximumDepth) levels") }
        position += 1
        var elements = [JSONValue]()
        skipWhitespace()
        if position < bytes.count && bytes[position] == 0x5D {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw error("the text ends inside an array") }
            if bytes[position] == 0x2C {
                position += 1
                continue
            }
            if bytes[position] == 0x5D {
                position += 1
                return .array(elements)
            }
            throw error("expected ',' or ']' in an array")
        }
    }

    mutating func parseNumber() throws(DataFolioError) -> JSONValue {
        let start = position
        if bytes[position] == 0x2D {
            position += 1
            if position < bytes.count && bytes[position] == 0x49 {
                try expectLiteral("Infinity")
                return .double(-.infinity)
            }
        }
        let integerStart = position
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
        let integerDigits = position - integerStart
        guard integerDigits > 0 else { throw error("a number needs digits") }
        if integerDigits > 1 && bytes[integerStart] == 0x30 { throw error("a number has a leading zero") }
        var isInteger = true
        if position < bytes.count && bytes[position] == 0x2E {
            isInteger = false
            position += 1
            let fractionStart = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            guard position > fractionStart else { throw error("a number needs digits after '.'") }
        }
        if position < bytes.count && (bytes[position] == 0x65 || bytes[position] == 0x45) {
            isInteger = false
            position += 1
            if position < bytes.count && (bytes[position] == 0x2B || bytes[position] == 0x2D) { position += 1 }
            let exponentStart = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            guard position > exponentStart else { throw error("a number needs digits in its exponent") }
        }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        if isInteger && integerDigits <= 18 {
            var value: Int64 = 0
            for byte in text where byte != 0x2D { value = value * 10 + Int64(byte - 0x30) }
            return .int(text[0] == 0x2D ? -value : value)
        }
        let string = String(decoding: text, as: UTF8.self)
        if isInteger, let value = Int64(string) { return .int(value) }
        guard let value = Double(string) else { throw error("a number cannot be read") }
        return .double(value)
    }

    mutating func parseString() throws(DataFolioError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw error("a string is not valid UTF-8")
                }
                return text
            }
            if byte == 0x5C { break }
            if byte < 0x20 { throw error("a string contains an unescaped control character") }
            position += 1
        }
        var scratch = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                position += 1
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw error("a string is not valid UTF-8")
                }
                return text
            }
            if byte < 0x20 { throw error("a string contains an unescaped control character") }
            if byte != 0x5C {
                scratch.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case 0x22: scratch.append(0x22)
            case 0x5C: scratch.append(0x5C)
            case 0x2F: scratch.append(0x2F)
            case 0x62: scratch.append(0x08)
            case 0x66: scratch.append(0x0C)
            case 0x6E: scratch.append(0x0A)
            case 0x72: scratch.append(0x0D)
            case 0x74: scratch.append(0x09)
            case 0x75:
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if bytes.count - position >= 6 && bytes[position] == 0x5C && bytes[position + 1] == 0x75 {
                        let save = position
                        position += 2
                        let low = try parseHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                scratch.append(contentsOf: Array(String(unicode).utf8))
            default:
                throw error("unknown escape '\\\(printable(escape))'")
            }
        }
        throw error("the text ends inside a string")
    }

    mutating func parseHex4() throws(DataFolioError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("the text ends inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
