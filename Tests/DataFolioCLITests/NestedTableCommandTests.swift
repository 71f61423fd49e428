import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Nested columns through `head` and `export`: compact cells in the terminal, JSON objects
/// and arrays in JSON, JSON text in CSV.
@Suite("Nested columns in the datafolio command")
struct NestedTableCommandTests {
    static func folio(_ temp: TemporaryFolder) throws -> [String] {
        let table = try Table([
            Column(name: "id", [1, 2] as [Int64]),
            try Column(
                name: "point", type: .struct([.init("x", .int64), .init("tag", .string)]),
                values: [.struct([("x", 1), ("tag", "a,\"b\"")]), .null]),
            try Column(name: "scores", type: .map(key: .string, value: .float64), values: [.map([("m", 1.5)]), .map([])]),
            try Column(name: "codes", type: .map(key: .int32, value: .string), values: [.map([(7, "x")]), .null]),
            try Column(name: "grid", type: .list(.list(.int64)), values: [[[1, 2], []], .null]),
        ])
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("t", table)
        return ["-f", temp.path("f")]
    }

    @Test func headShowsNestedValuesCompactly() throws {
        let temp = TemporaryFolder("cli-nested-head")
        let f = try Self.folio(temp)
        let head = try CLI.run(f + ["head", "t"], environment: ["COLUMNS": "200"])
        #expect(head.status == 0)
        #expect(head.stdout.contains(#"{x: 1, tag: "a,\"b\""}"#), "\(head.stdout)")
        #expect(head.stdout.contains(#"{"m": 1.5}"#))
        #expect(head.stdout.contains("[[1, 2], []]"))
        let json = try JSONValue(parsing: try CLI.run(f + ["head", "t", "--json"]).stdout)
        #expect(json[0]?["point"] == ["x": 1, "tag": "a,\"b\""])
        let projected = try JSONValue(parsing: try CLI.run(f + ["head", "t", "--columns", "point.x,grid", "--json"]).stdout)
        #expect(projected[0]?["point.x"] == 1)
        #expect(projected[1]?["point.x"] == .null)
    }

    @Test func exportWritesNestedValuesAsJSON() throws {
        let temp = TemporaryFolder("cli-nested-export")
        let f = try Self.folio(temp)
        #expect(try CLI.run(f + ["export", "t", "--to", temp.path("out.json")]).status == 0)
        let rows = try JSONValue(parsing: try String(contentsOfFile: temp.path("out.json"), encoding: .utf8))
        #expect(rows[0]?["point"] == ["x": 1, "tag": "a,\"b\""])
        #expect(rows[1]?["point"] == .null)
        // Maps are objects when their keys are text, lists of pairs otherwise.
        #expect(rows[0]?["scores"] == ["m": 1.5])
        #expect(rows[1]?["scores"] == [:])
        #expect(rows[0]?["codes"] == [[7, "x"]])
        #expect(rows[0]?["grid"] == [[1, 2], []])
        #expect(try CLI.run(f + ["export", "t", "--to", temp.path("out.csv")]).status == 0)
        let csv = try String(contentsOfFile: temp.path("out.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "id,point,scores,codes,grid")
        #expect(csv[1] == #"1,"{""x"": 1, ""tag"": ""a,\""b\""""}","{""m"": 1.5}","[[7, ""x""]]","[[1, 2], []]""#)
        #expect(csv[2] == "2,,{},,")
    }
}
