import DataFolioSupport

/// Walks JSON text without building values: it checks a value exactly as
/// ``JSONValue/init(parsing:options:)-([UInt8],_)`` would (so parsing the same bytes
/// later cannot fail) and tells whether the text is laid out the way ``JSONWriter``
/// writes it at that depth, so the bytes can be written back as they are.
///
/// The catalog reader uses it to keep each `items.json` entry as bytes and decode only
/// the keys every command needs; the rest is parsed when something asks for it.
package struct JSONScanner {
    private var parser: JSONParser

    package init(bytes: UnsafeRawBufferPointer, sourceName: String) {
        parser = JSONParser(bytes: bytes, options: JSONParsingOptions(sourceName: sourceName))
    }

    /// The offset of the next byte to read.
    package var position: Int { parser.position }

    /// The next byte, if any.
    package var next: UInt8? { parser.position < parser.bytes.count ? parser.bytes[parser.position] : nil }

    /// An error at the current position, worded as the parser words its own.
    package func error(_ message: String) -> DataFolioError { parser.error(message) }

    /// Skips a UTF-8 byte-order mark at the very start.
    package mutating func skipByteOrderMark() {
        let bytes = parser.bytes
        if parser.position == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            parser.position = 3
        }
    }

    /// Skips whitespace and returns whether it was exactly a newline and `2 × level`
    /// spaces (`level == nil`: whether there was none).
    @discardableResult
    package mutating func skipWhitespace(expectingIndent level: Int?) -> Bool {
        let start = parser.position
        let bytes = parser.bytes
        guard let level else {
            // Most often there is none.
            guard start < bytes.count, JSONScanner.isWhitespace(bytes[start]) else { return true }
            parser.skipWhitespace()
            return false
        }
        // The writer's layout, checked in one pass: a newline, the spaces, then no more
        // whitespace. Up to seven levels deep (15 bytes), as two words.
        let end = start + 1 + 2 * level
        if (0...7).contains(level), start + 16 <= bytes.count {
            let spaces: UInt64 = 0x2020_2020_2020_2020
            let newlineAndSpaces = (spaces << 8) | 0x0A
            let first = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            let matches: Bool
            if level <= 3 {
                let mask: UInt64 = (1 << UInt64(8 * (1 + 2 * level))) &- 1
                matches = first & mask == newlineAndSpaces & mask
            } else {
                let second = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self))
                let mask: UInt64 = (1 << UInt64(8 * (2 * level - 7))) &- 1
                matches = first == newlineAndSpaces && second & mask == spaces & mask
            }
            if matches, !JSONScanner.isWhitespace(bytes[end]) {
                parser.position = end
                return true
            }
        } else if end < bytes.count, bytes[start] == 0x0A, !JSONScanner.isWhitespace(bytes[end]) {
            var offset = start + 1
            while offset < end, bytes[offset] == 0x20 { offset += 1 }
            if offset == end {
                parser.position = end
                return true
            }
        }
        parser.skipWhitespace()
        let length = parser.position - start
        guard length == 1 + 2 * level, bytes[start] == 0x0A else { return false }
        for offset in (start + 1)..<parser.position where bytes[offset] != 0x20 { return false }
        return true
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Consumes `byte`, or throws naming what was expected.
    package mutating func expect(_ byte: UInt8, _ what: String) throws(DataFolioError) {
        guard next == byte else { throw error("expected \(what)") }
        parser.position += 1
    }

    /// Consumes `byte` when it comes next.
    package mutating func consume(_ byte: UInt8) -> Bool {
        guard next == byte else { return false }
        parser.position += 1
        return true
    }

    /// A string (the next byte must be its opening quote).
    package mutating func readString() throws(DataFolioError) -> String {
        guard next == 0x22 else { throw error("expected a string") }
        return try parser.parseString()
    }

    /// A key and its colon; `canonical` turns false unless the layout is `"key": `.
    package mutating func readKey(canonical: inout Bool) throws(DataFolioError) -> String {
        let key = try readString()
        try skipColon(canonical: &canonical)
        return key
    }

    /// The colon after a key; `canonical` turns false unless it is `": "` exactly.
    private mutating func skipColon(canonical: inout Bool) throws(DataFolioError) {
        // The writer's `": "` before a value, checked at once.
        let bytes = parser.bytes
        let position = parser.position
        if position + 2 < bytes.count, bytes[position] == 0x3A, bytes[position + 1] == 0x20, !JSONScanner.isWhitespace(bytes[position + 2]) {
            parser.position = position + 2
            return
        }
        canonical = skipWhitespace(expectingIndent: nil) && canonical
        try expect(0x3A, "':' after a key")
        let oneSpace = consume(0x20)
        let nothingMore = skipWhitespace(expectingIndent: nil)
        canonical = oneSpace && nothingMore && canonical
    }

    /// Keys to recognise by their UTF-8 bytes (most keys of a catalog entry are plain
    /// ASCII, so no string is built for them). Keys of up to 16 bytes are compared as
    /// two machine words, found by a hash of them in a small open-addressed table.
    package struct KeyTable: Sendable {
        /// One slot: a key's length (-1: empty), its words and its position in the list.
        private struct Slot: Sendable {
            var count = -1
            var low: UInt64 = 0
            var high: UInt64 = 0
            var index = 0
        }

        private let slots: [Slot]
        private let mask: Int
        /// Longer keys, compared byte by byte.
        private let long: [(index: Int, bytes: [UInt8])]

        package init(_ names: [String]) {
            // At most a quarter full, so a lookup mostly probes one slot.
            var size = 16
            while size < 4 * names.count { size *= 2 }
            var slots = [Slot](repeating: Slot(), count: size)
            var long = [(index: Int, bytes: [UInt8])]()
            for (index, name) in names.enumerated() {
                let bytes = Array(name.utf8)
                guard let (low, high) = bytes.withUnsafeBytes({ KeyTable.words($0) }) else {
                    long.append((index, bytes))
                    continue
                }
                var slot = KeyTable.hash(count: bytes.count, low: low, high: high) & (size - 1)
                while slots[slot].count >= 0 {
                    // A repeated name keeps its first position.
                    if slots[slot].count == bytes.count && slots[slot].low == low && slots[slot].high == high { break }
                    slot = (slot + 1) & (size - 1)
                }
                if slots[slot].count < 0 { slots[slot] = Slot(count: bytes.count, low: low, high: high, index: index) }
            }
            self.slots = slots
            self.mask = size - 1
            self.long = long
        }

        private static func hash(count: Int, low: UInt64, high: UInt64) -> Int {
            let mixed = (low ^ (high &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: count)) &* 0xBF58_476D_1CE4_E5B9
            return Int(truncatingIfNeeded: mixed >> 40)
        }

        /// The bytes of a key of at most 16 bytes as two little-endian words.
        private static func words(_ key: UnsafeRawBufferPointer) -> (low: UInt64, high: UInt64)? {
            guard key.count <= 16 else { return nil }
            var low: UInt64 = 0
            var high: UInt64 = 0
            for (offset, byte) in key.enumerated() {
                if offset < 8 {
                    low |= UInt64(byte) << (8 * UInt64(offset))
                } else {
                    high |= UInt64(byte) << (8 * UInt64(offset - 8))
                }
            }
            return (low, high)
        }

        /// The position of the key whose bytes are `key`.
        package func index(of key: UnsafeRawBufferPointer) -> Int? {
            guard let (keyLow, keyHigh) = KeyTable.words(key) else {
                return long.first { $0.bytes.elementsEqual(key) }?.index
            }
            return index(count: key.count, low: keyLow, high: keyHigh)
        }

        /// The position of the key whose bytes are `bytes[range]`: read as two words
        /// straight from the text when 16 bytes follow the key's start.
        func index(of range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Int? {
            let count = range.count
            guard count <= 16, range.lowerBound + 16 <= bytes.count else {
                return index(of: UnsafeRawBufferPointer(rebasing: bytes[range]))
            }
            var keyLow = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt64.self))
            var keyHigh = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: range.lowerBound + 8, as: UInt64.self))
            // Only the key's own bytes count.
            if count < 8 {
                keyLow &= (1 << (8 * UInt64(count))) &- 1
                keyHigh = 0
            } else if count < 16 {
                keyHigh &= (1 << (8 * UInt64(count - 8))) &- 1
            }
            return index(count: count, low: keyLow, high: keyHigh)
        }

        private func index(count: Int, low keyLow: UInt64, high keyHigh: UInt64) -> Int? {
            slots.withUnsafeBufferPointer { slots in
                var slot = KeyTable.hash(count: count, low: keyLow, high: keyHigh) & mask
                while true {
                    let candidate = slots[slot]
                    if candidate.count < 0 { return nil }
                    if candidate.count == count && candidate.low == keyLow && candidate.high == keyHigh { return candidate.index }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// A key and its colon, as its position in `table` (`nil` for a key not in it),
    /// without building a string for a plain ASCII key.
    package mutating func readKey(among table: KeyTable, canonical: inout Bool) throws(DataFolioError) -> Int? {
        guard next == 0x22 else { throw error("expected a string") }
        let bytes = parser.bytes
        let start = parser.position + 1
        // Up to a quote, a backslash, a control character or a non-ASCII byte.
        let end = parser.plainTextEnd(from: start)
        var found: Int?
        if end < bytes.count, bytes[end] == 0x22 {
            // Plain ASCII: nothing to check or unescape.
            found = table.index(of: start..<end, in: bytes)
            parser.position = end + 1
        } else {
            let key = Array(try parser.parseString().utf8)
            found = key.withUnsafeBytes { table.index(of: $0) }
        }
        try skipColon(canonical: &canonical)
        return found
    }

    /// Checks the string at the current position and moves past it, without building
    /// it: returns where its content lies (between the quotes) and whether that content
    /// holds escapes (so it is not the string's UTF-8 as it is).
    package mutating func skipString() throws(DataFolioError) -> (content: Range<Int>, escaped: Bool) {
        guard next == 0x22 else { throw error("expected a string") }
        let start = parser.position + 1
        let escaped = try skipCheckedString()
        return (start..<(parser.position - 1), escaped)
    }

    /// The value of member `key` of the object `text` (the last one, should the key
    /// repeat), parsed alone, or `nil` when there is none. The text must have been
    /// checked already (by this scanner or the parser): the other members are skipped by
    /// their quotes and brackets only. `level` containers enclose the object.
    package static func member(_ key: String, ofCheckedObject text: UnsafeRawBufferPointer, level: Int) -> JSONValue? {
        guard let range = memberRanges([key], ofCheckedObject: text)[0] else { return nil }
        var scanner = JSONScanner(bytes: text, sourceName: "")
        scanner.parser.position = range.lowerBound
        return try? scanner.readValue(level: level + 1)
    }

    /// Where the value of each of `keys` lies in the object `text` (the last one, should
    /// a key repeat; `nil` for a key it does not have), found in one pass over checked
    /// text, as ``member(_:ofCheckedObject:level:)`` finds one.
    package static func memberRanges(_ keys: [String], ofCheckedObject text: UnsafeRawBufferPointer) -> [Range<Int>?] {
        var ranges = [Range<Int>?](repeating: nil, count: keys.count)
        var scanner = JSONScanner(bytes: text, sourceName: "")
        guard scanner.consume(0x7B) else { return ranges }
        scanner.skipWhitespace(expectingIndent: nil)
        if scanner.consume(0x7D) { return ranges }
        let wanted = keys.map { Array($0.utf8) }
        var ignored = true
        repeat {
            scanner.skipWhitespace(expectingIndent: nil)
            let start = scanner.parser.position + 1
            guard let end = scanner.skipStringOfCheckedText() else { return ranges }
            let key = UnsafeRawBufferPointer(rebasing: text[start..<end])
            // A key with escapes is compared once unescaped.
            let unescaped = key.contains(0x5C) ? JSONScanner.string(in: text, content: start..<end, escaped: true).map { Array($0.utf8) } : nil
            let match = wanted.firstIndex { word in unescaped.map { word == $0 } ?? word.elementsEqual(key) }
            guard (try? scanner.skipColon(canonical: &ignored)) != nil else { return ranges }
            let valueStart = scanner.parser.position
            scanner.skipValueOfCheckedText()
            if let match { ranges[match] = valueStart..<scanner.parser.position }
            scanner.skipWhitespace(expectingIndent: nil)
        } while scanner.consume(0x2C)
        return ranges
    }

    /// How many distinct keys the checked object `text` has (a repeated key counts once,
    /// as in the parsed object), or `nil` when it is not an object. Nothing is parsed
    /// but the keys.
    package static func keyCount(ofCheckedObject text: UnsafeRawBufferPointer) -> Int? {
        var scanner = JSONScanner(bytes: text, sourceName: "")
        guard scanner.consume(0x7B) else { return nil }
        scanner.skipWhitespace(expectingIndent: nil)
        if scanner.consume(0x7D) { return 0 }
        // Keys compare by their exact bytes, as object keys do: plain ones where they lie
        // in the text, escaped ones (rare) once unescaped. A member is some 16 bytes or
        // more, so the set is sized once.
        var plain = Set<TextBytes>(minimumCapacity: text.count / 16)
        var escaped = Set<ExactString>()
        var ignored = true
        repeat {
            scanner.skipWhitespace(expectingIndent: nil)
            let start = scanner.parser.position + 1
            guard let end = scanner.skipStringOfCheckedText(), (try? scanner.skipColon(canonical: &ignored)) != nil else { return nil }
            let key = UnsafeRawBufferPointer(rebasing: text[start..<end])
            if key.contains(0x5C) {
                guard let string = JSONScanner.string(in: text, content: start..<end, escaped: true) else { return nil }
                escaped.insert(ExactString(string))
            } else {
                plain.insert(TextBytes(bytes: key))
            }
            scanner.skipValueOfCheckedText()
            scanner.skipWhitespace(expectingIndent: nil)
        } while scanner.consume(0x2C)
        // An escaped key may spell a plain one.
        let alsoPlain = escaped.filter { key in
            var text = key.text
            return text.withUTF8 { plain.contains(TextBytes(bytes: UnsafeRawBufferPointer($0))) }
        }
        return plain.count + escaped.count - alsoPlain.count
    }

    /// Bytes of text that outlives the value, compared and hashed as bytes.
    private struct TextBytes: Hashable {
        let bytes: UnsafeRawBufferPointer

        static func == (lhs: TextBytes, rhs: TextBytes) -> Bool {
            lhs.bytes.count == rhs.bytes.count && ExactString.bytesEqual(lhs.bytes, rhs.bytes)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(bytes: bytes)
        }
    }

    /// The string whose content (between its quotes) lies at `content` of checked text,
    /// unescaped: its bytes as they are when `escaped` is false, else parsed with its
    /// quotes. `nil` if the quotes are not there.
    package static func string(in text: UnsafeRawBufferPointer, content: Range<Int>, escaped: Bool) -> String? {
        guard content.lowerBound >= 1, content.upperBound < text.count else { return nil }
        guard escaped else { return String(decoding: UnsafeRawBufferPointer(rebasing: text[content]), as: UTF8.self) }
        let quoted = UnsafeRawBufferPointer(rebasing: text[(content.lowerBound - 1)...content.upperBound])
        return try? JSONValue(parsing: quoted).stringValue
    }

    /// Moves past the string at the current position of checked text and returns where
    /// its content ends (before the closing quote).
    private mutating func skipStringOfCheckedText() -> Int? {
        let bytes = parser.bytes
        guard next == 0x22 else { return nil }
        var position = parser.position + 1
        while position < bytes.count {
            position = parser.plainTextEnd(from: position)
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case 0x22:
                parser.position = position + 1
                return position
            case 0x5C: position += 2
            default: position += 1
            }
        }
        return nil
    }

    /// Moves past the value at the current position of checked text, looking only at
    /// quotes and brackets.
    private mutating func skipValueOfCheckedText() {
        let bytes = parser.bytes
        guard let first = next else { return }
        switch first {
        case 0x22:
            _ = skipStringOfCheckedText()
            return
        case 0x5B, 0x7B:
            break
        default:
            // A scalar ends at the comma, bracket or whitespace after it.
            while parser.position < bytes.count {
                switch bytes[parser.position] {
                case 0x2C, 0x5D, 0x7D, 0x20, 0x0A, 0x0D, 0x09: return
                default: parser.position += 1
                }
            }
            return
        }
        var depth = 0
        while true {
            parser.position = JSONScanner.structuralEnd(bytes, from: parser.position)
            guard parser.position < bytes.count else { return }
            switch bytes[parser.position] {
            case 0x22:
                guard skipStringOfCheckedText() != nil else { return }
                continue
            case 0x5B, 0x7B:
                depth += 1
            default:
                depth -= 1
                if depth == 0 {
                    parser.position += 1
                    return
                }
            }
            parser.position += 1
        }
    }

    /// The offset of the first quote or bracket at or after `start` (`bytes.count` when
    /// there is none), eight bytes at a time.
    private static func structuralEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        // `[` and `]` differ from `{` and `}` in one bit only: setting it folds them together.
        ByteWords.firstMatch(
            in: bytes, from: start,
            word: { word in
                let folded = word | (0x20 &* ByteWords.ones)
                return ByteWords.equal(word, 0x22) | ByteWords.equal(folded, 0x7B) | ByteWords.equal(folded, 0x7D)
            },
            byte: { $0 == 0x22 || $0 == 0x5B || $0 == 0x5D || $0 == 0x7B || $0 == 0x7D })
    }

    /// Parses the value at the current position into a tree; `level` containers enclose it.
    package mutating func readValue(level: Int) throws(DataFolioError) -> JSONValue {
        try parser.parseValue(enclosingDepth: level)
    }

    /// Checks the value at the current position and moves past it. Returns whether it is
    /// laid out as the indented writer lays out a value `level` containers deep
    /// (members one level deeper, empty containers inline, `NaN`/`Infinity` never).
    package mutating func skipValue(level: Int) throws(DataFolioError) -> Bool {
        var canonical = true
        // Whether each open container is an object; nothing is allocated for scalars.
        var stack = [Bool]()
        nextValue: while true {
            guard let byte = next else { throw error("the text ends where a value was expected") }
            switch byte {
            case 0x5B, 0x7B:
                guard level + stack.count < parser.options.maximumDepth else { throw parser.depthError() }
                parser.position += 1
                let isObject = byte == 0x7B
                let closing: UInt8 = isObject ? 0x7D : 0x5D
                let indented = skipWhitespace(expectingIndent: level + stack.count + 1)
                if consume(closing) {
                    canonical = canonical && parser.bytes[parser.position - 2] == byte
                } else {
                    canonical = canonical && indented
                    stack.append(isObject)
                    if isObject { try skipKey(canonical: &canonical) }
                    continue nextValue
                }
            case 0x22:
                _ = try skipCheckedString()
            case 0x74: try parser.expectLiteral("true")
            case 0x66: try parser.expectLiteral("false")
            case 0x6E: try parser.expectLiteral("null")
            case 0x4E:
                try parser.expectLiteral("NaN")
                canonical = false
            case 0x49:
                try parser.expectLiteral("Infinity")
                canonical = false
            case 0x2D, 0x30...0x39:
                if case .double(let number) = try parser.parseNumber(), !number.isFinite { canonical = false }
            default:
                throw error("unexpected character '\(parser.printable(byte))'")
            }
            while let isObject = stack.last {
                let spaceStart = parser.position
                let beforeComma = skipWhitespace(expectingIndent: nil)
                if consume(0x2C) {
                    let indented = skipWhitespace(expectingIndent: level + stack.count)
                    canonical = canonical && beforeComma && indented
                    if isObject { try skipKey(canonical: &canonical) }
                    continue nextValue
                }
                guard next != nil else { throw error(isObject ? "the text ends inside an object" : "the text ends inside an array") }
                let closing: UInt8 = isObject ? 0x7D : 0x5D
                guard consume(closing) else {
                    throw error(isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
                }
                // The whitespace before the closing bracket was skipped above; check it.
                canonical = canonical && closingIndentMatches(level: level + stack.count - 1, spaceStart: spaceStart)
                stack.removeLast()
            }
            return canonical
        }
    }

    /// Whether the whitespace right before the closing bracket just consumed is a
    /// newline and `2 × level` spaces.
    private func closingIndentMatches(level: Int, spaceStart: Int) -> Bool {
        let bracket = parser.position - 1
        let width = 2 * level
        guard bracket - spaceStart == width + 1, parser.bytes[spaceStart] == 0x0A else { return false }
        for offset in (bracket - width)..<bracket where parser.bytes[offset] != 0x20 { return false }
        return true
    }

    /// Moves past an object's key and its colon; `canonical` turns false unless the
    /// layout is `"key": `.
    private mutating func skipKey(canonical: inout Bool) throws(DataFolioError) {
        guard next == 0x22 else { throw error("expected a quoted key") }
        _ = try skipCheckedString()
        try skipColon(canonical: &canonical)
    }

    /// Moves past a string, checking it as the parser does (escapes, control characters,
    /// UTF-8) without building it; returns whether it holds escapes.
    private mutating func skipCheckedString() throws(DataFolioError) -> Bool {
        let bytes = parser.bytes
        parser.position += 1
        var runStart = parser.position
        var escaped = false
        // Whether the current run has a byte of a multi-byte character: a run of ASCII
        // (most of a catalog) needs no UTF-8 check.
        var multibyte = false
        while parser.position < bytes.count {
            parser.position = parser.plainTextEnd(from: parser.position)
            guard parser.position < bytes.count else { break }
            let byte = bytes[parser.position]
            if byte == 0x22 {
                if multibyte { try checkUTF8(runStart..<parser.position) }
                parser.position += 1
                return escaped
            }
            if byte < 0x20 { throw error("a string contains an unescaped control character") }
            if byte != 0x5C {
                multibyte = true
                parser.position += 1
                continue
            }
            // Text between escapes is checked on its own: an escape always stands for
            // whole characters, so the pieces are valid exactly when the whole is.
            if multibyte { try checkUTF8(runStart..<parser.position) }
            escaped = true
            parser.position += 1
            guard parser.position < bytes.count else { break }
            let escape = bytes[parser.position]
            parser.position += 1
            switch escape {
            case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: break
            case 0x75: _ = try parser.parseHex4()
            default: throw error("unknown escape '\\\(parser.printable(escape))'")
            }
            runStart = parser.position
            multibyte = false
        }
        throw error("the text ends inside a string")
    }

    private func checkUTF8(_ range: Range<Int>) throws(DataFolioError) {
        guard UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: parser.bytes[range])) else {
            throw error("a string is not valid UTF-8")
        }
    }
}
