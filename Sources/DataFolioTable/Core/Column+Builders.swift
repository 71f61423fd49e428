import DataFolioSupport
import Foundation

extension Column {
    /// Creates a column without nulls from an array of scalars.
    ///
    /// ```swift
    /// let counts = Column(name: "count", [3, 1, 4] as [Int32])   // int32
    /// let ids = Column(name: "id", [1, 2, 3])                    // Int → int64
    /// ```
    public init<T: ColumnScalar>(name: String, _ values: [T]) {
        self.init(unchecked: name, type: T.columnType, count: values.count, data: T.columnData(values), validity: nil)
    }

    /// Creates a column from optional scalars; `nil` elements become nulls.
    ///
    /// ```swift
    /// let scores = Column(name: "score", [1.5, nil, 3] as [Double?])
    /// ```
    public init<T: ColumnScalar>(name: String, _ values: [T?]) {
        var validity = Bitmap(count: values.count, allValid: true)
        let placeholder = T.placeholder
        let plain = values.enumerated().map { i, value -> T in
            if let value { return value }
            validity[i] = false
            return placeholder
        }
        self.init(unchecked: name, type: T.columnType, count: values.count, data: T.columnData(plain), validity: validity)
    }

    /// Creates a `float16` column from `Float` values (stored as IEEE binary16, rounded to nearest).
    ///
    /// ```swift
    /// let halves = Column(name: "score", float16: [0.5, nil, 1.25])   // Arrow halffloat
    /// ```
    public init(name: String, float16 values: [Float?]) {
        var validity = Bitmap(count: values.count, allValid: true)
        let bits = values.enumerated().map { i, value -> UInt16 in
            guard let value else {
                validity[i] = false
                return 0
            }
            return HalfPrecision.float16Bits(from: value)
        }
        self.init(unchecked: name, type: .float16, count: values.count, data: .float16(bits), validity: validity)
    }

    /// Creates a UTF-8 `string` column; `nil` elements become nulls.
    ///
    /// ```swift
    /// let names = Column(name: "name", strings: ["Ada", nil, "Grace"])
    /// ```
    public init(name: String, strings: [String?]) {
        var offsets = [Int64]()
        offsets.reserveCapacity(strings.count + 1)
        offsets.append(0)
        var bytes = [UInt8]()
        var validity = Bitmap(count: strings.count, allValid: true)
        for (i, string) in strings.enumerated() {
            if let string {
                bytes.append(contentsOf: string.utf8)
            } else {
                validity[i] = false
            }
            offsets.append(Int64(bytes.count))
        }
        self.init(unchecked: name, type: .string, count: strings.count, data: .bytes(offsets: offsets, values: bytes), validity: validity)
    }

    /// Creates a `binary` column; `nil` elements become nulls.
    ///
    /// ```swift
    /// let blobs = Column(name: "blob", binary: [[0xFF, 0x00], nil])
    /// ```
    public init(name: String, binary: [[UInt8]?]) {
        var offsets = [Int64]()
        offsets.reserveCapacity(binary.count + 1)
        offsets.append(0)
        var bytes = [UInt8]()
        var validity = Bitmap(count: binary.count, allValid: true)
        for (i, value) in binary.enumerated() {
            if let value {
                bytes.append(contentsOf: value)
            } else {
                validity[i] = false
            }
            offsets.append(Int64(bytes.count))
        }
        self.init(unchecked: name, type: .binary, count: binary.count, data: .bytes(offsets: offsets, values: bytes), validity: validity)
    }

    /// Creates a `fixed_size_binary[width]` column (e.g. UUIDs with width 16).
    /// ```swift
    /// let hashes = try Column(name: "md5", fixedWidth: 16, binary: [Array(repeating: 0, count: 16)])
    /// ```
    ///
    /// - Throws: `invalidArgument` when a value does not have `width` bytes.
    public init(name: String, fixedWidth width: Int, binary: [[UInt8]?]) throws(DataFolioError) {
        guard width >= 0 else {
            throw DataFolioError(.invalidArgument, "Column '\(name)': a fixed width cannot be negative (\(width)).")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(width * binary.count)
        var validity = Bitmap(count: binary.count, allValid: true)
        for (i, value) in binary.enumerated() {
            if let value {
                guard value.count == width else {
                    throw DataFolioError(
                        .invalidArgument, "Column '\(name)': row \(i) has \(value.count) bytes, not \(width).")
                }
                bytes.append(contentsOf: value)
            } else {
                validity[i] = false
                bytes.append(contentsOf: repeatElement(0, count: width))
            }
        }
        self.init(
            unchecked: name, type: .fixedSizeBinary(width), count: binary.count,
            data: .fixedBytes(width: width, values: bytes), validity: validity)
    }

    /// Creates a `date32[day]` column holding the UTC calendar day of each date.
    ///
    /// ```swift
    /// let day = Column(name: "day", dates: [Date(timeIntervalSince1970: 0), nil])
    /// ```
    public init(name: String, dates: [Date?]) {
        var validity = Bitmap(count: dates.count, allValid: true)
        let days = dates.enumerated().map { i, date -> Int32 in
            guard let date else {
                validity[i] = false
                return 0
            }
            let day = (date.timeIntervalSince1970 / 86_400).rounded(.down)
            return Int32(exactly: day) ?? (day < 0 ? .min : .max)
        }
        self.init(unchecked: name, type: .date, count: dates.count, data: .int32(days), validity: validity)
    }

    /// Creates a `date32[day]` column from day counts since 1970-01-01.
    ///
    /// ```swift
    /// let days = Column(name: "day", daysSinceEpoch: [0, 1, nil])   // 1970-01-01, 1970-01-02, null
    /// ```
    public init(name: String, daysSinceEpoch: [Int32?]) {
        let plain = Column(name: name, daysSinceEpoch)
        self.init(unchecked: name, type: .date, count: plain.count, data: plain.data, validity: plain.validity)
    }

    /// Creates a timestamp column; each date is rounded to the nearest `unit`.
    ///
    /// `timeZone` only says how to display the instants (e.g. `"UTC"`, `"Europe/Paris"`);
    /// leave it `nil` for naive timestamps.
    ///
    /// ```swift
    /// let seen = Column(name: "seen", timestamps: [Date()], unit: .microsecond, timeZone: "UTC")
    /// ```
    public init(name: String, timestamps: [Date?], unit: ColumnType.TimeUnit = .microsecond, timeZone: String? = nil) {
        var validity = Bitmap(count: timestamps.count, allValid: true)
        let values = timestamps.enumerated().map { i, date -> Int64 in
            guard let date else {
                validity[i] = false
                return 0
            }
            return Column.count(of: unit, in: date)
        }
        self.init(
            unchecked: name, type: .timestamp(unit, timeZone: timeZone), count: timestamps.count,
            data: .int64(values), validity: validity)
    }

    /// Creates a timestamp column from raw counts of `unit` since the Unix epoch.
    ///
    /// ```swift
    /// let seen = Column(name: "seen", timestamps: [1_705_314_600_000_000], unit: .microsecond, timeZone: "UTC")
    /// ```
    public init(name: String, timestamps: [Int64?], unit: ColumnType.TimeUnit, timeZone: String? = nil) {
        let plain = Column(name: name, timestamps)
        self.init(
            unchecked: name, type: .timestamp(unit, timeZone: timeZone), count: plain.count,
            data: plain.data, validity: plain.validity)
    }

    /// Creates a dictionary-encoded string column (a pandas categorical).
    ///
    /// The dictionary holds the distinct values in order of first appearance.
    ///
    /// ```swift
    /// let colour = Column(name: "colour", categories: ["red", "blue", "red", nil])
    /// ```
    public init(name: String, categories: [String?], ordered: Bool = false) {
        var lookup: [String: Int32] = [:]
        var distinct: [String?] = []
        var validity = Bitmap(count: categories.count, allValid: true)
        let indices = categories.enumerated().map { i, value -> Int32 in
            guard let value else {
                validity[i] = false
                return 0
            }
            if let index = lookup[value] { return index }
            let index = Int32(distinct.count)
            lookup[value] = index
            distinct.append(value)
            return index
        }
        let dictionary = Column(name: name, strings: distinct)
        self.init(
            unchecked: name, type: .dictionary(.string, ordered: ordered), count: categories.count,
            data: .dictionary(indices: indices, dictionary: dictionary), validity: validity)
    }

    /// Creates a dictionary-encoded string column from a fixed list of categories and
    /// per-row codes (`-1` or `nil` = null), as pandas stores a categorical.
    /// ```swift
    /// let size = try Column(name: "size", categories: ["S", "M", "L"], codes: [0, 2, nil], ordered: true)
    /// ```
    ///
    /// - Throws: `invalidArgument` when a code is outside the categories.
    public init(name: String, categories: [String], codes: [Int32?], ordered: Bool = false) throws(DataFolioError) {
        var validity = Bitmap(count: codes.count, allValid: true)
        var indices = [Int32]()
        indices.reserveCapacity(codes.count)
        for (i, code) in codes.enumerated() {
            guard let code, code >= 0 else {
                validity[i] = false
                indices.append(0)
                continue
            }
            guard Int(code) < categories.count else {
                throw DataFolioError(
                    .invalidArgument, "Column '\(name)': row \(i) has code \(code) but there are \(categories.count) categories.")
            }
            indices.append(code)
        }
        self.init(
            unchecked: name, type: .dictionary(.string, ordered: ordered), count: codes.count,
            data: .dictionary(indices: indices, dictionary: Column(name: name, strings: categories)), validity: validity)
    }

    /// Creates a `decimal128(precision, scale)` column from decimal text such as `"12.50"`.
    /// ```swift
    /// let price = try Column(name: "price", decimals: ["12.50", "3.99"], precision: 10, scale: 2)
    /// ```
    ///
    /// - Throws: `invalidArgument` when a value is not decimal text or does not fit.
    public init(name: String, decimals: [String?], precision: Int, scale: Int) throws(DataFolioError) {
        guard precision >= 1, precision <= 38, scale >= 0, scale <= precision else {
            throw DataFolioError(
                .invalidArgument,
                "Column '\(name)': decimal precision \(precision) and scale \(scale) are out of range (1…38, 0…precision).")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(16 * decimals.count)
        var validity = Bitmap(count: decimals.count, allValid: true)
        for (i, text) in decimals.enumerated() {
            if let text {
                do {
                    bytes.append(contentsOf: try Decimal128.bytes(text, precision: precision, scale: scale))
                } catch {
                    throw DataFolioError(.invalidArgument, "Column '\(name)', row \(i): \(error.message)")
                }
            } else {
                validity[i] = false
                bytes.append(contentsOf: repeatElement(0, count: 16))
            }
        }
        self.init(
            unchecked: name, type: .decimal(precision: precision, scale: scale), count: decimals.count,
            data: .fixedBytes(width: 16, values: bytes), validity: validity)
    }

    /// Creates a column of any type from cells, converting where nothing is lost
    /// (e.g. `.int(3)` into a `float64` column).
    ///
    /// ```swift
    /// let tags = try Column(name: "tags", type: .list(.string), values: [["a", "b"], nil, []])
    /// ```
    /// - Throws: `typeMismatch` naming the first cell that does not fit `type`.
    public init(name: String, type: ColumnType, values: [TableValue]) throws(DataFolioError) {
        var builder = try ColumnBuilder(name: name, type: type, capacity: values.count)
        for value in values {
            try builder.append(value)
        }
        self = builder.build()
    }

    /// A column of `count` nulls of any type.
    ///
    /// ```swift
    /// let missing = Column.nulls(name: "note", type: .string, count: table.rowCount)
    /// try table.append(missing)
    /// ```
    public static func nulls(name: String, type: ColumnType, count: Int) -> Column {
        var builder: ColumnBuilder
        do {
            builder = try ColumnBuilder(name: name, type: type, capacity: count)
        } catch {
            // Only invalid decimal shapes fail; fall back to a column of null strings.
            builder = (try? ColumnBuilder(name: name, type: .string, capacity: count)) ?? ColumnBuilder(stringNamed: name)
        }
        for _ in 0..<count { builder.appendNull() }
        return builder.build()
    }

    /// The count of `unit` since the epoch for a date, rounded to the nearest unit
    /// and clamped to the `Int64` range.
    static func count(of unit: ColumnType.TimeUnit, in date: Date) -> Int64 {
        // Work from the reference date (2001) that `Date` stores, splitting whole seconds
        // from the fraction, so sub-second digits survive the epoch shift.
        let reference = date.timeIntervalSinceReferenceDate
        guard reference.isFinite else { return reference < 0 ? .min : .max }
        let whole = reference.rounded(.down)
        guard abs(whole) < 9.0e15 else { return whole < 0 ? .min : .max }
        let fraction = reference - whole
        let seconds = Int64(whole) + 978_307_200
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unit.perSecond)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, overflow2) = scaled.addingReportingOverflow(Int64((fraction * Double(unit.perSecond)).rounded()))
        return overflow2 ? .max : total
    }
}
