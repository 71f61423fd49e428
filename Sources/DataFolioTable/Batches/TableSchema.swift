import DataFolioSupport

/// The names and types of a table's columns, without any rows: what every batch of a
/// ``TableBatchReader`` has, and what a file's footer tells before its rows are read
/// (with ``rowCount`` then).
///
/// ```swift
/// let schema = TableSchema([.init(name: "id", type: .int64), .init(name: "city", type: .string)])
/// print(schema.names)             // ["id", "city"]
/// print(schema["city"]?.type)     // Optional(string)
/// let empty = Table(schema: schema)   // no rows, the same columns
/// ```
public struct TableSchema: Sendable, Hashable, CustomStringConvertible {
    /// One column: its name and type.
    public struct Field: Sendable, Hashable {
        /// The column name.
        public var name: String
        /// The column type.
        public var type: ColumnType

        /// Creates a field.
        public init(name: String, type: ColumnType) {
            self.name = name
            self.type = type
        }
    }

    /// The columns, in order.
    public var fields: [Field]
    /// Names of columns that hold a stored pandas index (see ``Table/indexColumnNames``).
    public var indexColumnNames: [String] = []
    /// The number of rows, when it is known without reading them (a Parquet or Arrow
    /// file's footer); `nil` for a stream such as CSV.
    public var rowCount: Int?

    /// Creates a schema from fields.
    public init(_ fields: [Field], indexColumnNames: [String] = [], rowCount: Int? = nil) {
        self.fields = fields
        self.indexColumnNames = indexColumnNames
        self.rowCount = rowCount
    }

    /// The schema of `table` (its row count left out, as in every batch's schema).
    ///
    /// ```swift
    /// let schema = TableSchema(of: table)
    /// ```
    public init(of table: Table) {
        fields = table.columns.map { Field(name: $0.name, type: $0.type) }
        indexColumnNames = table.indexColumnNames
    }

    /// Whether the column named `name` holds a stored pandas index.
    ///
    /// ```swift
    /// for field in schema.fields where !schema.isIndex(field.name) { print(field.name) }
    /// ```
    public func isIndex(_ name: String) -> Bool {
        indexColumnNames.contains(name)
    }

    /// The column names, in order.
    public var names: [String] { fields.map(\.name) }

    /// The number of columns.
    public var count: Int { fields.count }

    /// The field named `name`, if any.
    public subscript(name: String) -> Field? {
        fields.first { $0.name == name }
    }

    /// The position of the column named `name`.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The schema of only the named columns, in the order given.
    ///
    /// ```swift
    /// let projected = try schema.selecting(["city", "id"])
    /// ```
    /// - Throws: `invalidArgument` naming a column that does not exist.
    public func selecting(_ names: [String]) throws(DataFolioError) -> TableSchema {
        var selected: [Field] = []
        for name in names {
            guard let field = self[name] else { throw TableSchema.unknownColumn(name, in: self.names) }
            selected.append(field)
        }
        return TableSchema(selected, indexColumnNames: indexColumnNames.filter { names.contains($0) })
    }

    /// Whether `table` has exactly these column names and types, in order.
    public func matches(_ table: Table) -> Bool {
        table.columns.count == fields.count
            && zip(table.columns, fields).allSatisfy { $0.name == $1.name && $0.type == $1.type }
    }

    public var description: String {
        "(" + fields.map { "\($0.name): \($0.type.arrowName)" }.joined(separator: ", ") + ")"
    }

    /// The error for a column name that is not in `names`, suggesting the nearest.
    static func unknownColumn(_ name: String, in names: [String]) -> DataFolioError {
        var message = "No column named '\(name)'."
        if let near = nearest(name, in: names) { message += " Did you mean '\(near)'?" }
        message += " The columns are: \(names.map { "'\($0)'" }.joined(separator: ", "))."
        return DataFolioError(.invalidArgument, message, location: DataFolioError.Location(column: name))
    }

    /// The name closest to `name` by edit distance, when it is close enough to be a typo.
    static func nearest(_ name: String, in names: [String]) -> String? {
        let target = Array(name.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in names {
            let other = Array(candidate.lowercased())
            var previous = Array(0...other.count)
            for (i, a) in target.enumerated() {
                var row = [i + 1] + [Int](repeating: 0, count: other.count)
                for (j, b) in other.enumerated() {
                    row[j + 1] = Swift.min(previous[j + 1] + 1, row[j] + 1, previous[j] + (a == b ? 0 : 1))
                }
                previous = row
            }
            let distance = previous[other.count]
            if distance <= Swift.max(1, target.count / 3), best.map({ distance < $0.distance }) ?? true {
                best = (candidate, distance)
            }
        }
        return best?.name
    }
}

extension Table {
    /// An empty table (no rows) with the columns of `schema`.
    ///
    /// ```swift
    /// let empty = Table(schema: reader.schema)
    /// ```
    public init(schema: TableSchema) {
        self.init()
        for field in schema.fields {
            // Names in a schema may repeat only if it was built by hand; keep the first.
            try? append(Column.nulls(name: field.name, type: field.type, count: 0))
        }
        indexColumnNames = schema.indexColumnNames
    }
}
