/// One field of one row as the row encoder captured it, before the column types are known.
indirect enum EncodedCell {
    case null
    /// A scalar and the column type its Swift type maps to.
    case value(TableValue, ColumnType)
    /// A `Decimal`, as exact text; its column's precision and scale come from all rows.
    case decimal(String)
    case list([EncodedCell])
    /// A nested Swift struct or class: its fields in encoding order.
    case `struct`([(name: String, cell: EncodedCell)])
    /// A `[String: T]` dictionary: its entries sorted by key.
    case map([(key: String, cell: EncodedCell)])

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The cell as a table value.
    var tableValue: TableValue {
        switch self {
        case .null: .null
        case .value(let value, _): value
        case .decimal(let text): .decimal(text)
        case .list(let cells): .list(cells.map(\.tableValue))
        case .struct(let fields): .struct(fields.map { ($0.name, $0.cell.tableValue) })
        case .map(let entries): .map(entries.map { (.string($0.key), $0.cell.tableValue) })
        }
    }

    /// A short name of what the cell holds, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .value(_, let type): type.arrowName
        case .decimal: "decimal"
        case .list: "list"
        case .struct: "a nested object"
        case .map: "a dictionary"
        }
    }

    /// The column type that holds `cells`, from the first non-null cell; `nil` when all are null.
    static func inferType(_ cells: [EncodedCell]) -> ColumnType? {
        guard let first = cells.first(where: { !$0.isNull }) else { return nil }
        switch first {
        case .null:
            return nil
        case .value(_, let type):
            return type
        case .decimal:
            // Wide enough for every decimal in the column; text when 38 digits are not enough.
            var integerDigits = 1
            var scale = 0
            for case .decimal(let text) in cells {
                guard let shape = Decimal128.shape(of: text) else { return .string }
                integerDigits = max(integerDigits, shape.integerDigits)
                scale = max(scale, shape.scale)
            }
            let precision = integerDigits + scale
            return precision <= 38 ? .decimal(precision: precision, scale: scale) : .string
        case .list:
            var elements: [EncodedCell] = []
            for case .list(let items) in cells { elements.append(contentsOf: items) }
            return .list(inferType(elements) ?? .string)
        case .struct:
            // Every field any row encodes, in first-seen order, typed from all rows.
            var names: [String] = []
            var positions: [String: Int] = [:]
            var values: [[EncodedCell]] = []
            for case .struct(let fields) in cells {
                for field in fields {
                    if let position = positions[field.name] {
                        values[position].append(field.cell)
                    } else {
                        positions[field.name] = names.count
                        names.append(field.name)
                        values.append([field.cell])
                    }
                }
            }
            return .struct(zip(names, values).map { ColumnType.Field($0, inferType($1) ?? .string) })
        case .map:
            var values: [EncodedCell] = []
            for case .map(let entries) in cells { values.append(contentsOf: entries.map(\.cell)) }
            return .map(key: .string, value: inferType(values) ?? .string)
        }
    }

    /// Whether this cell may go into a column of `type` (numbers of any width mix; other
    /// kinds must match).
    func fits(_ type: ColumnType) -> Bool {
        switch (self, type) {
        case (.null, _): return true
        case (.decimal, .decimal), (.decimal, .string): return true
        case (.value(_, let own), _):
            return own == type || (own.isNumeric && type.isNumeric)
                || (own == .string && type == .string)
        case (.list(let items), .list(let element)):
            return items.allSatisfy { $0.fits(element) }
        case (.struct(let fields), .struct(let types)):
            return fields.allSatisfy { field in
                types.first { $0.name == field.name }.map { field.cell.fits($0.type) } ?? false
            }
        case (.map(let entries), .map(.string, let valueType)):
            return entries.allSatisfy { $0.cell.fits(valueType) }
        default:
            return false
        }
    }
}
