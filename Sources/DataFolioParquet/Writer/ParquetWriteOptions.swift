/// How ``ParquetWriter`` lays out and compresses a file.
///
/// The defaults follow pyarrow's: Snappy compression, dictionary encoding, row groups of
/// up to 1 Mi rows, pages of about 1 MB, statistics on.
///
/// ```swift
/// let options = ParquetWriteOptions(compression: .zstd, rowGroupSize: 100_000)
/// let bytes = try table.parquetData(options: options)
/// ```
public struct ParquetWriteOptions: Sendable {
    /// The codec of every column chunk: `.snappy` (default), `.uncompressed`, `.zstd` or `.gzip`.
    public var compression: ParquetCompression
    /// A codec-specific level (zstd 1…9, gzip 0…9); `nil` picks a fast default.
    public var compressionLevel: Int?
    /// The most rows per row group.
    public var rowGroupSize: Int
    /// The most bytes of in-memory column data per row group (a row group closes at
    /// whichever limit comes first).
    public var rowGroupByteLimit: Int
    /// Whether to dictionary-encode columns with few distinct values.
    public var dictionary: Bool
    /// The largest dictionary (as PLAIN bytes) before a column chunk falls back to PLAIN.
    public var dictionaryPageSizeLimit: Int
    /// The target size of a data page before compression.
    public var pageSize: Int
    /// Whether to write min/max statistics (null counts are always written).
    public var statistics: Bool
    /// Whether to write the `pandas` metadata, so pandas restores dtypes (tz-aware
    /// timestamps, categoricals, nullable integers).
    public var pandasMetadata: Bool
    /// Whether to write the `ARROW:schema` metadata, so pyarrow restores Arrow types
    /// exactly (dictionary columns, time zones).
    public var arrowSchema: Bool
    /// Extra key-value metadata to store in the footer.
    public var keyValueMetadata: [ParquetKeyValue]
    /// Whether to encode the columns of a row group on several threads at once.
    public var parallel: Bool
    /// The data page layout: version 1 (pyarrow's default, read by every tool) or
    /// version 2 (levels stored uncompressed before the values).
    public var dataPageVersion: ParquetDataPageVersion

    /// Creates options; every parameter has pyarrow's default.
    public init(
        compression: ParquetCompression = .snappy,
        compressionLevel: Int? = nil,
        rowGroupSize: Int = 1 << 20,
        rowGroupByteLimit: Int = 1 << 30,
        dictionary: Bool = true,
        dictionaryPageSizeLimit: Int = 1 << 20,
        pageSize: Int = 1 << 20,
        statistics: Bool = true,
        pandasMetadata: Bool = true,
        arrowSchema: Bool = true,
        keyValueMetadata: [ParquetKeyValue] = [],
        parallel: Bool = true,
        dataPageVersion: ParquetDataPageVersion = .v1
    ) {
        self.compression = compression
        self.compressionLevel = compressionLevel
        self.rowGroupSize = rowGroupSize
        self.rowGroupByteLimit = rowGroupByteLimit
        self.dictionary = dictionary
        self.dictionaryPageSizeLimit = dictionaryPageSizeLimit
        self.pageSize = pageSize
        self.statistics = statistics
        self.pandasMetadata = pandasMetadata
        self.arrowSchema = arrowSchema
        self.keyValueMetadata = keyValueMetadata
        self.parallel = parallel
        self.dataPageVersion = dataPageVersion
    }

    /// The `created_by` string this library writes.
    public static let createdBy = "datafolio-swift version \(ParquetWriteOptions.libraryVersion)"

    /// The library version recorded in written files.
    public static let libraryVersion = "0.1.0"
}

/// The layout of data pages a ``ParquetWriter`` writes.
///
/// ```swift
/// let options = ParquetWriteOptions(dataPageVersion: .v2)
/// ```
public enum ParquetDataPageVersion: Sendable, Hashable {
    /// DATA_PAGE: levels and values compressed together.
    case v1
    /// DATA_PAGE_V2: levels uncompressed, then the compressed values; pages start at rows.
    case v2
}
