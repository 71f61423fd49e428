import DataFolioSupport
import Foundation

extension Table {
    /// Creates a table with one row per element and one column per encoded field.
    ///
    /// Columns appear in the order the first row encodes its fields (declaration order
    /// for synthesized `Encodable`), each typed by its first non-nil value: `Int` → `int64`,
    /// `Int8`…`UInt64` → the same width, `Bool`, `Float` → `float`, `Double` → `double`,
    /// `String` and enums with string raw values → `string`, `Date` → `timestamp[us, tz=UTC]`,
    /// `Data` and `[UInt8]` → `binary`, `Decimal` → `decimal128` (or `string` when 38 digits
    /// are not enough), `URL` → `string`, arrays → `list<…>`, nested structs and classes →
    /// `struct<…>` (fields from every row, in first-seen order), `[String: T]` → `map<string, …>`
    /// (entries sorted by key), `nil` → null (a `nil` nested struct is a null struct, not a
    /// struct of nulls).
    ///
    /// ```swift
    /// struct Address: Codable { var city: String; var zip: String? }
    /// struct Customer: Codable {
    ///     var id: Int; var name: String; var email: String?; var joined: Date
    ///     var address: Address?; var tags: [String]; var scores: [String: Double]
    /// }
    /// let table = try Table(rows: customers)
    /// ```
    /// - Throws: `typeMismatch` for rows that are not keyed, or a field whose values change
    ///   kind from row to row.
    public init<Row: Encodable>(rows: [Row]) throws(DataFolioError) {
        var names: [String] = []
        var positions: [String: Int] = [:]
        // The cells of each column, one per row (null where a row lacks the field).
        var cellsByColumn: [[EncodedCell]] = []
        for (index, row) in rows.enumerated() {
            let fields = RowFields()
            do {
                try row.encode(to: RowEncoder(fields: fields))
            } catch let error as DataFolioError {
                throw DataFolioError(error.code, "Row \(index): \(error.message)")
            } catch {
                throw DataFolioError(.typeMismatch, "Row \(index) could not be encoded: \(error)")
            }
            if let error = fields.error {
                throw DataFolioError(error.code, "Row \(index): \(error.message)")
            }
            for (name, cell) in fields.entries {
                let column: Int
                if let known = positions[name] {
                    column = known
                } else {
                    column = names.count
                    positions[name] = column
                    names.append(name)
                    var cells = [EncodedCell](repeating: .null, count: index)
                    cells.reserveCapacity(rows.count)
                    cellsByColumn.append(cells)
                }
                if cellsByColumn[column].count == index {
                    cellsByColumn[column].append(cell)
                } else {
                    cellsByColumn[column][index] = cell
                }
            }
            for column in cellsByColumn.indices where cellsByColumn[column].count == index {
                cellsByColumn[column].append(.null)
            }
        }
        var columns: [Column] = []
        columns.reserveCapacity(names.count)
        for (name, cells) in zip(names, cellsByColumn) {
            // A field that is nil in every row has no type to infer; it becomes null text.
            let type = EncodedCell.inferType(cells) ?? .string
            var builder = try ColumnBuilder(name: name, type: type, capacity: cells.count)
            for (index, cell) in cells.enumerated() {
                guard cell.fits(type) else {
                    throw DataFolioError(
                        .typeMismatch,
                        "Row \(index): field '\(name)' holds \(cell.kindName) but earlier rows hold \(type.arrowName); "
                            + "a column needs one kind of value.")
                }
                do {
                    try builder.append(cell.tableValue)
                } catch {
                    throw DataFolioError(error.code, "Row \(index): field '\(name)': \(error.message)")
                }
            }
            columns.append(builder.build())
        }
        try self.init(columns)
    }

    /// Decodes every row as `Row`, matching coding keys to column names.
    ///
    /// Numbers widen freely and narrow with a range check (an `int64` column decodes as
    /// `Int8` when each value fits), dates and timestamps decode as `Date`, categories as
    /// `String`, lists as arrays, structs as nested structs (fields by name), maps with text
    /// keys as `[String: T]`, decimals as `Decimal`, `Double` or `String`, binary as
    /// `Data` or `[UInt8]`; nulls decode as `nil`. Columns without a matching property are
    /// ignored.
    ///
    /// ```swift
    /// let customers = try table.rows(as: Customer.self)
    /// ```
    /// - Throws: `typeMismatch` naming the row and column when a value does not fit, a
    ///   required column is missing, or a null meets a non-optional property.
    public func rows<Row: Decodable>(as _: Row.Type) throws(DataFolioError) -> [Row] {
        let source = RowSource(table: self)
        var result: [Row] = []
        result.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            do {
                result.append(try Row(from: RowDecoder(source: source, row: row)))
            } catch let error as DecodingError {
                throw DataFolioError(.typeMismatch, "Cannot decode row \(row) as \(Row.self): \(Table.explain(error))")
            } catch let error as DataFolioError {
                throw error
            } catch {
                throw DataFolioError(.typeMismatch, "Cannot decode row \(row) as \(Row.self): \(error)")
            }
        }
        return result
    }

    /// Decodes every row as `Row`; the same as ``rows(as:)``.
    public func decodeRows<Row: Decodable>(as type: Row.Type) throws(DataFolioError) -> [Row] {
        try rows(as: type)
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            return context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
