import DataFolioJSON
import DataFolioTestSupport
import Testing

@Suite("String escaping matches orjson")
struct StringEscapingInteropTests {
    static var samples: [String] {
        var strings = [String]()
        // Every control character alone and between letters.
        for code in 0..<0x20 {
            let scalar = String(UnicodeScalar(UInt8(code)))
            strings.append(scalar)
            strings.append("a\(scalar)b")
        }
        strings += [
            "", "plain", "\"", "\\", "\\\"", "/", "</script>", "http://example.com/a/b", "\u{7F}", "a\u{7F}b",
            "é", "naïve café", "日本語テキスト", "한국어", "Ελληνικά", "עברית", "العربية",
            "😀", "👩‍👩‍👧‍👦", "🇫🇷", "e\u{301}", "\u{2028}", "\u{2029}", "a\u{2028}b\u{2029}c", "\u{FEFF}",
            "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}", "\u{80}", "\u{9F}", "\u{A0}", "\u{200B}", "\u{E000}",
            "tab\there", "line\nbreak\r\n", "mixed \"quotes\" and \\backslashes\\ and / slashes \u{1} \u{1F}",
            String(repeating: "long text with é and 😀 ", count: 200),
        ]
        var all = String()
        for code in 0..<0x80 { all.unicodeScalars.append(UnicodeScalar(UInt8(code))) }
        strings.append(all)
        return strings
    }

    @Test("every control character, quote, backslash, slash, DEL and non-ASCII text", .interop)
    func stringsMatchOrjson() throws {
        let strings = Self.samples
        let script = """
        import orjson, sys
        out = []
        with open(sys.argv[1]) as f:
            for line in f:
                text = bytes.fromhex(line.strip()).decode('utf-8')
                out.append(orjson.dumps(text).hex())
        print('\\n'.join(out))
        """
        let expected = try PythonJSON.run(script, lines: strings.map { PythonJSON.hex($0.utf8) })
        try #require(expected.count == strings.count)
        for (text, python) in zip(strings, expected) {
            let swift = JSONValue.string(text).formattedBytes()
            #expect(PythonJSON.hex(swift) == python, "\(text.debugDescription): Swift \(String(decoding: swift, as: UTF8.self).debugDescription), orjson \(String(decoding: PythonJSON.bytes(hex: python), as: UTF8.self).debugDescription)")
        }
    }

    @Test("strings as object keys are escaped the same way", .interop)
    func keysMatchOrjson() throws {
        let strings = Self.samples
        var object = JSONObject()
        for (index, text) in strings.enumerated() { object[text] = .int(Int64(index)) }
        let script = """
        import orjson, sys
        with open(sys.argv[1]) as f:
            keys = [bytes.fromhex(line.strip()).decode('utf-8') for line in f]
        sys.stdout.write(orjson.dumps({k: i for i, k in enumerate(keys)}, option=orjson.OPT_INDENT_2).hex())
        """
        let output = try PythonJSON.run(script, lines: strings.map { PythonJSON.hex($0.utf8) })
        #expect(PythonJSON.hex(JSONValue.object(object).formattedBytes()) == output.first)
    }
}
