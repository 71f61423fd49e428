import DataFolioSupport

/// The header in front of every page of a column chunk.
struct PageHeader: Sendable, Equatable {
    var type = PageType.dataPage
    var uncompressedSize: Int32 = 0
    var compressedSize: Int32 = 0
    var crc: Int32?
    var dataPage: DataPageHeader?
    var dictionaryPage: DictionaryPageHeader?
    var dataPageV2: DataPageHeaderV2?

    init() {}

    /// Decodes a header; `reader` stops right after it, where the page body starts.
    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var header = PageHeader()
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: header.type = PageType(rawValue: try r.readI32(field.type))
            case 2: header.uncompressedSize = try r.readI32(field.type)
            case 3: header.compressedSize = try r.readI32(field.type)
            case 4: header.crc = try r.readI32(field.type)
            case 5:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "a data page header is not a struct") }
                header.dataPage = try DataPageHeader(from: &r)
            case 7:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "a dictionary page header is not a struct") }
                header.dictionaryPage = try DictionaryPageHeader(from: &r)
            case 8:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "a data page header is not a struct") }
                header.dataPageV2 = try DataPageHeaderV2(from: &r)
            default: try r.skip(field.type)
            }
        }
        guard header.uncompressedSize >= 0, header.compressedSize >= 0 else {
            throw DataFolioError.corrupt(
                "Parquet", "a page header declares a negative size (\(header.compressedSize) / \(header.uncompressedSize))")
        }
        self = header
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.i32Field(1, type.rawValue)
        writer.i32Field(2, uncompressedSize)
        writer.i32Field(3, compressedSize)
        if let crc { writer.i32Field(4, crc) }
        if let dataPage { writer.structField(5) { w in dataPage.write(to: &w) } }
        if let dictionaryPage { writer.structField(7) { w in dictionaryPage.write(to: &w) } }
        if let dataPageV2 { writer.structField(8) { w in dataPageV2.write(to: &w) } }
    }

    func serialized() -> [UInt8] {
        var writer = ThriftCompactWriter(capacity: 64)
        write(to: &writer)
        writer.out.append(0)
        return writer.bytes
    }
}

/// The header of a version 1 data page.
struct DataPageHeader: Sendable, Equatable {
    var valueCount: Int32 = 0
    var encoding = ParquetEncoding.plain
    var definitionLevelEncoding = ParquetEncoding.rle
    var repetitionLevelEncoding = ParquetEncoding.rle
    var statistics: ParquetStatistics?

    init() {}

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var header = DataPageHeader()
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: header.valueCount = try r.readI32(field.type)
            case 2: header.encoding = ParquetEncoding(rawValue: try r.readI32(field.type))
            case 3: header.definitionLevelEncoding = ParquetEncoding(rawValue: try r.readI32(field.type))
            case 4: header.repetitionLevelEncoding = ParquetEncoding(rawValue: try r.readI32(field.type))
            case 5:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "page statistics are not a struct") }
                header.statistics = try ParquetStatistics(from: &r)
            default: try r.skip(field.type)
            }
        }
        guard header.valueCount >= 0 else {
            throw DataFolioError.corrupt("Parquet", "a data page declares \(header.valueCount) values")
        }
        self = header
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.i32Field(1, valueCount)
        writer.i32Field(2, encoding.rawValue)
        writer.i32Field(3, definitionLevelEncoding.rawValue)
        writer.i32Field(4, repetitionLevelEncoding.rawValue)
        if let statistics { writer.structField(5) { w in statistics.write(to: &w) } }
    }
}

/// The header of a dictionary page.
struct DictionaryPageHeader: Sendable, Equatable {
    var valueCount: Int32 = 0
    var encoding = ParquetEncoding.plain
    var isSorted: Bool?

    init() {}

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var header = DictionaryPageHeader()
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: header.valueCount = try r.readI32(field.type)
            case 2: header.encoding = ParquetEncoding(rawValue: try r.readI32(field.type))
            case 3: header.isSorted = try r.readBool(field.type)
            default: try r.skip(field.type)
            }
        }
        guard header.valueCount >= 0 else {
            throw DataFolioError.corrupt("Parquet", "a dictionary page declares \(header.valueCount) values")
        }
        self = header
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.i32Field(1, valueCount)
        writer.i32Field(2, encoding.rawValue)
        if let isSorted { writer.boolField(3, isSorted) }
    }
}

/// The header of a version 2 data page (levels stored uncompressed before the values).
struct DataPageHeaderV2: Sendable, Equatable {
    var valueCount: Int32 = 0
    var nullCount: Int32 = 0
    var rowCount: Int32 = 0
    var encoding = ParquetEncoding.plain
    var definitionLevelsByteLength: Int32 = 0
    var repetitionLevelsByteLength: Int32 = 0
    var isCompressed = true
    var statistics: ParquetStatistics?

    init() {}

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var header = DataPageHeaderV2()
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: header.valueCount = try r.readI32(field.type)
            case 2: header.nullCount = try r.readI32(field.type)
            case 3: header.rowCount = try r.readI32(field.type)
            case 4: header.encoding = ParquetEncoding(rawValue: try r.readI32(field.type))
            case 5: header.definitionLevelsByteLength = try r.readI32(field.type)
            case 6: header.repetitionLevelsByteLength = try r.readI32(field.type)
            case 7: header.isCompressed = try r.readBool(field.type)
            case 8:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "page statistics are not a struct") }
                header.statistics = try ParquetStatistics(from: &r)
            default: try r.skip(field.type)
            }
        }
        guard header.valueCount >= 0, header.nullCount >= 0, header.rowCount >= 0,
            header.definitionLevelsByteLength >= 0, header.repetitionLevelsByteLength >= 0
        else {
            throw DataFolioError.corrupt("Parquet", "a version 2 data page header has a negative count or length")
        }
        self = header
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.i32Field(1, valueCount)
        writer.i32Field(2, nullCount)
        writer.i32Field(3, rowCount)
        writer.i32Field(4, encoding.rawValue)
        writer.i32Field(5, definitionLevelsByteLength)
        writer.i32Field(6, repetitionLevelsByteLength)
        writer.boolField(7, isCompressed)
        if let statistics { writer.structField(8) { w in statistics.write(to: &w) } }
    }
}
