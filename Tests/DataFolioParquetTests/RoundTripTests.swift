@testable import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Tables with every column type, used by the round-trip and interop tests.
enum SampleTables {
    /// One column of every type, with nulls, `rows` rows.
    static func everyType(rows: Int = 50, seed: UInt64 = 1) throws -> Table {
        var g = SeededGenerator(seed: seed)
        func maybe<T>(_ value: T, _ k: Int, every: Int = 7) -> T? { k % every == every - 1 ? nil : value }
        let words = ["", "a", "βeta", "日本語", "emoji 🎉", "tab\tquote\"", String(repeating: "long ", count: 30)]
        let ks = Array(0..<rows)
        return try Table([
            Column(name: "bool", ks.map { maybe(Bool.random(using: &g), $0) }),
            Column(name: "int8", ks.map { maybe(Int8.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "int16", ks.map { maybe(Int16.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "int32", ks.map { maybe(Int32.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "int64", ks.map { maybe(Int64.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "int64_dense", ks.map { Int64($0 % 5) }),
            Column(name: "uint8", ks.map { maybe(UInt8.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "uint16", ks.map { maybe(UInt16.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "uint32", ks.map { maybe(UInt32.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "uint64", ks.map { maybe(UInt64.random(in: .min ... .max, using: &g), $0) }),
            Column(name: "float16", float16: ks.map { maybe(Float($0) / 4 - 3, $0) }),
            Column(name: "float32", ks.map { maybe($0 == 3 ? Float.nan : Float.random(in: -1e6...1e6, using: &g), $0) }),
            Column(name: "float64", ks.map { k -> Double? in
                let special: [Double] = [.nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
                return maybe(k < special.count ? special[k] : Double.random(in: -1e9...1e9, using: &g), k)
            }),
            Column(name: "string", strings: ks.map { maybe(words[$0 % words.count], $0) }),
            Column(name: "binary", binary: ks.map { k in maybe((0..<(k % 9)).map { UInt8(($0 * 37 + k) % 256) }, k) }),
            try Column(name: "fixed", fixedWidth: 16, binary: ks.map { k in maybe((0..<16).map { UInt8(($0 + k) % 256) }, k) }),
            Column(name: "date", daysSinceEpoch: ks.map { maybe(Int32($0 * 97 - 2000), $0) }),
            Column(name: "ts_s", timestamps: ks.map { maybe(Int64($0) * 86_399 - 1_000_000, $0) }, unit: .second),
            Column(name: "ts_ms", timestamps: ks.map { maybe(Int64($0) * 1_234_567 + 1_700_000_000_000, $0) }, unit: .millisecond),
            Column(name: "ts_us_utc", timestamps: ks.map { maybe(Int64($0) * 3_600_000_001, $0) }, unit: .microsecond, timeZone: "UTC"),
            Column(
                name: "ts_ns_paris", timestamps: ks.map { maybe(1_700_000_000_000_000_000 + Int64($0) * 1_000_000_007, $0) },
                unit: .nanosecond, timeZone: "Europe/Paris"),
            try Column(name: "decimal", decimals: ks.map { maybe("\($0 * 1234 - 30000).\($0 % 100 < 10 ? "0" : "")\($0 % 100)", $0) }, precision: 9, scale: 2),
            try Column(
                name: "decimal38",
                decimals: ks.map { maybe("\($0 % 2 == 0 ? "-" : "")1234567890123456789012345678.\(String(repeating: "9", count: 10))", $0) },
                precision: 38, scale: 10),
            Column(name: "category", categories: ks.map { maybe(["red", "green", "blue", "ünïcode"][$0 % 4], $0, every: 5) }),
            Column(name: "ordered", categories: ks.map { ["low", "mid", "high"][$0 % 3] }, ordered: true),
            try Column(name: "list_int", type: .list(.int64), values: ks.map { k -> TableValue in
                if k % 6 == 5 { return .null }
                if k % 6 == 4 { return .list([]) }
                return .list((0..<(k % 4 + 1)).map { $0 == 1 && k % 3 == 0 ? .null : .int(Int64(k * 10 + $0)) })
            }),
            try Column(name: "list_string", type: .list(.string), values: ks.map { k -> TableValue in
                k % 5 == 2 ? .null : .list((0..<(k % 3)).map { .string(words[($0 + k) % words.count]) })
            }),
        ])
    }
}

@Suite struct RoundTripTests {
    static let codecs: [ParquetCompression] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw]

    @Test(arguments: codecs, [true, false])
    func everyTypeRoundTrips(compression: ParquetCompression, dictionary: Bool) throws {
        let table = try SampleTables.everyType()
        for version in [ParquetDataPageVersion.v1, .v2] {
            let bytes = try table.parquetData(
                options: ParquetWriteOptions(compression: compression, dictionary: dictionary, pageSize: 256, dataPageVersion: version))
            let back = try Table(parquetData: bytes)
            #expect(back.columnNames == table.columnNames)
            for column in table.columns {
                #expect(back[column.name] == column, "\(column.name) with \(compression), dictionary \(dictionary), pages \(version)")
            }
        }
    }

    @Test func secondsAreStoredAsMilliseconds() throws {
        // Parquet has no second unit. Without the Arrow schema seconds read back as
        // milliseconds (as in pyarrow); with it the unit is restored.
        let table = try Table([Column(name: "t", timestamps: [-1, 0, nil, 1_700_000_000], unit: .second)])
        let plain = try Table(parquetData: try table.parquetData(options: ParquetWriteOptions(arrowSchema: false)))
        let column = try #require(plain["t"])
        #expect(column.type == .timestamp(.millisecond, timeZone: nil))
        #expect(column.data == .int64([-1000, 0, 0, 1_700_000_000_000]))
        #expect(try Table(parquetData: try table.parquetData()) == table)
    }

    @Test func manyRowGroupsAndPages() throws {
        let table = try SampleTables.everyType(rows: 1000, seed: 3)
        let options = ParquetWriteOptions(rowGroupSize: 130, pageSize: 300)
        let bytes = try table.parquetData(options: options)
        let reader = try ParquetReader(bytes: bytes)
        #expect(reader.rowGroupCount == 8)
        #expect(reader.metadata.rowGroups.dropLast().allSatisfy { $0.rowCount == 130 })
        let back = try reader.readTable()
        for column in table.columns {
            #expect(back[column.name] == column, "\(column.name)")
        }
        var rows = 0
        var iterator = reader.rowGroupTables(columns: ["list_string", "int8"])
        while let group = try iterator.next() {
            #expect(group["list_string"] == table["list_string"]?.rows(rows..<(rows + group.rowCount)))
            rows += group.rowCount
        }
        #expect(rows == 1000)
    }

    @Test func streamingWriterAppendsTables() throws {
        let folder = TemporaryFolder("parquet")
        let path = folder.path("stream.parquet")
        let parts = try (0..<4).map { try SampleTables.everyType(rows: 25 + $0, seed: UInt64($0)) }
        let writer = try ParquetWriter(path: path, options: ParquetWriteOptions(compression: .zstd))
        for part in parts { try writer.write(part) }
        let footer = try writer.close()
        #expect(footer.rowCount == Int64(parts.map(\.rowCount).reduce(0, +)))
        #expect(throws: DataFolioError.self) { try writer.write(parts[0]) }
        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroupCount == 4)
        for (index, part) in parts.enumerated() {
            let group = try reader.readRowGroup(index)
            for column in part.columns where column.name != "category" {
                #expect(group[column.name] == column, "part \(index) \(column.name)")
            }
            // Categories are merged per file read but each part keeps its values.
            #expect(group["category"]?.strings() == part["category"]?.strings())
        }
    }

    @Test func writerRejectsADifferentSchema() throws {
        let writer = try ParquetWriter(output: MemoryOutput())
        try writer.write(try Table([Column(name: "a", [1, 2] as [Int64])]))
        #expect(throws: DataFolioError.self) { try writer.write(try Table([Column(name: "a", [1.0] as [Double])])) }
        #expect(throws: DataFolioError.self) { try writer.write(try Table([Column(name: "b", [1] as [Int64])])) }
        try writer.write(try Table([Column(name: "a", [3] as [Int64])]))
        try writer.close()
    }

    @Test func fileWriterOutputHashesWhatWasWritten() throws {
        let folder = TemporaryFolder("parquet")
        let path = folder.path("hashed.parquet")
        let table = try SampleTables.everyType(rows: 20)
        let file = try FileWriter(creating: path, computeMD5: true)
        let writer = try ParquetWriter(output: file)
        try writer.write(table)
        try writer.close()
        let digest = try file.finish(sync: false)
        let bytes = try LocalFile.read(path)
        #expect(digest == MD5.hex(of: bytes))
        #expect(try Table(parquetFile: path)["string"] == table["string"])
    }

    @Test func emptyTablesRoundTrip() throws {
        let noRows = try SampleTables.everyType(rows: 0)
        let back = try Table(parquetData: try noRows.parquetData())
        #expect(back.rowCount == 0)
        #expect(back.columnNames == noRows.columnNames)
        #expect(back["list_int"]?.type == .list(.int64))
        let nothing = try Table(parquetData: try Table().parquetData())
        #expect(nothing.columnCount == 0)
    }

    @Test func allNullColumnsRoundTrip() throws {
        let table = try Table([
            Column.nulls(name: "i", type: .int64, count: 100),
            Column.nulls(name: "s", type: .string, count: 100),
            Column.nulls(name: "l", type: .list(.float64), count: 100),
            Column.nulls(name: "c", type: .dictionary(.string, ordered: false), count: 100),
        ])
        let back = try Table(parquetData: try table.parquetData())
        #expect(back == table)
    }

    @Test func dictionaryFallsBackToPlainWhenLarge() throws {
        let strings = (0..<20_000).map { "value-\(($0 * 7919) % 3_000)" }
        let table = try Table([Column(name: "s", strings: strings), Column(name: "i", (0..<20_000).map { Int64($0 % 3) })])
        let small = try table.parquetData(options: ParquetWriteOptions(dictionaryPageSizeLimit: 1000))
        let reader = try ParquetReader(bytes: small)
        #expect(reader.metadata.rowGroups[0].columns[0].encodings.contains(.rleDictionary) == false)
        #expect(reader.metadata.rowGroups[0].columns[1].encodings.contains(.rleDictionary))
        #expect(try reader.readTable() == table)
        let large = try ParquetReader(bytes: try table.parquetData())
        #expect(large.metadata.rowGroups[0].columns[0].encodings.contains(.rleDictionary))
        #expect(try large.readTable() == table)
    }

    @Test func statisticsFollowTheSortOrders() throws {
        let table = try Table([
            Column(name: "i", [5, nil, -3, 9] as [Int64?]),
            Column(name: "u", [1, UInt64.max, 7, 2] as [UInt64]),
            Column(name: "d", [.nan, 2.5, -0.0, 1] as [Double]),
            Column(name: "z", [0.0, 0.0, 0.0, 0.0] as [Double]),
            Column(name: "s", strings: ["b", "ä", nil, "ab"]),
            Column(name: "nan", [.nan, .nan, .nan, .nan] as [Double]),
        ])
        for dictionary in [true, false] {
            let reader = try ParquetReader(bytes: try table.parquetData(options: ParquetWriteOptions(dictionary: dictionary)))
            let stats = reader.metadata.rowGroups[0].columns.map { $0.statistics }
            func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
            #expect(stats[0]?.nullCount == 1)
            #expect(stats[0]?.minimum == le(Int64(-3)) && stats[0]?.maximum == le(Int64(9)))
            #expect(stats[1]?.minimum == le(UInt64(1)) && stats[1]?.maximum == le(UInt64.max))
            #expect(stats[2]?.minimum == le((-0.0 as Double).bitPattern) && stats[2]?.maximum == le((2.5 as Double).bitPattern))
            #expect(stats[3]?.minimum == le((-0.0 as Double).bitPattern) && stats[3]?.maximum == le((0.0 as Double).bitPattern))
            #expect(stats[4]?.minimum == Array("ab".utf8) && stats[4]?.maximum == Array("ä".utf8))
            #expect(stats[4]?.nullCount == 1)
            #expect(stats[5]?.minimum == nil && stats[5]?.nullCount == 0)
        }
    }

    @Test func writtenFileDescribesItself() throws {
        let table = try SampleTables.everyType(rows: 10)
        var withIndex = table
        withIndex.indexColumnNames = ["int64_dense"]
        let reader = try ParquetReader(bytes: try withIndex.parquetData())
        #expect(reader.metadata.createdBy == "datafolio-swift version \(ParquetWriteOptions.libraryVersion)")
        #expect(reader.metadata.version == 2)
        #expect(reader.indexColumnNames == ["int64_dense"])
        let pandas = try #require(reader.metadata.value(forKey: "pandas"))
        #expect(pandas.contains("\"index_columns\":[\"int64_dense\"]"))
        #expect(pandas.contains("\"numpy_type\":\"Int64\""))
        #expect(reader.metadata.value(forKey: "ARROW:schema") != nil)
        let back = try reader.readTable()
        #expect(back.indexColumnNames == ["int64_dense"])
        #expect(back["category"]?.type == .dictionary(.string, ordered: false))
        #expect(back["ts_ns_paris"]?.type == .timestamp(.nanosecond, timeZone: "Europe/Paris"))
        let plain = try ParquetReader(bytes: try table.parquetData(options: ParquetWriteOptions(pandasMetadata: false, arrowSchema: false)))
        #expect(plain.metadata.keyValueMetadata.isEmpty)
        #expect(try plain.readTable()["category"]?.type == .string)
    }

    @Test func optionsAreChecked() throws {
        #expect(throws: DataFolioError.self) { try ParquetWriter(output: MemoryOutput(), options: ParquetWriteOptions(compression: .brotli)) }
        #expect(throws: DataFolioError.self) { try ParquetWriter(output: MemoryOutput(), options: ParquetWriteOptions(rowGroupSize: 0)) }
        // Parquet has no struct without fields.
        let empty = try Table([try Column(name: "n", type: .struct([]), count: 1, data: .struct([]), validity: nil)])
        #expect(throws: DataFolioError.self) { try empty.parquetData() }
    }

    @Test func largeValuesAndManyRows() throws {
        let big = String(repeating: "ß", count: 300_000)
        let count = 200_000
        let table = try Table([
            Column(name: "i", (0..<count).map { Int64($0) }),
            Column(name: "s", strings: (0..<count).map { $0 == 7 ? big : ($0 % 3 == 0 ? nil : "v\($0 % 100)") }),
        ])
        for parallel in [true, false] {
            let bytes = try table.parquetData(options: ParquetWriteOptions(rowGroupSize: 70_000, parallel: parallel))
            #expect(try Table(parquetData: bytes) == table)
        }
    }
}
