import DataFolioSupport

extension JSONValue {
    /// Parses JSON text.
    ///
    /// The parser treats its input as hostile: it never recurses (nesting costs no stack),
    /// nesting is limited to ``JSONParsingOptions/maximumDepth`` levels, and strings must
    /// be valid UTF-8. Malformed text throws a `DataFolioError` with code `corruptData`
    /// and the byte offset; nesting beyond the limit throws `limitExceeded`.
    ///
    /// What it reads the way Python's `json` module does: the non-standard `NaN`,
    /// `Infinity` and `-Infinity`; a leading byte-order mark (skipped); a repeated key
    /// (the last value wins, in the first key's position, as in a `dict`); numbers too
    /// large for a double (infinity). Where the value model differs: integers outside
    /// the 64-bit range become the nearest double, and an escaped lone surrogate
    /// (`"\ud800"`), which no Swift string can hold, becomes U+FFFD.
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
    ///
    /// ```swift
    /// let value = try JSONValue(parsing: #"{"lr": 0.01, "layers": [64, 32]}"#)
    /// ```
    public init(parsing text: String, options: JSONParsingOptions = .init()) throws(DataFolioError) {
        var text = text
        var result: Result<JSONValue, DataFolioError> = .success(.null)
        text.withUTF8 { utf8 in
            do throws(DataFolioError) {
                result = .success(try JSONValue(parsing: UnsafeRawBufferPointer(utf8), options: options))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    /// Parses JSON text from raw bytes.
    ///
    /// ```swift
    /// let value = try bytes.withUnsafeBytes { try JSONValue(parsing: $0) }
    /// ```
    public init(parsing bytes: UnsafeRawBufferPointer, options: JSONParsingOptions = .init()) throws(DataFolioError) {
        var parser = JSONParser(bytes: bytes, options: options)
        self = try parser.parseDocument()
    }
}

/// Limits and switches for ``JSONValue/init(parsing:options:)-([UInt8],_)``.
public struct JSONParsingOptions: Sendable {
    /// The deepest nesting of arrays and objects accepted (512 by default; `[[1]]` is
    /// two levels). Deeper input is refused with a `limitExceeded` error.
    public var maximumDepth: Int = 512
    /// The name used in error messages (e.g. a file name).
    public var sourceName: String = "JSON"
    /// Whether numbers the value model cannot hold exactly are refused, with an error
    /// naming where they are (`$.a[2]`): integers beyond 64 bits, numbers beyond the
    /// range of a double, and `NaN`/`Infinity`. Off by default (Python's `json` reads
    /// them); data a person adds to a folio is read with it on, so nothing is rounded
    /// or replaced without a word.
    public var exactNumbers: Bool = false

    /// Default options.
    ///
    /// ```swift
    /// let options = JSONParsingOptions(maximumDepth: 64, sourceName: "items.json")
    /// let catalog = try JSONValue(parsing: text, options: options)
    /// ```
    public init(maximumDepth: Int = 512, sourceName: String = "JSON", exactNumbers: Bool = false) {
        self.maximumDepth = maximumDepth
        self.sourceName = sourceName
        self.exactNumbers = exactNumbers
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

    /// One open array or object. Containers are built in place on an explicit stack
    /// rather than by recursion, so nesting depth never costs call-stack space.
    struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        /// An object's members in order, repeated keys included; they become a
        /// ``JSONObject`` when the object closes, which hashes each key once at most.
        var members: [(key: String, value: JSONValue)] = []
        /// The key whose value is being parsed, in an object.
        var key = ""
    }

    mutating func parseDocument() throws(DataFolioError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < bytes.count else { throw error("the text is empty") }
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected text after the value") }
        return value
    }

    /// Parses the value that starts at `position` (after any whitespace) and stops right
    /// after it. `enclosingDepth` containers are already open around it, for the depth limit.
    mutating func parseValue(enclosingDepth: Int = 0) throws(DataFolioError) -> JSONValue {
        var stack = [Frame]()
        var value: JSONValue
        nextValue: while true {
            skipWhitespace()
            guard position < bytes.count else { throw error("the text ends where a value was expected") }
            switch bytes[position] {
            case 0x5B:
                guard stack.count + enclosingDepth < options.maximumDepth else { throw depthError() }
                position += 1
                skipWhitespace()
                if position < bytes.count && bytes[position] == 0x5D {
                    position += 1
                    value = .array([])
                } else {
                    stack.append(Frame(isObject: false))
                    continue nextValue
                }
            case 0x7B:
                guard stack.count + enclosingDepth < options.maximumDepth else { throw depthError() }
                position += 1
                skipWhitespace()
                if position < bytes.count && bytes[position] == 0x7D {
                    position += 1
                    value = .object(JSONObject())
                } else {
                    stack.append(Frame(isObject: true, key: try parseKey()))
                    continue nextValue
                }
            case 0x22: value = .string(try parseString())
            case 0x74: try expectLiteral("true"); value = .bool(true)
            case 0x66: try expectLiteral("false"); value = .bool(false)
            case 0x6E: try expectLiteral("null"); value = .null
            case 0x4E: try expectLiteral("NaN"); value = .double(.nan)
            case 0x49: try expectLiteral("Infinity"); value = .double(.infinity)
            case 0x2D, 0x30...0x39:
                let start = position
                value = try parseNumber()
                if options.exactNumbers { try checkExact(value, literalStart: start, stack: stack) }
            default: throw error("unexpected character '\(printable(bytes[position]))'")
            }
            if options.exactNumbers, case .double(let number) = value, !number.isFinite {
                throw inexactNumber("\(number)", at: JSONParser.path(stack), reason: "JSON has no NaN or infinity")
            }
            // A value is complete: add it to the open container, closing containers
            // whose last value it was.
            while !stack.isEmpty {
                let top = stack.count - 1
                skipWhitespace()
                guard position < bytes.count else {
                    throw error(stack[top].isObject ? "the text ends inside an object" : "the text ends inside an array")
                }
                let byte = bytes[position]
                if stack[top].isObject {
                    let key = stack[top].key
                    stack[top].members.append((key, value))
                    if byte == 0x2C {
                        position += 1
                        skipWhitespace()
                        stack[top].key = try parseKey()
                        continue nextValue
                    }
                    guard byte == 0x7D else { throw error("expected ',' or '}' in an object") }
                    position += 1
                    value = .object(JSONObject(parsedMembers: stack.removeLast().members))
                } else {
                    stack[top].elements.append(value)
                    if byte == 0x2C {
                        position += 1
                        continue nextValue
                    }
                    guard byte == 0x5D else { throw error("expected ',' or ']' in an array") }
                    position += 1
                    value = .array(stack.removeLast().elements)
                }
            }
            return value
        }
    }

    /// Refuses an integer literal beyond 64 bits (read as a rounded double) and a
    /// number beyond the range of a double.
    func checkExact(_ value: JSONValue, literalStart: Int, stack: [Frame]) throws(DataFolioError) {
        guard case .double(let number) = value else { return }
        let literal = UnsafeRawBufferPointer(rebasing: bytes[literalStart..<position])
        let text = String(decoding: literal, as: UTF8.self)
        if !number.isFinite {
            // `-Infinity` is reported as such by the caller.
            if literal.contains(0x49) { return }
            throw inexactNumber(text, at: JSONParser.path(stack), reason: "it is beyond the range of a 64-bit floating-point number")
        }
        if !literal.contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) {
            throw inexactNumber(
                text, at: JSONParser.path(stack),
                reason: "integers in a folio's JSON are 64-bit (\(Int64.min) to \(Int64.max)); store it as a string")
        }
    }

    func inexactNumber(_ text: String, at path: String, reason: String) -> DataFolioError {
        let shown = text.count > 40 ? text.prefix(40) + "…" : Substring(text)
        return DataFolioError(
            .invalidArgument, "\(options.sourceName) holds \(shown) at \(path), which cannot be stored exactly: \(reason).", path: path)
    }

    /// `$.key[3].other` for the value being parsed.
    static func path(_ stack: [Frame]) -> String {
        var path = "$"
        for frame in stack {
            path += frame.isObject ? JSONValue.pathComponent(key: frame.key) : "[\(frame.elements.count)]"
        }
        return path
    }

    func depthError() -> DataFolioError {
        DataFolioError(
            .limitExceeded,
            "\(options.sourceName) nests arrays and objects deeper than \(options.maximumDepth) levels at byte \(position); such input is refused as a safeguard (see JSONParsingOptions.maximumDepth).")
    }

    /// A quoted key and the colon after it.
    mutating func parseKey() throws(DataFolioError) -> String {
        guard position < bytes.count, bytes[position] == 0x22 else { throw error("expected a quoted key") }
        let key = try parseString()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == 0x3A else { throw error("expected ':' after a key") }
        position += 1
        return key
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
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

    /// Exact powers of ten for the fast path of ``parseNumber()``.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    mutating func parseNumber() throws(DataFolioError) -> JSONValue {
        let start = position
        var negative = false
        if bytes[position] == 0x2D {
            negative = true
            position += 1
            if position < bytes.count && bytes[position] == 0x49 {
                try expectLiteral("Infinity")
                return .double(-.infinity)
            }
        }
        // Collect up to 19 significant digits on the way; they decide most numbers
        // without a round trip through text.
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var droppedDigits = 0
        let integerStart = position
        while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39 {
            if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 0x30)
                if mantissa != 0 { significantDigits += 1 }
            } else {
                droppedDigits += 1
            }
            position += 1
        }
        let integerDigits = position - integerStart
        guard integerDigits > 0 else { throw error("a number needs digits") }
        if integerDigits > 1 && bytes[integerStart] == 0x30 { throw error("a number has a leading zero") }
        var isInteger = true
        var fractionDigits = 0
        if position < bytes.count && bytes[position] == 0x2E {
            isInteger = false
            position += 1
            let fractionStart = position
            while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39 {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 0x30)
                    if mantissa != 0 { significantDigits += 1 }
                    fractionDigits += 1
                }
                position += 1
            }
            guard position > fractionStart else { throw error("a number needs digits after '.'") }
        }
        var exponent = 0
        if position < bytes.count && (bytes[position] == 0x65 || bytes[position] == 0x45) {
            isInteger = false
            position += 1
            var exponentNegative = false
            if position < bytes.count && (bytes[position] == 0x2B || bytes[position] == 0x2D) {
                exponentNegative = bytes[position] == 0x2D
                position += 1
            }
            let exponentStart = position
            while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[position] &- 0x30) }
                position += 1
            }
            guard position > exponentStart else { throw error("a number needs digits in its exponent") }
            if exponentNegative { exponent = -exponent }
        }
        if isInteger && droppedDigits == 0 {
            if mantissa <= UInt64(Int64.max) {
                let magnitude = Int64(mantissa)
                return .int(negative ? -magnitude : magnitude)
            }
            if negative && mantissa == UInt64(Int64.max) + 1 { return .int(.min) }
        }
        // A mantissa and power of ten both exact in a double give the correctly rounded
        // result with one multiplication or division.
        let scale = exponent - fractionDigits + droppedDigits
        if droppedDigits == 0 && mantissa <= (1 << 53) && scale >= -22 && scale <= 22 {
            var value = Double(mantissa)
            value = scale >= 0 ? value * Self.powersOfTen[scale] : value / Self.powersOfTen[-scale]
            return .double(negative ? -value : value)
        }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { throw error("a number cannot be read") }
        return .double(value)
    }

    mutating func parseString() throws(DataFolioError) -> String {
        position += 1
        let start = position
        // Whether a byte of a multi-byte character was met: plain ASCII needs no check.
        var multibyte = false
        // Fast path: no escapes.
        while position < bytes.count {
            position = plainTextEnd(from: position)
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == 0x22 {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard !multibyte || UTF8Validation.isValid(raw) else { throw error("a string is not valid UTF-8") }
                return String(decoding: raw, as: UTF8.self)
            }
            if byte == 0x5C { break }
            if byte < 0x20 { throw error("a string contains an unescaped control character") }
            multibyte = true
            position += 1
        }
        var scratch = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                position += 1
                let valid = scratch.withUnsafeBytes { UTF8Validation.isValid($0) }
                guard valid else { throw error("a string is not valid UTF-8") }
                return String(decoding: scratch, as: UTF8.self)
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
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &scratch)
            default:
                throw error("unknown escape '\\\(printable(escape))'")
            }
        }
        throw error("the text ends inside a string")
    }

    /// The offset of the first byte from `start` on that a string scanner must look at:
    /// a quote, a backslash, a control character or a byte of a multi-byte character.
    /// Eight bytes are tested at a time, since most of a catalog is plain ASCII text.
    @inline(__always)
    func plainTextEnd(from start: Int) -> Int {
        ByteWords.firstMatch(
            in: bytes, from: start,
            word: { ByteWords.equal($0, 0x22) | ByteWords.equal($0, 0x5C) | ByteWords.below($0, 0x20) | ($0 & ByteWords.highBits) },
            byte: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 >= 0x80 })
    }

    func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | value >> 6))
            out.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | value >> 12))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        default:
            out.append(UInt8(0xF0 | value >> 18))
            out.append(UInt8(0x80 | value >> 12 & 0x3F))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        }
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
