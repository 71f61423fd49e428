import DataFolioSupport
import DataFolioTable

extension ParquetRowGroupIterator: TableBatchReader {
    /// The readable columns the iterator returns (a column this library cannot read
    /// makes ``next()`` throw instead).
    public var schema: TableSchema {
        reader.tableSchema(columns: columns)
    }
}

extension ParquetWriter: TableBatchWriter {
    /// Writes the footer and finishes the file (``close()``).
    public func finish() throws(DataFolioError) {
        try close()
    }
}

extension ParquetReader {
    /// The columns as a `TableSchema` (only `columns`, in that order, when given);
    /// columns this library cannot read are left out.
    ///
    /// ```swift
    /// print(try ParquetReader(path: "t.parquet").tableSchema())
    /// ```
    public func tableSchema(columns: [String]? = nil) -> TableSchema {
        let names = columns ?? schema.names
        var fields: [TableSchema.Field] = []
        for name in names {
            guard let field = schema[name], let type = field.type else { continue }
            fields.append(TableSchema.Field(name: name, type: type))
        }
        let selected = Set(names)
        return TableSchema(fields, indexColumnNames: indexColumnNames.filter { selected.contains($0) })
    }

    /// What the footer records about the values of each flat column in one row group:
    /// bounds, null count, and whether NaN may occur. Columns whose statistics are
    /// missing or cannot be trusted (text and unsigned bounds in files that do not
    /// declare their sort order, decimals, binary, nested columns) get only what is known.
    ///
    /// ```swift
    /// let stats = try reader.rowGroupStatistics(0)
    /// print(stats["price"]?.minimum ?? .null)
    /// ```
    /// - Throws: `invalidArgument` for a row group that does not exist.
    public func rowGroupStatistics(_ index: Int) throws(DataFolioError) -> TableStatistics {
        guard metadata.rowGroups.indices.contains(index) else {
            throw DataFolioError(
                .invalidArgument, "Row group \(index) does not exist; the file has \(metadata.rowGroups.count) row groups.")
        }
        let group = metadata.rowGroups[index]
        let rows = Int(clamping: group.rowCount)
        var columns: [String: ColumnStatistics] = [:]
        for field in tree.fields {
            guard case .flat(let leaf) = field.layout, group.columns.indices.contains(leaf.index) else { continue }
            let hints = ParquetReader.hints(for: field.name, pandas: pandas, arrow: arrowHints[field.name])
            guard let type = try? TypeMapping.columnType(of: leaf, column: field.name, hints: hints) else { continue }
            var stats = ColumnStatistics(rowCount: rows)
            stats.mayContainNaN = type.isFloatingPoint
            guard let raw = group.columns[leaf.index].statistics else {
                columns[field.name] = stats
                continue
            }
            if let nulls = raw.nullCount, nulls >= 0, nulls <= Int64(rows) { stats.nullCount = Int(nulls) }
            if let low = raw.minimum, let high = raw.maximum,
                let minimum = statisticsValue(low, leaf: leaf, type: type, hints: hints),
                let maximum = statisticsValue(high, leaf: leaf, type: type, hints: hints)
            {
                stats.minimum = minimum
                stats.maximum = maximum
                stats.boundsAreExact = (raw.isMinimumExact ?? true) && (raw.isMaximumExact ?? true)
            }
            columns[field.name] = stats
        }
        return TableStatistics(rowCount: rows, columns: columns)
    }

    /// A PLAIN-encoded statistics value as a cell of the column's kind, or `nil` when it
    /// cannot be read or trusted.
    private func statisticsValue(_ bytes: [UInt8], leaf: LeafColumn, type: ColumnType, hints: ColumnHints) -> TableValue? {
        func little<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            var value: T = 0
            for (k, byte) in bytes.enumerated() { value |= T(truncatingIfNeeded: byte) << T(k * 8) }
            return value
        }
        // Old writers ordered text and unsigned values as signed bytes; only files that
        // declare their column orders have bounds in the logical order.
        let ordered = metadata.hasColumnOrders
        var valueType = type
        if case .dictionary(let inner, _) = type { valueType = inner }
        switch (leaf.physicalType, valueType) {
        case (.boolean, .bool):
            guard bytes.count == 1 else { return nil }
            return .bool(bytes[0] != 0)
        case (.int32, .int8), (.int32, .int16), (.int32, .int32):
            return little(Int32.self).map { .int(Int64($0)) }
        case (.int32, .uint8), (.int32, .uint16), (.int32, .uint32):
            guard ordered else { return nil }
            return little(UInt32.self).map { .uint(UInt64($0)) }
        case (.int32, .date):
            return little(Int32.self).map { .date(daysSinceEpoch: $0) }
        case (.int64, .int64):
            return little(Int64.self).map { .int($0) }
        case (.int64, .uint64):
            guard ordered else { return nil }
            return little(UInt64.self).map { .uint($0) }
        case (.int64, .timestamp(let unit, let zone)):
            // A seconds column is stored (and its bounds kept) in milliseconds.
            let stored: ColumnType.TimeUnit = hints.seconds && unit == .second ? .millisecond : unit
            return little(Int64.self).map { .timestamp($0, stored, timeZone: zone) }
        case (.float, .float32):
            return little(UInt32.self).map { .double(Double(Float(bitPattern: $0))) }
        case (.double, .float64):
            return little(UInt64.self).map { .double(Double(bitPattern: $0)) }
        case (.byteArray, .string):
            guard ordered else { return nil }
            return .string(String(decoding: bytes, as: UTF8.self))
        default:
            return nil
        }
    }

    /// Reads the row groups that may hold rows matching `filter` (all when `nil`), with
    /// only `columns`, filtering each batch; row groups whose statistics rule out a match
    /// are not read.
    ///
    /// ```swift
    /// var scan = try ParquetReader(path: "big.parquet").scan(columns: ["id", "x"], where: try TableRowFilter("x > 5"))
    /// while let batch = try scan.next() { print(batch.rowCount) }
    /// ```
    /// - Throws: `invalidArgument` for an unknown column, the errors of `TableRowFilter.check(against:)`.
    public func scan(columns: [String]? = nil, where filter: TableRowFilter? = nil, parallel: Bool = true) throws(DataFolioError) -> ParquetScan {
        try ParquetScan(reader: self, columns: columns, filter: filter, parallel: parallel)
    }
}

/// The batches of a Parquet file with a column projection and a row filter, skipping row
/// groups by their statistics (see ``ParquetReader/scan(columns:where:parallel:)``).
///
/// ```swift
/// var scan = try reader.scan(where: TableRowFilter("city == 'Oslo'"))
/// let oslo = try scan.readAll()
/// print(scan.skippedRowGroups)
/// ```
public struct ParquetScan: TableBatchReader, Sendable {
    private let reader: ParquetReader
    private let columns: [String]?
    /// The columns read, including those only the filter needs.
    private let readColumns: [String]?
    private let filter: TableRowFilter?
    private let parallel: Bool
    private let fullSchema: TableSchema
    public let schema: TableSchema
    /// The next row group to consider.
    public private(set) var nextRowGroup = 0
    /// How many row groups the statistics allowed to skip so far.
    public private(set) var skippedRowGroups = 0

    init(reader: ParquetReader, columns: [String]?, filter: TableRowFilter?, parallel: Bool) throws(DataFolioError) {
        self.reader = reader
        self.columns = columns
        self.filter = filter
        self.parallel = parallel
        let all = reader.tableSchema()
        for name in columns ?? [] where all[name] == nil {
            guard reader.schema[name] != nil else { throw TableSchemaErrors.unknown(name, all.names) }
        }
        fullSchema = all
        if let filter { try filter.check(against: all) }
        if let columns {
            var wanted = columns
            for name in filter?.columnNames ?? [] where !wanted.contains(name) { wanted.append(name) }
            readColumns = wanted
            schema = reader.tableSchema(columns: columns)
        } else {
            readColumns = nil
            schema = all
        }
    }

    public mutating func next() throws(DataFolioError) -> Table? {
        while nextRowGroup < reader.rowGroupCount {
            let index = nextRowGroup
            nextRowGroup += 1
            if let filter, try !filter.mightMatch(reader.rowGroupStatistics(index), schema: fullSchema) {
                skippedRowGroups += 1
                continue
            }
            var batch = try reader.readRowGroup(index, columns: readColumns, parallel: parallel)
            if let filter {
                batch = try filter.apply(to: batch)
                if batch.rowCount == 0 { continue }
            }
            if let columns, batch.columnCount != columns.count { batch = try batch.selecting(columns) }
            return batch
        }
        return nil
    }
}

/// Errors shared by the batch readers of this module.
enum TableSchemaErrors {
    static func unknown(_ name: String, _ names: [String]) -> DataFolioError {
        DataFolioError(
            .invalidArgument,
            "No column named '\(name)' in the Parquet file. It has: \(names.map { "'\($0)'" }.joined(separator: ", ")).",
            location: DataFolioError.Location(column: name))
    }
}
