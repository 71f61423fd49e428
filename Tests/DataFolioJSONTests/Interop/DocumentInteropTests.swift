import DataFolioJSON
import DataFolioTestSupport
import Foundation
import Testing

/// Whole documents: Swift's compact text goes to Python's own `json` module (which is
/// independent of orjson), orjson writes it again, and Swift's output must be the same bytes.
@Suite("Documents match orjson")
struct DocumentInteropTests {
    static let script = """
    import json, orjson, sys
    out = []
    with open(sys.argv[1]) as f:
        for line in f:
            value = json.loads(bytes.fromhex(line.strip()).decode('utf-8'))
            out.append(orjson.dumps(value, option=orjson.OPT_INDENT_2).hex() + ' ' + orjson.dumps(value).hex())
    print('\\n'.join(out))
    """

    func compare(_ documents: [JSONValue]) throws {
        let lines = documents.map { PythonJSON.hex($0.formattedBytes(indented: false)) }
        let output = try PythonJSON.run(Self.script, lines: lines)
        try #require(output.count == documents.count)
        for (document, line) in zip(documents, output) {
            let parts = line.split(separator: " ").map(String.init)
            try #require(parts.count == 2)
            let indented = document.formattedBytes()
            let compact = document.formattedBytes(indented: false)
            #expect(PythonJSON.hex(indented) == parts[0], "indented: Swift\n\(String(decoding: indented, as: UTF8.self))\norjson\n\(String(decoding: PythonJSON.bytes(hex: parts[0]), as: UTF8.self))")
            #expect(PythonJSON.hex(compact) == parts[1], "compact: Swift \(String(decoding: compact, as: UTF8.self))")
        }
    }

    @Test("random nested objects and arrays, including empty ones", .interop)
    func randomDocuments() throws {
        var generator = SeededGenerator(seed: 42)
        var documents: [JSONValue] = [
            [:], [], [[]], [[:]], ["a": [:], "b": []], [[], [:], [[]], [[:]]], "text", 0, -0.0, 1.5, nil, true, false,
            ["z": 1, "a": 2, "m": ["y": nil, "b": [1, 2.0, "3"]]],
        ]
        for _ in 0..<400 { documents.append(RandomJSON.value(depth: 4, using: &generator)) }
        try compare(documents)
    }

    @Test("deep nesting writes the same indentation", .interop)
    func deepNesting() throws {
        // orjson refuses to write deeper than 254 levels.
        try compare([RandomJSON.nested(depth: 60), RandomJSON.nested(depth: 250)])
    }

    @Test("a catalog-like document", .interop)
    func catalogLike() throws {
        let catalog: JSONValue = [
            "schema_version": 2, "revision": 7,
            "metadata": ["created_at": "2024-01-15T10:30:00.123456+00:00", "tags": [], "notes": nil],
            "items": [
                ["name": "config", "item_type": "json_data", "filename": "config--r1.json", "checksum": "5d41402abc4b2a76b9719d911017c592",
                 "data_type": "dict", "created_at": "2024-01-15T10:30:00+00:00", "inputs": ["raw/data.csv"], "version_id": "r1", "is_current": true],
                ["name": "when", "item_type": "timestamp", "unix_timestamp": 1705314600.123456, "iso_string": "2024-01-15T10:30:00.123456+00:00"],
            ],
            "snapshots": [:],
        ]
        try compare([catalog])
    }
}

@Suite("Parsing what Python writes")
struct PythonParsingInteropTests {
    @Test("json.dumps and orjson.dumps output parses to the value orjson writes back", .interop)
    func parsesPythonOutput() throws {
        let script = """
        import json, orjson, math
        docs = [
            {"a": 1, "b": [1.5, -2, 1e-05, 1e+16, 1.2345678901234568e+18, 5e-324, 0.1], "c": None, "d": True, "e": "é\\n\\u2028😀/", "f": {}},
            [[], {}, [[]], {"x": [{}]}],
            "\\u0000\\u001f\\"\\\\",
            -0.0, 0, -9223372036854775808, 9223372036854775807, 1.7976931348623157e308,
            {"nested": {"deeper": {"deepest": [1, 2, {"k": "v"}]}}},
            {"keys with spaces": 1, "ключ": 2, "🔑": 3, "": 4},
            [float(i) / 7 for i in range(-20, 20)],
        ]
        lines = []
        for doc in docs:
            canonical = orjson.dumps(doc, option=orjson.OPT_INDENT_2).hex()
            for text in (json.dumps(doc), json.dumps(doc, indent=4), json.dumps(doc, ensure_ascii=False),
                         json.dumps(doc, separators=(',', ':')), json.dumps(doc, indent='\\t', sort_keys=True),
                         orjson.dumps(doc).decode(), orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode()):
                sorted_canonical = orjson.dumps(json.loads(text), option=orjson.OPT_INDENT_2).hex()
                lines.append(text.encode().hex() + ' ' + sorted_canonical)
        print('\\n'.join(lines))
        """
        let output = try InteropPython.run(script).stdout.split(separator: "\n")
        #expect(output.count == 11 * 7)
        for line in output {
            let parts = line.split(separator: " ").map(String.init)
            try #require(parts.count == 2)
            let text = PythonJSON.bytes(hex: parts[0])
            let value = try JSONValue(parsing: text)
            #expect(PythonJSON.hex(value.formattedBytes()) == parts[1], "\(String(decoding: text, as: UTF8.self))")
        }
    }

    @Test("json.dumps with NaN and Infinity parses", .interop)
    func parsesNonFinite() throws {
        let script = """
        import json
        print(json.dumps({"nan": float("nan"), "inf": float("inf"), "ninf": float("-inf"), "list": [float("nan"), 1.0]}))
        """
        let text = try InteropPython.run(script).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text == #"{"nan": NaN, "inf": Infinity, "ninf": -Infinity, "list": [NaN, 1.0]}"#)
        let value = try JSONValue(parsing: text)
        #expect(value["nan"]?.doubleValue?.isNaN == true)
        #expect(value["inf"] == .double(.infinity))
        #expect(value["ninf"] == .double(-.infinity))
        #expect(value["list"]?[0]?.doubleValue?.isNaN == true)
        #expect(value["list"]?[1] == .double(1))
        // Written back the way orjson writes them.
        #expect(value.formatted(indented: false) == #"{"nan":null,"inf":null,"ninf":null,"list":[null,1.0]}"#)
    }

    @Test("Swift's output is read by Python's json and orjson to the same value", .interop)
    func pythonReadsSwiftOutput() throws {
        var generator = SeededGenerator(seed: 3)
        let documents = (0..<100).map { _ in RandomJSON.value(depth: 4, using: &generator) }
        let script = """
        import json, orjson, sys
        ok = 0
        with open(sys.argv[1]) as f:
            for line in f:
                data = bytes.fromhex(line.strip())
                a = json.loads(data)
                b = orjson.loads(data)
                assert orjson.dumps(a, option=orjson.OPT_INDENT_2) == data, data
                assert orjson.dumps(b, option=orjson.OPT_INDENT_2) == data, data
                ok += 1
        print(ok)
        """
        let output = try PythonJSON.run(script, lines: documents.map { PythonJSON.hex($0.formattedBytes()) })
        #expect(output == ["100"])
    }
}
