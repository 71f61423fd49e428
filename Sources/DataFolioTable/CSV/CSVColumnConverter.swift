import DataFolioSupport

extension DataFolioError.Code {
    /// A CSV value does not fit the type inferred for its column from earlier rows (an
    /// input read once, such as standard input, is typed from its first batch). The
    /// error's `DataFolioError.location` names the column, line and value.
    public static let inferredTypeMismatch = Self("inferredTypeMismatch")
}

extension DataFolioError.Remedy {
    /// Read the column with an explicit type (``CSVReadOptions/columnTypes``); the
    /// error's `DataFolioError.location` names the column.
    ///
    /// ```swift
    /// if error.remedy == .csvColumnType, let column = error.location?.column { options.columnTypes[column] = .string }
    /// ```
    public static let csvColumnType = DataFolioError.Remedy(
        "csvColumnType", advice: "Give the column a type that holds the value in CSVReadOptions.columnTypes (for example .string).")

    /// Read the input in another encoding (``CSVReadOptions/encoding``).
    public static let csvEncoding = DataFolioError.Remedy(
        "csvEncoding",
        advice: "If the file is in Latin-1, read it with CSVReadOptions.encoding = .latin1; otherwise convert it to UTF-8.")
}

/// Direct access to the field texts of one column.
struct CSVFieldAccess {
    let spans: UnsafeBufferPointer<CSVSpan>
    let input: UnsafePointer<UInt8>?
    let unescaped: UnsafePointer<UInt8>?

    @inline(__always)
    func span(_ row: Int) -> CSVSpan { spans[row] }

    @inline(__always)
    func text(_ span: CSVSpan) -> UnsafeBufferPointer<UInt8> {
        let base = span.flags & CSVSpan.unescaped != 0 ? unescaped : input
        guard let base, span.length > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + span.start, count: Int(span.length))
    }

    @inline(__always)
    func text(_ row: Int) -> UnsafeBufferPointer<UInt8> { text(span(row)) }
}

/// Where a column's type came from, which decides how a misfit is reported.
enum CSVTypeOrigin {
    /// Given in ``CSVReadOptions/columnTypes``.
    case explicit
    /// Inferred from a scan of the whole input.
    case wholeInput
    /// Inferred from the first rows of an input read once.
    case firstRows(Int)
}

/// Turns the fields of a CSV column into a typed column.
struct CSVColumnConverter {
    let name: String
    let access: CSVFieldAccess
    let nulls: CSVNullSpellings
    let origin: CSVTypeOrigin
    /// The 1-based input line of each row, for errors.
    let lineOfRow: (Int) -> Int

    private var count: Int { access.spans.count }

    /// Which rows hold a value: not empty unquoted fields, not a null spelling, and, for
    /// types other than text, not a quoted empty field either (`""` is how a lone empty
    /// field is written so that its line is not blank).
    private func presence(quotedEmptyIsNull: Bool) -> [Bool] {
        let count = self.count
        return [Bool](uninitializedCapacity: count) { buffer, initialized in
            for row in 0..<count {
                let span = access.span(row)
                var valid = span.flags & CSVSpan.empty == 0 && !(quotedEmptyIsNull && span.length == 0)
                if valid && span.length > 0 { valid = !nulls.matches(access.text(span)) }
                buffer[row] = valid
            }
            initialized = count
        }
    }

    private func stringColumn(_ valid: [Bool], type: ColumnType = .string) -> Column {
        let count = self.count
        var total = 0
        for row in 0..<count where valid[row] { total += Int(access.span(row).length) }
        var offsets = [Int64](repeating: 0, count: count + 1)
        let bytes = [UInt8](uninitializedCapacity: total) { buffer, initialized in
            var position = 0
            for row in 0..<count {
                if valid[row] {
                    let field = access.text(row)
                    if let source = field.baseAddress, let target = buffer.baseAddress, field.count > 0 {
                        (target + position).initialize(from: source, count: field.count)
                        position += field.count
                    }
                }
                offsets[row + 1] = Int64(position)
            }
            initialized = position
        }
        return Column(
            unchecked: name, type: type, count: count, data: .bytes(offsets: offsets, values: bytes), validity: Bitmap(valid))
    }

    /// The error for a field that is not a value of `type`.
    private func failure(_ row: Int, _ what: String, _ type: ColumnType) -> DataFolioError {
        let text = String(decoding: access.text(row), as: UTF8.self)
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        let line = lineOfRow(row)
        let location = DataFolioError.Location(line: line, column: name, value: shown)
        let start = "CSV column '\(name)', line \(line): '\(shown)' is not \(what)"
        switch origin {
        case .explicit:
            return DataFolioError(.typeMismatch, "\(start).", remedy: .csvColumnType, location: location)
        case .firstRows(let rows):
            return DataFolioError(
                .inferredTypeMismatch,
                "\(start), the type inferred from the first \(rows) rows (an input that can be read only once is not "
                    + "scanned whole; a file is).",
                remedy: .csvColumnType, location: location)
        case .wholeInput:
            return DataFolioError(
                .inferredTypeMismatch,
                "\(start), the type found when the input was scanned; the input changed while it was read.",
                remedy: .csvColumnType, location: location)
        }
    }

    /// The column converted to `type`.
    /// - Throws: `typeMismatch` (explicit types) or `inferredTypeMismatch` naming the first
    ///   field that is not a value of `type`.
    func converted(to type: ColumnType) throws(DataFolioError) -> Column {
        let isText: Bool
        switch type {
        case .string, .binary, .dictionary(.string, _): isText = true
        default: isText = false
        }
        let valid = presence(quotedEmptyIsNull: !isText)
        let count = self.count
        func make(_ data: ColumnData) -> Column {
            Column(unchecked: name, type: type, count: count, data: data, validity: Bitmap(valid))
        }
        func integers<T: FixedWidthInteger>(_: T.Type) throws(DataFolioError) -> [T] {
            var values = [T](repeating: 0, count: count)
            for row in 0..<count where valid[row] {
                let field = CSVFieldParsers.trimmed(access.text(row))
                let narrow: T?
                if T.isSigned {
                    narrow = CSVFieldParsers.int64(field).flatMap { T(exactly: $0) }
                } else {
                    narrow = CSVFieldParsers.uint64(field).flatMap { T(exactly: $0) }
                }
                guard let narrow else { throw failure(row, "an integer that fits \(type.arrowName)", type) }
                values[row] = narrow
            }
            return values
        }
        func floats() throws(DataFolioError) -> [Double] {
            var values = [Double](repeating: 0, count: count)
            for row in 0..<count where valid[row] {
                guard let v = CSVFieldParsers.double(CSVFieldParsers.trimmed(access.text(row))) else {
                    throw failure(row, "a number", type)
                }
                values[row] = v
            }
            return values
        }
        switch type {
        case .int8: return make(.int8(try integers(Int8.self)))
        case .int16: return make(.int16(try integers(Int16.self)))
        case .int32: return make(.int32(try integers(Int32.self)))
        case .int64: return make(.int64(try integers(Int64.self)))
        case .uint8: return make(.uint8(try integers(UInt8.self)))
        case .uint16: return make(.uint16(try integers(UInt16.self)))
        case .uint32: return make(.uint32(try integers(UInt32.self)))
        case .uint64: return make(.uint64(try integers(UInt64.self)))
        case .float64: return make(.float64(try floats()))
        case .float32: return make(.float32(try floats().map { Float($0) }))
        case .float16: return make(.float16(try floats().map { HalfPrecision.float16Bits(from: Float($0)) }))
        case .bool:
            var values = [Bool](repeating: false, count: count)
            for row in 0..<count where valid[row] {
                guard let v = CSVFieldParsers.bool(access.text(row)) else { throw failure(row, "true or false", type) }
                values[row] = v
            }
            return make(.bool(values))
        case .date:
            var values = [Int32](repeating: 0, count: count)
            for row in 0..<count where valid[row] {
                guard let v = CSVFieldParsers.date(access.text(row)) else { throw failure(row, "a date (YYYY-MM-DD)", type) }
                values[row] = v
            }
            return make(.int32(values))
        case .timestamp(let unit, _):
            var values = [Int64](repeating: 0, count: count)
            for row in 0..<count where valid[row] {
                // Text without an offset is taken as the instant it names in UTC.
                guard let v = CSVFieldParsers.timestamp(access.text(row))?.value(in: unit) else {
                    throw failure(row, "an ISO 8601 timestamp that fits timestamp[\(unit.rawValue)]", type)
                }
                values[row] = v
            }
            return make(.int64(values))
        case .string, .binary:
            return stringColumn(valid, type: type)
        case .decimal(let precision, let scale):
            var values = [UInt8]()
            values.reserveCapacity(count * 16)
            for row in 0..<count {
                if valid[row] {
                    do {
                        values.append(contentsOf: try Decimal128.bytes(
                            String(decoding: CSVFieldParsers.trimmed(access.text(row)), as: UTF8.self),
                            precision: precision, scale: scale))
                    } catch {
                        throw failure(row, "a decimal that fits \(type.arrowName)", type)
                    }
                } else {
                    values.append(contentsOf: repeatElement(0, count: 16))
                }
            }
            return make(.fixedBytes(width: 16, values: values))
        case .dictionary(.string, let ordered):
            var texts = [String?](repeating: nil, count: count)
            for row in 0..<count where valid[row] { texts[row] = String(decoding: access.text(row), as: UTF8.self) }
            return Column(name: name, categories: texts, ordered: ordered)
        default:
            throw CSVColumnConverter.unsupported(name, type)
        }
    }

    /// Whether CSV text can be read as `type`.
    static func canConvert(to type: ColumnType) -> Bool {
        switch type {
        case .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64,
            .string, .binary, .date, .timestamp, .decimal, .dictionary(.string, _):
            return true
        default:
            return false
        }
    }

    static func unsupported(_ name: String, _ type: ColumnType) -> DataFolioError {
        DataFolioError(
            .unsupportedFeature,
            "CSV column '\(name)': reading CSV text as \(type.arrowName) is not supported; "
                + "use a number, bool, string, binary, date, timestamp, decimal or string dictionary type.")
    }
}
