import DataFolioJSON
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Float formatting matches orjson")
struct FloatFormattingInteropTests {
    static let script = """
    import orjson, struct, sys
    out = []
    with open(sys.argv[1]) as f:
        for line in f:
            value = struct.unpack('>d', bytes.fromhex(line.strip()))[0]
            out.append(orjson.dumps(value).decode())
    print('\\n'.join(out))
    """

    @Test("every sample double formats byte for byte like orjson", .interop)
    func samplesMatchOrjson() throws {
        let values = DoubleSamples.make()
        let hex = values.map { String(format: "%016llx", $0.bitPattern) }
        let expected = try PythonJSON.run(Self.script, lines: hex)
        try #require(expected.count == values.count)
        var mismatches = [String]()
        for (value, python) in zip(values, expected) {
            let swift = JSONNumberFormatting.string(for: value)
            if swift != python { mismatches.append("\(String(format: "%016llx", value.bitPattern)): Swift \(swift), orjson \(python)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(values.count) differ, e.g. \(mismatches.prefix(20))")
    }

    @Test("orjson's text parses back to the same bits", .interop)
    func orjsonTextParsesExactly() throws {
        let values = DoubleSamples.make(seed: 7, randomCount: 2000)
        let hex = values.map { String(format: "%016llx", $0.bitPattern) }
        let texts = try PythonJSON.run(Self.script, lines: hex)
        try #require(texts.count == values.count)
        var mismatches = [String]()
        for (value, text) in zip(values, texts) {
            let parsed = try JSONValue(parsing: text)
            guard case .double(let number) = parsed, number.bitPattern == value.bitPattern else {
                mismatches.append("\(text) → \(parsed)")
                continue
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test("NaN and infinities are written as null, as orjson does", .interop)
    func nonFiniteMatchOrjson() throws {
        let values = [Double.nan, .infinity, -.infinity, -Double.nan, Double(bitPattern: 0x7FF0_0000_0000_0001)]
        let expected = try PythonJSON.run(Self.script, lines: values.map { String(format: "%016llx", $0.bitPattern) })
        #expect(expected == Array(repeating: "null", count: values.count))
        #expect(values.map { JSONNumberFormatting.string(for: $0) } == expected)
    }

    @Test("an array of doubles is one byte-identical document", .interop)
    func arrayDocumentMatchesOrjson() throws {
        let values = DoubleSamples.make(seed: 99, randomCount: 500)
        let script = """
        import orjson, struct, sys
        with open(sys.argv[1]) as f:
            values = [struct.unpack('>d', bytes.fromhex(line.strip()))[0] for line in f]
        sys.stdout.write(orjson.dumps(values, option=orjson.OPT_INDENT_2).hex())
        """
        let output = try PythonJSON.run(script, lines: values.map { String(format: "%016llx", $0.bitPattern) })
        let swift = JSONValue.array(values.map { .double($0) }).formattedBytes()
        #expect(PythonJSON.hex(swift) == output.first)
    }
}
