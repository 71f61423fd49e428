import DataFolioSupport

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
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + span.start, count: Int(span.length))
    }

    @inline(__always)
    func text(_ row: Int) -> UnsafeBufferPointer<UInt8> { text(span(row)) }
}

/// Turns the fields of a CSV column into a typed column: by inference over all rows or
/// to an explicit type.
struct CSVColumnConverter {
    let name: String
    let access: CSVFieldAccess
    /// Extra spellings of null, as bytes.
    let nullSpellings: [[UInt8]]

    typealias Bytes = UnsafeBufferPointer<UInt8>

    private var count: Int { access.spans.count }


    /// Which rows hold a value: not empty unquoted fields, not a null spelling, and, for
    /// types other than text, not a quoted empty field either (`""` is how a lone empty
    /// field is written so that its line is not blank).
    private func presence(_ access: CSVFieldAccess, quotedEmptyIsNull: Bool) -> [Bool] {
        let count = self.count
        let lengths = Set(nullSpellings.map { UInt32($0.count) })
        return [Bool](uninitializedCapacity: count) { buffer, initialized in
            for row in 0..<count {
                let span = access.span(row)
                var valid = span.flags & CSVSpan.empty == 0 && !(quotedEmptyIsNull && span.length == 0)
                if valid && !lengths.isEmpty && lengths.contains(span.length) {
                    let field = access.text(span)
                    valid = !nullSpellings.contains(where: { $0.elementsEqual(field) })
                }
                buffer[row] = valid
            }
            initialized = count
        }
    }

    /// The values of every present row parsed by `parse`, with `zero` at null rows; `nil`
    /// as soon as one present row does not parse.
    @inline(__always)
    private func parseAll<T>(_ valid: UnsafeBufferPointer<Bool>, zero: T, _ parse: (Bytes) -> T?) -> [T]? {
        var failed = false
        let values = [T](uninitializedCapacity: count) { buffer, initialized in
            for row in 0..<count {
                if valid[row] {
                    guard let value = parse(access.text(row)) else {
                        failed = true
                        break
                    }
                    buffer[row] = value
                } else {
                    buffer[row] = zero
                }
                initialized = row + 1
            }
        }
        return failed ? nil : values
    }

    /// The column with the narrowest type that holds every non-null value:
    /// int64, double, bool, date, timestamp, then string.
    func inferred() -> Column {
        let valid = presence(access, quotedEmptyIsNull: true)
        let validity = Bitmap(valid)
        func make(_ type: ColumnType, _ data: ColumnData) -> Column {
            Column(unchecked: name, type: type, count: count, data: data, validity: validity)
        }
        // Each candidate is tried over the whole column in turn; a pass stops at its first
        // misfit, which for text comes at once, so the cost stays near one parse per field.
        let typed: Column? = valid.withUnsafeBufferPointer { valid -> Column? in
            guard valid.contains(true) else { return nil }
            if let ints = parseAll(valid, zero: Int64(0), CSVFieldParsers.int64) { return make(.int64, .int64(ints)) }
            if let doubles = parseAll(valid, zero: 0.0, CSVFieldParsers.double) { return make(.float64, .float64(doubles)) }
            if let bools = parseAll(valid, zero: false, CSVFieldParsers.bool) { return make(.bool, .bool(bools)) }
            if let dates = parseAll(valid, zero: Int32(0), CSVFieldParsers.date) { return make(.date, .int32(dates)) }
            var withOffset = 0, naive = 0, fractionDigits = 0
            let micros = parseAll(valid, zero: Int64(0)) { text -> Int64? in
                guard let parsed = CSVFieldParsers.timestamp(text) else { return nil }
                if parsed.hasOffset { withOffset += 1 } else { naive += 1 }
                fractionDigits = max(fractionDigits, parsed.fractionDigits)
                return parsed.value(in: .microsecond)
            }
            // A column mixing times with and without offsets is ambiguous: it stays text.
            guard let micros, withOffset == 0 || naive == 0 else { return nil }
            let timeZone: String? = withOffset > 0 ? "UTC" : nil
            if fractionDigits <= 6 { return make(.timestamp(.microsecond, timeZone: timeZone), .int64(micros)) }
            let nanos = parseAll(valid, zero: Int64(0)) { CSVFieldParsers.timestamp($0)?.value(in: .nanosecond) }
            return nanos.map { make(.timestamp(.nanosecond, timeZone: timeZone), .int64($0)) }
        }
        return typed ?? stringColumn(presence(access, quotedEmptyIsNull: false), access)
    }

    /// The fields as a string column.
    func stringColumn() -> Column {
        stringColumn(presence(access, quotedEmptyIsNull: false), access)
    }

    private func stringColumn(_ valid: [Bool], _ access: CSVFieldAccess, type: ColumnType = .string) -> Column {
        let count = self.count
        var total = 0
        for row in 0..<count { total += Int(access.span(row).length) }
        var offsets = [Int64](repeating: 0, count: count + 1)
        let bytes = [UInt8](uninitializedCapacity: total) { buffer, initialized in
            var position = 0
            for row in 0..<count {
                let field = access.text(row)
                if valid[row], let source = field.baseAddress, let target = buffer.baseAddress, field.count > 0 {
                    (target + position).initialize(from: source, count: field.count)
                    position += field.count
                }
                offsets[row + 1] = Int64(position)
            }
            initialized = position
        }
        return Column(
            unchecked: name, type: type, count: count, data: .bytes(offsets: offsets, values: bytes), validity: Bitmap(valid))
    }

    /// The column converted to `type`.
    /// - Throws: `typeMismatch` naming the first field that is not a value of `type`.
    func converted(to type: ColumnType, lineOfRow: (Int) -> String) throws(DataFolioError) -> Column {
        let result: Result<Column, DataFolioError> = { () -> Result<Column, DataFolioError> in
            let isText = type == .string || type == .binary || type == .dictionary(.string, ordered: false)
                || type == .dictionary(.string, ordered: true)
            let valid = presence(access, quotedEmptyIsNull: !isText)
            let validity = Bitmap(valid)
            let count = self.count
            func failure(_ row: Int, _ what: String) -> DataFolioError {
                let text = String(decoding: access.text(row), as: UTF8.self)
                let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                return DataFolioError(
                    .typeMismatch,
                    "CSV column '\(name)', \(lineOfRow(row)): '\(shown)' is not \(what). "
                        + "Fix the value, or read the column with another type.")
            }
            func integers<T: FixedWidthInteger>(_: T.Type) -> Result<[T], DataFolioError> {
                var values = [T](repeating: 0, count: count)
                for row in 0..<count where valid[row] {
                    let field = access.text(row)
                    let narrow: T?
                    if T.isSigned {
                        narrow = CSVFieldParsers.int64(field).flatMap { T(exactly: $0) }
                    } else {
                        narrow = CSVFieldParsers.uint64(field).flatMap { T(exactly: $0) }
                    }
                    guard let narrow else { return .failure(failure(row, "an integer that fits \(type.arrowName)")) }
                    values[row] = narrow
                }
                return .success(values)
            }
            func floats() -> Result<[Double], DataFolioError> {
                var values = [Double](repeating: 0, count: count)
                for row in 0..<count where valid[row] {
                    guard let v = CSVFieldParsers.double(access.text(row)) else { return .failure(failure(row, "a number")) }
                    values[row] = v
                }
                return .success(values)
            }
            func make(_ data: ColumnData) -> Column {
                Column(unchecked: name, type: type, count: count, data: data, validity: validity)
            }
            switch type {
            case .int8: return integers(Int8.self).map { make(.int8($0)) }
            case .int16: return integers(Int16.self).map { make(.int16($0)) }
            case .int32: return integers(Int32.self).map { make(.int32($0)) }
            case .int64: return integers(Int64.self).map { make(.int64($0)) }
            case .uint8: return integers(UInt8.self).map { make(.uint8($0)) }
            case .uint16: return integers(UInt16.self).map { make(.uint16($0)) }
            case .uint32: return integers(UInt32.self).map { make(.uint32($0)) }
            case .uint64: return integers(UInt64.self).map { make(.uint64($0)) }
            case .float64: return floats().map { make(.float64($0)) }
            case .float32: return floats().map { make(.float32($0.map { Float($0) })) }
            case .float16: return floats().map { make(.float16($0.map { HalfPrecision.float16Bits(from: Float($0)) })) }
            case .bool:
                var values = [Bool](repeating: false, count: count)
                for row in 0..<count where valid[row] {
                    guard let v = CSVFieldParsers.bool(access.text(row)) else { return .failure(failure(row, "true or false")) }
                    values[row] = v
                }
                return .success(make(.bool(values)))
            case .date:
                var values = [Int32](repeating: 0, count: count)
                for row in 0..<count where valid[row] {
                    guard let v = CSVFieldParsers.date(access.text(row)) else { return .failure(failure(row, "a date (YYYY-MM-DD)")) }
                    values[row] = v
                }
                return .success(make(.int32(values)))
            case .timestamp(let unit, _):
                var values = [Int64](repeating: 0, count: count)
                for row in 0..<count where valid[row] {
                    // Text without an offset is taken as the instant it names in UTC.
                    guard let v = CSVFieldParsers.timestamp(access.text(row))?.value(in: unit) else {
                        return .failure(failure(row, "an ISO 8601 timestamp that fits timestamp[\(unit.rawValue)]"))
                    }
                    values[row] = v
                }
                return .success(make(.int64(values)))
            case .string, .binary:
                return .success(stringColumn(valid, access, type: type))
            case .decimal(let precision, let scale):
                var values = [UInt8]()
                values.reserveCapacity(count * 16)
                for row in 0..<count {
                    if valid[row] {
                        do {
                            values.append(contentsOf: try Decimal128.bytes(
                                String(decoding: access.text(row), as: UTF8.self), precision: precision, scale: scale))
                        } catch {
                            return .failure(failure(row, "a decimal that fits \(type.arrowName)"))
                        }
                    } else {
                        values.append(contentsOf: repeatElement(0, count: 16))
                    }
                }
                return .success(make(.fixedBytes(width: 16, values: values)))
            case .dictionary(.string, let ordered):
                var texts = [String?](repeating: nil, count: count)
                for row in 0..<count where valid[row] { texts[row] = String(decoding: access.text(row), as: UTF8.self) }
                return .success(Column(name: name, categories: texts, ordered: ordered))
            default:
                return .failure(DataFolioError(
                    .unsupportedFeature,
                    "CSV column '\(name)': reading CSV text as \(type.arrowName) is not supported; "
                        + "use a number, bool, string, binary, date, timestamp, decimal or string dictionary type."))
            }
        }()
        return try result.get()
    }
}
