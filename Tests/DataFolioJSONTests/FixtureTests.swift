import DataFolioJSON
import DataFolioTestSupport
import Foundation
import Testing

/// Files written by orjson and Python's json (see Fixtures/make_fixtures.py), so the
/// byte-for-byte checks also run where Python is not installed.
@Suite("Committed fixtures")
struct FixtureTests {
    func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixturesFolder().appendingPathComponent(name)))
    }

    @Test("an orjson document is read and written back byte for byte")
    func orjsonDocument() throws {
        let bytes = try fixture("orjson-document.json")
        let value = try JSONValue(parsing: bytes)
        #expect(value.formattedBytes() == bytes)
        #expect(value["keys"]?.objectValue?.count == 6)
        #expect(value["numbers"]?[17] == .null)
        #expect(value["numbers"]?[5]?.doubleValue?.sign == .minus)
    }

    @Test("orjson's text for each double, both ways")
    func orjsonFloats() throws {
        let lines = String(decoding: try fixture("orjson-floats.txt"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count > 150)
        for line in lines {
            let parts = line.split(separator: " ")
            try #require(parts.count == 2)
            let bits = try #require(UInt64(parts[0], radix: 16))
            let value = Double(bitPattern: bits)
            #expect(JSONNumberFormatting.string(for: value) == String(parts[1]), "\(parts[0])")
            guard case .double(let parsed) = try JSONValue(parsing: String(parts[1])) else {
                Issue.record("\(parts[1]) did not parse as a double")
                continue
            }
            #expect(parsed.bitPattern == bits)
        }
    }

    @Test("Python's json output reads to the value orjson writes")
    func pythonJSON() throws {
        let value = try JSONValue(parsing: try fixture("python-json.json"))
        #expect(value.formattedBytes() == (try fixture("python-json.expected.json")))
        #expect(value["values"]?[3]?.doubleValue?.isNaN == true)
    }
}
