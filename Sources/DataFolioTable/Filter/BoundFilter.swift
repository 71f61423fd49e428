import DataFolioSupport

/// A filter whose columns were found in a schema and whose values were read for each
/// column's type, ready to evaluate.
struct BoundFilter {
    indirect enum Node {
        case comparison(column: String, type: ColumnType, FilterOperand, TableRowFilter.ComparisonOperator)
        case isNull(column: String)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        case constant(UInt8)
    }

    let root: Node

    init(_ expression: TableRowFilter.Expression, schema: TableSchema) throws(DataFolioError) {
        root = try BoundFilter.bind(expression, schema)
    }

    private static func bind(_ expression: TableRowFilter.Expression, _ schema: TableSchema) throws(DataFolioError) -> Node {
        switch expression {
        case .comparison(let column, let op, let literal):
            let field = try find(column, schema)
            let operand = try BoundFilter.operand(literal, for: field, op: op)
            return .comparison(column: column, type: field.type, operand, op)
        case .oneOf(let column, let values):
            let field = try find(column, schema)
            var node: Node = .constant(FilterTruth.no)
            for (index, value) in values.enumerated() {
                let operand = try BoundFilter.operand(value, for: field, op: .equal)
                let equal = Node.comparison(column: column, type: field.type, operand, .equal)
                node = index == 0 ? equal : .or(node, equal)
            }
            return node
        case .isNull(let column):
            _ = try find(column, schema)
            return .isNull(column: column)
        case .not(let inner): return .not(try bind(inner, schema))
        case .and(let a, let b): return .and(try bind(a, schema), try bind(b, schema))
        case .or(let a, let b): return .or(try bind(a, schema), try bind(b, schema))
        }
    }

    private static func find(_ column: String, _ schema: TableSchema) throws(DataFolioError) -> TableSchema.Field {
        guard let field = schema[column] else {
            var error = TableSchema.unknownColumn(column, in: schema.names)
            error.problem = "The filter names a column that does not exist. " + error.problem
            throw error
        }
        return field
    }

    /// Reads `literal` as a value of the column's type.
    static func operand(
        _ literal: TableRowFilter.Literal, for field: TableSchema.Field, op: TableRowFilter.ComparisonOperator
    ) throws(DataFolioError) -> FilterOperand {
        let name = field.name
        func mismatch(_ advice: String) -> DataFolioError {
            DataFolioError(
                .invalidArgument,
                "The filter compares column '\(name)' (\(field.type.arrowName)) with \(describe(literal)); \(advice)",
                location: DataFolioError.Location(column: name, value: literal.description))
        }
        var type = field.type
        if case .dictionary(let valueType, _) = type { type = valueType }
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64, .decimal:
            guard case .number(let text) = literal, let number = DecimalDigits(text) else {
                throw mismatch("compare it with a number, e.g. \(name) \(op.rawValue) 5.")
            }
            switch type {
            case .uint8, .uint16, .uint32, .uint64: return .unsigned(IntegerBound(number))
            case .float16, .float32, .float64: return .float(Double(text) ?? .nan)
            case .decimal: return .decimal(number)
            default: return .signed(IntegerBound(number))
            }
        case .string:
            guard case .string(let text) = literal else {
                throw mismatch("quote the text to compare with, e.g. \(name) \(op.rawValue) \"\(literal)\".")
            }
            return .text(Array(text.utf8))
        case .bool:
            guard case .bool(let flag) = literal else { throw mismatch("compare it with true or false.") }
            return .bool(flag)
        case .date, .timestamp:
            guard case .string(let text) = literal else {
                throw mismatch("compare it with a quoted ISO 8601 date or time, e.g. \(name) \(op.rawValue) \"2024-01-31\".")
            }
            let parsed: FilterInstant? = Array(text.utf8).withUnsafeBufferPointer { bytes in
                guard let stamp = CSVFieldParsers.timestamp(bytes) else { return nil }
                return FilterInstant(seconds: stamp.seconds, nanoseconds: stamp.nanoseconds)
            }
            guard let parsed else {
                throw mismatch("'\(text)' is not an ISO 8601 date or time such as 2024-01-31 or 2024-01-31T12:00:00Z.")
            }
            return .instant(parsed)
        default:
            throw DataFolioError(
                .invalidArgument,
                "The filter compares column '\(name)', but \(field.type.arrowName) columns cannot be compared; "
                    + "filter on numbers, text, booleans, dates or timestamps (or use 'is null').",
                location: DataFolioError.Location(column: name))
        }
    }

    private static func describe(_ literal: TableRowFilter.Literal) -> String {
        switch literal {
        case .number(let text): "the number \(text)"
        case .string(let text): "the text \"\(text)\""
        case .bool(let flag): "the boolean \(flag)"
        }
    }

    // MARK: Evaluation

    /// The truth of the filter for every row of `table`, whose columns must be those
    /// the filter was bound to.
    func evaluate(_ table: Table) -> [UInt8] {
        BoundFilter.evaluate(root, table)
    }

    private static func evaluate(_ node: Node, _ table: Table) -> [UInt8] {
        let count = table.rowCount
        switch node {
        case .constant(let value):
            return [UInt8](repeating: value, count: count)
        case .isNull(let column):
            guard let column = table[column] else { return [UInt8](repeating: FilterTruth.unknown, count: count) }
            return (0..<count).map { isNull(column, $0) ? FilterTruth.yes : FilterTruth.no }
        case .not(let inner):
            return evaluate(inner, table).map { FilterTruth.yes - $0 }
        case .and(let a, let b):
            var left = evaluate(a, table)
            let right = evaluate(b, table)
            for i in 0..<count where right[i] < left[i] { left[i] = right[i] }
            return left
        case .or(let a, let b):
            var left = evaluate(a, table)
            let right = evaluate(b, table)
            for i in 0..<count where right[i] > left[i] { left[i] = right[i] }
            return left
        case .comparison(let name, _, let operand, let op):
            guard let column = table[name] else { return [UInt8](repeating: FilterTruth.unknown, count: count) }
            return compare(column, operand, op)
        }
    }

    private static func isNull(_ column: Column, _ row: Int) -> Bool {
        if column.isNull(row) { return true }
        if case .dictionary(let indices, let dictionary) = column.data { return dictionary.isNull(Int(indices[row])) }
        return false
    }

    /// The truth of `column op operand` for each row.
    static func compare(_ column: Column, _ operand: FilterOperand, _ op: TableRowFilter.ComparisonOperator) -> [UInt8] {
        let count = column.count
        var result = [UInt8](repeating: FilterTruth.unknown, count: count)
        let validity = column.validity
        @inline(__always)
        func each(_ order: (Int) -> Int?) {
            result.withUnsafeMutableBufferPointer { out in
                for row in 0..<count {
                    if let validity, !validity[row] { continue }
                    if let order = order(row) {
                        out[row] = op.holds(order) ? FilterTruth.yes : FilterTruth.no
                    } else {
                        // Unordered values (NaN) differ from everything.
                        out[row] = op == .notEqual ? FilterTruth.yes : FilterTruth.no
                    }
                }
            }
        }
        switch (column.data, operand) {
        case (.int8(let v), .signed(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(Int64(v[$0])) } }
        case (.int16(let v), .signed(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(Int64(v[$0])) } }
        case (.int32(let v), .signed(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(Int64(v[$0])) } }
        case (.int64(let v), .signed(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(v[$0]) } }
        case (.uint8(let v), .unsigned(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(UInt64(v[$0])) } }
        case (.uint16(let v), .unsigned(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(UInt64(v[$0])) } }
        case (.uint32(let v), .unsigned(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(UInt64(v[$0])) } }
        case (.uint64(let v), .unsigned(let bound)): v.withUnsafeBufferPointer { v in each { bound.order(v[$0]) } }
        case (.float64(let v), .float(let literal)):
            v.withUnsafeBufferPointer { v in
                each { row in
                    let x = v[row]
                    if x.isNaN || literal.isNaN { return nil }
                    return x < literal ? -1 : x == literal ? 0 : 1
                }
            }
        case (.float32(let v), .float(let literal)):
            v.withUnsafeBufferPointer { v in
                each { row in
                    let x = Double(v[row])
                    if x.isNaN || literal.isNaN { return nil }
                    return x < literal ? -1 : x == literal ? 0 : 1
                }
            }
        case (.float16(let v), .float(let literal)):
            v.withUnsafeBufferPointer { v in
                each { row in
                    let x = Double(HalfPrecision.float(fromFloat16: v[row]))
                    if x.isNaN || literal.isNaN { return nil }
                    return x < literal ? -1 : x == literal ? 0 : 1
                }
            }
        case (.bool(let v), .bool(let literal)):
            v.withUnsafeBufferPointer { v in each { row in v[row] == literal ? 0 : (v[row] ? 1 : -1) } }
        case (.bytes(let offsets, let values), .text(let literal)):
            offsets.withUnsafeBufferPointer { offsets in
                values.withUnsafeBufferPointer { values in
                    literal.withUnsafeBufferPointer { literal in
                        each { row in
                            FilterOrder.compareBytes(
                                UnsafeBufferPointer(rebasing: values[Int(offsets[row])..<Int(offsets[row + 1])]), literal)
                        }
                    }
                }
            }
        case (.int32(let v), .instant(let literal)):
            v.withUnsafeBufferPointer { v in
                each { row in
                    let instant = FilterInstant(days: v[row])
                    return instant < literal ? -1 : instant == literal ? 0 : 1
                }
            }
        case (.int64(let v), .instant(let literal)):
            guard case .timestamp(let unit, _) = column.type else { break }
            v.withUnsafeBufferPointer { v in
                each { row in
                    let instant = FilterInstant(v[row], unit: unit)
                    return instant < literal ? -1 : instant == literal ? 0 : 1
                }
            }
        case (.fixedBytes, .decimal(let literal)):
            each { row in
                guard case .decimal(let text) = column[row], let value = DecimalDigits(text) else { return nil }
                return value.compare(literal)
            }
        case (.dictionary(let indices, let dictionary), _):
            // Compare each distinct value once.
            let distinct = compare(dictionary, operand, op)
            result.withUnsafeMutableBufferPointer { out in
                indices.withUnsafeBufferPointer { indices in
                    for row in 0..<count {
                        if let validity, !validity[row] { continue }
                        let index = Int(indices[row])
                        out[row] = index >= 0 && index < distinct.count ? distinct[index] : FilterTruth.unknown
                    }
                }
            }
        default:
            break
        }
        return result
    }

    // MARK: Statistics

    /// Whether the condition may be true, and may be false, for some row described by
    /// `statistics` (unknown rows count as neither).
    func possibilities(_ statistics: TableStatistics) -> (mayBeTrue: Bool, mayBeFalse: Bool) {
        BoundFilter.possibilities(root, statistics)
    }

    private static func possibilities(_ node: Node, _ statistics: TableStatistics) -> (mayBeTrue: Bool, mayBeFalse: Bool) {
        switch node {
        case .constant(let value):
            return (value == FilterTruth.yes, value == FilterTruth.no)
        case .isNull(let column):
            guard let stats = statistics[column], let nulls = stats.nullCount else { return (true, true) }
            return (nulls > 0, nulls < stats.rowCount)
        case .not(let inner):
            let (t, f) = possibilities(inner, statistics)
            return (f, t)
        case .and(let a, let b):
            let (at, af) = possibilities(a, statistics)
            let (bt, bf) = possibilities(b, statistics)
            return (at && bt, af || bf)
        case .or(let a, let b):
            let (at, af) = possibilities(a, statistics)
            let (bt, bf) = possibilities(b, statistics)
            return (at || bt, af && bf)
        case .comparison(let column, _, let operand, let op):
            guard let stats = statistics[column] else { return (true, true) }
            if let nulls = stats.nullCount, nulls >= stats.rowCount { return (false, false) }
            guard let minimum = stats.minimum, let maximum = stats.maximum,
                let low = operand.order(minimum), let high = operand.order(maximum)
            else { return (true, true) }
            // Every non-null value v satisfies minimum <= v <= maximum.
            let single = stats.boundsAreExact && low == 0 && high == 0
            var mayBeTrue: Bool
            var mayBeFalse: Bool
            switch op {
            case .greater: (mayBeTrue, mayBeFalse) = (high > 0, low <= 0)
            case .greaterOrEqual: (mayBeTrue, mayBeFalse) = (high >= 0, low < 0)
            case .less: (mayBeTrue, mayBeFalse) = (low < 0, high >= 0)
            case .lessOrEqual: (mayBeTrue, mayBeFalse) = (low <= 0, high > 0)
            case .equal: (mayBeTrue, mayBeFalse) = (low <= 0 && high >= 0, !single)
            case .notEqual: (mayBeTrue, mayBeFalse) = (!single, low <= 0 && high >= 0)
            }
            if stats.mayContainNaN {
                // NaN is outside the bounds and differs from everything.
                if op == .notEqual { mayBeTrue = true } else { mayBeFalse = true }
            }
            return (mayBeTrue, mayBeFalse)
        }
    }
}
