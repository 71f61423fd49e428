import DataFolioSupport
import DataFolioTable
import Dispatch

/// Writes tables to a Parquet file row group by row group, so a table larger than
/// memory can be written in parts.
///
/// The schema comes from the first table written; later tables must have the same
/// column names and types. Each ``write(_:)`` adds one or more row groups.
///
/// ```swift
/// let writer = try ParquetWriter(path: "events.parquet", options: ParquetWriteOptions(compression: .zstd))
/// for part in parts { try writer.write(part) }
/// try writer.close()
/// ```
public final class ParquetWriter {
    /// The options in effect.
    public let options: ParquetWriteOptions
    private let output: any ParquetOutput
    private let ownedFile: ParquetFileOutput?
    private var position: Int64 = 0
    private var columns: [WriterColumn]?
    private var facts: [PandasMetadataBuilder.ColumnFacts] = []
    private var indexColumnNames: [String] = []
    private var rowGroups: [ParquetRowGroup] = []
    private var rowCount: Int64 = 0
    private var closed = false
    private var columnBuffers: [ColumnChunkWriter.Buffers] = []

    /// Writes to `output`; nothing is written until the first table arrives.
    ///
    /// - Throws: `unsupportedFeature` when the options ask for a codec that cannot be written.
    public init(output: any ParquetOutput, options: ParquetWriteOptions = ParquetWriteOptions()) throws(DataFolioError) {
        guard PageCompression.canCompress(options.compression) else {
            throw DataFolioError(
                .unsupportedFeature,
                "Parquet: writing \(options.compression) is not supported; use .snappy, .zstd, .gzip, .lz4Raw or .uncompressed.")
        }
        guard options.rowGroupSize > 0, options.pageSize > 0, options.rowGroupByteLimit > 0 else {
            throw DataFolioError(.invalidArgument, "Parquet: rowGroupSize, rowGroupByteLimit and pageSize must be positive.")
        }
        self.options = options
        self.output = output
        self.ownedFile = nil
    }

    /// Creates (or replaces) the file at `path`; ``close()`` finishes it.
    public init(path: String, options: ParquetWriteOptions = ParquetWriteOptions()) throws(DataFolioError) {
        guard PageCompression.canCompress(options.compression) else {
            throw DataFolioError(
                .unsupportedFeature,
                "Parquet: writing \(options.compression) is not supported; use .snappy, .zstd, .gzip, .lz4Raw or .uncompressed.")
        }
        guard options.rowGroupSize > 0, options.pageSize > 0, options.rowGroupByteLimit > 0 else {
            throw DataFolioError(.invalidArgument, "Parquet: rowGroupSize, rowGroupByteLimit and pageSize must be positive.")
        }
        let file = try ParquetFileOutput(path: path)
        self.options = options
        self.output = file
        self.ownedFile = file
    }

    private func emit(_ bytes: [UInt8]) throws(DataFolioError) {
        try bytes.withRawBytes { (raw) throws(DataFolioError) in try output.write(raw) }
        position += Int64(bytes.count)
    }

    private func startIfNeeded(_ table: Table) throws(DataFolioError) {
        guard columns == nil else { return }
        var prepared: [WriterColumn] = []
        for column in table.columns {
            prepared.append(try WriterColumn(name: column.name, type: column.type))
        }
        columns = prepared
        facts = table.columns.map { column in
            var count = 0
            if case .dictionary(_, let dictionary) = column.data { count = dictionary.count }
            return PandasMetadataBuilder.ColumnFacts(name: column.name, type: column.type, hasNulls: false, categoryCount: count)
        }
        indexColumnNames = table.indexColumnNames
        columnBuffers = prepared.flatMap { column in column.leaves.map { _ in ColumnChunkWriter.Buffers() } }
        try emit(Array("PAR1".utf8))
    }

    /// Appends the rows of `table` as one or more row groups.
    ///
    /// - Throws: `invalidArgument` when the columns differ from the first table's, or an
    ///   I/O error from the output.
    public func write(_ table: Table) throws(DataFolioError) {
        guard !closed else {
            throw DataFolioError(.invalidArgument, "Parquet: the writer is closed; create a new ParquetWriter to write more.")
        }
        try startIfNeeded(table)
        guard let columns else { return }
        guard table.columns.count == columns.count,
            zip(table.columns, columns).allSatisfy({ $0.name == $1.name && ParquetWriter.compatible($0.type, $1.type) })
        else {
            throw DataFolioError(
                .invalidArgument,
                "Parquet: every table written to one file needs the same columns; expected \(columns.map { "\($0.name): \($0.type.arrowName)" }.joined(separator: ", ")).")
        }
        for (index, column) in table.columns.enumerated() where column.nullCount > 0 {
            facts[index].hasNulls = true
        }
        guard table.rowCount > 0 else { return }

        // Row groups close at the row limit or the in-memory byte budget.
        var bytesPerRow = 0.0
        for column in table.columns {
            bytesPerRow += ParquetWriter.estimatedBytes(column) / Double(max(table.rowCount, 1))
        }
        let byBytes = bytesPerRow > 0 ? Int(Double(options.rowGroupByteLimit) / bytesPerRow) : options.rowGroupSize
        let rowsPerGroup = max(1, min(options.rowGroupSize, byBytes))

        var start = 0
        while start < table.rowCount {
            let end = min(table.rowCount, start + rowsPerGroup)
            try writeRowGroup(table, rows: start..<end, columns: columns)
            start = end
        }
    }

    private static func compatible(_ a: ColumnType, _ b: ColumnType) -> Bool {
        if case .dictionary(let va, let oa) = a, case .dictionary(let vb, let ob) = b { return va == vb && oa == ob }
        return a == b
    }

    /// A rough in-memory size of a column's values, to size row groups.
    static func estimatedBytes(_ column: Column) -> Double {
        switch column.data {
        case .list(_, let values): return Double(column.count) * 8 + estimatedBytes(values)
        case .struct(let children): return children.reduce(Double(column.count) / 8) { $0 + estimatedBytes($1) }
        default:
            let slice = LeafSlice(data: column.data, type: column.type, validity: column.validity, range: 0..<column.count)
            return ColumnChunkWriter.estimatedPlainBytes(slice)
        }
    }

    private func writeRowGroup(_ table: Table, rows: Range<Int>, columns: [WriterColumn]) throws(DataFolioError) {
        // One unit of work per leaf (column chunk), in schema order.
        var units: [(column: Int, leaf: Int)] = []
        for (index, column) in columns.enumerated() {
            for leaf in column.leaves.indices { units.append((index, leaf)) }
        }
        let count = units.count
        var results = [Result<ParquetColumnChunk, DataFolioError>](
            repeating: .failure(DataFolioError(.invalidArgument, "")), count: count)
        let options = self.options
        let buffers = UnsafeSendableBox(columnBuffers)
        let work = units
        if options.parallel && count > 1 {
            // Chunks are encoded side by side (offsets relative to the chunk start), each
            // into its leaf's own buffers, and written in order afterwards.
            results.withUnsafeMutableBufferPointer { buffer in
                let box = UnsafeSendableBox(buffer)
                DispatchQueue.concurrentPerform(iterations: count) { index in
                    let unit = work[index]
                    box.value[index] = ParquetWriter.encode(
                        table.columns[unit.column], column: columns[unit.column], leaf: unit.leaf, rows: rows, options: options,
                        buffers: buffers.value[index])
                }
            }
        } else {
            for index in 0..<count {
                let unit = work[index]
                results[index] = ParquetWriter.encode(
                    table.columns[unit.column], column: columns[unit.column], leaf: unit.leaf, rows: rows, options: options,
                    buffers: buffers.value[index])
            }
        }
        var group = ParquetRowGroup()
        group.rowCount = Int64(rows.count)
        group.fileOffset = position
        group.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
        var uncompressed: Int64 = 0
        var compressed: Int64 = 0
        for (index, result) in results.enumerated() {
            var chunk = try result.get()
            let base = position
            chunk.dataPageOffset += base
            if let offset = chunk.dictionaryPageOffset { chunk.dictionaryPageOffset = offset + base }
            try emit(columnBuffers[index].chunk)
            uncompressed += chunk.uncompressedSize
            compressed += chunk.compressedSize
            group.columns.append(chunk)
        }
        group.totalByteSize = uncompressed
        group.totalCompressedSize = compressed
        rowGroups.append(group)
        rowCount += Int64(rows.count)
    }

    /// Encodes a column chunk into `buffers.chunk`, with offsets relative to its first byte.
    private static func encode(
        _ data: Column, column: WriterColumn, leaf: Int, rows: Range<Int>, options: ParquetWriteOptions,
        buffers: ColumnChunkWriter.Buffers
    ) -> Result<ParquetColumnChunk, DataFolioError> {
        var bytes = buffers.chunk
        buffers.chunk = []
        defer { buffers.chunk = bytes }
        bytes.removeAll(keepingCapacity: true)
        do throws(DataFolioError) {
            let writer = ColumnChunkWriter(column: column, leaf: leaf, options: options)
            return .success(try writer.write(data, rows: rows, fileOffset: 0, into: &bytes, buffers: buffers))
        } catch {
            return .failure(error)
        }
    }

    /// Writes the footer and finishes the file.
    ///
    /// - Returns: the footer that was written.
    @discardableResult
    public func close() throws(DataFolioError) -> ParquetFileMetadata {
        guard !closed else {
            throw DataFolioError(.invalidArgument, "Parquet: the writer is already closed.")
        }
        if columns == nil { try startIfNeeded(Table()) }
        closed = true
        let columns = self.columns ?? []
        var metadata = ParquetFileMetadata()
        metadata.version = 2
        var root = SchemaElement(name: "schema")
        root.numChildren = Int32(columns.count)
        metadata.schema = [root] + columns.flatMap(\.elements)
        metadata.rowCount = rowCount
        metadata.rowGroups = rowGroups
        metadata.createdBy = ParquetWriteOptions.createdBy
        metadata.hasColumnOrders = true
        var keyValues: [ParquetKeyValue] = []
        if options.pandasMetadata {
            keyValues.append(
                ParquetKeyValue(key: "pandas", value: PandasMetadataBuilder.json(columns: facts, indexColumns: indexColumnNames)))
        }
        if options.arrowSchema {
            let encoded = ArrowSchema.encode(columns: facts.map { ($0.name, $0.type) }, metadata: keyValues)
            keyValues.append(ParquetKeyValue(key: "ARROW:schema", value: encoded))
        }
        keyValues.append(contentsOf: options.keyValueMetadata)
        metadata.keyValueMetadata = keyValues
        let footer = metadata.serialized()
        var tail = footer
        let length = UInt32(truncatingIfNeeded: footer.count)
        tail.append(contentsOf: [
            UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
            UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 24),
        ])
        tail.append(contentsOf: Array("PAR1".utf8))
        try emit(tail)
        try ownedFile?.finish()
        return metadata
    }
}

extension Table {
    /// The table as the bytes of a Parquet file.
    ///
    /// ```swift
    /// let bytes = try table.parquetData()                                   // Snappy, dictionary on
    /// let small = try table.parquetData(options: ParquetWriteOptions(compression: .zstd))
    /// ```
    public func parquetData(options: ParquetWriteOptions = ParquetWriteOptions()) throws(DataFolioError) -> [UInt8] {
        let memory = MemoryOutput()
        let writer = try ParquetWriter(output: memory, options: options)
        try writer.write(self)
        try writer.close()
        return memory.bytes
    }

    /// Writes the table to a Parquet file at `path`, replacing any file there.
    ///
    /// ```swift
    /// try table.writeParquet(to: "out.parquet")
    /// ```
    public func writeParquet(to path: String, options: ParquetWriteOptions = ParquetWriteOptions()) throws(DataFolioError) {
        let writer = try ParquetWriter(path: path, options: options)
        try writer.write(self)
        try writer.close()
    }

    /// Reads a Parquet file (all columns, or only `columns`).
    ///
    /// ```swift
    /// let table = try Table(parquetFile: "sales.parquet", columns: ["region", "amount"])
    /// ```
    public init(parquetFile path: String, columns: [String]? = nil) throws(DataFolioError) {
        self = try ParquetReader(path: path).readTable(columns: columns)
    }

    /// Reads Parquet bytes held in memory.
    ///
    /// ```swift
    /// let table = try Table(parquetData: bytes)
    /// ```
    public init(parquetData bytes: [UInt8], columns: [String]? = nil) throws(DataFolioError) {
        self = try ParquetReader(bytes: bytes).readTable(columns: columns)
    }
}
