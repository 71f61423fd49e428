import DataFolioSupport

/// One named, typed column of a ``Table``: Arrow-like buffers plus an optional validity bitmap.
///
/// Build columns from Swift arrays (optional elements become nulls) and read them back
/// as typed arrays or as ``TableValue`` cells:
///
/// ```swift
/// let ages = Column(name: "age", [31, nil, 45] as [Int64?])
/// print(ages.nullCount)              // 1
/// print(ages[2])                     // 45
/// let names = Column(name: "name", strings: ["Ada", "Grace", nil])
/// print(names.strings())             // [Optional("Ada"), Optional("Grace"), nil]
/// ```
public struct Column: Sendable {
    /// The column's name.
    public var name: String
    /// The logical type of the values.
    public let type: ColumnType
    /// The number of rows.
    public let count: Int
    /// The physical buffers.
    public let data: ColumnData
    /// Which rows hold a value; `nil` when no row is null.
    public let validity: Bitmap?
    /// The number of null rows.
    public let nullCount: Int

    /// Creates a column from buffers, checking that data, type, count and validity agree.
    ///
    /// Readers of file formats use this initializer; it checks offsets, widths and
    /// dictionary indices so that later reads cannot go out of bounds. A validity bitmap
    /// without nulls is dropped (``validity`` is then `nil`).
    ///
    /// ```swift
    /// let column = try Column(name: "x", type: .date, count: 2, data: .int32([0, 19_000]), validity: nil)
    /// ```
    /// - Throws: `invalidArgument` describing the first disagreement found.
    public init(name: String, type: ColumnType, count: Int, data: ColumnData, validity: Bitmap?) throws(DataFolioError) {
        guard count >= 0 else {
            throw DataFolioError(.invalidArgument, "Column '\(name)': the row count cannot be negative (\(count)).")
        }
        if let validity, validity.count != count {
            throw DataFolioError(
                .invalidArgument,
                "Column '\(name)': the validity bitmap has \(validity.count) bits but the column has \(count) rows.")
        }
        try Column.check(name: name, type: type, count: count, data: data, validity: validity)
        self.init(unchecked: name, type: type, count: count, data: data, validity: validity)
    }

    /// Creates a column whose parts are known to agree.
    init(unchecked name: String, type: ColumnType, count: Int, data: ColumnData, validity: Bitmap?) {
        self.name = name
        self.type = type
        self.count = count
        self.data = data
        let nulls = validity.map(\.zeroCount) ?? 0
        self.validity = nulls == 0 ? nil : validity
        self.nullCount = nulls
    }

    /// Whether the value at `row` is null.
    public func isNull(_ row: Int) -> Bool {
        precondition(row >= 0 && row < count, "Column row \(row) out of range 0..<\(count)")
        guard let validity else { return false }
        return !validity[row]
    }

    /// Whether the column has no rows.
    public var isEmpty: Bool { count == 0 }

    /// A copy of this column with another name.
    public func renamed(_ newName: String) -> Column {
        var copy = self
        copy.name = newName
        return copy
    }

    // MARK: - Validation

    private static func check(
        name: String, type: ColumnType, count: Int, data: ColumnData, validity: Bitmap?
    ) throws(DataFolioError) {
        func mismatch() -> DataFolioError {
            DataFolioError(
                .invalidArgument,
                "Column '\(name)': a column of type \(type.arrowName) cannot hold \(data.kindName) data.")
        }
        func length(_ actual: Int) throws(DataFolioError) {
            guard actual == count else {
                throw DataFolioError(
                    .invalidArgument, "Column '\(name)': the data holds \(actual) values but the column has \(count) rows.")
            }
        }
        switch (type, data) {
        case (.bool, .bool(let v)): try length(v.count)
        case (.int8, .int8(let v)): try length(v.count)
        case (.int16, .int16(let v)): try length(v.count)
        case (.int32, .int32(let v)), (.date, .int32(let v)): try length(v.count)
        case (.int64, .int64(let v)), (.timestamp, .int64(let v)): try length(v.count)
        case (.uint8, .uint8(let v)): try length(v.count)
        case (.uint16, .uint16(let v)): try length(v.count)
        case (.uint32, .uint32(let v)): try length(v.count)
        case (.uint64, .uint64(let v)): try length(v.count)
        case (.float16, .float16(let v)): try length(v.count)
        case (.float32, .float32(let v)): try length(v.count)
        case (.float64, .float64(let v)): try length(v.count)
        case (.string, .bytes(let offsets, let values)), (.binary, .bytes(let offsets, let values)):
            try checkOffsets(name: name, offsets, count: count, valueCount: values.count)
        case (.fixedSizeBinary(let width), .fixedBytes(let dataWidth, let values)):
            guard width >= 0, width == dataWidth else {
                throw DataFolioError(
                    .invalidArgument, "Column '\(name)': type \(type.arrowName) needs width \(width) but the data has width \(dataWidth).")
            }
            try checkFixed(name: name, width: width, byteCount: values.count, count: count)
        case (.decimal(let precision, let scale), .fixedBytes(let width, let values)):
            guard precision >= 1, precision <= 38, scale >= 0, scale <= precision else {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': decimal precision \(precision) and scale \(scale) are out of range (1…38, 0…precision).")
            }
            guard width == 16 else {
                throw DataFolioError(.invalidArgument, "Column '\(name)': decimal data must be 16 bytes wide, not \(width).")
            }
            try checkFixed(name: name, width: width, byteCount: values.count, count: count)
        case (.dictionary(let valueType, _), .dictionary(let indices, let dictionary)):
            try length(indices.count)
            guard dictionary.type == valueType else {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': the dictionary holds \(dictionary.type.arrowName) values but the type says \(valueType.arrowName).")
            }
            let limit = dictionary.count
            let bad: Int? = indices.withUnsafeBufferPointer { buffer in
                for i in 0..<buffer.count where buffer[i] < 0 || Int(buffer[i]) >= limit {
                    if let validity, !validity[i] { continue }
                    return i
                }
                return nil
            }
            if let bad {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': row \(bad) refers to dictionary entry \(indices[bad]) but the dictionary has \(limit) entries.")
            }
        case (.list(let elementType), .list(let offsets, let values)),
            (.largeList(let elementType), .list(let offsets, let values)):
            guard values.type == elementType else {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': the list values are \(values.type.arrowName) but the type says \(elementType.arrowName).")
            }
            try checkOffsets(name: name, offsets, count: count, valueCount: values.count)
        case (.fixedSizeList(let elementType, let size), .list(let offsets, let values)):
            guard values.type == elementType else {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': the list values are \(values.type.arrowName) but the type says \(elementType.arrowName).")
            }
            guard size >= 0 else {
                throw DataFolioError(.invalidArgument, "Column '\(name)': a fixed list size cannot be negative (\(size)).")
            }
            try checkOffsets(name: name, offsets, count: count, valueCount: values.count)
            let step = Int64(size)
            let uneven: Int? = offsets.withUnsafeBufferPointer { buffer in
                for i in 0..<count where buffer[i + 1] - buffer[i] != step { return i }
                return nil
            }
            if let uneven {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': row \(uneven) spans \(offsets[uneven + 1] - offsets[uneven]) values, but every row of \(type.arrowName) spans \(size) (null rows too).")
            }
        case (.map(let keyType, let valueType), .list(let offsets, let values)):
            let entryType = ColumnType.mapEntry(key: keyType, value: valueType)
            guard values.type == entryType else {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': the map entries are \(values.type.arrowName) but the type needs \(entryType.arrowName).")
            }
            try checkOffsets(name: name, offsets, count: count, valueCount: values.count)
            if case .struct(let parts) = values.data, let keys = parts.first, keys.nullCount > 0 || values.nullCount > 0 {
                throw DataFolioError(.invalidArgument, "Column '\(name)': map keys and entries cannot be null.")
            }
        case (.struct(let fields), .struct(let children)):
            guard fields.count == children.count else {
                throw DataFolioError(
                    .invalidArgument, "Column '\(name)': the type has \(fields.count) fields but the data has \(children.count) columns.")
            }
            for (field, child) in zip(fields, children) {
                guard field.name == child.name, field.type == child.type else {
                    throw DataFolioError(
                        .invalidArgument,
                        "Column '\(name)': field '\(field.name)' (\(field.type.arrowName)) does not match its column '\(child.name)' (\(child.type.arrowName)).")
                }
                guard child.count == count else {
                    throw DataFolioError(
                        .invalidArgument, "Column '\(name)': field '\(field.name)' has \(child.count) rows but the struct has \(count).")
                }
            }
        default:
            throw mismatch()
        }
    }

    private static func checkOffsets(name: String, _ offsets: [Int64], count: Int, valueCount: Int) throws(DataFolioError) {
        guard offsets.count == count + 1 else {
            throw DataFolioError(
                .invalidArgument, "Column '\(name)': \(count) rows need \(count + 1) offsets, not \(offsets.count).")
        }
        let bad: Int? = offsets.withUnsafeBufferPointer { buffer in
            var previous = buffer[0]
            if previous < 0 { return 0 }
            for i in 1..<buffer.count {
                let next = buffer[i]
                if next < previous { return i }
                previous = next
            }
            return previous > Int64(valueCount) ? buffer.count - 1 : nil
        }
        if let bad {
            throw DataFolioError(
                .invalidArgument,
                "Column '\(name)': offset \(bad) (\(offsets[bad])) is negative, decreasing or past the end of \(valueCount) values.")
        }
    }

    private static func checkFixed(name: String, width: Int, byteCount: Int, count: Int) throws(DataFolioError) {
        let (needed, overflow) = width.multipliedReportingOverflow(by: count)
        guard !overflow, needed == byteCount else {
            throw DataFolioError(
                .invalidArgument,
                "Column '\(name)': \(count) values of \(width) bytes need \(width &* count) bytes, not \(byteCount).")
        }
    }
}
