import DataFolioSupport

/// Where one column of one row group is stored, and how.
///
/// This merges parquet-format's `ColumnChunk` and its `ColumnMetaData`.
///
/// ```swift
/// for chunk in reader.metadata.rowGroups[0].columns {
///     print(chunk.path.joined(separator: "."), chunk.compression, chunk.compressedSize)
/// }
/// ```
public struct ParquetColumnChunk: Sendable, Equatable {
    /// The path of the leaf column in the schema (e.g. `["tags", "list", "element"]`).
    public var path: [String] = []
    /// The physical type of the values.
    public var physicalType: ParquetPhysicalType = .int32
    /// Every encoding used by the chunk's pages.
    public var encodings: [ParquetEncoding] = []
    /// The compression codec of the chunk's pages.
    public var compression: ParquetCompression = .uncompressed
    /// The number of values, counting nulls and list entries.
    public var valueCount: Int64 = 0
    /// The size of the chunk after decompression, page headers included.
    public var uncompressedSize: Int64 = 0
    /// The size of the chunk in the file, page headers included.
    public var compressedSize: Int64 = 0
    /// The file offset of the first data page.
    public var dataPageOffset: Int64 = 0
    /// The file offset of the index page, if any.
    public var indexPageOffset: Int64?
    /// The file offset of the dictionary page, if any.
    public var dictionaryPageOffset: Int64?
    /// Chunk statistics, if written.
    public var statistics: ParquetStatistics?
    /// The file holding the chunk when it is not this one (rare; unsupported for reading).
    public var filePath: String?
    /// Deprecated offset of the chunk's metadata.
    public var fileOffset: Int64 = 0
    /// Whether the column metadata was present (it is missing for encrypted columns).
    var hasMetadata = false

    /// An empty chunk description, whose fields a writer fills in.
    public init() {}

    /// The first byte of the chunk: the dictionary page when there is one.
    public var startOffset: Int64 {
        // Some writers record 0 for an absent offset (and pyarrow records a data page
        // offset of 0 for an empty chunk), so take the smallest positive one.
        if let dictionaryPageOffset, dictionaryPageOffset > 0, dictionaryPageOffset < dataPageOffset || dataPageOffset <= 0 {
            return dictionaryPageOffset
        }
        return dataPageOffset
    }

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var chunk = ParquetColumnChunk()
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: chunk.filePath = try r.readString(field.type)
            case 2: chunk.fileOffset = try r.readI64(field.type)
            case 3:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "column metadata is not a struct") }
                try chunk.readColumnMetaData(from: &r)
            default: try r.skip(field.type)
            }
        }
        self = chunk
    }

    private mutating func readColumnMetaData(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        hasMetadata = true
        var chunk = self
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: chunk.physicalType = ParquetPhysicalType(rawValue: try r.readI32(field.type))
            case 2:
                chunk.encodings = try r.readList(field.type) { (r: inout ThriftCompactReader, t: CompactType) throws(DataFolioError) in
                    ParquetEncoding(rawValue: try r.readI32(t))
                }
            case 3:
                chunk.path = try r.readList(field.type) { (r: inout ThriftCompactReader, t: CompactType) throws(DataFolioError) in
                    try r.readString(t)
                }
            case 4: chunk.compression = ParquetCompression(rawValue: try r.readI32(field.type))
            case 5: chunk.valueCount = try r.readI64(field.type)
            case 6: chunk.uncompressedSize = try r.readI64(field.type)
            case 7: chunk.compressedSize = try r.readI64(field.type)
            case 9: chunk.dataPageOffset = try r.readI64(field.type)
            case 10: chunk.indexPageOffset = try r.readI64(field.type)
            case 11: chunk.dictionaryPageOffset = try r.readI64(field.type)
            case 12:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "statistics are not a struct") }
                chunk.statistics = try ParquetStatistics(from: &r)
            default: try r.skip(field.type)
            }
        }
        self = chunk
    }

    func write(to writer: inout ThriftCompactWriter) {
        if let filePath { writer.stringField(1, filePath) }
        writer.i64Field(2, fileOffset)
        writer.structField(3) { w in
            w.i32Field(1, physicalType.rawValue)
            w.listField(2, .i32, encodings) { w, e in w.i32(e.rawValue) }
            w.listField(3, .binary, path) { w, p in w.string(p) }
            w.i32Field(4, compression.rawValue)
            w.i64Field(5, valueCount)
            w.i64Field(6, uncompressedSize)
            w.i64Field(7, compressedSize)
            w.i64Field(9, dataPageOffset)
            if let indexPageOffset { w.i64Field(10, indexPageOffset) }
            if let dictionaryPageOffset { w.i64Field(11, dictionaryPageOffset) }
            if let statistics {
                w.structField(12) { w in statistics.write(to: &w) }
            }
        }
    }
}

/// A horizontal slice of the table: the chunks of every column for a run of rows.
///
/// ```swift
/// for group in reader.metadata.rowGroups { print(group.rowCount) }
/// ```
public struct ParquetRowGroup: Sendable, Equatable {
    /// One chunk per leaf column, in schema order.
    public var columns: [ParquetColumnChunk] = []
    /// The uncompressed size of the row group's data.
    public var totalByteSize: Int64 = 0
    /// The number of rows.
    public var rowCount: Int64 = 0
    /// The offset of the row group's first page, when recorded.
    public var fileOffset: Int64?
    /// The compressed size of the row group, when recorded.
    public var totalCompressedSize: Int64?
    /// The row group's position in the file, when recorded.
    public var ordinal: Int16?

    /// An empty row group description, whose fields a writer fills in.
    public init() {}

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var group = ParquetRowGroup()
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1:
                group.columns = try r.readStructList(field.type) { (r: inout ThriftCompactReader) throws(DataFolioError) in
                    try ParquetColumnChunk(from: &r)
                }
            case 2: group.totalByteSize = try r.readI64(field.type)
            case 3: group.rowCount = try r.readI64(field.type)
            case 5: group.fileOffset = try r.readI64(field.type)
            case 6: group.totalCompressedSize = try r.readI64(field.type)
            case 7: group.ordinal = try r.readI16(field.type)
            default: try r.skip(field.type)
            }
        }
        self = group
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.listField(1, .structure, columns) { w, c in c.write(to: &w) }
        writer.i64Field(2, totalByteSize)
        writer.i64Field(3, rowCount)
        if let fileOffset { writer.i64Field(5, fileOffset) }
        if let totalCompressedSize { writer.i64Field(6, totalCompressedSize) }
        if let ordinal { writer.i16Field(7, ordinal) }
    }
}
