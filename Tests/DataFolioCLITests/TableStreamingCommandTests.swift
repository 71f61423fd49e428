import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// `add`, `export` and `head` on tables, streamed batch by batch.
@Suite("Streaming table commands")
struct TableStreamingCommandTests {
    static func folioWithCSV(_ temp: TemporaryFolder, rows: Int) throws -> (folio: String, csv: String) {
        let csv = temp.path("big.csv")
        var text = "id,x,zip,city\n"
        for row in 0..<rows { text += "\(row),\(Double(row) / 2),0\(row % 90 + 10),\(row % 4 == 0 ? "-" : "Oslo")\n" }
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let folio = temp.path("folio")
        _ = try DataFolio(at: folio)
        return (folio, csv)
    }

    @Test func addStreamsACSVWithOptionsIntoRowGroups() throws {
        let temp = TemporaryFolder("cli-stream-add")
        let (folio, csv) = try Self.folioWithCSV(temp, rows: 300_000)
        let added = try CLI.run(["-f", folio, "add", csv, "--name", "big", "--dtype", "zip=string", "--na-values", "-"])
        #expect(added.status == 0, "\(added.stderr)")
        // Piped: no progress bar on standard error.
        #expect(!added.stderr.contains("\r"))
        let opened = try DataFolio(at: folio)
        let table = try opened.get("big", as: Table.self)
        #expect(table.rowCount == 300_000)
        #expect(table["zip"]?.type == .string)
        #expect(table["zip"]?[0] == .string("010"))
        #expect(table["city"]?[0] == .null && table["city"]?[1] == .string("Oslo"))
        // The CSV reader's batches (131,072 rows) became row groups: the file was never whole in memory.
        #expect(try opened.parquetReader(of: "big").rowGroupCount == 3)

        let bad = try CLI.run(["-f", folio, "add", csv, "--name", "bad", "--dtype", "zip"])
        #expect(bad.status != 0 && bad.stderr.contains("COLUMN=TYPE"))
        let notCSV = temp.path("x.json")
        try "{}".write(toFile: notCSV, atomically: true, encoding: .utf8)
        let misplaced = try CLI.run(["-f", folio, "add", notCSV, "--delimiter", ";"])
        #expect(misplaced.status != 0 && misplaced.stderr.contains("CSV files only"))
    }

    @Test func addReadsDelimitersEncodingsAndHeaderlessFiles() throws {
        let temp = TemporaryFolder("cli-stream-options")
        let folio = temp.path("folio")
        _ = try DataFolio(at: folio)
        let semicolons = temp.path("s.csv")
        try Data([0x61, 0x3B, 0x62, 0x0A, 0xE6, 0x3B, 0x31, 0x0A]).write(to: URL(fileURLWithPath: semicolons))  // "a;b\næ;1" in Latin-1
        let added = try CLI.run(["-f", folio, "add", semicolons, "--delimiter", ";", "--encoding", "latin-1"])
        #expect(added.status == 0, "\(added.stderr)")
        let table = try DataFolio(at: folio).get("s", as: Table.self)
        #expect(table.columnNames == ["a", "b"] && table["a"]?[0] == .string("æ"))

        let tabs = temp.path("t.tsv")
        try "1\t2\n3\t4\n".write(toFile: tabs, atomically: true, encoding: .utf8)
        let headerless = try CLI.run(["-f", folio, "add", tabs, "--no-header"])
        #expect(headerless.status == 0, "\(headerless.stderr)")
        let t = try DataFolio(at: folio).get("t", as: Table.self)
        #expect(t.columnNames == ["column_1", "column_2"] && t.rowCount == 2)
    }

    @Test func addReadsACSVFromStandardInput() throws {
        let temp = TemporaryFolder("cli-stream-stdin")
        let folio = temp.path("folio")
        _ = try DataFolio(at: folio)
        let added = try CLI.run(["-f", folio, "add", "-", "--name", "piped", "-d", "From a pipe"], input: "a,b\n1,x\n2,y\n")
        #expect(added.status == 0, "\(added.stderr)")
        let table = try DataFolio(at: folio).get("piped", as: Table.self)
        #expect(table.rowCount == 2 && table["a"]?.type == .int64 && table["b"]?[1] == .string("y"))

        let unnamed = try CLI.run(["-f", folio, "add", "-"], input: "a\n1\n")
        #expect(unnamed.status != 0 && unnamed.stderr.contains("--name NAME"))

        // A pipe is read once, so its types come from the first batch (131,072 rows): a postcode
        // further down does not fit the integer column, and the error gives the flag that fixes it.
        var text = "id,zip\n"
        for row in 0..<140_000 { text += "\(row),\(10_000 + row % 80_000)\n" }
        text += "140000,N1C 4AG\n"
        let late = try CLI.run(["-f", folio, "add", "-", "--name", "postcodes"], input: text)
        #expect(late.status != 0)
        #expect(late.stderr.contains("'zip'") && late.stderr.contains("line 140002") && late.stderr.contains("'N1C 4AG'"), "\(late.stderr)")
        #expect(late.stderr.contains("--dtype zip=string"), "\(late.stderr)")
        #expect(try !DataFolio(at: folio).itemNames.contains("postcodes"))

        let fixed = try CLI.run(["-f", folio, "add", "-", "--name", "postcodes", "--dtype", "zip=string"], input: text)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let postcodes = try DataFolio(at: folio).get("postcodes", as: Table.self)
        #expect(postcodes.rowCount == 140_001 && postcodes["zip"]?.type == .string)
        #expect(postcodes["zip"]?[140_000] == .string("N1C 4AG") && postcodes["zip"]?[0] == .string("10000"))
    }

    @Test func addStreamsArrowFiles() throws {
        let temp = TemporaryFolder("cli-stream-arrow")
        let folio = temp.path("folio")
        _ = try DataFolio(at: folio)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DataFolioArrowTests/Fixtures")
        for file in ["small-lz4.feather", "small-plain.arrow"] {
            let added = try CLI.run(["-f", folio, "add", fixtures.appendingPathComponent(file).path])
            #expect(added.status == 0, "\(added.stderr)")
        }
        let opened = try DataFolio(at: folio)
        let feather = try opened.get("small-lz4", as: Table.self)
        #expect(feather.rowCount == 6)
        #expect(feather.columnNames == ["id", "name", "cat", "tags", "flag", "at"])
        #expect(try opened.get("small-plain", as: Table.self) == feather)
        // The feather file's three batches of two rows are three row groups.
        #expect(try opened.parquetReader(of: "small-lz4").rowGroupCount == 3)
    }

    @Test func exportStreamsEveryFormatWithColumnsAndFilters() throws {
        let temp = TemporaryFolder("cli-stream-export")
        let folio = temp.path("folio")
        let table = try Table([
            Column(name: "id", (0..<500).map(Int64.init)),
            Column(name: "city", strings: (0..<500).map { $0 % 2 == 0 ? "Oslo" : nil }),
        ])
        try DataFolio(at: folio).add("t", table, options: ParquetWriteOptions(rowGroupSize: 100))

        let csv = try CLI.run(["-f", folio, "export", "t", "--to", temp.path("t.csv")])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: temp.path("t.csv"))) == Data(try table.csvBytes()))

        let json = try CLI.run(["-f", folio, "export", "t", "--to", temp.path("t.json")])
        #expect(json.status == 0)
        let parsed = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: temp.path("t.json")))))
        #expect(parsed.arrayValue?.count == 500)
        #expect(parsed.arrayValue?[1] == .object(["id": .int(1), "city": .null]))

        let lines = try CLI.run(["-f", folio, "export", "t", "--to", temp.path("t.jsonl"), "--columns", "city,id", "--where", "id >= 490"])
        #expect(lines.status == 0, "\(lines.stderr)")
        let text = try String(contentsOfFile: temp.path("t.jsonl"), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 10)
        #expect(text.hasPrefix("{\"city\":\"Oslo\",\"id\":490}\n"))

        let parquet = try CLI.run(["-f", folio, "export", "t", "--to", temp.path("few.parquet"), "--columns", "id", "--where", "id < 150"])
        #expect(parquet.status == 0, "\(parquet.stderr)")
        let few = try Table(parquetFile: temp.path("few.parquet"))
        #expect(few.columnNames == ["id"] && few.rowCount == 150)

        // Standard output gets the JSON array; the note goes to standard error.
        let piped = try CLI.run(["-f", folio, "export", "t", "--to", "-", "--where", "id < 2"])
        #expect(try JSONValue(parsing: Array(piped.stdout.utf8)).arrayValue?.count == 2)
        let unknown = try CLI.run(["-f", folio, "export", "t", "--to", temp.path("u.csv"), "--columns", "nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("nope"))
        let wrongFormat = try CLI.run(["-f", folio, "export", "t", "--to", temp.path("t.xlsx")])
        #expect(wrongFormat.status != 0 && wrongFormat.stderr.contains(".jsonl"))
    }

    @Test func headShowsTheFirstRowsAndTheTotal() throws {
        let temp = TemporaryFolder("cli-stream-head")
        let folio = temp.path("folio")
        var columns = [Column(name: "id", (0..<1000).map(Int64.init))]
        for index in 0..<4 {
            columns.append(Column(name: "long_\(index)", strings: (0..<1000).map { _ in String(repeating: "x", count: 40) }))
        }
        columns.append(Column(name: "last", (0..<1000).map { Double($0) }))
        let table = try Table(columns)
        try DataFolio(at: folio).add("t", table, options: ParquetWriteOptions(rowGroupSize: 100))
        let head = try CLI.run(["-f", folio, "head", "t", "-n", "3"], environment: ["COLUMNS": "60"])
        #expect(head.status == 0, "\(head.stderr)")
        #expect(head.stdout.contains("(3 of 1000 rows)"))
        // The header fits 60 columns; --wide shows every column whatever the width.
        let header = head.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.count <= 60 && !header.contains("last"))
        let wide = try CLI.run(["-f", folio, "head", "t", "-n", "3", "--wide"], environment: ["COLUMNS": "60"])
        #expect(wide.stdout.split(separator: "\n").first?.hasSuffix("last") == true)
        let json = try CLI.run(["-f", folio, "head", "t", "--rows", "2", "--columns", "last", "--json"])
        #expect(try JSONValue(parsing: Array(json.stdout.utf8)) == .array([.object(["last": .double(0)]), .object(["last": .double(1)])]))
    }
}
