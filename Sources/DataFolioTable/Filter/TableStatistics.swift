/// What is known about the values of one column over some rows (for example a Parquet
/// row group): bounds, null count, possible NaNs. ``TableRowFilter/mightMatch(_:schema:)``
/// uses it to skip rows without reading them.
///
/// ```swift
/// let stats = ColumnStatistics(rowCount: 1000, nullCount: 0, minimum: .int(3), maximum: .int(97))
/// ```
public struct ColumnStatistics: Sendable, Equatable {
    /// The number of rows described.
    public var rowCount: Int
    /// The number of nulls, when known.
    public var nullCount: Int?
    /// No non-null value is smaller, when known; a cell of the column's kind (``TableValue/int(_:)``
    /// for integers, ``TableValue/string(_:)`` for text, ``TableValue/timestamp(_:_:timeZone:)`` …).
    public var minimum: TableValue?
    /// No non-null value is larger, when known.
    public var maximum: TableValue?
    /// Whether ``minimum`` and ``maximum`` are values that occur (rather than bounds, as
    /// truncated text statistics are).
    public var boundsAreExact: Bool
    /// Whether a floating-point column may hold NaN, which bounds do not cover.
    public var mayContainNaN: Bool

    /// Creates statistics.
    public init(
        rowCount: Int, nullCount: Int? = nil, minimum: TableValue? = nil, maximum: TableValue? = nil,
        boundsAreExact: Bool = true, mayContainNaN: Bool = false
    ) {
        self.rowCount = rowCount
        self.nullCount = nullCount
        self.minimum = minimum
        self.maximum = maximum
        self.boundsAreExact = boundsAreExact
        self.mayContainNaN = mayContainNaN
    }
}

/// Statistics of the columns of some rows, by column name.
///
/// ```swift
/// let stats = TableStatistics(of: table)
/// print(stats["price"]?.maximum ?? .null)
/// ```
public struct TableStatistics: Sendable, Equatable {
    /// The number of rows described.
    public var rowCount: Int
    /// The statistics of each column that has them.
    public var columns: [String: ColumnStatistics]

    /// Creates statistics.
    public init(rowCount: Int, columns: [String: ColumnStatistics]) {
        self.rowCount = rowCount
        self.columns = columns
    }

    /// The statistics of the column named `name`.
    public subscript(name: String) -> ColumnStatistics? { columns[name] }

    /// Computes exact statistics of a table in memory (numbers, text, booleans, dates and
    /// timestamps; other columns get only their null count).
    public init(of table: Table) {
        rowCount = table.rowCount
        var columns: [String: ColumnStatistics] = [:]
        for column in table.columns {
            var stats = ColumnStatistics(rowCount: column.count, nullCount: column.nullCount)
            var low: TableValue?
            var high: TableValue?
            var sawNaN = false
            for row in 0..<column.count {
                let cell = column[row]
                if case .null = cell { continue }
                if case .double(let v) = cell, v.isNaN {
                    sawNaN = true
                    continue
                }
                guard let currentLow = low, let currentHigh = high else {
                    low = cell
                    high = cell
                    continue
                }
                if let order = FilterOrder.compare(cell, currentLow), order < 0 { low = cell }
                if let order = FilterOrder.compare(cell, currentHigh), order > 0 { high = cell }
            }
            switch column.type {
            case .binary, .fixedSizeBinary, .list, .dictionary(.binary, _): break
            default:
                stats.minimum = low
                stats.maximum = high
            }
            stats.mayContainNaN = sawNaN
            columns[column.name] = stats
        }
        self.columns = columns
    }
}
