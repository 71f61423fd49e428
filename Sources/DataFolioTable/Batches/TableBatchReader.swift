import DataFolioSupport

/// A source of table rows in batches of bounded size: a CSV file, an Arrow IPC stream,
/// the row groups of a Parquet file. Every batch has the columns of ``schema``.
///
/// Memory stays bounded by one batch, not by the data, so a file larger than memory can
/// be converted, filtered or exported.
///
/// ```swift
/// var reader = try CSVReader(path: "big.csv")
/// print(reader.schema)
/// var rows = 0
/// while let batch = try reader.next() { rows += batch.rowCount }
/// ```
public protocol TableBatchReader {
    /// The names and types of the columns of every batch.
    var schema: TableSchema { get }
    /// The next batch of rows, or `nil` after the last one.
    mutating func next() throws(DataFolioError) -> Table?
}

/// A destination for table rows in batches: a CSV, JSON, JSON Lines or Parquet file.
///
/// Write every batch, then ``finish()`` once; a writer must not be used after that.
///
/// ```swift
/// let writer = try CSVTableWriter(path: "out.csv", schema: reader.schema)
/// while let batch = try reader.next() { try writer.write(batch) }
/// try writer.finish()
/// ```
public protocol TableBatchWriter {
    /// Writes the rows of one batch; batches must have the same columns.
    mutating func write(_ batch: Table) throws(DataFolioError)
    /// Writes what follows the last batch (a closing bracket, a footer) and flushes.
    mutating func finish() throws(DataFolioError)
}

extension TableBatchReader {
    /// Reads every remaining batch into one table (for data that fits in memory).
    ///
    /// ```swift
    /// var reader = try CSVReader(path: "small.csv")
    /// let table = try reader.readAll()
    /// ```
    public mutating func readAll() throws(DataFolioError) -> Table {
        var batches: [Table] = []
        while let batch = try next() { batches.append(batch) }
        if batches.isEmpty { return Table(schema: schema) }
        return try Table(concatenating: batches)
    }

    /// Writes every remaining batch to `writer`, then finishes it; returns the number of
    /// rows written. With no batch at all, one empty batch with the schema is written, so
    /// that a header or an empty Parquet schema still appears.
    ///
    /// ```swift
    /// var reader = try CSVReader(path: "big.csv")
    /// let rows = try reader.copy(to: try ParquetWriter(path: "big.parquet"))
    /// ```
    @discardableResult
    public mutating func copy<Writer: TableBatchWriter>(to writer: Writer) throws(DataFolioError) -> Int {
        var writer = writer
        var rows = 0
        var wroteAny = false
        while let batch = try next() {
            try writer.write(batch)
            rows += batch.rowCount
            wroteAny = true
        }
        if !wroteAny { try writer.write(Table(schema: schema)) }
        try writer.finish()
        return rows
    }

    /// The batches with only the named columns, in the order given.
    ///
    /// ```swift
    /// var ids = try reader.selecting(["id", "city"])
    /// ```
    /// - Throws: `invalidArgument` naming a column that does not exist.
    public func selecting(_ columns: [String]) throws(DataFolioError) -> ProjectedBatchReader<Self> {
        try ProjectedBatchReader(base: self, columns: columns)
    }

    /// The batches without the rows after the first `count`; reading stops there.
    ///
    /// ```swift
    /// var first = reader.prefix(5)
    /// let head = try first.readAll()
    /// ```
    public func prefix(_ count: Int) -> PrefixBatchReader<Self> {
        PrefixBatchReader(base: self, limit: count)
    }

    /// The batches with only the rows that match `filter`; batches left empty are skipped.
    ///
    /// ```swift
    /// var oslo = try reader.filtered(by: TableRowFilter("city == 'Oslo'"))
    /// ```
    /// - Throws: the errors of ``TableRowFilter/check(against:)``.
    public func filtered(by filter: TableRowFilter) throws(DataFolioError) -> FilteredBatchReader<Self> {
        try FilteredBatchReader(base: self, filter: filter)
    }
}

/// The batches of another reader with only some columns (see ``TableBatchReader/selecting(_:)``).
public struct ProjectedBatchReader<Base: TableBatchReader>: TableBatchReader {
    private var base: Base
    private let columns: [String]
    public let schema: TableSchema

    init(base: Base, columns: [String]) throws(DataFolioError) {
        self.base = base
        self.columns = columns
        schema = try base.schema.selecting(columns)
    }

    public mutating func next() throws(DataFolioError) -> Table? {
        try base.next().map { (batch) throws(DataFolioError) -> Table in try batch.selecting(columns) }
    }
}

extension ProjectedBatchReader: Sendable where Base: Sendable {}

/// The first rows of another reader (see ``TableBatchReader/prefix(_:)``).
public struct PrefixBatchReader<Base: TableBatchReader>: TableBatchReader {
    private var base: Base
    private var remaining: Int

    init(base: Base, limit: Int) {
        self.base = base
        remaining = max(limit, 0)
    }

    public var schema: TableSchema { base.schema }

    public mutating func next() throws(DataFolioError) -> Table? {
        guard remaining > 0, let batch = try base.next() else { return nil }
        let kept = min(remaining, batch.rowCount)
        remaining -= kept
        return kept == batch.rowCount ? batch : batch.rows(0..<kept)
    }
}

extension PrefixBatchReader: Sendable where Base: Sendable {}

/// The matching rows of another reader (see ``TableBatchReader/filtered(by:)``).
public struct FilteredBatchReader<Base: TableBatchReader>: TableBatchReader {
    private var base: Base
    private let filter: TableRowFilter

    init(base: Base, filter: TableRowFilter) throws(DataFolioError) {
        try filter.check(against: base.schema)
        self.base = base
        self.filter = filter
    }

    public var schema: TableSchema { base.schema }

    public mutating func next() throws(DataFolioError) -> Table? {
        while let batch = try base.next() {
            let kept = try filter.apply(to: batch)
            if kept.rowCount > 0 { return kept }
        }
        return nil
    }
}

extension FilteredBatchReader: Sendable where Base: Sendable {}

/// A reader over tables already in memory, for example to write a ``Table`` through a
/// ``TableBatchWriter`` in parts.
///
/// ```swift
/// var batches = TableBatches(table, batchRowCount: 65_536)
/// try batches.copy(to: JSONTableWriter(output: MemoryOutput(), schema: batches.schema))
/// ```
public struct TableBatches: TableBatchReader, Sendable {
    private let table: Table
    private let batchRowCount: Int
    private var start = 0
    public let schema: TableSchema

    /// Reads `table` in batches of at most `batchRowCount` rows.
    public init(_ table: Table, batchRowCount: Int = 65_536) {
        self.table = table
        self.batchRowCount = max(batchRowCount, 1)
        schema = TableSchema(of: table)
    }

    public mutating func next() throws(DataFolioError) -> Table? {
        guard start < table.rowCount else { return nil }
        let end = min(table.rowCount, start + batchRowCount)
        defer { start = end }
        return start == 0 && end == table.rowCount ? table : table.rows(start..<end)
    }
}
