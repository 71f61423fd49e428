import DataFolioSupport

/// An in-memory table: named columns of equal length, stored column by column.
///
/// ```swift
/// var table = try Table([
///     Column(name: "id", [1, 2, 3]),
///     Column(name: "name", strings: ["Ada", "Grace", nil]),
/// ])
/// try table.append(Column(name: "score", [0.5, 0.25, 1] as [Double]))
/// print(table.rowCount)            // 3
/// print(table["name"]?[1] ?? .null) // Grace
/// print(table.preview())
/// ```
public struct Table: Sendable {
    /// The columns, in order.
    public private(set) var columns: [Column]
    /// The number of rows (every column has this many).
    public private(set) var rowCount: Int
    /// Names of columns that hold a stored pandas index (set by the Parquet reader from
    /// pandas metadata; the Parquet writer records them the same way).
    public var indexColumnNames: [String] = []

    /// Creates a table from columns of equal length with unique names.
    /// ```swift
    /// let table = try Table([
    ///     Column(name: "id", [1, 2] as [Int64]),
    ///     Column(name: "city", strings: ["Oslo", nil]),
    /// ])
    /// ```
    ///
    /// - Throws: `invalidArgument` when lengths differ or a name repeats.
    public init(_ columns: [Column]) throws(DataFolioError) {
        self.columns = []
        self.rowCount = columns.first?.count ?? 0
        for column in columns {
            try append(column)
        }
    }

    /// Creates an empty table (no columns, no rows).
    ///
    /// ```swift
    /// var table = Table()
    /// try table.append(Column(name: "id", [1, 2, 3] as [Int64]))
    /// ```
    public init() {
        columns = []
        rowCount = 0
    }

    /// Creates a table from columns known to have `rowCount` rows and unique names.
    init(unchecked columns: [Column], rowCount: Int, indexColumnNames: [String]) {
        self.columns = columns
        self.rowCount = rowCount
        self.indexColumnNames = indexColumnNames
    }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The names and types of the columns, in order.
    public var schema: [(name: String, type: ColumnType)] { columns.map { ($0.name, $0.type) } }

    /// The number of columns.
    public var columnCount: Int { columns.count }

    /// Whether the table has no rows.
    public var isEmpty: Bool { rowCount == 0 }

    /// The column named `name`, if any.
    ///
    /// ```swift
    /// if let city = table["city"] { print(city.strings()) }
    /// ```
    public subscript(name: String) -> Column? {
        columns.first { $0.name == name }
    }

    /// The column at `index`; an index out of range traps, like `Array`.
    ///
    /// ```swift
    /// for index in 0..<table.columnCount { print(table[column: index].name) }
    /// ```
    public subscript(column index: Int) -> Column {
        columns[index]
    }

    /// The position of the column named `name`.
    ///
    /// ```swift
    /// let position = table.columnIndex(named: "city")   // nil when absent
    /// ```
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// A table with only the named columns, in the order given.
    /// ```swift
    /// let narrow = try table.selecting(["city", "id"])   // in this order
    /// ```
    ///
    /// - Throws: `invalidArgument` naming a column that does not exist.
    public func selecting(_ names: [String]) throws(DataFolioError) -> Table {
        var result = Table()
        result.rowCount = rowCount
        for name in names {
            guard let column = self[name] else {
                throw DataFolioError(
                    .invalidArgument,
                    "No column named '\(name)'. The table has: \(columnNames.map { "'\($0)'" }.joined(separator: ", ")).")
            }
            try result.append(column)
        }
        result.indexColumnNames = indexColumnNames.filter { names.contains($0) }
        return result
    }

    /// A copy of the rows in `range`; a range outside `0..<rowCount` traps, like `Array`.
    ///
    /// ```swift
    /// let head = table.rows(0..<min(5, table.rowCount))
    /// ```
    public func rows(_ range: Range<Int>) -> Table {
        precondition(range.lowerBound >= 0 && range.upperBound <= rowCount, "Table rows \(range) out of range 0..<\(rowCount)")
        var result = Table()
        result.columns = columns.map { $0.rows(range) }
        result.rowCount = range.count
        result.indexColumnNames = indexColumnNames
        return result
    }

    /// Adds a column at the end.
    /// ```swift
    /// try table.append(Column(name: "score", [0.5, 0.25] as [Double]))
    /// ```
    ///
    /// - Throws: `invalidArgument` when its length differs from ``rowCount`` or its name is taken.
    public mutating func append(_ column: Column) throws(DataFolioError) {
        try insert(column, at: columns.count)
    }

    /// Inserts a column at `index`.
    /// ```swift
    /// try table.insert(Column(name: "row", [0, 1] as [Int64]), at: 0)
    /// ```
    ///
    /// - Throws: `invalidArgument` when its length differs from ``rowCount``, its name is taken,
    ///   or `index` is out of range.
    public mutating func insert(_ column: Column, at index: Int) throws(DataFolioError) {
        guard index >= 0 && index <= columns.count else {
            throw DataFolioError(.invalidArgument, "Cannot insert a column at position \(index) of \(columns.count).")
        }
        if columns.isEmpty {
            rowCount = column.count
        } else if column.count != rowCount {
            throw DataFolioError(
                .invalidArgument,
                "Column '\(column.name)' has \(column.count) rows but the table has \(rowCount); all columns need the same length.")
        }
        guard self[column.name] == nil else {
            throw DataFolioError(.invalidArgument, "The table already has a column named '\(column.name)'; column names must be unique.")
        }
        columns.insert(column, at: index)
    }

    /// Removes and returns the column named `name`.
    ///
    /// ```swift
    /// let dropped = table.removeColumn(named: "debug")
    /// ```
    @discardableResult
    public mutating func removeColumn(named name: String) -> Column? {
        guard let index = columnIndex(named: name) else { return nil }
        indexColumnNames.removeAll { $0 == name }
        return columns.remove(at: index)
    }

    /// Replaces the column with the same name as `column`, or appends it.
    /// ```swift
    /// try table.replaceColumn(Column(name: "id", [10, 20] as [Int64]))   // same name, same length
    /// ```
    ///
    /// - Throws: `invalidArgument` when its length differs from ``rowCount``.
    public mutating func replaceColumn(_ column: Column) throws(DataFolioError) {
        if let index = columnIndex(named: column.name) {
            guard column.count == rowCount || columns.count == 1 else {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(column.name)' has \(column.count) rows but the table has \(rowCount); all columns need the same length.")
            }
            columns[index] = column
            rowCount = column.count
        } else {
            try append(column)
        }
    }

    /// The cell at `row` of the column named `column`, or `nil` when there is no such column.
    ///
    /// ```swift
    /// print(table[row: 0, column: "city"] ?? .null)   // Oslo
    /// ```
    public subscript(row: Int, column: String) -> TableValue? {
        self[column]?[row]
    }
}

extension Table: Equatable {
    /// Tables are equal when they have the same columns (names, types, values and
    /// nulls, in order). ``indexColumnNames`` is metadata and does not take part.
    public static func == (lhs: Table, rhs: Table) -> Bool {
        lhs.rowCount == rhs.rowCount && lhs.columns == rhs.columns
    }
}
