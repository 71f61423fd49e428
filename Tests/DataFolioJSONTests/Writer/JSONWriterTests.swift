import DataFolioJSON
import Testing

@Suite("Writer")
struct JSONWriterTests {
    @Test("layout: 2-space indent, \"key\": value, empty containers inline, no trailing newline")
    func layout() {
        let value: JSONValue = [
            "name": "run", "values": [1, 2.5, nil, true], "empty_list": [], "empty_object": [:],
            "nested": ["a": [[], [:], [1]], "b": ["c": "d"]],
        ]
        #expect(value.formatted() == """
        {
          "name": "run",
          "values": [
            1,
            2.5,
            null,
            true
          ],
          "empty_list": [],
          "empty_object": {},
          "nested": {
            "a": [
              [],
              {},
              [
                1
              ]
            ],
            "b": {
              "c": "d"
            }
          }
        }
        """)
        #expect(value.formatted(indented: false)
            == #"{"name":"run","values":[1,2.5,null,true],"empty_list":[],"empty_object":{},"nested":{"a":[[],{},[1]],"b":{"c":"d"}}}"#)
        #expect(value.description == value.formatted(indented: false))
        #expect(value.formattedBytes().last == UInt8(ascii: "}"))
    }

    @Test("top-level scalars are bare")
    func scalars() {
        #expect(JSONValue.int(42).formatted() == "42")
        #expect(JSONValue.double(0.1).formatted() == "0.1")
        #expect(JSONValue.string("hello").formatted() == "\"hello\"")
        #expect(JSONValue.bool(true).formatted() == "true")
        #expect(JSONValue.bool(false).formatted() == "false")
        #expect(JSONValue.null.formatted() == "null")
        #expect(JSONValue.array([]).formatted() == "[]")
        #expect(JSONValue.object([:]).formatted() == "{}")
    }

    @Test("integers")
    func integers() {
        let cases: [(Int64, String)] = [
            (0, "0"), (7, "7"), (-7, "-7"), (10, "10"), (1_000_000, "1000000"),
            (.max, "9223372036854775807"), (.min, "-9223372036854775808"), (.min + 1, "-9223372036854775807"),
        ]
        for (number, text) in cases {
            #expect(JSONValue.int(number).formatted() == text)
        }
    }

    @Test("doubles in the orjson style (FORMAT.md §9)")
    func doubles() {
        let cases: [(Double, String)] = [
            (1705332600.0, "1705332600.0"), (3.0, "3.0"), (100.0, "100.0"), (0.00001, "0.00001"),
            (0.0000435, "0.0000435"), (9999999999999998.0, "9999999999999998.0"), (1e16, "1e+16"),
            (1.2345678901234568e18, "1.2345678901234568e+18"), (1.5e-7, "1.5e-7"), (.leastNonzeroMagnitude, "5e-324"),
            (-0.0, "-0.0"), (0.0, "0.0"), (0.1, "0.1"), (-2.5, "-2.5"), (1705314600.123456, "1705314600.123456"),
            (0.1 + 0.2, "0.30000000000000004"), (1.0 / 3.0, "0.3333333333333333"), (123456.789, "123456.789"),
            (9.999999999999999e-6, "9.999999999999999e-6"), (1e21, "1e+21"), (1e-5.nextDown, "9.999999999999999e-6"),
            (.greatestFiniteMagnitude, "1.7976931348623157e+308"), (-1e100, "-1e+100"), (2.5e-300, "2.5e-300"),
            (1e15, "1000000000000000.0"), (123e-20, "1.23e-18"), (0.5, "0.5"), (12.0, "12.0"),
        ]
        for (number, text) in cases {
            #expect(JSONNumberFormatting.string(for: number) == text, "\(number)")
            #expect(JSONValue.double(number).formatted() == text)
        }
    }

    @Test("NaN and infinities are written as null")
    func nonFinite() {
        #expect(JSONValue.double(.nan).formatted() == "null")
        #expect(JSONValue.double(.infinity).formatted() == "null")
        #expect(JSONValue.double(-.infinity).formatted() == "null")
        #expect(JSONValue.array([.double(.nan), 1.5]).formatted(indented: false) == "[null,1.5]")
    }

    @Test("string escapes: short forms, \\u00XX lowercase, nothing else")
    func strings() {
        let cases: [(String, String)] = [
            ("\"", #""\"""#), ("\\", #""\\""#), ("/", #""/""#), ("\u{8}", #""\b""#), ("\u{C}", #""\f""#),
            ("\n", #""\n""#), ("\r", #""\r""#), ("\t", #""\t""#), ("\u{0}", #""\u0000""#), ("\u{1F}", #""\u001f""#),
            ("\u{1B}", #""\u001b""#), ("\u{7F}", "\"\u{7F}\""), ("é", "\"é\""), ("😀", "\"😀\""),
            ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""), ("a\"b\\c/d\ne", #""a\"b\\c/d\ne""#), ("", #""""#),
        ]
        for (text, json) in cases {
            #expect(JSONValue.string(text).formatted() == json, "\(text.debugDescription)")
        }
        #expect(JSONValue.object(["a\nb": 1]).formatted(indented: false) == #"{"a\nb":1}"#)
    }

    @Test("object keys keep insertion order, never sorted")
    func keyOrder() {
        var object = JSONObject()
        for key in ["zeta", "alpha", "mu", "beta"] { object[key] = .string(key) }
        #expect(JSONValue.object(object).formatted(indented: false) == #"{"zeta":"zeta","alpha":"alpha","mu":"mu","beta":"beta"}"#)
    }

    @Test("write(into:) appends to what is already in the buffer")
    func appends() {
        var out = Array("prefix:".utf8)
        JSONValue.array([1, 2]).write(into: &out, indented: false)
        #expect(String(decoding: out, as: UTF8.self) == "prefix:[1,2]")
    }

    @Test("large documents")
    func largeDocument() throws {
        let rows = (0..<20_000).map { i -> JSONValue in ["id": .int(Int64(i)), "score": .double(Double(i) / 8), "label": .string("row \(i)")] }
        let value = JSONValue.array(rows)
        let bytes = value.formattedBytes()
        #expect(bytes.count > 1_000_000)
        #expect(try JSONValue(parsing: bytes) == value)
    }
}
