import DataFolioSupport

/// Turns the raw text of a CSV column into a typed column: by inference over all rows
/// or to an explicit type.
struct CSVColumnConverter {
    let name: String
    let fields: CSVFieldColumn
    /// Extra spellings of null, as bytes.
    let nullSpellings: [[UInt8]]

    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Which rows are null: empty unquoted fields and the null spellings.
    func validity(_ bytes: Bytes) -> Bitmap {
        var validity = Bitmap(count: fields.count, allValid: true)
        let lengths = Set(nullSpellings.map(\.count))
        fields.flags.withUnsafeBufferPointer { flags in
            fields.offsets.withUnsafeBufferPointer { offsets in
                for row in 0..<flags.count {
                    if flags[row] == CSVFieldColumn.empty {
                        validity[row] = false
                    } else if !lengths.isEmpty {
                        let start = Int(offsets[row])
                        let length = Int(offsets[row + 1]) - start
                        guard lengths.contains(length) else { continue }
                        let text = Bytes(rebasing: bytes[start..<start + length])
                        if nullSpellings.contains(where: { $0.elementsEqual(text) }) { validity[row] = false }
                    }
                }
            }
        }
        return validity
    }

    /// The column with the narrowest type that holds every non-null value:
    /// int64, double, bool, date, timestamp, then string.
    func inferred() -> Column {
        fields.bytes.withUnsafeBufferPointer { bytes in
            fields.offsets.withUnsafeBufferPointer { offsets in
                let validity = validity(bytes)
                let count = fields.count
                func field(_ row: Int) -> Bytes {
                    Bytes(rebasing: bytes[Int(offsets[row])..<Int(offsets[row + 1])])
                }
                var canInt = true, canDouble = true, canBool = true, canDate = true, canTimestamp = true
                var sawValue = false
                var ints = [Int64](repeating: 0, count: count)
                var doubles: [Double] = []
                var timestampOffsets = 0, timestampNaive = 0, fractionDigits = 0
                ints.withUnsafeMutableBufferPointer { ints in
                    for row in 0..<count where validity[row] {
                        let text = field(row)
                        sawValue = true
                        if canInt {
                            if let value = CSVFieldParsers.int64(text) {
                                ints[row] = value
                                // A number is never a bool, date or timestamp.
                                canBool = false
                                canDate = false
                                canTimestamp = false
                                continue
                            }
                            canInt = false
                        }
                        if canDouble {
                            if let value = CSVFieldParsers.double(text) {
                                if doubles.isEmpty {
                                    // Switch from integers to doubles: convert the rows seen so far.
                                    doubles = [Double](repeating: 0, count: count)
                                    for earlier in 0..<row { doubles[earlier] = Double(ints[earlier]) }
                                }
                                doubles[row] = value
                                canBool = false
                                canDate = false
                                canTimestamp = false
                                continue
                            }
                            canDouble = false
                        }
                        if canBool && CSVFieldParsers.bool(text) == nil { canBool = false }
                        if canDate && CSVFieldParsers.date(text) == nil { canDate = false }
                        if canTimestamp {
                            if let parsed = CSVFieldParsers.timestamp(text) {
                                if parsed.hasOffset { timestampOffsets += 1 } else { timestampNaive += 1 }
                                fractionDigits = max(fractionDigits, parsed.fractionDigits)
                            } else {
                                canTimestamp = false
                            }
                        }
                        if !canBool && !canDate && !canTimestamp { break }
                    }
                }
                if !sawValue {
                    return stringColumn(validity)
                }
                if canInt {
                    return Column(unchecked: name, type: .int64, count: count, data: .int64(ints), validity: validity)
                }
                if canDouble {
                    return Column(unchecked: name, type: .float64, count: count, data: .float64(doubles), validity: validity)
                }
                if canBool {
                    let values = (0..<count).map { validity[$0] ? (CSVFieldParsers.bool(field($0)) ?? false) : false }
                    return Column(unchecked: name, type: .bool, count: count, data: .bool(values), validity: validity)
                }
                if canDate {
                    let values = (0..<count).map { validity[$0] ? (CSVFieldParsers.date(field($0)) ?? 0) : 0 }
                    return Column(unchecked: name, type: .date, count: count, data: .int32(values), validity: validity)
                }
                if canTimestamp && (timestampOffsets == 0 || timestampNaive == 0) {
                    let unit: ColumnType.TimeUnit = fractionDigits > 6 ? .nanosecond : .microsecond
                    var values = [Int64](repeating: 0, count: count)
                    var fits = true
                    for row in 0..<count where validity[row] {
                        guard let value = CSVFieldParsers.timestamp(field(row))?.value(in: unit) else {
                            fits = false
                            break
                        }
                        values[row] = value
                    }
                    if fits {
                        return Column(
                            unchecked: name, type: .timestamp(unit, timeZone: timestampOffsets > 0 ? "UTC" : nil),
                            count: count, data: .int64(values), validity: validity)
                    }
                }
                return stringColumn(validity)
            }
        }
    }

    /// The fields as a string column (the raw buffers are already in string layout).
    func stringColumn(_ validity: Bitmap) -> Column {
        Column(
            unchecked: name, type: .string, count: fields.count,
            data: .bytes(offsets: fields.offsets, values: fields.bytes), validity: validity)
    }

    /// The column converted to `type`.
    /// - Throws: `typeMismatch` naming the first field that is not a value of `type`.
    func converted(to type: ColumnType, lineOfRow: (Int) -> Int) throws(DataFolioError) -> Column {
        let result: Result<Column, DataFolioError> = fields.bytes.withUnsafeBufferPointer { bytes in
            fields.offsets.withUnsafeBufferPointer { offsets in
                let validity = validity(bytes)
                let count = fields.count
                func field(_ row: Int) -> Bytes {
                    Bytes(rebasing: bytes[Int(offsets[row])..<Int(offsets[row + 1])])
                }
                func failure(_ row: Int, _ what: String) -> DataFolioError {
                    let text = String(decoding: field(row), as: UTF8.self)
                    let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                    return DataFolioError(
                        .typeMismatch,
                        "CSV column '\(name)', line \(lineOfRow(row)): '\(shown)' is not \(what). "
                            + "Fix the value, or read the column with another type.")
                }
                func integers<T: FixedWidthInteger>(_: T.Type) -> Result<[T], DataFolioError> {
                    var values = [T](repeating: 0, count: count)
                    for row in 0..<count where validity[row] {
                        let text = field(row)
                        if T.isSigned {
                            guard let v = CSVFieldParsers.int64(text), let narrow = T(exactly: v) else {
                                return .failure(failure(row, "an integer that fits \(type.arrowName)"))
                            }
                            values[row] = narrow
                        } else {
                            guard let v = CSVFieldParsers.uint64(text), let narrow = T(exactly: v) else {
                                return .failure(failure(row, "an integer that fits \(type.arrowName)"))
                            }
                            values[row] = narrow
                        }
                    }
                    return .success(values)
                }
                func floats() -> Result<[Double], DataFolioError> {
                    var values = [Double](repeating: 0, count: count)
                    for row in 0..<count where validity[row] {
                        guard let v = CSVFieldParsers.double(field(row)) else { return .failure(failure(row, "a number")) }
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
                    for row in 0..<count where validity[row] {
                        guard let v = CSVFieldParsers.bool(field(row)) else { return .failure(failure(row, "true or false")) }
                        values[row] = v
                    }
                    return .success(make(.bool(values)))
                case .date:
                    var values = [Int32](repeating: 0, count: count)
                    for row in 0..<count where validity[row] {
                        guard let v = CSVFieldParsers.date(field(row)) else { return .failure(failure(row, "a date (YYYY-MM-DD)")) }
                        values[row] = v
                    }
                    return .success(make(.int32(values)))
                case .timestamp(let unit, _):
                    var values = [Int64](repeating: 0, count: count)
                    for row in 0..<count where validity[row] {
                        // Text without an offset is taken as the instant it names in UTC.
                        guard let v = CSVFieldParsers.timestamp(field(row))?.value(in: unit) else {
                            return .failure(failure(row, "an ISO 8601 timestamp that fits timestamp[\(unit.rawValue)]"))
                        }
                        values[row] = v
                    }
                    return .success(make(.int64(values)))
                case .string:
                    return .success(stringColumn(validity))
                case .binary:
                    return .success(make(.bytes(offsets: fields.offsets, values: fields.bytes)))
                case .decimal(let precision, let scale):
                    var values = [UInt8]()
                    values.reserveCapacity(count * 16)
                    for row in 0..<count {
                        if validity[row] {
                            do {
                                values.append(contentsOf: try Decimal128.bytes(
                                    String(decoding: field(row), as: UTF8.self), precision: precision, scale: scale))
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
                    for row in 0..<count where validity[row] { texts[row] = String(decoding: field(row), as: UTF8.self) }
                    return .success(Column(name: name, categories: texts, ordered: ordered))
                default:
                    return .failure(DataFolioError(
                        .unsupportedFeature,
                        "CSV column '\(name)': reading CSV text as \(type.arrowName) is not supported; "
                            + "use a number, bool, string, binary, date, timestamp, decimal or string dictionary type."))
                }
            }
        }
        return try result.get()
    }
}
