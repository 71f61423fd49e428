import DataFolioJSON
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// The JSON of rows as the command line builds it from cells (``Column/jsonValue(at:)``):
/// the reference the streaming writer must match byte for byte.
enum ReferenceJSON {
    static func rows(_ table: Table) -> JSONValue {
        .array((0..<table.rowCount).map { row in
            .object(JSONObject(table.columns.map { ($0.name, $0.jsonValue(at: row)) }))
        })
    }
}

/// A table with a column of every kind, nulls, and awkward text.
func everyKindTable(rows: Int = 40) throws -> Table {
    var generator = SeededRandom(seed: 0xC5F0_0010)
    func maybe<T>(_ value: T) -> T? { Int.random(in: 0..<5, using: &generator) == 0 ? nil : value }
    let texts = ["plain", "with, comma", "quote \" inside", "line\nbreak", "tab\there", "", "ünïcödé 🎉", "\u{1}ctl", "back\\slash", "  "]
    return try Table([
        Column(name: "i8", (0..<rows).map { maybe(Int8(truncatingIfNeeded: $0 * 37)) }),
        Column(name: "i64", (0..<rows).map { _ in maybe(Int64.random(in: .min ... .max, using: &generator)) }),
        Column(name: "u64", (0..<rows).map { _ in maybe(UInt64.random(in: 0 ... .max, using: &generator)) }),
        Column(name: "f32", (0..<rows).map { maybe(Float($0) / 3) }),
        Column(name: "f64", (0..<rows).map { i -> Double? in
            maybe([0.1, -0.0, 1e16, 1.5e-7, .nan, .infinity, 3.0, 123_456.789, .leastNonzeroMagnitude][i % 9])
        }),
        Column(name: "half", float16: (0..<rows).map { Float($0) / 8 }),
        Column(name: "flag", (0..<rows).map { maybe($0 % 3 == 0) }),
        Column(name: "text", strings: (0..<rows).map { maybe(texts[$0 % texts.count]) }),
        Column(name: "blob", binary: (0..<rows).map { maybe([UInt8](repeating: UInt8($0 % 256), count: $0 % 5)) }),
        Column(name: "uuid", fixedWidth: 4, binary: (0..<rows).map { maybe([1, 2, 3, UInt8($0 % 256)]) }),
        Column(name: "day", daysSinceEpoch: (0..<rows).map { maybe(Int32($0 * 1000 - 20_000)) }),
        Column(name: "at", timestamps: (0..<rows).map { maybe(Int64($0) * 1_234_567_891 - 9_000_000_000) }, unit: .nanosecond, timeZone: "UTC"),
        Column(name: "naive", timestamps: (0..<rows).map { maybe(Int64($0) * 1_000_001) }, unit: .microsecond),
        Column(name: "price", decimals: (0..<rows).map { maybe("\($0 - 20).\($0 % 100)") }, precision: 10, scale: 2),
        Column(name: "colour", categories: (0..<rows).map { maybe(["red", "green", "blue"][$0 % 3]) }),
        Column(name: "tags", type: .list(.string), values: (0..<rows).map { i -> TableValue in
            i % 4 == 0 ? .null : .list((0..<(i % 3)).map { .string("t\($0)") })
        }),
    ])
}

@Suite("Table writers")
struct TableWriterTests {
    @Test func jsonMatchesTheReferenceByteForByte() throws {
        let table = try everyKindTable()
        let expected = ReferenceJSON.rows(table).formattedBytes() + [0x0A]
        #expect(table.jsonBytes() == expected)
        // Written in uneven batches.
        let output = MemoryOutput()
        let writer = JSONTableWriter(output: output, schema: TableSchema(of: table))
        var start = 0
        for size in [1, 0, 7, 13, 100] where start < table.rowCount {
            let end = min(table.rowCount, start + size)
            try writer.write(table.rows(start..<end))
            start = end
        }
        try writer.finish()
        #expect(output.bytes == expected)
        #expect(writer.rowsWritten == table.rowCount)
        #expect(table.jsonBytes(rows: 3..<5) == ReferenceJSON.rows(table.rows(3..<5)).formattedBytes() + [0x0A])
    }

    @Test func jsonLinesHoldOneCompactObjectPerRow() throws {
        let table = try everyKindTable()
        let lines = table.jsonBytes(format: .lines).split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.count == table.rowCount + 1 && lines.last?.isEmpty == true)
        let reference = ReferenceJSON.rows(table).arrayValue ?? []
        for (line, row) in zip(lines, reference) {
            #expect(Array(line) == row.formattedBytes(indented: false))
        }
    }

    @Test func emptyTablesAndShapes() throws {
        let empty = try Table([Column(name: "a", [Int64]())])
        #expect(String(decoding: empty.jsonBytes(), as: UTF8.self) == "[]\n")
        #expect(empty.jsonBytes(format: .lines).isEmpty)
        #expect(try empty.csvText() == "a\n")
        let noColumns = try Table([Column(name: "a", [1, 2])]).selecting([])
        #expect(noColumns.jsonBytes() == ReferenceJSON.rows(noColumns).formattedBytes() + [0x0A])

        // A writer that got no batch still writes its header (CSV) or empty array (JSON).
        let schema = TableSchema([.init(name: "x y", type: .int64), .init(name: "q\"", type: .string)])
        let csv = MemoryOutput()
        var batches = TableBatches(Table(schema: schema))
        try batches.copy(to: CSVTableWriter(output: csv, schema: schema))
        #expect(String(decoding: csv.bytes, as: UTF8.self) == "x y,\"q\"\"\"\n")
        let json = MemoryOutput()
        let writer = JSONTableWriter(output: json, schema: schema)
        try writer.finish()
        #expect(json.bytes == Array("[]\n".utf8))
        #expect(throws: DataFolioError.self) { try writer.write(Table(schema: schema)) }
        // Batches must have the writer's columns.
        let other = JSONTableWriter(output: MemoryOutput(), schema: schema)
        #expect(throws: DataFolioError.self) { try other.write(empty) }
        #expect(throws: DataFolioError.self) { try CSVTableWriter(output: MemoryOutput(), schema: schema).write(empty) }
    }

    @Test func csvInBatchesEqualsCSVInOnePiece() throws {
        let table = try everyKindTable(rows: 20_000)
        let whole = try table.csvBytes()
        let output = MemoryOutput()
        var reader = TableBatches(table, batchRowCount: 3000)
        let rows = try reader.copy(to: try CSVTableWriter(output: output, schema: TableSchema(of: table)))
        #expect(rows == table.rowCount)
        #expect(output.bytes == whole)
        // And it reads back to the same text.
        let again = try Table(csv: whole, options: CSVReadOptions(columnTypes: ["text": .string]))
        #expect(again["text"]?.strings() == table["text"]?.strings())
    }

    @Test func csvOfOneColumnKeepsBlankValues() throws {
        let table = try Table([Column(name: "v", strings: ["a", "", "  ", nil, "\t"])])
        let text = try table.csvText()
        #expect(text == "v\na\n\"\"\n\"  \"\n\"\"\n\"\t\"\n")
        let again = try Table(csvText: text)
        #expect(again.rowCount == 5)
        #expect(again["v"]?.strings() == ["a", "", "  ", "", "\t"])
    }

    @Test func writesToFiles() throws {
        let folder = TemporaryFolder("writers")
        let table = try everyKindTable(rows: 100)
        let file = try FileWriter(creating: folder.path("out.jsonl"), computeMD5: true)
        let writer = JSONTableWriter(output: file, schema: TableSchema(of: table), format: .lines)
        try writer.write(table)
        try writer.finish()
        let digest = try file.finish(sync: false)
        let bytes = try LocalFile.read(folder.path("out.jsonl"))
        #expect(bytes == table.jsonBytes(format: .lines))
        #expect(digest == MD5.hex(of: bytes))
        // Writers that create their own file refuse to replace one.
        let csv = try CSVTableWriter(path: folder.path("out.csv"), schema: TableSchema(of: table))
        try csv.write(table)
        try csv.finish()
        #expect(try LocalFile.read(folder.path("out.csv")) == table.csvBytes())
        let json = try JSONTableWriter(path: folder.path("out.json"), schema: TableSchema(of: table))
        try json.write(table)
        try json.finish()
        #expect(try LocalFile.read(folder.path("out.json")) == table.jsonBytes())
        #expect(throws: DataFolioError.self) { try CSVTableWriter(path: folder.path("out.csv"), schema: TableSchema(of: table)) }
        #expect(throws: DataFolioError.self) { try JSONTableWriter(path: folder.path("out.json"), schema: TableSchema(of: table)) }
    }
}
