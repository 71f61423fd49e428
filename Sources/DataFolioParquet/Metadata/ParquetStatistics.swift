import DataFolioSupport

/// The statistics a writer stored for a column chunk or page.
///
/// Minimum and maximum are the PLAIN encoding of the value (without the length prefix
/// for byte arrays), compared by the column's sort order.
///
/// ```swift
/// let stats = reader.metadata.rowGroups[0].columns[0].statistics
/// print(stats?.nullCount ?? 0)
/// ```
public struct ParquetStatistics: Sendable, Equatable {
    /// The number of nulls, when recorded.
    public var nullCount: Int64?
    /// The number of distinct values, when recorded.
    public var distinctCount: Int64?
    /// The smallest value (PLAIN-encoded).
    public var minimum: [UInt8]?
    /// The largest value (PLAIN-encoded).
    public var maximum: [UInt8]?
    /// Whether ``minimum`` is the actual smallest value rather than a bound.
    public var isMinimumExact: Bool?
    /// Whether ``maximum`` is the actual largest value rather than a bound.
    public var isMaximumExact: Bool?

    /// Creates statistics.
    ///
    /// ```swift
    /// let statistics = ParquetStatistics(nullCount: 0, minimum: [1, 0, 0, 0], maximum: [9, 0, 0, 0])
    /// ```
    public init(
        nullCount: Int64? = nil, distinctCount: Int64? = nil, minimum: [UInt8]? = nil, maximum: [UInt8]? = nil,
        isMinimumExact: Bool? = nil, isMaximumExact: Bool? = nil
    ) {
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.minimum = minimum
        self.maximum = maximum
        self.isMinimumExact = isMinimumExact
        self.isMaximumExact = isMaximumExact
    }

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var stats = ParquetStatistics()
        var legacyMin: [UInt8]?
        var legacyMax: [UInt8]?
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: legacyMax = try r.readBinary(field.type)
            case 2: legacyMin = try r.readBinary(field.type)
            case 3: stats.nullCount = try r.readI64(field.type)
            case 4: stats.distinctCount = try r.readI64(field.type)
            case 5: stats.maximum = try r.readBinary(field.type)
            case 6: stats.minimum = try r.readBinary(field.type)
            case 7: stats.isMaximumExact = try r.readBool(field.type)
            case 8: stats.isMinimumExact = try r.readBool(field.type)
            default: try r.skip(field.type)
            }
        }
        // The deprecated min/max used a signed byte order for strings; only fall back to
        // them when the current fields are missing.
        if stats.minimum == nil { stats.minimum = legacyMin }
        if stats.maximum == nil { stats.maximum = legacyMax }
        self = stats
    }

    func write(to writer: inout ThriftCompactWriter) {
        if let nullCount { writer.i64Field(3, nullCount) }
        if let distinctCount { writer.i64Field(4, distinctCount) }
        if let maximum { writer.binaryField(5, maximum) }
        if let minimum { writer.binaryField(6, minimum) }
        if let isMaximumExact { writer.boolField(7, isMaximumExact) }
        if let isMinimumExact { writer.boolField(8, isMinimumExact) }
    }
}
