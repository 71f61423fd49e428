import DataFolioSupport
import DataFolioTable
import Dispatch

/// Reads Parquet files into ``Table``s: whole, by column, or one row group at a time.
///
/// The reader parses the footer once; reads then fetch only the byte ranges of the
/// column chunks they need from the ``ParquetByteSource``.
///
/// ```swift
/// let reader = try ParquetReader(path: "sales.parquet")
/// print(reader.rowCount, reader.schema.names)
/// let table = try reader.readTable(columns: ["region", "amount"])
///
/// // Scan a file bigger than memory, one row group at a time.
/// var groups = reader.rowGroupTables()
/// while let group = try groups.next() { print(group.rowCount) }
/// ```
public struct ParquetReader: Sendable {
    /// Where the bytes come from.
    public let source: any ParquetByteSource
    /// The parsed footer.
    public let metadata: ParquetFileMetadata
    /// The columns as they read into a table.
    public let schema: ParquetSchema
    let tree: SchemaTree
    let pandas: PandasMetadata?
    let arrowHints: [String: ArrowSchema.FieldHint]
    /// The end of the column data (start of the footer).
    let dataEnd: Int

    /// The number of rows in the file.
    public var rowCount: Int { Int(metadata.rowCount) }

    /// The number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// Names of columns that hold a stored pandas index (from the `pandas` metadata).
    public var indexColumnNames: [String] { pandas?.indexColumns.filter { schema[$0] != nil } ?? [] }

    /// Opens the file at `path`, reading only its footer.
    public init(path: String) throws(DataFolioError) {
        do {
            try self.init(source: try ParquetFileSource(path: path))
        } catch {
            var located = error
            if located.path == nil { located.path = path }
            throw located
        }
    }

    /// Reads Parquet bytes held in memory.
    public init(bytes: [UInt8]) throws(DataFolioError) {
        try self.init(source: ParquetMemorySource(bytes))
    }

    /// Reads from any random-access source (a memory map, a remote store, …).
    public init(source: any ParquetByteSource) throws(DataFolioError) {
        self.source = source
        let size = source.size
        guard size >= 12 else {
            throw DataFolioError.truncated("Parquet", "the file has \(size) bytes, fewer than the 12 of an empty Parquet file")
        }
        let head = try source.checkedRead(offset: 0, count: 4, what: "the file header")
        let tail = try source.checkedRead(offset: size - 8, count: 8, what: "the footer trailer")
        let magic: [UInt8] = Array("PAR1".utf8)
        if Array(tail[4..<8]) == Array("PARE".utf8) {
            throw DataFolioError.unsupported("Parquet", "an encrypted file (PARE footer)")
        }
        guard head == magic, Array(tail[4..<8]) == magic else {
            throw DataFolioError.corrupt("Parquet", "the file does not start and end with the magic bytes PAR1")
        }
        let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength > 0, footerLength <= size - 12 else {
            throw DataFolioError.corrupt(
                "Parquet", "the footer declares \(footerLength) bytes but the file has room for \(size - 12)")
        }
        dataEnd = size - 8 - footerLength
        let footer = try source.checkedRead(offset: dataEnd, count: footerLength, what: "the footer")
        let metadata = try footer.withRawBytes { (raw) throws(DataFolioError) in try ParquetFileMetadata(parsing: raw) }
        if metadata.isEncrypted {
            throw DataFolioError.unsupported("Parquet", "an encrypted file")
        }
        self.metadata = metadata
        tree = try SchemaTree(elements: metadata.schema)
        pandas = metadata.value(forKey: "pandas").flatMap { PandasMetadata(json: $0) }
        arrowHints = metadata.value(forKey: "ARROW:schema").flatMap { ArrowSchema.hints(base64: $0) } ?? [:]
        var total: Int64 = 0
        for (index, group) in metadata.rowGroups.enumerated() {
            guard group.rowCount >= 0 else {
                throw DataFolioError.corrupt("Parquet", "row group \(index) declares \(group.rowCount) rows")
            }
            let (sum, overflow) = total.addingReportingOverflow(group.rowCount)
            guard !overflow else { throw DataFolioError.corrupt("Parquet", "the row groups declare too many rows") }
            total = sum
        }
        let pandas = self.pandas
        let arrowHints = self.arrowHints
        let tree = self.tree
        schema = ParquetSchema(
            fields: tree.fields.map { field in
                let nullable = (field.element.repetition ?? .required) == .optional
                switch field.layout {
                case .flat(let leaf):
                    let hints = ParquetReader.hints(for: field.name, pandas: pandas, arrow: arrowHints[field.name])
                    let type = try? TypeMapping.columnType(of: leaf, column: field.name, hints: hints)
                    return ParquetSchema.Field(
                        name: field.name, type: type, isNullable: leaf.maxDefinitionLevel > 0,
                        unsupportedKind: type == nil ? "an unreadable type" : nil)
                case .nested(let node):
                    let type = try? node.columnType(column: field.name, hint: arrowHints[field.name])
                    return ParquetSchema.Field(
                        name: field.name, type: type, isNullable: nullable,
                        unsupportedKind: type == nil ? "a nested column of an unreadable type" : nil)
                case .unsupported(let kind, _):
                    return ParquetSchema.Field(name: field.name, type: nil, isNullable: nullable, unsupportedKind: kind)
                }
            })
    }

    /// What the writer's metadata adds to the Parquet schema: the Arrow schema first
    /// (dictionary columns, time zones), then the pandas metadata.
    static func hints(for name: String, pandas: PandasMetadata?, arrow: ArrowSchema.FieldHint?) -> ColumnHints {
        var hints = ColumnHints()
        if let arrow {
            hints.categorical = arrow.isDictionary
            hints.ordered = arrow.ordered
            hints.timeZone = arrow.timeZone
            hints.seconds = arrow.isSeconds
        }
        guard let info = pandas?.columns[name] else { return hints }
        if info.pandasType == "categorical" && !hints.categorical {
            hints.categorical = true
            hints.ordered = info.ordered
        }
        if info.pandasType == "datetimetz", hints.timeZone == nil, let zone = info.timeZone {
            hints.timeZone = zone
        }
        return hints
    }

    // MARK: Reading

    /// Reads the whole file, or only the named columns (in the order given).
    ///
    /// ```swift
    /// let table = try ParquetReader(path: "t.parquet").readTable(columns: ["id", "name"])
    /// ```
    /// - Parameters:
    ///   - columns: the columns to read; `nil` reads all of them.
    ///   - parallel: whether to decode columns on several threads at once.
    /// - Throws: `invalidArgument` for an unknown column, `unsupportedFeature` for a column
    ///   kind this library cannot read (naming it), or a data error for a damaged file.
    public func readTable(columns: [String]? = nil, parallel: Bool = true) throws(DataFolioError) -> Table {
        try read(rowGroups: Array(metadata.rowGroups.indices), columns: columns, parallel: parallel)
    }

    /// Reads one row group.
    ///
    /// ```swift
    /// for index in 0..<reader.rowGroupCount {
    ///     let part = try reader.readRowGroup(index, columns: ["amount"])
    /// }
    /// ```
    public func readRowGroup(_ index: Int, columns: [String]? = nil, parallel: Bool = true) throws(DataFolioError) -> Table {
        guard metadata.rowGroups.indices.contains(index) else {
            throw DataFolioError(
                .invalidArgument, "Row group \(index) does not exist; the file has \(metadata.rowGroups.count) row groups.")
        }
        return try read(rowGroups: [index], columns: columns, parallel: parallel)
    }

    /// An iterator that reads one row group per call, so a file larger than memory can be
    /// scanned.
    ///
    /// ```swift
    /// var groups = reader.rowGroupTables(columns: ["amount"])
    /// var total = 0.0
    /// while let group = try groups.next() { total += try group["amount"]!.doubles().reduce(0) { $0 + ($1 ?? 0) } }
    /// ```
    public func rowGroupTables(columns: [String]? = nil, parallel: Bool = true) -> ParquetRowGroupIterator {
        ParquetRowGroupIterator(reader: self, columns: columns, parallel: parallel)
    }

    /// Calls `body` with each row group in turn.
    public func forEachRowGroup(
        columns: [String]? = nil, parallel: Bool = true, _ body: (Table) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        for index in metadata.rowGroups.indices {
            try body(try read(rowGroups: [index], columns: columns, parallel: parallel))
        }
    }

    /// One column to read: a whole top-level field, or a nested field picked by a dotted path.
    private struct Selection {
        var name: String
        var field: SchemaField
        var layout: FieldLayout
        var hint: ArrowSchema.FieldHint?
    }

    /// The columns to read, in the requested order. A name that is not a top-level field
    /// may be a dotted path into one (`point.x`, `events.ts`): it reads as a column of that
    /// path's values (inside the lists it crosses), from only the leaves it needs.
    private func select(_ columns: [String]?) throws(DataFolioError) -> [Selection] {
        guard let columns else {
            return tree.fields.map { Selection(name: $0.name, field: $0, layout: $0.layout, hint: arrowHints[$0.name]) }
        }
        var selected: [Selection] = []
        for name in columns {
            if let field = tree.fields.first(where: { $0.name == name }) {
                selected.append(Selection(name: name, field: field, layout: field.layout, hint: arrowHints[name]))
                continue
            }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.count > 1, let field = tree.fields.first(where: { $0.name == parts[0] }), case .nested(let node) = field.layout,
                let (path, hint) = ParquetReader.descend(node, hint: arrowHints[parts[0]], into: parts.dropFirst())
            {
                selected.append(Selection(name: name, field: field, layout: .nested(path), hint: hint))
                continue
            }
            throw DataFolioError(
                .invalidArgument,
                "No column named '\(name)' in the Parquet file. It has: \(tree.fields.map { "'\($0.name)'" }.joined(separator: ", ")); name a nested field with a dotted path such as 'column.field'.")
        }
        return selected
    }

    /// The node for the rest of a dotted path below `node`: struct fields by name, the
    /// `key` or `value` of a map, and lists crossed transparently (the result stays a list).
    static func descend(
        _ node: NestedNode, hint: ArrowSchema.FieldHint?, into path: ArraySlice<String>
    ) -> (NestedNode, ArrowSchema.FieldHint?)? {
        guard let name = path.first else { return (node, hint) }
        switch node.kind {
        case .leaf:
            return nil
        case .struct(let fields):
            // A struct on the way is dropped: its nulls become nulls of the field below.
            guard let field = fields.first(where: { $0.name == name }) else { return nil }
            let childHint = hint?.type == .struct ? hint?.child(named: name) : nil
            return descend(field.node, hint: childHint, into: path.dropFirst())
        case .list(let element):
            guard let (inner, innerHint) = descend(element, hint: hint?.children.first, into: path) else { return nil }
            var list = node
            list.kind = .list(inner)
            // The path's values read as a plain list.
            var listHint = hint
            listHint?.children = innerHint.map { [$0] } ?? []
            return (list, listHint)
        case .map(let entry):
            guard case .struct(let parts) = entry.kind, parts.count == 2, let part = parts.first(where: { $0.name == name }) else {
                return nil
            }
            let entries = hint?.type == .map ? hint?.children.first : nil
            let partHint = entries.flatMap { $0.children.count == 2 ? $0.children[name == "key" ? 0 : 1] : nil }
            guard let (inner, innerHint) = descend(part.node, hint: partHint, into: path.dropFirst()) else { return nil }
            var list = node
            list.kind = .list(inner)
            var listHint = ArrowSchema.FieldHint(name: hint?.name ?? "", type: .list)
            listHint.children = innerHint.map { [$0] } ?? []
            return (list, listHint)
        }
    }

    /// Decodes every chunk of one leaf in `indices`; returns the first error.
    private func decodeLeaf(_ plan: LeafPlan, rowGroups indices: [Int], scratch: DecodeScratch) -> DataFolioError? {
        do throws(DataFolioError) {
            var expectedRows = 0
            for index in indices {
                let group = metadata.rowGroups[index]
                expectedRows += Int(group.rowCount)
                let chunk = group.columns[plan.leaf.index]
                if chunk.valueCount == 0 && group.rowCount == 0 { continue }
                let length = try readChunk(chunk, column: plan.columnName, into: &scratch.chunk)
                let decoder = ColumnChunkDecoder(
                    leaf: plan.leaf, chunk: chunk, columnName: plan.columnName, rowCount: Int(group.rowCount))
                let bytes = scratch.chunk
                scratch.chunk = []
                defer { scratch.chunk = bytes }
                try bytes.withRawBytes { (raw) throws(DataFolioError) in
                    try decoder.decode(UnsafeRawBufferPointer(rebasing: raw[0..<length]), plan: plan, scratch: scratch)
                }
                let decodedRows = plan.rowCount
                guard decodedRows == expectedRows else {
                    throw DataFolioError.corrupt(
                        "Parquet",
                        "column '\(plan.columnName)' holds \(decodedRows - (expectedRows - Int(group.rowCount))) rows in row group \(index), which declares \(group.rowCount)")
                }
            }
            return nil
        } catch {
            return error
        }
    }

    func read(rowGroups indices: [Int], columns: [String]?, parallel: Bool) throws(DataFolioError) -> Table {
        let selections = try select(columns)
        var rows = 0
        for index in indices { rows += Int(metadata.rowGroups[index].rowCount) }
        // Preallocate for the declared rows, but never more than the file could plausibly
        // describe: a lying row count must not trigger a huge allocation (buffers grow
        // as pages actually decode).
        let plausible = max(1 << 16, source.size.multipliedReportingOverflow(by: 64).partialValue)
        let capacity = min(rows, plausible)
        for index in indices where metadata.rowGroups[index].columns.count != tree.leaves.count {
            throw DataFolioError.corrupt(
                "Parquet",
                "row group \(index) has \(metadata.rowGroups[index].columns.count) column chunks but the schema has \(tree.leaves.count) columns")
        }
        var plans: [LeafPlan] = []
        var assemblies: [(name: String, type: ColumnType, assembly: ColumnAssembly)] = []
        for selection in selections {
            switch selection.layout {
            case .flat(let leaf):
                let hints = ParquetReader.hints(for: selection.field.name, pandas: pandas, arrow: selection.hint)
                let type = try TypeMapping.columnType(of: leaf, column: selection.name, hints: hints)
                let bytes = byteEstimate(leaf: leaf, rowGroups: indices)
                let sink = try TypeMapping.makeSink(for: leaf, type: type, capacity: capacity, byteCapacity: bytes)
                let plan = LeafPlan(leaf: leaf, columnName: selection.name, sink: sink, slotDefinition: 0)
                plans.append(plan)
                assemblies.append((selection.name, type, .leaf(plan)))
            case .nested(let node):
                let type = try node.columnType(column: selection.name, hint: selection.hint)
                let assembly = try ColumnAssembly.plan(
                    node, type: type, column: selection.name, rows: capacity, plans: &plans
                ) { leaf in
                    // A leaf holds at most as many slots as its chunks have level entries.
                    var entries = 0
                    for index in indices { entries += Int(clamping: metadata.rowGroups[index].columns[leaf.index].valueCount) }
                    return (min(max(entries, 0), plausible), byteEstimate(leaf: leaf, rowGroups: indices))
                }
                assemblies.append((selection.name, type, assembly))
            case .unsupported(let kind, _):
                throw DataFolioError(
                    .unsupportedFeature,
                    "Parquet: column '\(selection.name)' is \(kind), which this library cannot read. Read the other columns with readTable(columns:).")
            }
        }
        if parallel && plans.count > 1 {
            // Leaves are independent: each decodes on its own thread with its own scratch
            // (a leaf's assemblers belong to it alone).
            var failures = [DataFolioError?](repeating: nil, count: plans.count)
            let shared = UnsafeSendableBox(plans)
            failures.withUnsafeMutableBufferPointer { buffer in
                let results = UnsafeSendableBox(buffer)
                DispatchQueue.concurrentPerform(iterations: shared.value.count) { index in
                    results.value[index] = decodeLeaf(shared.value[index], rowGroups: indices, scratch: DecodeScratch())
                }
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        } else {
            let scratch = DecodeScratch()
            for plan in plans {
                if let failure = decodeLeaf(plan, rowGroups: indices, scratch: scratch) { throw failure }
            }
        }
        var result = [Column]()
        result.reserveCapacity(assemblies.count)
        for entry in assemblies {
            result.append(try entry.assembly.finish(name: entry.name, type: entry.type, column: entry.name))
        }
        var table = try Table(result)
        let selectedNames = Set(selections.map(\.name))
        table.indexColumnNames = indexColumnNames.filter { selectedNames.contains($0) }
        return table
    }

    /// A rough size of the decoded variable-length data, to reserve it in one go.
    private func byteEstimate(leaf: LeafColumn, rowGroups indices: [Int]) -> Int {
        guard leaf.physicalType == .byteArray else { return 0 }
        var total = 0
        for index in indices {
            let columns = metadata.rowGroups[index].columns
            guard columns.indices.contains(leaf.index) else { continue }
            total += Int(clamping: columns[leaf.index].uncompressedSize)
        }
        // Never reserve more than the file could expand to in a sane case.
        return min(total, source.size.multipliedReportingOverflow(by: 16).partialValue)
    }

    /// Reads the bytes of one column chunk into the start of `buffer` after checking its
    /// range, and returns their count.
    private func readChunk(_ chunk: ParquetColumnChunk, column: String, into buffer: inout [UInt8]) throws(DataFolioError) -> Int {
        guard chunk.hasMetadata else {
            throw DataFolioError.unsupported("Parquet", "column '\(column)' without column metadata (an encrypted column)")
        }
        if let path = chunk.filePath, !path.isEmpty {
            throw DataFolioError.unsupported("Parquet", "column '\(column)' stored in another file ('\(path)')")
        }
        let start = chunk.startOffset
        var length = chunk.compressedSize
        guard start >= 4, length >= 0, start <= Int64(dataEnd), length <= Int64(dataEnd) - start else {
            throw DataFolioError.corrupt(
                "Parquet",
                "column '\(column)' declares \(length) bytes at offset \(start), outside the data section (4..<\(dataEnd))")
        }
        if ParquetReader.undercountsDictionaryHeaders(createdBy: metadata.createdBy) {
            // parquet-mr before 1.2.9 left the dictionary page header out of the chunk size;
            // read up to 100 more bytes (as parquet-cpp does). Pages past the declared
            // values are never decoded.
            length += min(100, Int64(dataEnd) - start - length)
        }
        try source.read(offset: Int(start), count: Int(length), into: &buffer)
        return Int(length)
    }

    /// Whether the writer is a parquet-mr older than 1.2.9 (or of no stated version).
    static func undercountsDictionaryHeaders(createdBy: String?) -> Bool {
        guard let createdBy, createdBy.hasPrefix("parquet-mr") else { return false }
        let words = createdBy.split(separator: " ")
        guard words.count >= 3, words[0] == "parquet-mr", words[1] == "version" else { return true }
        let parts = words[2].split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let version = (parts.count > 0 ? parts[0] : 0, parts.count > 1 ? parts[1] : 0, parts.count > 2 ? parts[2] : 0)
        return version < (1, 2, 9)
    }
}

/// Reads a Parquet file one row group at a time (see ``ParquetReader/rowGroupTables(columns:)``).
///
/// ```swift
/// var groups = reader.rowGroupTables()
/// while let table = try groups.next() { process(table) }
/// ```
public struct ParquetRowGroupIterator: Sendable {
    let reader: ParquetReader
    let columns: [String]?
    let parallel: Bool
    /// The index of the next row group.
    public private(set) var nextIndex = 0

    /// The next row group as a table, or `nil` after the last one.
    public mutating func next() throws(DataFolioError) -> Table? {
        guard nextIndex < reader.rowGroupCount else { return nil }
        let table = try reader.read(rowGroups: [nextIndex], columns: columns, parallel: parallel)
        nextIndex += 1
        return table
    }
}
