import DataFolioJSON
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Nested columns (structs, maps, lists of any depth) read from the committed fixtures
/// and compared value by value with what pyarrow read.
@Suite struct NestedReadTests {
    static let fixtures = ["pyarrow_nested", "pyarrow_nested_v1", "pyarrow_nested_v2", "polars_nested", "duckdb_nested"]

    @Test(arguments: fixtures)
    func readsEveryNestedValue(name: String) throws {
        let path = FixtureReadTests.fixture(name + ".parquet")
        let expected = try FixtureReadTests.expected(name)
        for parallel in [false, true] {
            let table = try ParquetReader(path: path).readTable(parallel: parallel)
            CanonicalValues.expect(table, equals: expected, context: "\(name) parallel: \(parallel)")
        }
        // Row group by row group, too.
        let reader = try ParquetReader(path: path)
        var parts: [Table] = []
        var groups = reader.rowGroupTables()
        while let group = try groups.next() { parts.append(group) }
        CanonicalValues.expect(try Table(concatenating: parts), equals: expected, context: "\(name) by row group")
    }

    @Test func typesFollowTheArrowSchema() throws {
        let reader = try ParquetReader(path: FixtureReadTests.fixture("pyarrow_nested_v1.parquet"))
        let table = try reader.readTable()
        let event = ColumnType.struct([.init("id", .int64), .init("name", .string)])
        #expect(table["point"]?.type == .struct([.init("x", .int32), .init("y", .float64)]))
        #expect(table["tags"]?.type == .map(key: .string, value: .int32))
        #expect(table["codes"]?.type == .map(key: .int64, value: .list(.string)))
        #expect(table["events"]?.type == .list(event))
        #expect(table["grid"]?.type == .list(.list(.int32)))
        #expect(table["pair"]?.type == .fixedSizeList(.int16, size: 2))
        #expect(table["big"]?.type == .largeList(.string))
        #expect(
            table["stamps"]?.type
                == .struct([.init("at", .timestamp(.microsecond, timeZone: "Europe/Paris")), .init("day", .date)]))
        #expect(
            table["deep"]?.type
                == .struct([
                    .init("inner", .struct([.init("vals", .list(.int64)), .init("label", .string)])), .init("flag", .bool),
                ]))
        #expect(reader.schema["events"]?.type == .list(event))
        #expect(reader.schema["events"]?.unsupportedKind == nil)
    }

    @Test func nullsAtEveryLevelStayDistinct() throws {
        let table = try ParquetReader(path: FixtureReadTests.fixture("pyarrow_nested_v1.parquet")).readTable()
        let point = try #require(table["point"])
        // Row 1: a null struct; row 2: a struct whose fields are null.
        #expect(point[1] == .null)
        #expect(point[2] == .struct([("x", .null), ("y", .null)]))
        let events = try #require(table["events"])
        #expect(events[1] == .list([]))
        #expect(events[2] == .null)
        #expect(events[0] == .list([.struct([("id", 0), ("name", "e0")]), .null, .struct([("id", .null), ("name", .null)])]))
        let grid = try #require(table["grid"])
        #expect(grid[0] == .list([.list([0, .null]), .list([]), .null]))
        #expect(grid[2] == .list([.list([])]))
        let tags = try #require(table["tags"])
        #expect(tags[0] == .map([("a", 0), ("b", .null)]))
        #expect(tags[1] == .map([]))
        #expect(tags[2] == .null)
        let pair = try #require(table["pair"])
        // A null fixed-size list still spans its two (null) values.
        #expect(pair[1] == .null)
        if case .list(let offsets, let values)? = table["pair"]?.data {
            #expect(offsets[0...3] == [0, 2, 4, 6])
            #expect(values.count == 2 * table.rowCount)
        } else {
            Issue.record("pair is not stored as a list")
        }
    }

    @Test func projectionReadsOnlyTheNeededLeaves() throws {
        let path = FixtureReadTests.fixture("pyarrow_nested_v1.parquet")
        let bytes = try LocalFile.read(path)
        let recorder = RecordingSource(bytes: bytes)
        let reader = try ParquetReader(source: recorder)
        let full = try ParquetReader(bytes: bytes).readTable()
        let table = try reader.readTable(columns: ["deep.inner.label", "events.name", "point", "tags.value"])
        #expect(table.columnNames == ["deep.inner.label", "events.name", "point", "tags.value"])
        #expect(table["deep.inner.label"]?.type == .string)
        #expect(table["events.name"]?.type == .list(.string))
        #expect(table["tags.value"]?.type == .list(.int32))
        #expect(table["point"] == full["point"])
        for row in 0..<full.rowCount {
            // A null anywhere on the path reads as null.
            var label: TableValue = .null
            if case .struct(let deep) = full["deep"]?[row], case .struct(let inner)? = deep.first?.value {
                label = inner.last?.value ?? .null
            }
            #expect(table["deep.inner.label"]?[row] == label, "row \(row)")
            var names: TableValue = .null
            if case .list(let events) = full["events"]?[row] {
                names = .list(events.map { event -> TableValue in
                    if case .struct(let fields) = event { return fields[1].value }
                    return .null
                })
            }
            #expect(table["events.name"]?[row] == names, "row \(row)")
        }
        // Only the chunks of the leaves read (and the footer) were touched.
        let leafPaths: Set<[String]> = [
            ["deep", "inner", "label"], ["events", "list", "element", "name"], ["point", "x"], ["point", "y"],
            ["tags", "key_value", "value"],
        ]
        var allowed: [Range<Int>] = [0..<4]
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
            | Int(bytes[bytes.count - 6]) << 16 | Int(bytes[bytes.count - 5]) << 24
        allowed.append((bytes.count - 8 - footerLength)..<bytes.count)
        for group in reader.metadata.rowGroups {
            for chunk in group.columns where leafPaths.contains(chunk.path) {
                allowed.append(Int(chunk.startOffset)..<Int(chunk.startOffset + chunk.compressedSize))
            }
        }
        #expect(recorder.ranges.count == 3 + leafPaths.count * reader.rowGroupCount)
        for range in recorder.ranges {
            #expect(allowed.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }, "read \(range)")
        }
        #expect(throws: DataFolioError.self) { try reader.readTable(columns: ["point.z"]) }
        #expect(throws: DataFolioError.self) { try reader.readTable(columns: ["after.x"]) }
    }
}
