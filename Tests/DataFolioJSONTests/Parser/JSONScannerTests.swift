import DataFolioJSON
import DataFolioSupport
import Testing

/// The scanner lets the catalog keep entries as bytes, which is only sound if it accepts
/// exactly what the parser accepts and calls "canonical" only what the writer writes.
@Suite("Scanner")
struct JSONScannerTests {
    /// Whether the scanner takes `bytes` as one document, and whether it found the
    /// layout canonical at `level`.
    func scan(_ bytes: [UInt8], level: Int = 0) -> (accepted: Bool, canonical: Bool) {
        bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw, sourceName: "test")
            scanner.skipByteOrderMark()
            scanner.skipWhitespace(expectingIndent: nil)
            do {
                let canonical = try scanner.skipValue(level: level)
                scanner.skipWhitespace(expectingIndent: nil)
                return (scanner.next == nil, canonical)
            } catch {
                return (false, false)
            }
        }
    }

    func parses(_ bytes: [UInt8]) -> Bool { (try? JSONValue(parsing: bytes)) != nil }

    @Test func whatTheWriterWritesIsCanonicalAtItsDepth() {
        var generator = SeededGenerator(seed: 41)
        for _ in 0..<2000 {
            let value = RandomJSON.value(depth: 4, using: &generator)
            for depth in [0, 1, 2, 3, 5] {
                var text = [UInt8]()
                value.write(into: &text, indented: true, depth: depth)
                let result = scan(text, level: depth)
                #expect(result.accepted && result.canonical, "\(String(decoding: text, as: UTF8.self))")
            }
        }
    }

    @Test func otherLayoutsAreNotCanonical() {
        let samples = [
            #"{"a":1}"#, #"{"a": 1, "b": 2}"#, "[1,2]", "[ ]", "{ }", "{\n  \"a\" : 1\n}", "{\n  \"a\":1\n}",
            "{\n    \"a\": 1\n}", "[\n  1\n ]", "[\n  1,\n   2\n]", "[\n  1 ,\n  2\n]", "NaN", "-Infinity", "[\n  Infinity\n]",
            "{\n\t\"a\": 1\n}", "{\r\n  \"a\": 1\r\n}", "[\n  1\n \n]", "[\n  1\n\n]", "{\n  \"a\": 1\n\n}",
        ]
        for sample in samples {
            let result = scan(Array(sample.utf8))
            #expect(result.accepted, "\(sample)")
            #expect(!result.canonical, "\(sample)")
        }
        #expect(scan(Array("{\n  \"a\": [],\n  \"b\": {}\n}".utf8)).canonical)
        #expect(scan(Array("[\n  1,\n  2\n]".utf8)).canonical)
        // The same text one level deeper is laid out for another depth.
        #expect(!scan(Array("[\n  1,\n  2\n]".utf8), level: 1).canonical)
    }

    @Test func acceptsExactlyWhatTheParserAccepts() {
        var generator = SeededGenerator(seed: 97)
        let alphabet = Array(#"{}[],:" \\u0aeE+-.1nNtfI/"#.utf8) + [0x0A, 0xC3, 0xA9, 0xFF, 0xED, 0xA0, 0x80, 0x01]
        var agreed = 0
        var accepted = 0
        for _ in 0..<20000 {
            var text = [UInt8]()
            RandomJSON.value(depth: 3, using: &generator).write(into: &text, indented: Bool.random(using: &generator))
            // A few random edits: most break the text, some keep it valid.
            for _ in 0..<Int.random(in: 0...3, using: &generator) where !text.isEmpty {
                let at = Int.random(in: 0..<text.count, using: &generator)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: text[at] = byte
                case 1: text.insert(byte, at: at)
                default: text.remove(at: at)
                }
            }
            let scanned = scan(text).accepted
            #expect(scanned == parses(text), "\(String(decoding: text, as: UTF8.self).debugDescription)")
            if scanned == parses(text) { agreed += 1 }
            if scanned { accepted += 1 }
        }
        #expect(agreed == 20000)
        // Both outcomes were exercised.
        #expect(accepted > 2000 && accepted < 18000)
    }

    @Test func refusesWhatTheParserRefuses() {
        let bad: [[UInt8]] = [
            Array(#"{"a": }"#.utf8), Array(#"[1,]"#.utf8), Array(#""\x""#.utf8), [0x22, 0xFF, 0x22], [0x22, 0x01, 0x22],
            Array(#""\u12"#.utf8), Array("01".utf8), Array("[1 2]".utf8), Array(#"{"a" 1}"#.utf8), Array("tru".utf8),
            Array("-".utf8), Array("1.".utf8), Array("1e".utf8), Array("{\"a\":1".utf8), Array("[".utf8), [],
        ]
        for text in bad {
            #expect(!scan(text).accepted, "\(String(decoding: text, as: UTF8.self).debugDescription)")
            #expect(!parses(text))
        }
    }

    @Test func nestingLimitIsTheParsers() {
        let limit = JSONParsingOptions().maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        let deeper = "[" + deepest + "]"
        #expect(scan(Array(deepest.utf8)).accepted && parses(Array(deepest.utf8)))
        #expect(!scan(Array(deeper.utf8)).accepted && !parses(Array(deeper.utf8)))
        // Levels already open around the value count too.
        #expect(!scan(Array(deepest.utf8), level: 1).accepted)
    }

    @Test func parsedObjectsKeepTheLastValueOfARepeatedKeyInTheFirstPlace() throws {
        for count in [3, 40] {
            var text = "{"
            for i in 0..<count { text += "\"k\(i)\": \(i), " }
            text += "\"k1\": \"again\"}"
            let object = try #require(try JSONValue(parsing: text).objectValue)
            #expect(object.count == count)
            #expect(object.keys == (0..<count).map { "k\($0)" })
            #expect(object["k1"] == "again")
            #expect(object.position(ofKey: "k\(count - 1)") == count - 1)
        }
    }

    /// Keys are found among a table by their bytes: short ones as machine words, long
    /// ones byte by byte, escaped ones once unescaped; near misses are not found.
    @Test func keysAreFoundAmongATable() throws {
        let table = JSONScanner.KeyTable(["name", "item_type", "a_key_longer_than_sixteen", "é", "nam", "", "sixteen_bytes_ab"])
        let text = #"{"name": 1, "item_type": 2, "a_key_longer_than_sixteen": 3, "\u00e9": 4, "é": 5, "nam": 6, "": 7, "names": 8, "a_key_longer_than_sixteeN": 9, "item_typ\u0065": 10, "sixteen_bytes_ab": 11, "sixteen_bytes_ac": 12, "NAME": 13}"#
        let expected: [Int?] = [0, 1, 2, 3, 3, 4, 5, nil, nil, 1, 6, nil, nil]
        var found = [Int?]()
        try Array(text.utf8).withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw, sourceName: "test")
            let consumed7B = scanner.consume(0x7B)
            #expect(consumed7B)
            repeat {
                scanner.skipWhitespace(expectingIndent: nil)
                var canonical = true
                found.append(try scanner.readKey(among: table, canonical: &canonical))
                #expect(canonical)
                _ = try scanner.skipValue(level: 1)
            } while scanner.consume(0x2C)
            let consumed7D = scanner.consume(0x7D)
            #expect(consumed7D)
        }
        #expect(found == expected)
    }

    /// A string's content range, and whether it holds escapes, as the catalog reader
    /// keeps the text keys of an entry.
    @Test func stringSpansTellWhereTheContentIs() throws {
        let text = #"["plain", "", "with \"escape\"", "é日", "tab\there"]"#
        let bytes = Array(text.utf8)
        var spans = [(String, Bool)]()
        try bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw, sourceName: "test")
            let consumed5B = scanner.consume(0x5B)
            #expect(consumed5B)
            repeat {
                scanner.skipWhitespace(expectingIndent: nil)
                let (content, escaped) = try scanner.skipString()
                spans.append((String(decoding: bytes[content], as: UTF8.self), escaped))
            } while scanner.consume(0x2C)
        }
        #expect(spans.map(\.0) == ["plain", "", #"with \"escape\""#, "é日", #"tab\there"#])
        #expect(spans.map(\.1) == [false, false, true, false, true])
    }

    /// Members found in one pass over checked text are the ones the parsed object holds:
    /// the last of a repeated key, escaped keys once unescaped, never a key of a nested
    /// object or one that is only canonically equivalent.
    @Test func memberRangesAreTheParsedObjectsMembers() throws {
        let text = #"{"a": 1, "nested": {"b": 2, "a": "inner"}, "b": [3, "]"], "\u0063": {"c": "}"}, "a": "last", "é": 5, "é": 6}"#
        let keys = ["a", "b", "c", "nested", "missing", "é", "é"]
        let object = try #require(try JSONValue(parsing: text).objectValue)
        let bytes = Array(text.utf8)
        let found = bytes.withUnsafeBytes { raw in
            JSONScanner.memberRanges(keys, ofCheckedObject: raw).map { range in
                range.flatMap { try? JSONValue(parsing: Array(bytes[$0])) }
            }
        }
        #expect(found == keys.map { object[$0] })
        #expect(found[0] == "last" && found[4] == nil && found[5] == 5 && found[6] == 6)
        let one = bytes.withUnsafeBytes { JSONScanner.member("nested", ofCheckedObject: $0, level: 0) }
        #expect(one == object["nested"])
        for notAnObject in ["[1, 2]", "\"a\"", "{}", "3"] {
            let ranges = Array(notAnObject.utf8).withUnsafeBytes { JSONScanner.memberRanges(["a"], ofCheckedObject: $0) }
            #expect(ranges == [nil])
        }
    }

    /// Counting keys without parsing the values gives the parsed object's count.
    @Test func keyCountIsTheParsedObjectsCount() throws {
        let texts = [
            "{}", #"{"a": 1}"#, #"{"a": 1, "a": 2}"#, #"{"a": 1, "\u0061": 2, "b": {"a": 1, "c": 2}}"#,
            #"{"é": 1, "é": 2, "x": [{"y": "}"}]}"#, #"{"k0": "v", "k1": "v", "k2": "v", "k1": "w"}"#,
        ]
        for text in texts {
            let count = Array(text.utf8).withUnsafeBytes { JSONScanner.keyCount(ofCheckedObject: $0) }
            #expect(count == (try JSONValue(parsing: text)).objectValue?.count, "\(text)")
        }
        for notAnObject in ["[1]", "null", "\"{}\""] {
            #expect(Array(notAnObject.utf8).withUnsafeBytes { JSONScanner.keyCount(ofCheckedObject: $0) } == nil)
        }
    }

    /// Random objects, written on one line and indented: every member found by skipping
    /// the others by quotes and brackets is the parsed one, and so is the key count.
    @Test func membersOfRandomObjectsAreTheParsedOnes() throws {
        var generator = SeededGenerator(seed: 77)
        for _ in 0..<1500 {
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                object[RandomJSON.string(using: &generator)] = RandomJSON.value(depth: 4, using: &generator)
            }
            for indented in [false, true] {
                var text = [UInt8]()
                JSONValue.object(object).write(into: &text, indented: indented, depth: 2)
                let keys = object.keys + ["not a key"]
                let found = text.withUnsafeBytes { raw in
                    JSONScanner.memberRanges(keys, ofCheckedObject: raw).map { range in range.flatMap { try? JSONValue(parsing: Array(text[$0])) } }
                }
                #expect(found == keys.map { object[$0] }, "\(String(decoding: text, as: UTF8.self))")
                #expect(text.withUnsafeBytes { JSONScanner.keyCount(ofCheckedObject: $0) } == object.count)
            }
        }
    }
}
