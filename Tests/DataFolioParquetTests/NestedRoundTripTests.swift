@testable import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

extension SampleTables {
    static let event = ColumnType.struct([
        .init("ts", .timestamp(.microsecond, timeZone: "UTC")), .init("name", .string), .init("score", .float32),
    ])
    static let deep = ColumnType.struct([
        .init("inner", .struct([.init("vals", .list(.int64)), .init("when", .date)])), .init("flag", .bool),
    ])

    /// Structs, maps and lists of any depth, with nulls at every level, `rows` rows.
    static func nested(rows: Int = 60, seed: UInt64 = 1) throws -> Table {
        var g = SeededRandom(seed: seed)
        func pick(_ k: Int, _ options: [TableValue]) -> TableValue { options[k % options.count] }
        func word(_ k: Int) -> TableValue { .string(["", "a", "βeta", "日本語", "tab\tq\"", "x,y"][k % 6]) }
        let ks = Array(0..<rows)
        var columns: [Column] = [Column(name: "id", ks.map { Int64($0) })]
        columns.append(try Column(name: "point", type: .struct([.init("x", .float64), .init("y", .float64), .init("label", .string)]),
            values: ks.map { k in
                pick(k, [
                    .struct([("x", .double(Double.random(in: -1...1, using: &g))), ("y", .double(Double(k))), ("label", word(k))]),
                    .null, .struct([("x", .null), ("y", .null), ("label", .null)]), .struct([("x", 1.5), ("y", .null), ("label", "p")]),
                ])
            }))
        columns.append(try Column(name: "tags", type: .map(key: .string, value: .int64), values: ks.map { k in
            pick(k, [.map([("a", .int(Int64(k))), ("b", .null)]), .map([]), .null, .map([(word(k), .int(-Int64(k)))])])
        }))
        columns.append(try Column(name: "codes", type: .map(key: .int32, value: .list(.string)), values: ks.map { k in
            pick(k, [.map([(.int(Int64(k)), .list([word(k), .null])), (.int(Int64(k + 1)), .list([]))]), .null, .map([(-1, .null)])])
        }))
        columns.append(try Column(name: "events", type: .list(event), values: ks.map { k in
            let n = Int.random(in: 0...4, using: &g)
            let items: [TableValue] = (0..<n).map { j in
                j == 2 ? .null
                    : .struct([
                        ("ts", .timestamp(1_700_000_000_000_000 + Int64(k * 1000 + j), .microsecond, timeZone: "UTC")),
                        ("name", j == 3 ? .null : word(k + j)), ("score", .double(Double(j) / 4)),
                    ])
            }
            return k % 9 == 4 ? .null : .list(items)
        }))
        columns.append(try Column(name: "grid", type: .list(.list(.int32)), values: ks.map { k in
            pick(k, [.list([.list([.int(Int64(k)), .null]), .list([]), .null]), .null, .list([.list([])]), .list([.list([1, 2, 3])])])
        }))
        columns.append(try Column(name: "deep", type: deep, values: ks.map { k in
            pick(k, [
                .struct([("inner", .struct([("vals", .list([.int(Int64(k)), .int(Int64(k * 2))])), ("when", .date(daysSinceEpoch: Int32(k)))])), ("flag", .bool(k % 2 == 0))]),
                .struct([("inner", .null), ("flag", .null)]), .null,
                .struct([("inner", .struct([("vals", .null), ("when", .null)])), ("flag", true)]),
                .struct([("inner", .struct([("vals", .list([])), ("when", .date(daysSinceEpoch: -1))])), ("flag", false)]),
            ])
        }))
        columns.append(try Column(name: "pair", type: .fixedSizeList(.int16, size: 2), values: ks.map { k in
            pick(k, [.list([.int(Int64(k)), .int(-Int64(k))]), .null, .list([.null, 7])])
        }))
        columns.append(try Column(name: "big", type: .largeList(.string), values: ks.map { k in
            pick(k, [.list([word(k)]), .null, .list([]), .list([.null])])
        }))
        columns.append(try Column(name: "money", type: .list(.decimal(precision: 9, scale: 2)), values: ks.map { k in
            pick(k, [.list([.decimal("\(k).25"), .null]), .null, .list([.decimal("-0.01")])])
        }))
        columns.append(try Column(name: "blobs", type: .struct([.init("raw", .binary), .init("fixed", .fixedSizeBinary(4))]), values: ks.map { k in
            pick(k, [.struct([("raw", .binary([UInt8(k % 256), 0])), ("fixed", .binary([1, 2, 3, UInt8(k % 256)]))]), .null])
        }))
        return try Table(columns)
    }
}

/// Nested tables written by this library read back equal, with every writer option.
@Suite struct NestedRoundTripTests {
    static let variants: [(String, ParquetWriteOptions)] = [
        ("default", ParquetWriteOptions()),
        ("nodict", ParquetWriteOptions(dictionary: false)),
        ("v2 zstd", ParquetWriteOptions(compression: .zstd, dataPageVersion: .v2)),
        ("v2 small pages", ParquetWriteOptions(compression: .gzip, rowGroupSize: 17, dictionary: false, pageSize: 64, dataPageVersion: .v2)),
        ("small groups", ParquetWriteOptions(compression: .uncompressed, rowGroupSize: 7, pageSize: 100)),
        ("lz4 serial", ParquetWriteOptions(compression: .lz4Raw, pageSize: 300, parallel: false)),
    ]

    @Test func nestedTablesRoundTrip() throws {
        let table = try SampleTables.nested(rows: 150, seed: 3)
        for (name, options) in Self.variants {
            let bytes = try table.parquetData(options: options)
            let reader = try ParquetReader(bytes: bytes)
            for parallel in [true, false] {
                let back = try reader.readTable(parallel: parallel)
                #expect(back == table, "\(name) parallel: \(parallel)")
                for column in table.columns where back[column.name] != column {
                    Issue.record("\(name): column \(column.name) differs")
                }
            }
            #expect(reader.schema.fields.map(\.type) == table.columns.map(\.type), "\(name)")
            if options.dataPageVersion == .v2 {
                #expect(reader.metadata.rowGroups[0].columns.allSatisfy { $0.encodings.contains(.rle) })
            }
        }
    }

    @Test func dataPageV2WritesVersionTwoPages() throws {
        let table = try SampleTables.nested(rows: 40, seed: 8)
        let bytes = try table.parquetData(options: ParquetWriteOptions(compression: .snappy, pageSize: 64, dataPageVersion: .v2))
        let reader = try ParquetReader(bytes: bytes)
        var pageTypes: Set<Int32> = []
        for chunk in reader.metadata.rowGroups[0].columns {
            var position = Int(chunk.startOffset)
            let end = position + Int(chunk.compressedSize)
            while position < end {
                let (header, length) = try bytes.withRawBytes { (raw) throws(DataFolioError) -> (PageHeader, Int) in
                    var thrift = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[position...]))
                    return (try PageHeader(from: &thrift), thrift.offset)
                }
                pageTypes.insert(header.type.rawValue)
                if let v2 = header.dataPageV2 {
                    #expect(v2.rowCount > 0 && v2.valueCount >= v2.rowCount && v2.nullCount <= v2.valueCount)
                }
                position += length + Int(header.compressedSize)
            }
        }
        #expect(pageTypes.contains(PageType.dataPageV2.rawValue))
        #expect(!pageTypes.contains(PageType.dataPage.rawValue))
        #expect(try Table(parquetData: bytes) == table)
    }

    @Test func emptyCompressedPagesRead() throws {
        // A version 2 page of nulls only whose values take no bytes at all (some writers
        // leave out even the compressed empty block).
        let table = try Table([Column(name: "n", [nil, nil, nil] as [Int64?])])
        let bytes = try table.parquetData(options: ParquetWriteOptions(compression: .snappy, dictionary: false, dataPageVersion: .v2))
        let reader = try ParquetReader(bytes: bytes)
        let chunk = reader.metadata.rowGroups[0].columns[0]
        let start = Int(chunk.dataPageOffset)
        let (header, headerLength) = try bytes.withRawBytes { (raw) throws(DataFolioError) -> (PageHeader, Int) in
            var thrift = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[start...]))
            return (try PageHeader(from: &thrift), thrift.offset)
        }
        let v2 = try #require(header.dataPageV2)
        let levels = Int(v2.repetitionLevelsByteLength + v2.definitionLevelsByteLength)
        var edited = header
        edited.compressedSize = Int32(levels)
        edited.uncompressedSize = Int32(levels)
        let newHeader = edited.serialized()
        let prefix = Array(bytes[0..<start]) + newHeader + Array(bytes[(start + headerLength)..<(start + headerLength + levels)])
        var metadata = reader.metadata
        metadata.rowGroups[0].columns[0].compressedSize = Int64(newHeader.count + levels)
        let footer = metadata.serialized()
        let length = UInt32(footer.count)
        let file = prefix + footer + [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
            + Array("PAR1".utf8)
        #expect(try Table(parquetData: file) == table)
    }

    @Test func projectionOfWrittenNestedFields() throws {
        let table = try SampleTables.nested(rows: 50, seed: 4)
        let reader = try ParquetReader(bytes: try table.parquetData())
        let picked = try reader.readTable(columns: ["point.x", "events.name", "deep.inner.vals", "codes.key", "id"])
        #expect(picked.columnNames == ["point.x", "events.name", "deep.inner.vals", "codes.key", "id"])
        #expect(picked["point.x"]?.type == .float64)
        #expect(picked["events.name"]?.type == .list(.string))
        #expect(picked["deep.inner.vals"]?.type == .list(.int64))
        #expect(picked["codes.key"]?.type == .list(.int32))
        for row in 0..<table.rowCount {
            var x: TableValue = .null
            if case .struct(let fields)? = table["point"]?[row] { x = fields[0].value }
            #expect(picked["point.x"]?[row] == x)
            var keys: TableValue = .null
            if case .map(let entries)? = table["codes"]?[row] { keys = .list(entries.map(\.key)) }
            #expect(picked["codes.key"]?[row] == keys)
        }
    }

    @Test func nonCanonicalNestedColumnsWriteWhatTheyMean() throws {
        // A null list whose offsets still span values, and a null struct whose field holds
        // a value: neither value is part of the table.
        let values = Column(name: "element", [1, 2, 3, 4] as [Int64])
        let lists = try Column(
            name: "l", type: .list(.int64), count: 3, data: .list(offsets: [0, 2, 3, 4], values: values),
            validity: Bitmap([true, false, true]))
        let x = Column(name: "x", [10, 20, 30] as [Int64])
        let structs = try Column(
            name: "s", type: .struct([.init("x", .int64)]), count: 3, data: .struct([x]), validity: Bitmap([true, false, true]))
        let nestedNulls = try Column(
            name: "ls", type: .list(.struct([.init("x", .int64)])), count: 2,
            data: .list(offsets: [0, 2, 3], values: structs), validity: nil)
        let table = try Table([lists, structs])
        let inside = try Table([nestedNulls])
        for options in [ParquetWriteOptions(), ParquetWriteOptions(dictionary: false, dataPageVersion: .v2)] {
            let back = try Table(parquetData: try table.parquetData(options: options))
            #expect(back["l"]?.values == [.list([1, 2]), .null, .list([4])])
            #expect(back["s"]?.values == [.struct([("x", 10)]), .null, .struct([("x", 30)])])
            #expect(back == table)
            let backInside = try Table(parquetData: try inside.parquetData(options: options))
            #expect(backInside["ls"]?.values == [.list([.struct([("x", 10)]), .null]), .list([.struct([("x", 30)])])])
            #expect(backInside == inside)
        }
    }

    @Test func notNullFieldsRefuseNulls() throws {
        let x = Column(name: "x", [1, nil] as [Int64?])
        let column = try Column(name: "s", type: .struct([.init("x", .int64, isNullable: false)]), count: 2, data: .struct([x]), validity: nil)
        do {
            _ = try Table([column]).parquetData()
            Issue.record("a null in a not-null field was written")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("'s'"))
        }
        // Not-null fields without nulls are written as required and read back so.
        let full = try Column(
            name: "s", type: .struct([.init("x", .int64, isNullable: false)]), count: 2,
            data: .struct([Column(name: "x", [1, 2] as [Int64])]), validity: nil)
        let back = try Table(parquetData: try Table([full]).parquetData())
        #expect(back["s"]?.type == full.type)
        #expect(back["s"] == full)
    }

    @Test func dictionariesInsideNestedColumns() throws {
        let categories = Column(name: "element", categories: ["red", "blue", nil, "red", "green"])
        let lists = try Column(
            name: "colours", type: .list(categories.type), count: 3, data: .list(offsets: [0, 2, 2, 5], values: categories),
            validity: nil)
        let table = try Table([lists])
        let back = try Table(parquetData: try table.parquetData())
        #expect(back["colours"]?.type == .list(.dictionary(.string, ordered: false)))
        #expect(back["colours"]?.values == table["colours"]?.values)
    }

    @Test func writtenInPartsAndReadByRowGroup() throws {
        let table = try SampleTables.nested(rows: 90, seed: 12)
        let memory = MemoryOutput()
        let writer = try ParquetWriter(output: memory, options: ParquetWriteOptions(rowGroupSize: 20, dataPageVersion: .v2))
        for start in stride(from: 0, to: 90, by: 30) { try writer.write(table.rows(start..<(start + 30))) }
        try writer.close()
        let reader = try ParquetReader(bytes: memory.bytes)
        #expect(reader.rowGroupCount == 6)
        var parts: [Table] = []
        var groups = reader.rowGroupTables()
        while let group = try groups.next() { parts.append(group) }
        #expect(try Table(concatenating: parts) == table)
        #expect(try reader.readTable() == table)
    }
}
