@testable import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Repetition and definition levels that contradict each other, the schema or the values,
/// and truncated or damaged pages of nested columns: each must give a clear error, never
/// a crash.
@Suite struct NestedCorruptInputTests {
    typealias Chunk = LegacyLayoutTests.Chunk

    /// `optional group l (LIST) { repeated group list { optional group element { optional int32 a; optional int32 b; } } }`
    static let listOfStructs: [SchemaElement] = {
        var list = LegacyLayoutTests.element("l", .optional, children: 1)
        list.convertedType = .list
        list.logicalType = .list
        return [
            LegacyLayoutTests.element("schema", .required, children: 1),
            list,
            LegacyLayoutTests.element("list", .repeated, children: 1),
            LegacyLayoutTests.element("element", .optional, children: 2),
            LegacyLayoutTests.element("a", .optional, type: .int32),
            LegacyLayoutTests.element("b", .optional, type: .int32),
        ]
    }()

    static func leaf(_ name: String, repetition: [UInt32], definition: [UInt32], values: [Int32]) -> Chunk {
        Chunk(
            path: ["l", "list", "element", name], physical: .int32, repetition: repetition, definition: definition,
            maxRepetition: 1, maxDefinition: 4, values: LegacyLayoutTests.int32s(values), valueCount: repetition.count)
    }

    static func read(rows: Int, _ a: Chunk, _ b: Chunk) -> Result<Table, DataFolioError> {
        let bytes = LegacyLayoutTests.file(schema: listOfStructs, rows: rows, chunks: [a, b])
        do throws(DataFolioError) {
            return .success(try ParquetReader(bytes: bytes).readTable(parallel: false))
        } catch {
            return .failure(error)
        }
    }

    @Test func consistentLevelsRead() throws {
        // [[{a: 1, b: 2}, null, {a: null, b: 3}], null, []]
        let table = try Self.read(
            rows: 3, Self.leaf("a", repetition: [0, 1, 1, 0, 0], definition: [4, 2, 3, 0, 1], values: [1]),
            Self.leaf("b", repetition: [0, 1, 1, 0, 0], definition: [4, 2, 4, 0, 1], values: [2, 3])
        ).get()
        #expect(
            table["l"]?.values == [
                .list([.struct([("a", 1), ("b", 2)]), .null, .struct([("a", .null), ("b", 3)])]), .null, .list([]),
            ])
    }

    @Test func inconsistentLevelsAreRefused() {
        let good = Self.leaf("b", repetition: [0, 0, 0], definition: [4, 0, 1], values: [2])
        let cases: [(String, Chunk)] = [
            ("a column chunk that starts inside a row", Self.leaf("a", repetition: [1, 0, 0], definition: [4, 0, 1], values: [1])),
            ("an element added to a null list", Self.leaf("a", repetition: [0, 0, 1, 0], definition: [4, 0, 4, 1], values: [1, 2])),
            ("an element added to an empty list", Self.leaf("a", repetition: [0, 0, 0, 1], definition: [4, 0, 1, 4], values: [1, 2])),
            ("a repeated entry below the element level", Self.leaf("a", repetition: [0, 1, 0, 0], definition: [4, 1, 0, 1], values: [1])),
            ("a definition level above the maximum", Self.leaf("a", repetition: [0, 0, 0], definition: [5, 0, 1], values: [1])),
            ("a repetition level above the maximum", Self.leaf("a", repetition: [0, 2, 0, 0], definition: [4, 4, 0, 1], values: [1, 2])),
            ("leaves that disagree on elements", Self.leaf("a", repetition: [0, 1, 0, 0], definition: [4, 4, 0, 1], values: [1, 2])),
            ("leaves that disagree on rows", Self.leaf("a", repetition: [0, 0], definition: [4, 0], values: [1])),
            ("fewer values than the levels promise", Self.leaf("a", repetition: [0, 1, 0, 0], definition: [4, 4, 0, 1], values: [1])),
        ]
        for (name, chunk) in cases {
            switch Self.read(rows: 3, chunk, good) {
            case .success(let table):
                Issue.record("\(name): read as \(table["l"]?.values ?? [])")
            case .failure(let error):
                #expect(
                    [.corruptData, .truncatedData].contains(error.code), "\(name): \(error.code) \(error.message)")
            }
        }
    }

    @Test func truncatedLevelSectionsAreRefused() throws {
        var a = Self.leaf("a", repetition: [0, 1, 0, 0], definition: [4, 4, 0, 1], values: [1, 2])
        let b = Self.leaf("b", repetition: [0, 1, 0, 0], definition: [4, 4, 0, 1], values: [3, 4])
        let intact = LegacyLayoutTests.file(schema: Self.listOfStructs, rows: 3, chunks: [a, b])
        #expect(try ParquetReader(bytes: intact).readTable().rowCount == 3)
        // The values (and then the definition levels) cut short.
        for keep in [7, 4, 1, 0] {
            a.values = Array(LegacyLayoutTests.int32s([1, 2]).prefix(keep))
            let bytes = LegacyLayoutTests.file(schema: Self.listOfStructs, rows: 3, chunks: [a, b])
            #expect(throws: DataFolioError.self, "values cut to \(keep) bytes") { try ParquetReader(bytes: bytes).readTable() }
        }
    }

    @Test func arrowSchemasThatLieAboutFixedSizeListsAreRefused() throws {
        let lists = try Column(name: "l", type: .list(.int64), values: [[1, 2], .null, [3, 4]])
        let nulls = try Column(name: "l", type: .list(.int64), values: [.null, .null])
        for (table, size) in [(try Table([lists]), 3), (try Table([nulls]), Int(Int32.max))] {
            let hint = ArrowSchema.encode(columns: [("l", .fixedSizeList(.int64, size: size))])
            let bytes = try table.parquetData(
                options: ParquetWriteOptions(arrowSchema: false, keyValueMetadata: [ParquetKeyValue(key: "ARROW:schema", value: hint)]))
            let reader = try ParquetReader(bytes: bytes)
            #expect(reader.schema["l"]?.type == .fixedSizeList(.int64, size: size))
            #expect(throws: DataFolioError.self, "size \(size)") { try reader.readTable() }
        }
        // An honest hint reads, nulls spanning their size.
        let hint = ArrowSchema.encode(columns: [("l", .fixedSizeList(.int64, size: 2))])
        let bytes = try Table([lists]).parquetData(
            options: ParquetWriteOptions(arrowSchema: false, keyValueMetadata: [ParquetKeyValue(key: "ARROW:schema", value: hint)]))
        let column = try #require(try Table(parquetData: bytes)["l"])
        #expect(column.type == .fixedSizeList(.int64, size: 2))
        #expect(column.values == [[1, 2], .null, [3, 4]])
    }

    /// Random damage to nested files: each read must succeed or throw.
    @Test(arguments: ["pyarrow_nested", "pyarrow_nested_v1", "pyarrow_nested_v2", "polars_nested", "duckdb_nested"])
    func fuzzedNestedFixturesNeverCrash(name: String) throws {
        let original = try CorruptInputTests.fixture(name + ".parquet")
        var generator = SeededRandom(seed: UInt64(name.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        var failures = 0
        for _ in 0..<400 {
            var bytes = original
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &generator)...)
            case 1:
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let i = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
                }
            default:
                let i = Int.random(in: 0..<bytes.count, using: &generator)
                let n = min(Int.random(in: 1...12, using: &generator), bytes.count - i)
                for k in 0..<n { bytes[i + k] = UInt8.random(in: 0...255, using: &generator) }
            }
            if CorruptInputTests.readAll(bytes) != nil { failures += 1 }
        }
        #expect(failures > 0)
    }

    /// Damage that lands on the levels themselves: uncompressed pages of a Swift-written
    /// nested table, overwritten inside the column data only.
    @Test func fuzzedLevelsNeverCrash() throws {
        let table = try SampleTables.nested(rows: 200, seed: 5)
        var generator = SeededRandom(seed: 99)
        for version in [ParquetDataPageVersion.v1, .v2] {
            let original = try table.parquetData(
                options: ParquetWriteOptions(compression: .uncompressed, dictionary: false, pageSize: 256, dataPageVersion: version))
            let reader = try ParquetReader(bytes: original)
            let dataEnd = Int(reader.metadata.rowGroups.flatMap(\.columns).map { $0.startOffset + $0.compressedSize }.max() ?? 4)
            var refused = 0
            for _ in 0..<300 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let i = Int.random(in: 4..<dataEnd, using: &generator)
                    bytes[i] = UInt8.random(in: 0...255, using: &generator)
                }
                if CorruptInputTests.readAll(bytes) != nil { refused += 1 }
            }
            #expect(refused > 0, "\(version)")
        }
    }
}
