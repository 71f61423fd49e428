import DataFolioTable

/// The columns of a Parquet file as they read into a `Table`.
///
/// ```swift
/// let reader = try ParquetReader(path: "table.parquet")
/// for field in reader.schema.fields {
///     print(field.name, field.type?.arrowName ?? field.unsupportedKind ?? "?")
/// }
/// ```
public struct ParquetSchema: Sendable {
    /// One top-level column.
    public struct Field: Sendable, Equatable {
        /// The column name.
        public let name: String
        /// The column type, or `nil` when this library cannot read the column yet.
        public let type: ColumnType?
        /// Whether the column may hold nulls.
        public let isNullable: Bool
        /// For an unreadable column, what kind it is (e.g. "a struct", "a map").
        public let unsupportedKind: String?
    }

    /// The top-level columns, in file order.
    public let fields: [Field]

    /// The column names, in file order.
    public var names: [String] { fields.map(\.name) }

    /// The field named `name`.
    ///
    /// ```swift
    /// if let field = reader.schema["amount"] { print(field.type?.arrowName ?? "unreadable", field.isNullable) }
    /// ```
    public subscript(name: String) -> Field? {
        fields.first { $0.name == name }
    }
}
