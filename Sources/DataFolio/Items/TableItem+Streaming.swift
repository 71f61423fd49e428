import DataFolioParquet
import DataFolioSupport
import DataFolioTable

extension DataFolio {
    /// Adds a table read batch by batch from `reader` (a `CSVReader`, an Arrow file, a
    /// scan of another table…), each batch written as Parquet row groups as it comes, so
    /// memory is bounded by a batch, not by the table.
    ///
    /// ```swift
    /// let csv = try CSVReader(path: "big.csv")
    /// try folio.add("big", batches: csv) { rows in print("\(rows) rows") }
    /// ```
    ///
    /// - Parameters:
    ///   - name: the item's name.
    ///   - reader: where the batches come from; read to its end.
    ///   - description: a one-sentence description.
    ///   - inputs: the names of the items the table was made from.
    ///   - overwrite: replace an item of the same name.
    ///   - options: Parquet writing options (compression, row group size…); each batch
    ///     makes at least one row group.
    ///   - progress: called after each batch with the number of rows written so far.
    /// - Throws: the reader's errors (a failed import leaves no item and no payload), and
    ///   the errors of ``add(_:_:description:inputs:overwrite:options:)-6nf0d``.
    @discardableResult
    public func add<Reader: TableBatchReader>(
        _ name: String, batches reader: Reader, description: String? = nil, inputs: [String] = [], overwrite: Bool = false,
        options: ParquetWriteOptions = ParquetWriteOptions(), progress: ((_ rowsWritten: Int) -> Void)? = nil
    ) throws(DataFolioError) -> CatalogItem {
        var reader = reader
        let new = NewItem(name: name, kind: .includedTable, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".parquet")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            var rows = 0
            var schema = reader.schema
            var wroteAny = false
            let written = try transaction.writePayload(at: path) { output throws(DataFolioError) in
                let parquet = try ParquetWriter(output: output, options: options)
                while let batch = try reader.next() {
                    if !wroteAny { schema = TableSchema(of: batch) }
                    try parquet.write(batch)
                    wroteAny = true
                    rows += batch.rowCount
                    progress?(rows)
                }
                if !wroteAny { try parquet.write(Table(schema: schema)) }
                _ = try parquet.close()
            }
            return TableItem.fields(
                schema: schema.fields.map { ($0.name, $0.type) }, rowCount: rows, indexColumns: schema.indexColumnNames,
                checksum: written.md5, size: written.size)
        }
    }

    /// The batches of a stored table, one Parquet row group at a time, with only
    /// `columns` (all when `nil`, in the order given) and only the rows that match
    /// `filter`; row groups whose statistics (minimum, maximum, null count) rule out a
    /// match are never read. The Swift counterpart of Python's `scan_table`.
    ///
    /// ```swift
    /// let recent = try TableRowFilter("year >= 2024 and city == 'Oslo'")
    /// for try await batch in try folio.scanTable("events", columns: ["id", "x"], where: recent) {
    ///     print(batch.rowCount)
    /// }
    /// ```
    /// - Throws: `itemNotFound`, `typeMismatch` for an item that is not a stored table,
    ///   `invalidArgument` for an unknown column or a filter that does not fit the columns.
    public func scanTable(
        _ name: String, columns: [String]? = nil, where filter: TableRowFilter? = nil
    ) throws(DataFolioError) -> TableBatchSequence<ParquetScan> {
        TableBatchSequence(try tableBatches(name, columns: columns, where: filter))
    }

    /// The batches of a stored table as a `TableBatchReader`, for synchronous loops and
    /// for copying to a writer (see ``scanTable(_:columns:where:)``).
    ///
    /// ```swift
    /// var batches = try folio.tableBatches("events", columns: ["id", "x"])
    /// while let batch = try batches.next() { print(batch.rowCount) }
    /// ```
    public func tableBatches(
        _ name: String, columns: [String]? = nil, where filter: TableRowFilter? = nil
    ) throws(DataFolioError) -> ParquetScan {
        let item = try requireItem(name, kinds: [.includedTable], wanted: "a table stored in the folio")
        let reader = try ParquetReader(source: try payloadSource(of: item))
        return try reader.scan(columns: columns, where: filter)
    }
}
