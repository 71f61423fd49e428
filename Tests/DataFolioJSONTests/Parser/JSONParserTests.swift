import DataFolioJSON
import DataFolioSupport
import Testing

@Suite("Parser")
struct JSONParserTests {
    func parse(_ text: String) throws(DataFolioError) -> JSONValue { try JSONValue(parsing: text) }

    func parseBytes(_ bytes: [UInt8]) throws(DataFolioError) -> JSONValue { try JSONValue(parsing: bytes) }

    /// The error message for text that must not parse.
    func failure(_ text: String) -> String? { failure(Array(text.utf8)) }

    func failure(_ bytes: [UInt8]) -> String? {
        do {
            let value = try JSONValue(parsing: bytes)
            Issue.record("\(String(decoding: bytes, as: UTF8.self).debugDescription) parsed as \(value)")
            return nil
        } catch {
            #expect(error.code == .corruptData)
            return error.message
        }
    }

    @Test("scalars, containers and whitespace")
    func basics() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == true)
        #expect(try parse("false") == false)
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("-0.0").doubleValue?.sign == .minus)
        #expect(try parse("42") == .int(42))
        #expect(try parse("-17") == .int(-17))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("1.0") == .double(1))
        #expect(try parse("1e2") == .double(100))
        #expect(try parse("1E-2") == .double(0.01))
        #expect(try parse("2.5e+3") == .double(2500))
        #expect(try parse(#""text""#) == "text")
        #expect(try parse("[]") == [])
        #expect(try parse("{}") == [:])
        #expect(try parse(" \t\r\n [ 1 , { \"a\" : [ ] } ] \n") == [1, ["a": []]])
        #expect(try parse(#"{"b":1,"a":2}"#).objectValue?.keys == ["b", "a"])
    }

    @Test("empty input and whitespace only")
    func emptyInput() {
        #expect(failure("")?.contains("empty") == true)
        #expect(failure(" \n\t ")?.contains("empty") == true)
        #expect(failure([0xEF, 0xBB, 0xBF])?.contains("empty") == true)
    }

    @Test("trailing commas and missing separators")
    func commas() {
        #expect(failure("[1,]") != nil)
        #expect(failure("[1,,2]") != nil)
        #expect(failure("[,1]") != nil)
        #expect(failure(#"{"a":1,}"#) != nil)
        #expect(failure(#"{,"a":1}"#) != nil)
        #expect(failure("[1 2]")?.contains("expected ',' or ']'") == true)
        #expect(failure(#"{"a":1 "b":2}"#)?.contains("expected ',' or '}'") == true)
        #expect(failure(#"{"a" 1}"#)?.contains("expected ':'") == true)
        #expect(failure(#"{a: 1}"#)?.contains("expected a quoted key") == true)
        #expect(failure(#"{1: 1}"#) != nil)
    }

    @Test("numbers: leading zeros and malformed forms are refused")
    func malformedNumbers() {
        for text in ["01", "-01", "00", "1.", ".5", "-", "-.5", "+1", "--1", "1e", "1e+", "1E-", "0x10", "1.2.3", "1e5.5", "Infinity1", "- 1", "1_000"] {
            #expect(failure(text) != nil, "\(text)")
        }
        #expect(failure("01")?.contains("leading zero") == true)
    }

    @Test("numbers: 64-bit integers stay exact, larger ones become doubles")
    func largeNumbers() throws {
        #expect(try parse("9223372036854775807") == .int(.max))
        #expect(try parse("-9223372036854775808") == .int(.min))
        #expect(try parse("999999999999999999") == .int(999_999_999_999_999_999))
        #expect(try parse("1000000000000000000") == .int(1_000_000_000_000_000_000))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808.0))
        #expect(try parse("-9223372036854775809") == .double(-9_223_372_036_854_775_808.0))
        #expect(try parse("18446744073709551615") == .double(18_446_744_073_709_551_615.0))
        #expect(try parse("1e400") == .double(.infinity))
        #expect(try parse("-1e400") == .double(-.infinity))
        #expect(try parse("1e-400") == .double(0))
        #expect(try parse(String(repeating: "9", count: 1000)) == .double(.infinity))
        #expect(try parse("0." + String(repeating: "0", count: 1000) + "1") == .double(0))
        #expect(try parse("1" + String(repeating: "0", count: 300)) == .double(1e300))
        #expect(try parse("4.9406564584124654e-324") == .double(.leastNonzeroMagnitude))
        #expect(try parse("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
        #expect(try parse("0.1") == .double(0.1))
        #expect(try parse("1e0000000000000000000001") == .double(10))
    }

    @Test("numbers read exactly like Swift's own correctly rounded conversion")
    func numbersMatchSwiftConversion() throws {
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<20_000 {
            let integerPart = String(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator))
            var text = Bool.random(using: &generator) ? "-" + integerPart : integerPart
            if Bool.random(using: &generator) {
                let digits = Int.random(in: 1...25, using: &generator)
                text += "." + String((0..<digits).map { _ in "0123456789".randomElement(using: &generator) ?? "0" })
            }
            if Bool.random(using: &generator) {
                text += ["e", "E", "e+", "e-", "E-"].randomElement(using: &generator) ?? "e"
                text += String(Int.random(in: 0...330, using: &generator))
            }
            let value = try parse(text)
            switch value {
            case .int(let number):
                #expect(Int64(text) == number, "\(text)")
            case .double(let number):
                let expected = Double(text) ?? .nan
                #expect(number.bitPattern == expected.bitPattern, "\(text): \(number) vs \(expected)")
            default:
                Issue.record("\(text) → \(value)")
            }
        }
    }

    @Test("NaN and infinities as Python's json writes them")
    func nonFinite() throws {
        #expect(try parse("NaN").doubleValue?.isNaN == true)
        #expect(try parse("Infinity") == .double(.infinity))
        #expect(try parse("-Infinity") == .double(-.infinity))
        #expect(try parse("[NaN, -Infinity]")[1] == .double(-.infinity))
        for text in ["nan", "-NaN", "inf", "infinity", "+Infinity", "NaNa", "Inf"] {
            #expect(failure(text) != nil, "\(text)")
        }
    }

    @Test("literals must be complete and exact")
    func literals() {
        for text in ["nul", "tru", "fals", "nulll", "True", "NULL", "t", "n"] {
            #expect(failure(text) != nil, "\(text)")
        }
    }

    @Test("string escapes")
    func escapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == "\"\\/\u{8}\u{C}\n\r\t")
        #expect(try parse(#""\u00e9\u00C9\u0000\u001f""#) == "éÉ\u{0}\u{1F}")
        #expect(try parse(#""\ud83d\ude00""#) == "😀")
        #expect(try parse(#""\uD83D\uDE00 and more""#) == "😀 and more")
        #expect(try parse(#""a\u2028b""#) == "a\u{2028}b")
        #expect(failure(#""\x41""#)?.contains("unknown escape") == true)
        #expect(failure(#""\u12""#) != nil)
        #expect(failure(#""\u12g4""#)?.contains("four hex digits") == true)
        #expect(failure(#""\"#) != nil)
        #expect(failure(#""\u"#) != nil)
        #expect(failure("\"abc") != nil)
        #expect(failure("\"abc\\n") != nil)
    }

    @Test("lone surrogates become U+FFFD")
    func loneSurrogates() throws {
        #expect(try parse(#""\ud800""#) == "\u{FFFD}")
        #expect(try parse(#""\udc00x""#) == "\u{FFFD}x")
        #expect(try parse(#""\ud800\u0041""#) == "\u{FFFD}A")
        #expect(try parse(#""\ude00\ud83d""#) == "\u{FFFD}\u{FFFD}")
        #expect(try parse(#""\ud800\ud83d\ude00""#) == "\u{FFFD}😀")
        #expect(try parse(#""x\ud800""#) == "x\u{FFFD}")
    }

    @Test("control characters must be escaped; DEL and non-ASCII need not be")
    func controlCharacters() throws {
        for byte: UInt8 in 0..<0x20 {
            #expect(failure([0x22, byte, 0x22])?.contains("control character") == true)
            #expect(failure([0x22, 0x5C, 0x6E, byte, 0x22])?.contains("control character") == true)
        }
        #expect(try parseBytes([0x22, 0x7F, 0x22]) == "\u{7F}")
        #expect(try parse("\"é😀\u{2028}\"") == "é😀\u{2028}")
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],                   // never valid
            [0x22, 0xC3, 0x22],                   // truncated two-byte sequence
            [0x22, 0xC0, 0xAF, 0x22],             // overlong "/"
            [0x22, 0xED, 0xA0, 0x80, 0x22],       // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // above U+10FFFF
            [0x22, 0x80, 0x22],                   // lone continuation byte
            [0x22, 0x5C, 0x6E, 0xFF, 0x22],       // after an escape
            [0x22, 0xE2, 0x82],                   // truncated at the end
            [0xFF],                               // outside a string
            [0x5B, 0x31, 0x2C, 0xC3, 0xA9, 0x5D], // é outside a string
        ]
        for bytes in cases {
            #expect(failure(bytes) != nil, "\(bytes)")
        }
        #expect(failure([0x22, 0xFF, 0x22])?.contains("UTF-8") == true)
    }

    @Test("a byte-order mark is skipped only at the start")
    func byteOrderMark() throws {
        #expect(try parseBytes([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
        #expect(failure([0x5B, 0xEF, 0xBB, 0xBF, 0x31, 0x5D]) != nil)
        #expect(failure([0x20, 0xEF, 0xBB, 0xBF, 0x31]) != nil)
    }

    @Test("text after the value is refused")
    func trailingText() {
        #expect(failure("1 2")?.contains("after the value") == true)
        #expect(failure("[] []") != nil)
        #expect(failure("{}x") != nil)
        #expect(failure("null\u{0}") != nil)
    }

    @Test("unterminated containers")
    func unterminated() {
        #expect(failure("[")?.contains("ends") == true)
        #expect(failure("[1")?.contains("ends inside an array") == true)
        #expect(failure(#"{"a":1"#)?.contains("ends inside an object") == true)
        #expect(failure(#"{"a":"#)?.contains("ends where a value was expected") == true)
        #expect(failure(#"{"a""#) != nil)
        #expect(failure("]") != nil)
        #expect(failure("}") != nil)
        #expect(failure("[}") != nil)
        #expect(failure(#"{"a":1]"#) != nil)
    }

    @Test("errors name the source and the byte offset")
    func errorMessages() {
        do {
            _ = try JSONValue(parsing: "[1, 2, x]", options: JSONParsingOptions(sourceName: "items.json"))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .corruptData)
            #expect(error.message == "items.json is not valid JSON: unexpected character 'x' at byte 7.")
        }
        #expect(failure([0x01])?.contains("'\\x01'") == true)
    }

    @Test("a repeated key keeps its first position and its last value, as a Python dict does")
    func duplicateKeys() throws {
        let value = try parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test("canonically equivalent keys stay distinct")
    func canonicallyEquivalentKeys() throws {
        let value = try parse("{\"\u{E9}\": 1, \"e\u{301}\": 2}")
        #expect(value.objectValue?.count == 2)
        #expect(value["\u{E9}"] == 1)
        #expect(value["e\u{301}"] == 2)
        #expect(value.formatted(indented: false) == "{\"\u{E9}\":1,\"e\u{301}\":2}")
    }

    @Test("every proper prefix of a document is refused, never crashes")
    func truncations() {
        let text = #"{"name": "run", "values": [1, -2.5e-3, true, null, {"k": "\u00e9\n"}], "empty": {}, "t": "x"}"#
        let bytes = Array(text.utf8)
        for length in 0..<bytes.count {
            #expect(throws: DataFolioError.self) { try JSONValue(parsing: Array(bytes[..<length])) }
        }
        #expect((try? JSONValue(parsing: bytes)) != nil)
    }

    @Test("random corruption gives a value or a DataFolioError, never a crash")
    func fuzz() {
        var generator = SeededGenerator(seed: 11)
        let seed = Array(#"{"a": [1, 2.5, "x\u00e9\n", {"b": null, "c": [true, false, -0.0]}], "d": "😀", "e": 1e-7}"#.utf8)
        let interesting: [UInt8] = Array("[]{}\",:\\-+.eE0123456789tfnul aNI".utf8) + [0x00, 0x7F, 0xC3, 0xFF, 0xED, 0xA0]
        var parsed = 0
        for _ in 0..<20_000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = interesting.randomElement(using: &generator) ?? 0
                case 1: bytes.remove(at: position)
                default: bytes.insert(interesting.randomElement(using: &generator) ?? 0, at: position)
                }
                if bytes.isEmpty { bytes = [0x30] }
            }
            if (try? JSONValue(parsing: bytes)) != nil { parsed += 1 }
        }
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? JSONValue(parsing: bytes)
        }
        #expect(parsed > 0)
    }

    @Test("parsing what the writer writes gives the value back")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let value = RandomJSON.value(depth: 5, using: &generator)
            #expect(try JSONValue(parsing: value.formattedBytes()) == value)
            #expect(try JSONValue(parsing: value.formatted(indented: false)) == value)
        }
    }

    @Test("raw-buffer and string entry points agree")
    func entryPoints() throws {
        let text = #"{"a": [1, "é"]}"#
        let fromString = try JSONValue(parsing: text)
        let fromBytes = try JSONValue(parsing: Array(text.utf8))
        let fromBuffer = try Array(text.utf8).withUnsafeBytes { raw throws(DataFolioError) in try JSONValue(parsing: raw) }
        #expect(fromString == fromBytes)
        #expect(fromBuffer == fromBytes)
    }
}
