import DataFolioSupport

/// A condition on the values of a row, written in a small language, for keeping the rows
/// of a table that match (a `--where` option, a scan with a filter).
///
/// The language:
/// - comparisons of a column with a value: `x > 5`, `score <= 2.5`, `city == "Oslo"`,
///   `code != 'x'`, `ok == true`, `day >= "2024-01-01"`, `at < "2024-01-01T12:00:00Z"`;
///   operators `==` (or `=`), `!=` (or `<>`), `<`, `<=`, `>`, `>=`; the value may also
///   come first (`5 < x`);
/// - membership: `city in ("Oslo", "Bergen")`, `x not in (1, 2)`;
/// - missing values: `score is null`, `score is not null`;
/// - `and`, `or`, `not` and parentheses: `not (a <= 2 or b != 'x')`; `and` binds tighter
///   than `or`. Keywords are case-insensitive.
///
/// Column names are written as they are when they consist of letters, digits, `_` and
/// `.` (not starting with a digit or `.`), otherwise between backquotes:
///
/// ```
/// `unit price` > 3 and region = "north"
/// ```
///
/// Text values are quoted with `"` or `'` (a backslash escapes the next character).
/// Numbers are decimal (`-12`, `2.5`, `1e6`). Dates and timestamps are compared with ISO
/// 8601 text; text without an offset is compared as given (a naive column holds wall
/// times; a column with a time zone holds UTC instants, so naive text means UTC).
///
/// Comparisons follow SQL: a null value makes a comparison unknown, which never matches,
/// and `not` of unknown is unknown (so `not (x > 5)` does not match rows where `x` is
/// null). Numbers compare exactly across integer, floating-point and decimal columns;
/// NaN matches only `!=`. Text compares by Unicode code points.
///
/// ```swift
/// let filter = try TableRowFilter("x > 5 and city == \"Oslo\"")
/// let kept = try filter.apply(to: table)
/// ```
public struct TableRowFilter: Sendable, Hashable, CustomStringConvertible {
    /// The parsed condition.
    public let expression: Expression

    /// A condition, as a tree.
    public indirect enum Expression: Sendable, Hashable {
        /// `column op value`.
        case comparison(column: String, ComparisonOperator, Literal)
        /// `column in (values…)`.
        case oneOf(column: String, [Literal])
        /// `column is null`.
        case isNull(column: String)
        case not(Expression)
        case and(Expression, Expression)
        case or(Expression, Expression)
    }

    /// The operator of a comparison.
    public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        /// The operator with its sides swapped (`5 < x` is `x > 5`).
        var swapped: ComparisonOperator {
            switch self {
            case .equal, .notEqual: self
            case .less: .greater
            case .lessOrEqual: .greaterOrEqual
            case .greater: .less
            case .greaterOrEqual: .lessOrEqual
            }
        }

        /// Whether a comparison result (-1, 0, 1) satisfies the operator.
        @inline(__always)
        func holds(_ order: Int) -> Bool {
            switch self {
            case .equal: order == 0
            case .notEqual: order != 0
            case .less: order < 0
            case .lessOrEqual: order <= 0
            case .greater: order > 0
            case .greaterOrEqual: order >= 0
            }
        }
    }

    /// A value written in a filter.
    public enum Literal: Sendable, Hashable, CustomStringConvertible {
        /// A number, as written (`-12`, `2.5`, `1e6`); it is read exactly for each column type.
        case number(String)
        /// Quoted text; also how dates and timestamps are written.
        case string(String)
        case bool(Bool)

        public var description: String {
            switch self {
            case .number(let text): text
            case .string(let text): "\"" + text.map { $0 == "\"" || $0 == "\\" ? "\\\($0)" : String($0) }.joined() + "\""
            case .bool(let flag): flag ? "true" : "false"
            }
        }
    }

    /// Parses a condition.
    ///
    /// ```swift
    /// let filter = try TableRowFilter("score is null or not (a <= 2 or b != 'x')")
    /// ```
    /// - Throws: `invalidArgument` saying what is wrong and where.
    public init(_ text: String) throws(DataFolioError) {
        var parser = FilterParser(text)
        expression = try parser.parse()
    }

    /// A condition built as a tree.
    ///
    /// ```swift
    /// let filter = TableRowFilter(.comparison(column: "x", .greater, .number("5")))
    /// ```
    public init(_ expression: Expression) {
        self.expression = expression
    }

    /// The columns the condition reads, each once, in order of appearance.
    public var columnNames: [String] {
        var names: [String] = []
        func visit(_ expression: Expression) {
            switch expression {
            case .comparison(let column, _, _), .oneOf(let column, _), .isNull(let column):
                if !names.contains(column) { names.append(column) }
            case .not(let inner): visit(inner)
            case .and(let a, let b), .or(let a, let b):
                visit(a)
                visit(b)
            }
        }
        visit(expression)
        return names
    }

    /// The condition in the filter language (names quoted where needed).
    public var description: String { Self.text(expression, parent: 0) }

    private static func text(_ expression: Expression, parent: Int) -> String {
        func name(_ column: String) -> String { FilterParser.isPlainName(column) ? column : "`\(column)`" }
        switch expression {
        case .comparison(let column, let op, let literal): return "\(name(column)) \(op.rawValue) \(literal)"
        case .oneOf(let column, let values): return "\(name(column)) in (\(values.map(\.description).joined(separator: ", ")))"
        case .isNull(let column): return "\(name(column)) is null"
        case .not(.isNull(let column)): return "\(name(column)) is not null"
        case .not(let inner): return "not " + text(inner, parent: 3)
        case .and(let a, let b):
            let body = text(a, parent: 2) + " and " + text(b, parent: 2)
            return parent > 2 ? "(\(body))" : body
        case .or(let a, let b):
            let body = text(a, parent: 1) + " or " + text(b, parent: 1)
            return parent > 1 ? "(\(body))" : body
        }
    }

    /// Checks that every column exists in `schema` and that each value can be compared
    /// with its column.
    ///
    /// ```swift
    /// try filter.check(against: reader.schema)
    /// ```
    /// - Throws: `invalidArgument` for an unknown column (with the nearest name) or a
    ///   value that does not suit the column's type.
    public func check(against schema: TableSchema) throws(DataFolioError) {
        _ = try BoundFilter(expression, schema: schema)
    }

    /// The rows of `table` that match, in order.
    ///
    /// ```swift
    /// let adults = try TableRowFilter("age >= 18").apply(to: people)
    /// ```
    /// - Throws: the errors of ``check(against:)``.
    public func apply(to table: Table) throws(DataFolioError) -> Table {
        let mask = try matches(in: table)
        return table.filtered(mask)
    }

    /// For each row of `table`, whether it matches.
    public func matches(in table: Table) throws(DataFolioError) -> [Bool] {
        let bound = try BoundFilter(expression, schema: TableSchema(of: table))
        return bound.evaluate(table).map { $0 == FilterTruth.yes }
    }

    /// Whether a part of a table described by `statistics` (for example a Parquet row
    /// group) may hold a matching row; `false` means the part can be skipped unread.
    ///
    /// Columns without statistics are assumed to hold anything.
    ///
    /// ```swift
    /// if try filter.mightMatch(reader.rowGroupStatistics(3), schema: reader.tableSchema) { … }
    /// ```
    /// - Throws: the errors of ``check(against:)``.
    public func mightMatch(_ statistics: TableStatistics, schema: TableSchema) throws(DataFolioError) -> Bool {
        let bound = try BoundFilter(expression, schema: schema)
        return bound.possibilities(statistics).mayBeTrue
    }
}

// MARK: - Parsing

struct FilterParser {
    private enum Token: Equatable {
        case name(String)
        case quotedName(String)
        case string(String)
        case number(String)
        case symbol(String)
        case end
    }

    private let characters: [Character]
    private let source: String
    private var index = 0
    private var current: Token = .end
    private var tokenStart = 0

    init(_ text: String) {
        source = text
        characters = Array(text)
    }

    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return false }
        return !keywords.contains(name.lowercased())
    }

    private static let keywords: Set<String> = ["and", "or", "not", "is", "null", "in", "true", "false"]

    private func failure(_ what: String, at position: Int? = nil) -> DataFolioError {
        let at = position ?? tokenStart
        return DataFolioError(
            .invalidArgument,
            "Cannot read the filter `\(source)`: \(what) at position \(at + 1). "
                + "Write conditions like x > 5, city == \"Oslo\", score is null, joined with and, or, not and parentheses.")
    }

    mutating func parse() throws(DataFolioError) -> TableRowFilter.Expression {
        try advance()
        guard current != .end else { throw failure("the filter is empty") }
        let expression = try parseOr()
        guard current == .end else { throw failure("unexpected \(describe(current))") }
        return expression
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .name(let name): "'\(name)'"
        case .quotedName(let name): "`\(name)`"
        case .string(let text): "text \"\(text)\""
        case .number(let text): "the number \(text)"
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end"
        }
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .name(let name) = current { return name.lowercased() == word }
        return false
    }

    private mutating func parseOr() throws(DataFolioError) -> TableRowFilter.Expression {
        var left = try parseAnd()
        while isKeyword("or") {
            try advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(DataFolioError) -> TableRowFilter.Expression {
        var left = try parseUnary()
        while isKeyword("and") {
            try advance()
            left = .and(left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(DataFolioError) -> TableRowFilter.Expression {
        if isKeyword("not") {
            try advance()
            return .not(try parseUnary())
        }
        if current == .symbol("(") {
            try advance()
            let inner = try parseOr()
            guard current == .symbol(")") else { throw failure("expected ')' but found \(describe(current))") }
            try advance()
            return inner
        }
        return try parseCondition()
    }

    private mutating func parseColumn() throws(DataFolioError) -> String? {
        switch current {
        case .quotedName(let name):
            try advance()
            return name
        case .name(let name) where !FilterParser.keywords.contains(name.lowercased()):
            try advance()
            return name
        default:
            return nil
        }
    }

    private mutating func parseLiteral() throws(DataFolioError) -> TableRowFilter.Literal? {
        switch current {
        case .string(let text):
            try advance()
            return .string(text)
        case .number(let text):
            try advance()
            return .number(text)
        case .name(let word) where word.lowercased() == "true" || word.lowercased() == "false":
            try advance()
            return .bool(word.lowercased() == "true")
        default:
            return nil
        }
    }

    private mutating func parseOperator() throws(DataFolioError) -> TableRowFilter.ComparisonOperator? {
        guard case .symbol(let symbol) = current else { return nil }
        let op: TableRowFilter.ComparisonOperator
        switch symbol {
        case "==", "=": op = .equal
        case "!=", "<>": op = .notEqual
        case "<": op = .less
        case "<=": op = .lessOrEqual
        case ">": op = .greater
        case ">=": op = .greaterOrEqual
        default: return nil
        }
        try advance()
        return op
    }

    private mutating func parseCondition() throws(DataFolioError) -> TableRowFilter.Expression {
        if let literal = try parseLiteral() {
            // A value first: `5 < x`.
            guard let op = try parseOperator() else { throw failure("expected a comparison operator after \(literal)") }
            guard let column = try parseColumn() else {
                throw failure("expected a column name after '\(op.rawValue)' (a value is compared with a column)")
            }
            return .comparison(column: column, op.swapped, literal)
        }
        guard let column = try parseColumn() else {
            if current == .end { throw failure("the condition is incomplete") }
            throw failure("expected a column name but found \(describe(current))")
        }
        if isKeyword("is") {
            try advance()
            var negated = false
            if isKeyword("not") {
                try advance()
                negated = true
            }
            guard isKeyword("null") else { throw failure("expected 'null' after 'is'") }
            try advance()
            return negated ? .not(.isNull(column: column)) : .isNull(column: column)
        }
        var negated = false
        if isKeyword("not") {
            try advance()
            negated = true
            guard isKeyword("in") else { throw failure("expected 'in' after 'not'") }
        }
        if isKeyword("in") {
            try advance()
            guard current == .symbol("(") else { throw failure("expected '(' after 'in'") }
            try advance()
            var values: [TableRowFilter.Literal] = []
            while true {
                guard let value = try parseLiteral() else { throw failure("expected a value in the list but found \(describe(current))") }
                values.append(value)
                if current == .symbol(",") {
                    try advance()
                    continue
                }
                guard current == .symbol(")") else { throw failure("expected ',' or ')' but found \(describe(current))") }
                try advance()
                break
            }
            let list = TableRowFilter.Expression.oneOf(column: column, values)
            return negated ? .not(list) : list
        }
        guard let op = try parseOperator() else {
            throw failure("expected a comparison (==, !=, <, <=, >, >=), 'is null' or 'in' after column '\(column)'")
        }
        guard let literal = try parseLiteral() else {
            if case .name(let other) = current {
                throw failure(
                    "'\(other)' is not a value; quote text (\(column) \(op.rawValue) \"\(other)\"); comparing two columns is not supported")
            }
            throw failure("expected a value after '\(op.rawValue)' but found \(describe(current))")
        }
        return .comparison(column: column, op, literal)
    }

    private mutating func advance() throws(DataFolioError) {
        while index < characters.count && characters[index].isWhitespace { index += 1 }
        tokenStart = index
        guard index < characters.count else {
            current = .end
            return
        }
        let c = characters[index]
        if c == "\"" || c == "'" || c == "`" {
            let quote = c
            index += 1
            var text = ""
            while true {
                guard index < characters.count else {
                    throw failure(quote == "`" ? "a name in backquotes is not closed" : "a quoted text is not closed", at: tokenStart)
                }
                let next = characters[index]
                index += 1
                if next == quote { break }
                if next == "\\" && index < characters.count {
                    text.append(characters[index])
                    index += 1
                } else {
                    text.append(next)
                }
            }
            current = quote == "`" ? .quotedName(text) : .string(text)
            return
        }
        let isNumberStart = c.isASCII && (c.isNumber || c == "."
            || ((c == "-" || c == "+") && index + 1 < characters.count
                && (characters[index + 1].isNumber || characters[index + 1] == ".")))
        if isNumberStart {
            var text = String(c)
            index += 1
            while index < characters.count {
                let next = characters[index]
                let previous = text.last ?? " "
                if next.isASCII && (next.isNumber || next == "." || next == "e" || next == "E"
                    || ((next == "-" || next == "+") && (previous == "e" || previous == "E")))
                {
                    text.append(next)
                    index += 1
                } else {
                    break
                }
            }
            guard Double(text) != nil else { throw failure("'\(text)' is not a number") }
            current = .number(text)
            return
        }
        if c.isLetter || c == "_" {
            var text = ""
            while index < characters.count {
                let next = characters[index]
                guard next.isLetter || next.isNumber || next == "_" || next == "." else { break }
                text.append(next)
                index += 1
            }
            current = .name(text)
            return
        }
        let two = index + 1 < characters.count ? String([c, characters[index + 1]]) : ""
        if ["==", "!=", "<=", ">=", "<>"].contains(two) {
            index += 2
            current = .symbol(two)
            return
        }
        if "=<>(),".contains(c) {
            index += 1
            current = .symbol(String(c))
            return
        }
        throw failure("unexpected '\(c)'")
    }
}
