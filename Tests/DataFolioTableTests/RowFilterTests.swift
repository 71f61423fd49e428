import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Testing

@Suite("Row filters")
struct RowFilterTests {
    static let table: Table = {
        // A table without failure paths: every column has 6 rows.
        (try? Table([
            Column(name: "x", [1, 5, 7, nil, -3, 9] as [Int64?]),
            Column(name: "score", [0.5, .nan, 2.5, nil, 10, -0.0] as [Double?]),
            Column(name: "city", strings: ["Oslo", "Bergen", nil, "Oslo", "Å", "oslo"]),
            Column(name: "ok", [true, false, nil, true, false, true] as [Bool?]),
            Column(name: "u", [0, 1, UInt64.max, 3, nil, 18_446_744_073_709_551_000] as [UInt64?]),
            Column(name: "day", daysSinceEpoch: [19_723, 19_724, nil, 0, -1, 19_723]),
            Column(name: "at", timestamps: [0, 1_704_067_200_000_000, 1_704_067_200_000_001, nil, -1, 86_400_000_000], unit: .microsecond, timeZone: "UTC"),
            Column(name: "price", decimals: ["1.50", "-2.25", nil, "1000.00", "0.00", "1.49"], precision: 8, scale: 2),
            Column(name: "colour", categories: ["red", "blue", nil, "red", "green", "blue"]),
            Column(name: "unit price", [1, 2, 3, 4, 5, 6] as [Int32]),
            Column(name: "small", [1, 2, 3, 4, 5, nil] as [Int8?]),
        ])) ?? Table()
    }()

    /// The row numbers a filter keeps.
    func rows(_ text: String) throws -> [Int] {
        let mask = try TableRowFilter(text).matches(in: RowFilterTests.table)
        return mask.indices.filter { mask[$0] }
    }

    @Test func comparisons() throws {
        #expect(try rows("x > 5") == [2, 5])
        #expect(try rows("x >= 5") == [1, 2, 5])
        #expect(try rows("5 < x") == [2, 5])
        #expect(try rows("x = 7") == [2])
        #expect(try rows("x != 7") == [0, 1, 4, 5])
        #expect(try rows("x <> 7") == [0, 1, 4, 5])
        #expect(try rows("x > 4.5") == [1, 2, 5])
        #expect(try rows("x < -2.5") == [4])
        #expect(try rows("x == 5.0") == [1])
        #expect(try rows("x == 5.5") == [])
        #expect(try rows("x < 1e30") == [0, 1, 2, 4, 5])
        #expect(try rows("x > -1e30") == [0, 1, 2, 4, 5])
        #expect(try rows("small > 3") == [3, 4])
        #expect(try rows("small < 300") == [0, 1, 2, 3, 4])
        #expect(try rows("u > 18446744073709551000") == [2])
        #expect(try rows("u >= 18446744073709551000") == [2, 5])
        #expect(try rows("u < -1") == [])
        #expect(try rows("u > 2.5") == [2, 3, 5])
        // NaN matches only !=; -0.0 equals 0.
        #expect(try rows("score > 1") == [2, 4])
        #expect(try rows("score != 2.5") == [0, 1, 4, 5])
        #expect(try rows("score == 0") == [5])
        #expect(try rows("city == \"Oslo\"") == [0, 3])
        #expect(try rows("city > 'Oslo'") == [4, 5])
        #expect(try rows("city < 'P'") == [0, 1, 3])
        #expect(try rows("ok == true") == [0, 3, 5])
        #expect(try rows("ok != true") == [1, 4])
        #expect(try rows("colour == 'red'") == [0, 3])
        #expect(try rows("colour in ('red', 'green')") == [0, 3, 4])
        #expect(try rows("colour not in ('red', 'green')") == [1, 5])
        #expect(try rows("`unit price` >= 5") == [4, 5])
        #expect(try rows("price > 1.495") == [0, 3])
        #expect(try rows("price == 1.5") == [0])
        #expect(try rows("price <= -2.25") == [1])
        #expect(try rows("price < 1e3") == [0, 1, 4, 5])
    }

    @Test func datesAndTimes() throws {
        #expect(try rows("day == '2024-01-01'") == [0, 5])
        #expect(try rows("day > '2024-01-01'") == [1])
        #expect(try rows("day >= '1970-01-01T00:00:00'") == [0, 1, 3, 5])
        #expect(try rows("day < '2024-01-01T12:00'") == [0, 3, 4, 5])
        #expect(try rows("at >= \"2024-01-01T00:00:00Z\"") == [1, 2])
        #expect(try rows("at > '2024-01-01 00:00:00'") == [2])
        #expect(try rows("at < '1970-01-02'") == [0, 4])
        #expect(try rows("at == '1970-01-02T01:00:00+01:00'") == [5])
        #expect(try rows("at < '1970-01-01T00:00:00.000000001Z'") == [0, 4])
    }

    @Test func nullsAndLogic() throws {
        #expect(try rows("x is null") == [3])
        #expect(try rows("x is not null") == [0, 1, 2, 4, 5])
        #expect(try rows("colour is null") == [2])
        // Unknown never matches, and not of unknown is unknown.
        #expect(try rows("not x > 5") == [0, 1, 4])
        #expect(try rows("x > 5 or x is null") == [2, 3, 5])
        #expect(try rows("x > 0 and city == 'Oslo'") == [0])
        #expect(try rows("not (x <= 2 or city != 'Oslo')") == [])
        #expect(try rows("not (x <= 2 or city != 'oslo')") == [5])
        #expect(try rows("x > 0 and (ok == false or score > 5)") == [1])
        #expect(try rows("x > 5 AND city == 'Oslo' Or x Is Null") == [3])
        #expect(try rows("x > 5 or x < 0 and ok == true") == [2, 5])
    }

    @Test func applyKeepsEveryColumn() throws {
        // Row 2 has no colour, so its comparison is unknown and the row goes.
        let kept = try TableRowFilter("x > 1 and colour != 'green'").apply(to: RowFilterTests.table)
        #expect(kept.rowCount == 2)
        #expect(kept.columnNames == RowFilterTests.table.columnNames)
        #expect(kept["x"]?.values == [5, 9])
        #expect(kept["city"]?.strings() == ["Bergen", "oslo"])
        #expect(kept["colour"]?.strings() == ["blue", "blue"])
        #expect(kept["price"]?.strings() == ["-2.25", "1.49"])
        #expect(kept == RowFilterTests.table.filtered([false, true, false, false, false, true]))
        let tags = try Table([Column(name: "tags", type: .list(.int64), values: [[1, 2], nil, [3]]), Column(name: "k", [1, 2, 3])])
        #expect(try TableRowFilter("k != 2").apply(to: tags)["tags"]?.values == [[1, 2], [3]])
    }

    @Test func descriptionReadsBack() throws {
        for text in [
            "x > 5 and city == \"Oslo\"", "score is null", "not (a <= 2 or b != 'x')", "`a b` in (1, 2.5, -3)",
            "x is not null or (y == true and z < \"q\\\"uote\")", "not not x > 1",
        ] {
            let filter = try TableRowFilter(text)
            #expect(try TableRowFilter(filter.description) == filter, "\(text) → \(filter.description)")
        }
        #expect(try TableRowFilter("a > 1 and b > 2 or c > 3").columnNames == ["a", "b", "c"])
        #expect(try TableRowFilter("(a > 1 or b > 2) and c > 3").description == "(a > 1 or b > 2) and c > 3")
    }

    @Test(arguments: [
        ("", "empty"), ("x >", "expected a value"), ("x > 5 and", "incomplete"), ("x >> 5", "expected a value"),
        ("(x > 5", "expected ')'"), ("x > 5)", "unexpected ')'"), ("x == Oslo", "quote text"), ("x is 5", "expected 'null'"),
        ("x in 5", "expected '('"), ("x in (1,", "expected a value"), ("'unclosed", "not closed"), ("x ~ 5", "unexpected '~'"),
        ("5 > 6", "expected a column name"), ("x > 1.2.3", "not a number"), ("and > 5", "expected a column name"),
    ])
    func parseErrors(text: String, fragment: String) {
        do {
            _ = try TableRowFilter(text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func checkErrors() throws {
        let schema = TableSchema(of: RowFilterTests.table)
        func failure(_ text: String) throws -> DataFolioError? {
            do {
                try TableRowFilter(text).check(against: schema)
                return nil
            } catch {
                return error
            }
        }
        let unknown = try #require(try failure("cty == 'Oslo'"))
        #expect(unknown.message.contains("Did you mean 'city'?"))
        #expect(unknown.location?.column == "cty")
        #expect(try failure("city > 5")?.message.contains("quote the text") == true)
        #expect(try failure("x == 'five'")?.message.contains("with a number") == true)
        #expect(try failure("ok == 1")?.message.contains("true or false") == true)
        #expect(try failure("day > 5")?.message.contains("ISO 8601") == true)
        #expect(try failure("day > 'yesterday'")?.message.contains("not an ISO 8601") == true)
        #expect(try failure("x > 5 and city == 'Oslo'") == nil)
        let blobs = TableSchema([.init(name: "b", type: .binary)])
        #expect(throws: DataFolioError.self) { try TableRowFilter("b == 'x'").check(against: blobs) }
        try TableRowFilter("b is null").check(against: blobs)
    }

    @Test func statisticsRuleOutRows() throws {
        let schema = TableSchema([
            .init(name: "x", type: .int64), .init(name: "s", type: .string), .init(name: "f", type: .float64),
            .init(name: "t", type: .timestamp(.millisecond, timeZone: nil)),
        ])
        let stats = TableStatistics(rowCount: 100, columns: [
            "x": ColumnStatistics(rowCount: 100, nullCount: 10, minimum: .int(10), maximum: .int(20)),
            "s": ColumnStatistics(rowCount: 100, nullCount: 0, minimum: .string("b"), maximum: .string("d")),
            "f": ColumnStatistics(rowCount: 100, nullCount: 0, minimum: .double(1), maximum: .double(1), mayContainNaN: true),
            "t": ColumnStatistics(rowCount: 100, nullCount: 0, minimum: .timestamp(0, .millisecond, timeZone: nil),
                                  maximum: .timestamp(86_400_000, .millisecond, timeZone: nil)),
        ])
        func might(_ text: String) throws -> Bool { try TableRowFilter(text).mightMatch(stats, schema: schema) }
        #expect(try !might("x > 20"))
        #expect(try might("x >= 20"))
        #expect(try !might("x < 10"))
        #expect(try might("x == 15"))
        #expect(try !might("x == 21"))
        #expect(try might("x == 15.5"))
        #expect(try might("x != 15"))
        #expect(try might("x is null"))
        #expect(try !might("x is null and x > 30"))
        #expect(try !might("not x >= 10"))
        #expect(try might("not x > 10"))
        #expect(try !might("s > 'd'"))
        #expect(try might("s >= 'd'"))
        #expect(try !might("s in ('a', 'e')"))
        #expect(try might("s in ('a', 'c')"))
        #expect(try !might("s is null"))
        #expect(try might("x > 100 or s == 'c'"))
        #expect(try !might("x > 100 and s == 'c'"))
        // Bounds 1..1 with possible NaN: != may match, == 2 may not.
        #expect(try might("f != 1"))
        #expect(try !might("f == 2"))
        #expect(try might("not f == 1"))
        #expect(try !might("t > '1970-01-02'"))
        #expect(try might("t >= '1970-01-02'"))
        // Exact single-valued bounds rule out !=; inexact ones do not.
        var single = stats
        single.columns["x"] = ColumnStatistics(rowCount: 100, nullCount: 0, minimum: .int(7), maximum: .int(7))
        #expect(try !TableRowFilter("x != 7").mightMatch(single, schema: schema))
        single.columns["x"]?.boundsAreExact = false
        #expect(try TableRowFilter("x != 7").mightMatch(single, schema: schema))
        // All null: no comparison holds, is null does.
        single.columns["x"] = ColumnStatistics(rowCount: 100, nullCount: 100)
        #expect(try !TableRowFilter("x > 0 or x <= 0").mightMatch(single, schema: schema))
        #expect(try TableRowFilter("x is null").mightMatch(single, schema: schema))
        // Unknown statistics never rule anything out.
        #expect(try TableRowFilter("x > 5").mightMatch(TableStatistics(rowCount: 100, columns: [:]), schema: schema))
    }

    @Test func statisticsAgreeWithEvaluation() throws {
        // For random filters over random tables: a table whose statistics say "no match"
        // never has a matching row.
        var generator = SeededRandom(seed: 0xC5F0_0020)
        let operators = ["==", "!=", "<", "<=", ">", ">="]
        for _ in 0..<300 {
            let count = Int.random(in: 1...8, using: &generator)
            let table = try Table([
                Column(name: "a", (0..<count).map { _ in Int.random(in: 0..<4, using: &generator) == 0 ? nil : Int64.random(in: -3...3, using: &generator) }),
                Column(name: "b", strings: (0..<count).map { _ in Int.random(in: 0..<4, using: &generator) == 0 ? nil : ["a", "b", "c"][Int.random(in: 0..<3, using: &generator)] }),
                Column(name: "c", (0..<count).map { _ in [1.0, 2.0, .nan, nil][Int.random(in: 0..<4, using: &generator)] } as [Double?]),
            ])
            func condition() -> String {
                let op = operators[Int.random(in: 0..<operators.count, using: &generator)]
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: return "a \(op) \(Int.random(in: -4...4, using: &generator))"
                case 1: return "b \(op) '\(["a", "b", "c", "d"][Int.random(in: 0..<4, using: &generator)])'"
                case 2: return "c \(op) \(Int.random(in: 0...3, using: &generator))"
                default: return "\(["a", "b", "c"][Int.random(in: 0..<3, using: &generator)]) is \(Bool.random(using: &generator) ? "" : "not ")null"
                }
            }
            var text = condition()
            for _ in 0..<Int.random(in: 0...2, using: &generator) {
                text = "\(Bool.random(using: &generator) ? "not " : "")(\(text)) \(Bool.random(using: &generator) ? "and" : "or") \(condition())"
            }
            let filter = try TableRowFilter(text)
            let matched = try filter.matches(in: table).contains(true)
            let possible = try filter.mightMatch(TableStatistics(of: table), schema: TableSchema(of: table))
            #expect(possible || !matched, "\(text) matched rows the statistics ruled out")
        }
    }

    @Test func batchAdapters() throws {
        let table = RowFilterTests.table
        var source = TableBatches(table, batchRowCount: 2)
        #expect(try source.readAll() == table)
        var filtered = try TableBatches(table, batchRowCount: 2).filtered(by: TableRowFilter("x > 1"))
        #expect(try filtered.readAll() == TableRowFilter("x > 1").apply(to: table))
        var projected = try TableBatches(table, batchRowCount: 4).selecting(["city", "x"])
        #expect(projected.schema.names == ["city", "x"])
        #expect(try projected.readAll() == table.selecting(["city", "x"]))
        var first = TableBatches(table, batchRowCount: 4).prefix(5)
        #expect(try first.readAll() == table.rows(0..<5))
        #expect(throws: DataFolioError.self) { try TableBatches(table).selecting(["nope"]) }
        #expect(throws: DataFolioError.self) { try TableBatches(table).filtered(by: TableRowFilter("nope > 1")) }
        var none = try TableBatches(table).filtered(by: TableRowFilter("x > 100"))
        let empty = try none.readAll()
        #expect(empty.rowCount == 0 && empty.columnNames == table.columnNames)
    }
}

@Suite("Column type names")
struct ColumnTypeParsingTests {
    @Test(arguments: [
        ("string", ColumnType.string), ("str", .string), ("Object", .string), ("Int64", .int64), ("int", .int64),
        ("uint16", .uint16), ("float", .float64), ("float32", .float32), ("double", .float64), ("boolean", .bool),
        ("date", .date), ("date32[day]", .date), ("datetime", .timestamp(.microsecond, timeZone: nil)),
        ("datetime64[ns]", .timestamp(.nanosecond, timeZone: nil)), ("timestamp[ms, tz=Europe/Oslo]", .timestamp(.millisecond, timeZone: "Europe/Oslo")),
        ("decimal(10, 2)", .decimal(precision: 10, scale: 2)), ("decimal128(38,0)", .decimal(precision: 38, scale: 0)),
        ("category", .dictionary(.string, ordered: false)), ("binary", .binary), ("fixed_size_binary[16]", .fixedSizeBinary(16)),
    ])
    func names(text: String, type: ColumnType) throws {
        #expect(try ColumnType(parsing: text) == type)
    }

    @Test func everyArrowNameReadsBack() throws {
        let types: [ColumnType] = [
            .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float64, .string,
            .binary, .date, .timestamp(.second, timeZone: nil), .timestamp(.nanosecond, timeZone: "UTC"), .decimal(precision: 5, scale: 1),
        ]
        for type in types { #expect(try ColumnType(parsing: type.arrowName) == type, "\(type.arrowName)") }
        // Arrow prints float32 as "float", which pandas and NumPy read as float64; the
        // pandas meaning wins.
        #expect(try ColumnType(parsing: ColumnType.float32.arrowName) == .float64)
        for bad in ["", "int65", "decimal(40,2)", "decimal(2,3)", "timestamp[h]", "list<int>", "timestamp[s, zone=UTC]"] {
            #expect(throws: DataFolioError.self, "\(bad)") { try ColumnType(parsing: bad) }
        }
    }
}
