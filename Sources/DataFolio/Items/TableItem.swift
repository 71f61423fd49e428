import DataFolioJSON
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import Foundation

extension DataFolio {
    /// Adds a table, stored in the folio as a Parquet file that pandas, polars, pyarrow
    /// and DuckDB read (with the `pandas` metadata, so pandas restores time zones,
    /// categoricals and nullable integers).
    ///
    /// ```swift
    /// let clean = try Table([Column(name: "id", [1, 2, 3] as [Int64]),
    ///                        Column(name: "city", strings: ["Oslo", nil, "Lima"])])
    /// try folio.add("clean", clean, description: "Deduplicated rows", inputs: ["raw"])
    /// ```
    ///
    /// - Parameters:
    ///   - name: The item name.
    ///   - table: The table to store.
    ///   - description: What the table is, for people reading the folio.
    ///   - inputs: The names of the items it was made from.
    ///   - overwrite: Replace an existing item of that name.
    ///   - options: Parquet writing options (compression, row group size…).
    @discardableResult
    public func add(
        _ name: String, _ table: Table, description: String? = nil, inputs: [String] = [], overwrite: Bool = false,
        options: ParquetWriteOptions = ParquetWriteOptions()
    ) throws(DataFolioError) -> CatalogItem {
        let new = NewItem(name: name, kind: .includedTable, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".parquet")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.writePayload(at: path) { writer throws(DataFolioError) in
                let parquet = try ParquetWriter(output: writer, options: options)
                try parquet.write(table)
                _ = try parquet.close()
            }
            return TableItem.fields(schema: table.schema, rowCount: table.rowCount, indexColumns: table.indexColumnNames,
                                    checksum: written.md5, size: written.size)
        }
    }

    /// Adds rows of any `Encodable` type as a table (one column per stored property).
    ///
    /// ```swift
    /// struct Customer: Codable { var id: Int; var city: String? }
    /// try folio.add("customers", rows: customers)
    /// let back: [Customer] = try folio.get("customers")
    /// ```
    @discardableResult
    public func add<Row: Encodable>(
        _ name: String, rows: [Row], description: String? = nil, inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        try add(name, try Table(rows: rows), description: description, inputs: inputs, overwrite: overwrite)
    }

    /// Adds a Parquet file as a table, byte for byte (its checksum is the file's MD5).
    ///
    /// ```swift
    /// try folio.add("events", tableFile: URL(fileURLWithPath: "exports/events.parquet"))
    /// ```
    @discardableResult
    public func add(
        _ name: String, tableFile source: URL, description: String? = nil, inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        guard try SourceFiles.kind(of: source.path) == .file else {
            throw DataFolioError(.invalidArgument, "'\(source.path)' is a folder; a table file is a single .parquet file.", path: source.path)
        }
        let reader = try ParquetReader(path: source.path)
        let new = NewItem(name: name, kind: .includedTable, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".parquet")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.copyFilePayload(from: source.path, to: path)
            let schema = reader.schema.fields.map { ($0.name, $0.type ?? .binary) }
            return TableItem.fields(schema: schema, rowCount: reader.rowCount, indexColumns: reader.indexColumnNames,
                                    checksum: written.md5, size: written.size)
        }
    }

    /// A table item, reading only `columns` (in that order) from a stored Parquet file.
    ///
    /// ```swift
    /// let ids = try folio.get("clean", columns: ["id"])
    /// ```
    public func get(_ name: String, as type: Table.Type = Table.self, columns: [String]) throws(DataFolioError) -> Table {
        let item = try requireItem(name, kinds: [.includedTable, .referencedTable], wanted: "a table")
        return try TableItem.table(of: item, in: self, columns: columns)
    }

    /// The Parquet file of a stored table, opened to read only what is asked of it: the
    /// footer now (schema, row groups, statistics), column chunks when read — by byte
    /// range from whatever store holds the folio.
    ///
    /// ```swift
    /// let reader = try folio.parquetReader(of: "events")
    /// print(reader.rowGroupCount, reader.schema.fields.map(\.name))
    /// let firstGroup = try reader.readRowGroup(0, columns: ["user_id"])
    /// ```
    public func parquetReader(of name: String) throws(DataFolioError) -> ParquetReader {
        let item = try requireItem(name, kinds: [.includedTable], wanted: "a table stored in the folio")
        return try ParquetReader(source: try payloadSource(of: item))
    }

    /// The schema of a table item without reading its rows (the Parquet footer only; a
    /// CSV reference is read).
    ///
    /// ```swift
    /// for column in try folio.tableSchema("clean").columns { print(column.name, column.type) }
    /// ```
    public func tableSchema(_ name: String) throws(DataFolioError) -> TableSchema {
        let item = try requireItem(name, kinds: [.includedTable, .referencedTable], wanted: "a table")
        let index = item.fields["index_columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if item.kind == .includedTable {
            let reader = try ParquetReader(source: try payloadSource(of: item))
            let fields = reader.schema.fields.map { TableSchema.Field(name: $0.name, type: $0.type ?? .binary) }
            return TableSchema(fields, indexColumnNames: index, rowCount: reader.rowCount)
        }
        let table = try TableItem.table(of: item, in: self, columns: nil)
        return TableSchema(table.schema.map { TableSchema.Field(name: $0.name, type: $0.type) }, indexColumnNames: index, rowCount: table.rowCount)
    }
}

/// `[Row]` for any `Decodable` row type: lets the generic `get` decode a table's rows.
protocol TableRowsDecodable {
    static func decodeRows(from table: Table) throws(DataFolioError) -> Any
}

extension Array: TableRowsDecodable where Element: Decodable {
    static func decodeRows(from table: Table) throws(DataFolioError) -> Any {
        try table.rows(as: Element.self)
    }
}

/// `included_table` items: a table stored in the folio as Parquet.
enum TableItem: ItemHandler {
    static let kind = ItemKind.includedTable
    static let describeSection = DescribeSection.tables

    /// The catalog keys of a stored table, in the Python datafolio's order.
    static func fields(
        schema: [(name: String, type: ColumnType)], rowCount: Int, indexColumns: [String], checksum: String, size: Int
    ) -> KindFields {
        var dtypes = JSONObject()
        for column in schema { dtypes[column.name] = .string(column.type.arrowName) }
        var fields: JSONObject = [
            "table_format": "parquet",
            "is_directory": false,
            "checksum": .string(checksum),
            "num_rows": .int(Int64(rowCount)),
            "num_cols": .int(Int64(schema.count)),
            "columns": .array(schema.map { .string($0.name) }),
            "dtypes": .object(dtypes),
            "created_at": .string(ISOTimestamp.now()),
            "size_bytes": .int(Int64(size)),
        ]
        if !indexColumns.isEmpty {
            fields["index_columns"] = .array(indexColumns.map(JSONValue.string))
            fields["index_names"] = .array(indexColumns.map { _ in JSONValue.null })
        }
        return KindFields(fields: fields)
    }

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        .table(try table(of: item, in: folio, columns: nil))
    }

    /// A table's rows decoded as `Value` (an array of a `Decodable` row type).
    static func decodeRows<Value: Decodable>(_ table: Table, of item: CatalogItem, as type: Value.Type) throws(DataFolioError) -> Value {
        guard let rowsType = Value.self as? any TableRowsDecodable.Type else {
            throw DataFolioError(
                .typeMismatch,
                "Item '\(item.name)' is a table; read it as Table, or decode its rows as an array of a Decodable type (for example [Customer]).")
        }
        guard let rows = try rowsType.decodeRows(from: table) as? Value else {
            throw DataFolioError(.typeMismatch, "The rows of '\(item.name)' could not be decoded as \(Value.self).")
        }
        return rows
    }

    /// Reads a stored or referenced table. Stored index columns (a pandas Series or an
    /// index kept with `preserve_index`) are marked as such.
    static func table(of item: CatalogItem, in folio: DataFolio, columns: [String]?) throws(DataFolioError) -> Table {
        var table: Table
        if item.kind == .referencedTable {
            table = try ReferenceItem.readTable(item, in: folio, columns: columns)
        } else {
            table = try ParquetReader(source: try folio.payloadSource(of: item)).readTable(columns: columns)
        }
        let catalogIndex = item.fields["index_columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !catalogIndex.isEmpty {
            table.indexColumnNames = catalogIndex.filter { table[$0] != nil }
        }
        return table
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        var lines = context.sizeAndInputs(item)
        let models = item.legacyModels
        if !models.isEmpty { lines.append("models: " + models.joined(separator: ", ")) }
        return lines
    }
}
