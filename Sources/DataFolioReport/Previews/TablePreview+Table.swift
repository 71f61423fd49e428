import DataFolioParquet
import DataFolioSupport
import DataFolioTable

extension TablePreview {
    /// The preview of a Parquet file: its schema, null counts and bounds from the
    /// column-chunk statistics (when the writer stored them), and the first rows. Only
    /// the footer and the first row group(s) of the first ``ReportLimits/tableColumns``
    /// columns are read.
    ///
    /// ```swift
    /// let preview = try TablePreview(parquet: ParquetReader(path: "sales.parquet"))
    /// print(preview.columns.map(\.nullCount))
    /// ```
    public init(parquet reader: ParquetReader, indexColumns: [String]? = nil, limits: ReportLimits = ReportLimits()) throws(DataFolioError) {
        let index = Set(indexColumns ?? reader.indexColumnNames)
        let statistics = ParquetColumnStatistics(reader.metadata, schema: reader.schema)
        let fields = reader.schema.fields
        var columns = [TableColumnSummary]()
        var anyStatistics = false
        for field in fields.prefix(max(limits.tableSchemaColumns, 0)) {
            var summary = TableColumnSummary(
                name: field.name, type: field.type?.arrowName ?? (field.unsupportedKind ?? "unsupported"), isIndex: index.contains(field.name))
            if let found = statistics.columns[field.name] {
                summary.nullCount = found.nullCount
                summary.minimum = found.minimum.map { TextBounds.shortened($0, to: limits.cellCharacters) }
                summary.maximum = found.maximum.map { TextBounds.shortened($0, to: limits.cellCharacters) }
                anyStatistics = anyStatistics || found.nullCount != nil || found.minimum != nil
            }
            columns.append(summary)
        }
        let readable = fields.filter { $0.type != nil }.map(\.name)
        let shown = Array(readable.prefix(max(limits.tableColumns, 0)))
        var head = Table()
        var group = 0
        while head.rowCount < limits.tableRows && group < reader.rowGroupCount && !shown.isEmpty {
            let next = try reader.readRowGroup(group, columns: shown, parallel: false)
            head = head.rowCount == 0 ? next : (try? Table(concatenating: [head, next])) ?? head
            group += 1
        }
        self.init(
            rowCount: reader.rowCount, columns: columns, statisticsSource: anyStatistics ? .parquetStatistics : .none,
            headColumns: shown, headRows: TablePreview.rows(of: head, columns: shown, limits: limits),
            note: TablePreview.note(total: fields.count, listed: columns.count, shown: shown.count, unreadable: fields.count - readable.count))
    }

    /// The preview of a table held in memory: its schema, null counts and bounds
    /// computed from every row, and the first rows.
    ///
    /// ```swift
    /// let preview = TablePreview(table: try Table([Column(name: "id", [1, 2, 3] as [Int64])]))
    /// print(preview.columns[0].maximum ?? "")   // "3"
    /// ```
    public init(table: Table, limits: ReportLimits = ReportLimits()) {
        var columns = [TableColumnSummary]()
        for column in table.columns.prefix(max(limits.tableSchemaColumns, 0)) {
            let bounds = TablePreview.bounds(of: column)
            columns.append(TableColumnSummary(
                name: column.name, type: column.type.arrowName, nullCount: column.nullCount,
                minimum: bounds.map { TextBounds.shortened($0.min.description, to: limits.cellCharacters) },
                maximum: bounds.map { TextBounds.shortened($0.max.description, to: limits.cellCharacters) },
                isIndex: table.indexColumnNames.contains(column.name)))
        }
        let shown = Array(table.columnNames.prefix(max(limits.tableColumns, 0)))
        self.init(
            rowCount: table.rowCount, columns: columns, statisticsSource: .data, headColumns: shown,
            headRows: TablePreview.rows(of: table, columns: shown, limits: limits),
            note: TablePreview.note(total: table.columnCount, listed: columns.count, shown: shown.count, unreadable: 0))
    }

    private static func rows(of table: Table, columns: [String], limits: ReportLimits) -> [[String?]] {
        let count = min(table.rowCount, max(limits.tableRows, 0))
        let picked = columns.compactMap { table[$0] }
        return (0..<count).map { row in
            picked.map { column -> String? in
                let value = column[row]
                return value.isNull ? nil : TextBounds.shortened(value.description, to: limits.cellCharacters)
            }
        }
    }

    private static func note(total: Int, listed: Int, shown: Int, unreadable: Int) -> String? {
        var parts = [String]()
        if listed < total { parts.append("the schema lists the first \(listed) of \(total) columns") }
        if shown < total - unreadable { parts.append("rows show the first \(shown) columns") }
        if unreadable > 0 { parts.append("\(unreadable) nested column\(unreadable == 1 ? "" : "s") cannot be read here") }
        guard !parts.isEmpty else { return nil }
        let sentence = parts.joined(separator: "; ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
    }

    /// The smallest and largest non-null value of a column whose values are ordered
    /// (NaN is skipped); `nil` for other columns.
    private static func bounds(of column: Column) -> (min: TableValue, max: TableValue)? {
        var low: (value: TableValue, key: OrderedValue)?
        var high: (value: TableValue, key: OrderedValue)?
        for row in 0..<column.count where !column.isNull(row) {
            let value = column[row]
            if case .double(let number) = value, number.isNaN { continue }
            guard let key = OrderedValue(value) else { return nil }
            if let current = low, !(key < current.key) {} else { low = (value, key) }
            if let current = high, !(current.key < key) {} else { high = (value, key) }
        }
        guard let low, let high else { return nil }
        return (low.value, high.value)
    }
}

/// A table value that can be ordered against values of the same column.
enum OrderedValue: Comparable {
    case signed(Int64)
    case unsigned(UInt64)
    case real(Double)
    case text([UInt8])

    init?(_ value: TableValue) {
        switch value {
        case .bool(let flag): self = .signed(flag ? 1 : 0)
        case .int(let number): self = .signed(number)
        case .uint(let number): self = .unsigned(number)
        case .double(let number):
            guard !number.isNaN else { return nil }
            self = .real(number)
        case .string(let text): self = .text(Array(text.utf8))
        case .date(let days): self = .signed(Int64(days))
        case .timestamp(let count, _, _): self = .signed(count)
        default: return nil
        }
    }

    static func < (lhs: OrderedValue, rhs: OrderedValue) -> Bool {
        switch (lhs, rhs) {
        case let (.signed(a), .signed(b)): return a < b
        case let (.unsigned(a), .unsigned(b)): return a < b
        case let (.real(a), .real(b)): return a < b
        case let (.text(a), .text(b)): return a.lexicographicallyPrecedes(b)
        case let (.signed(a), .unsigned(b)): return a < 0 || UInt64(a) < b
        case let (.unsigned(a), .signed(b)): return b >= 0 && a < UInt64(b)
        case let (.signed(a), .real(b)): return Double(a) < b
        case let (.real(a), .signed(b)): return a < Double(b)
        case let (.unsigned(a), .real(b)): return Double(a) < b
        case let (.real(a), .unsigned(b)): return a < Double(b)
        case (.text, _): return false
        case (_, .text): return true
        }
    }
}
