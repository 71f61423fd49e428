@testable import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import Testing

/// Layouts older writers produce, built page by page since current tools no longer write them.
@Suite struct LegacyLayoutTests {
    /// One column chunk: levels and PLAIN values of a single uncompressed data page v1.
    struct Chunk {
        var path: [String]
        var physical: ParquetPhysicalType
        var repetition: [UInt32]?
        var definition: [UInt32]?
        var maxRepetition = 0
        var maxDefinition = 0
        var values: [UInt8]
        var valueCount: Int
    }

    /// A file with the given schema (root first) and one row group.
    static func file(schema: [SchemaElement], rows: Int, chunks: [Chunk]) -> [UInt8] {
        var out: [UInt8] = Array("PAR1".utf8)
        var group = ParquetRowGroup()
        group.rowCount = Int64(rows)
        for chunk in chunks {
            var body: [UInt8] = []
            func levels(_ values: [UInt32]?, max: Int) {
                guard let values else { return }
                var encoded: [UInt8] = []
                values.withUnsafeBufferPointer {
                    RLEHybridEncoder.encode($0, bitWidth: BitPacking.bitWidth(of: UInt64(max)), into: &encoded)
                }
                let length = UInt32(encoded.count)
                body += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
                body += encoded
            }
            levels(chunk.repetition, max: chunk.maxRepetition)
            levels(chunk.definition, max: chunk.maxDefinition)
            body += chunk.values
            var header = PageHeader()
            header.type = .dataPage
            header.uncompressedSize = Int32(body.count)
            header.compressedSize = Int32(body.count)
            var data = DataPageHeader()
            data.valueCount = Int32(chunk.valueCount)
            header.dataPage = data
            let headerBytes = header.serialized()
            var metadata = ParquetColumnChunk()
            metadata.hasMetadata = true
            metadata.path = chunk.path
            metadata.physicalType = chunk.physical
            metadata.encodings = [.plain, .rle]
            metadata.valueCount = Int64(chunk.valueCount)
            metadata.dataPageOffset = Int64(out.count)
            metadata.compressedSize = Int64(headerBytes.count + body.count)
            metadata.uncompressedSize = metadata.compressedSize
            out += headerBytes + body
            group.columns.append(metadata)
        }
        var footer = ParquetFileMetadata()
        footer.schema = schema
        footer.rowCount = Int64(rows)
        footer.rowGroups = [group]
        let bytes = footer.serialized()
        let length = UInt32(bytes.count)
        out += bytes
        out += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        out += Array("PAR1".utf8)
        return out
    }

    static func int32s(_ values: [Int32]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    }

    static func element(_ name: String, _ repetition: Repetition, type: ParquetPhysicalType? = nil, children: Int32? = nil) -> SchemaElement {
        var element = SchemaElement(name: name)
        element.repetition = repetition
        element.type = type
        element.numChildren = children
        return element
    }

    @Test func twoLevelListsAndBareRepeatedFields() throws {
        // optional group a (LIST) { repeated int32 array; } holding [[1, 2], [], null, [3]]
        // repeated int32 b holding [[5], [], [6, 7], []]
        var list = Self.element("a", .optional, children: 1)
        list.convertedType = .list
        let schema = [
            Self.element("schema", .required, children: 2),
            list,
            Self.element("array", .repeated, type: .int32),
            Self.element("b", .repeated, type: .int32),
        ]
        let bytes = Self.file(schema: schema, rows: 4, chunks: [
            Chunk(
                path: ["a", "array"], physical: .int32, repetition: [0, 1, 0, 0, 0], definition: [2, 2, 1, 0, 2],
                maxRepetition: 1, maxDefinition: 2, values: Self.int32s([1, 2, 3]), valueCount: 5),
            Chunk(
                path: ["b"], physical: .int32, repetition: [0, 0, 0, 1, 0], definition: [1, 0, 1, 1, 0],
                maxRepetition: 1, maxDefinition: 1, values: Self.int32s([5, 6, 7]), valueCount: 5),
        ])
        let table = try ParquetReader(bytes: bytes).readTable()
        #expect(table["a"]?.type == .list(.int32))
        #expect(table["a"]?.values == [.list([.int(1), .int(2)]), .list([]), .null, .list([.int(3)])])
        #expect(table["b"]?.values == [.list([.int(5)]), .list([]), .list([.int(6), .int(7)]), .list([])])
        #expect(table["b"]?.nullCount == 0)
    }

    @Test func legacyListsOfStructsRead() throws {
        // optional group c (LIST) { repeated group array { required int32 x; } } — the
        // repeated group named "array" is itself the element, a struct — holding
        // [[{x: 1}, {x: 2}], null, []].
        var list = Self.element("c", .optional, children: 1)
        list.convertedType = .list
        let schema = [
            Self.element("schema", .required, children: 1),
            list,
            Self.element("array", .repeated, children: 1),
            Self.element("x", .required, type: .int32),
        ]
        let bytes = Self.file(schema: schema, rows: 3, chunks: [
            Chunk(
                path: ["c", "array", "x"], physical: .int32, repetition: [0, 1, 0, 0], definition: [2, 2, 0, 1],
                maxRepetition: 1, maxDefinition: 2, values: Self.int32s([1, 2]), valueCount: 4)
        ])
        let table = try ParquetReader(bytes: bytes).readTable()
        #expect(table["c"]?.type == .list(.struct([.init("x", .int32, isNullable: false)])))
        #expect(table["c"]?.values == [.list([.struct([("x", 1)]), .struct([("x", 2)])]), .null, .list([])])
    }

    @Test func listsWhoseRepeatedGroupIsAListAndMapsWithoutValues() throws {
        // required group a (LIST) { repeated group array (LIST) { repeated int32 array; } }
        // holding [[1, 2], [3, 4]] (parquet-java's two-level nested list), and
        // required group m (MAP) { repeated group key_value { required int32 key; } }
        // holding [5, 6], which reads as the list of its keys.
        var outer = Self.element("a", .required, children: 1)
        outer.convertedType = .list
        var inner = Self.element("array", .repeated, children: 1)
        inner.convertedType = .list
        var map = Self.element("m", .required, children: 1)
        map.convertedType = .map
        let schema = [
            Self.element("schema", .required, children: 2),
            outer, inner, Self.element("array", .repeated, type: .int32),
            map, Self.element("key_value", .repeated, children: 1), Self.element("key", .required, type: .int32),
        ]
        let bytes = Self.file(schema: schema, rows: 1, chunks: [
            Chunk(
                path: ["a", "array", "array"], physical: .int32, repetition: [0, 2, 1, 2], definition: [2, 2, 2, 2],
                maxRepetition: 2, maxDefinition: 2, values: Self.int32s([1, 2, 3, 4]), valueCount: 4),
            Chunk(
                path: ["m", "key_value", "key"], physical: .int32, repetition: [0, 1], definition: [1, 1],
                maxRepetition: 1, maxDefinition: 1, values: Self.int32s([5, 6]), valueCount: 2),
        ])
        let table = try ParquetReader(bytes: bytes).readTable()
        #expect(table["a"]?.type == .list(.list(.int32)))
        #expect(table["a"]?.values == [.list([.list([1, 2]), .list([3, 4])])])
        #expect(table["m"]?.type == .list(.int32))
        #expect(table["m"]?.values == [.list([5, 6])])
    }

    @Test func malformedNestedLayoutsAreRefusedByName() throws {
        // A LIST whose only child is not repeated.
        var list = Self.element("bad", .optional, children: 1)
        list.convertedType = .list
        let schema = [
            Self.element("schema", .required, children: 2),
            list,
            Self.element("element", .optional, type: .int32),
            Self.element("ok", .optional, type: .int32),
        ]
        let bytes = Self.file(schema: schema, rows: 1, chunks: [
            Chunk(path: ["bad", "element"], physical: .int32, definition: [2], maxDefinition: 2, values: Self.int32s([1]), valueCount: 1),
            Chunk(path: ["ok"], physical: .int32, definition: [1], maxDefinition: 1, values: Self.int32s([5]), valueCount: 1),
        ])
        let reader = try ParquetReader(bytes: bytes)
        #expect(reader.schema["bad"]?.type == nil)
        #expect(reader.schema["bad"]?.unsupportedKind == "a malformed list")
        do {
            _ = try reader.readTable()
            Issue.record("a malformed list was read")
        } catch {
            #expect(error.code == .unsupportedFeature)
            #expect(error.message.contains("'bad'") && error.message.contains("malformed list"))
        }
        #expect(try reader.readTable(columns: ["ok"])["ok"]?.values == [.int(5)])
    }

    @Test func oldParquetMRChunksGetRoomForTheirDictionaryHeader() {
        // parquet-mr before 1.2.9 left the dictionary page header out of the chunk size.
        for (createdBy, padded) in [
            ("parquet-mr", true), ("parquet-mr version 1.2.8", true), ("parquet-mr version 1.2.9", false),
            ("parquet-mr version 1.13.1 (build db4183109d5b734ec5930d870cdae161e408ddba)", false),
            ("parquet-cpp-arrow version 26.0.1", false), ("parquet-mr version 1.1", true),
        ] {
            #expect(ParquetReader.undercountsDictionaryHeaders(createdBy: createdBy) == padded, "\(createdBy)")
        }
        #expect(!ParquetReader.undercountsDictionaryHeaders(createdBy: nil))
    }

    @Test func requiredColumnsHaveNoDefinitionLevels() throws {
        let schema = [Self.element("schema", .required, children: 1), Self.element("r", .required, type: .int32)]
        let bytes = Self.file(schema: schema, rows: 3, chunks: [
            Chunk(path: ["r"], physical: .int32, repetition: nil, definition: nil, values: Self.int32s([-1, 0, 1]), valueCount: 3)
        ])
        let reader = try ParquetReader(bytes: bytes)
        #expect(reader.schema["r"]?.isNullable == false)
        #expect(try reader.readTable()["r"]?.values == [.int(-1), .int(0), .int(1)])
    }

    @Test func levelsThatDisagreeWithValuesAreRefused() throws {
        // Definition levels promise three values but the page holds two.
        let schema = [Self.element("schema", .required, children: 1), Self.element("o", .optional, type: .int32)]
        let bytes = Self.file(schema: schema, rows: 4, chunks: [
            Chunk(path: ["o"], physical: .int32, definition: [1, 1, 0, 1], maxDefinition: 1, values: Self.int32s([1, 2]), valueCount: 4)
        ])
        #expect(throws: DataFolioError.self) { try ParquetReader(bytes: bytes).readTable() }
    }
}
