@testable import DataFolioParquet
import DataFolioSupport
import Testing

@Suite struct ThriftCompactTests {
    private func decodeHeader(_ bytes: [UInt8]) throws(DataFolioError) -> PageHeader {
        try bytes.withRawBytes { (raw) throws(DataFolioError) in
            var reader = ThriftCompactReader(raw)
            return try PageHeader(from: &reader)
        }
    }

    @Test func pageHeaderRoundTrips() throws {
        var header = PageHeader()
        header.type = .dataPageV2
        header.uncompressedSize = 123_456
        header.compressedSize = 7
        header.crc = -5
        var v2 = DataPageHeaderV2()
        v2.valueCount = 1000
        v2.nullCount = 3
        v2.rowCount = 999
        v2.encoding = .rleDictionary
        v2.definitionLevelsByteLength = 17
        v2.repetitionLevelsByteLength = 0
        v2.isCompressed = false
        v2.statistics = ParquetStatistics(nullCount: 3, minimum: [1, 2], maximum: [9])
        header.dataPageV2 = v2
        let decoded = try decodeHeader(header.serialized())
        #expect(decoded == header)
    }

    @Test func footerRoundTripsWithLogicalTypes() throws {
        var metadata = ParquetFileMetadata()
        metadata.version = 2
        var root = SchemaElement(name: "schema")
        root.numChildren = 3
        var a = SchemaElement(name: "when")
        a.type = .int64
        a.repetition = .optional
        a.logicalType = .timestamp(unit: .nanos, isAdjustedToUTC: true)
        var b = SchemaElement(name: "price")
        b.type = .fixedLenByteArray
        b.typeLength = 5
        b.logicalType = .decimal(scale: 2, precision: 10)
        b.convertedType = .decimal
        b.scale = 2
        b.precision = 10
        var c = SchemaElement(name: "small")
        c.type = .int32
        c.logicalType = .integer(bitWidth: 8, isSigned: false)
        metadata.schema = [root, a, b, c]
        metadata.rowCount = 42
        var group = ParquetRowGroup()
        group.rowCount = 42
        var chunk = ParquetColumnChunk()
        chunk.hasMetadata = true
        chunk.path = ["when"]
        chunk.physicalType = .int64
        chunk.encodings = [.plain, .rle, .rleDictionary]
        chunk.compression = .zstd
        chunk.valueCount = 42
        chunk.dataPageOffset = 4
        chunk.dictionaryPageOffset = 100
        chunk.statistics = ParquetStatistics(nullCount: 0, minimum: [0], maximum: [1])
        group.columns = [chunk]
        metadata.rowGroups = [group]
        metadata.keyValueMetadata = [ParquetKeyValue(key: "k", value: "ü"), ParquetKeyValue(key: "none", value: nil)]
        metadata.createdBy = "test"
        let bytes = metadata.serialized()
        let decoded = try bytes.withRawBytes { (raw) throws(DataFolioError) in try ParquetFileMetadata(parsing: raw) }
        #expect(decoded.schema == metadata.schema)
        #expect(decoded.rowGroups == metadata.rowGroups)
        #expect(decoded.keyValueMetadata == metadata.keyValueMetadata)
        #expect(decoded.createdBy == "test")
        #expect(decoded.rowCount == 42)
    }

    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        // A data page header with extra fields 20…29 of every compact type before the real ones.
        var writer = ThriftCompactWriter()
        writer.i32Field(1, 0)              // type = DATA_PAGE
        writer.i32Field(2, 10)
        writer.i32Field(3, 10)
        writer.boolField(20, true)
        writer.i8Field(21, -1)
        writer.i16Field(22, 300)
        writer.i64Field(23, -1 << 40)
        writer.fieldHeader(24, .double)
        writer.out.appendLE(UInt64(0x4009_21FB_5444_2D18))
        writer.binaryField(25, [1, 2, 3])
        writer.listField(26, .i32, [1, 2, 3]) { w, v in w.i32(Int32(v)) }
        writer.fieldHeader(27, .map)
        writer.out.appendULEB128(2)
        writer.out.append(CompactType.binary.rawValue << 4 | CompactType.boolTrue.rawValue)
        writer.string("a")
        writer.out.append(1)
        writer.string("b")
        writer.out.append(2)
        writer.structField(28) { w in
            w.i32Field(1, 5)
            w.structField(2) { w in w.stringField(3, "nested") }
        }
        writer.fieldHeader(29, .set)
        writer.listHeader(2, .boolTrue)
        writer.out.append(1)
        writer.out.append(0)
        writer.structField(5) { w in
            w.i32Field(1, 77)
            w.i32Field(2, 0)
            w.i32Field(3, 3)
            w.i32Field(4, 3)
        }
        writer.out.append(0)
        let header = try decodeHeader(writer.bytes)
        #expect(header.dataPage?.valueCount == 77)
        #expect(header.uncompressedSize == 10)
    }

    @Test func deepNestingIsRefused() throws {
        // Unknown field 20 holds a struct whose field 20 holds a struct … far deeper than
        // any real footer.
        var bytes: [UInt8] = []
        for _ in 0..<10_000 { bytes += [0x0C, 40] }
        #expect(throws: DataFolioError.self) { try decodeHeader(bytes) }
        do {
            _ = try decodeHeader(bytes)
        } catch {
            #expect(error.code == .limitExceeded)
        }
    }

    @Test func lyingLengthsAreRefused() throws {
        // A list that claims a billion elements, a binary that claims more bytes than exist,
        // a field id out of range, and an unknown type nibble.
        let hugeList: [UInt8] = [0x19, 0xF5, 0x80, 0x94, 0xEB, 0xDC, 0x03]
        let hugeBinary: [UInt8] = [0x18, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2]
        let badType: [UInt8] = [0x1E]
        let truncated: [UInt8] = [0x15]
        for bytes in [hugeList, hugeBinary, badType, truncated, []] {
            #expect(throws: DataFolioError.self) { try decodeHeader(bytes) }
        }
        let footerBytes: [UInt8] = [0x19, 0xF5, 0x80, 0x94, 0xEB, 0xDC, 0x03, 0]
        #expect(throws: DataFolioError.self) {
            try footerBytes.withRawBytes { (raw) throws(DataFolioError) in _ = try ParquetFileMetadata(parsing: raw) }
        }
    }

    @Test func negativeSizesAreRefused() throws {
        var header = PageHeader()
        header.uncompressedSize = -1
        header.compressedSize = 5
        #expect(throws: DataFolioError.self) { try decodeHeader(header.serialized()) }
    }
}
