import DataFolioSupport

/// Builds a column of any ``ColumnType`` one cell at a time.
///
/// Used for generic code (Codable rows, CSV with explicit types, tests); the typed
/// ``Column`` initializers are faster when the values are already in arrays.
///
/// ```swift
/// var builder = try ColumnBuilder(name: "price", type: .decimal(precision: 10, scale: 2))
/// try builder.append(.decimal("12.50"))
/// builder.appendNull()
/// let column = builder.build()
/// ```
public struct ColumnBuilder: Sendable {
    /// The name of the column being built.
    public let name: String
    /// The type of the column being built.
    public let type: ColumnType
    /// The number of cells appended so far.
    public private(set) var count = 0

    private var validity = Bitmap(count: 0, allValid: true)
    private var ints: [Int64] = []
    private var uints: [UInt64] = []
    private var doubles: [Double] = []
    private var bools: [Bool] = []
    private var bytes: [UInt8] = []
    private var offsets: [Int64] = [0]
    private var indices: [Int32] = []
    private var dictionaryLookup: [TableValue: Int32] = [:]
    // The values of a list or map, the distinct values of a dictionary, or one builder
    // per field of a struct.
    private var children: [ColumnBuilder] = []

    /// Creates a builder for a column of `type`.
    /// - Throws: `invalidArgument` for a decimal type with an impossible precision or scale.
    public init(name: String, type: ColumnType, capacity: Int = 0) throws(DataFolioError) {
        self.name = name
        self.type = type
        switch type {
        case .decimal(let precision, let scale):
            guard precision >= 1, precision <= 38, scale >= 0, scale <= precision else {
                throw DataFolioError(
                    .invalidArgument,
                    "Column '\(name)': decimal precision \(precision) and scale \(scale) are out of range (1…38, 0…precision).")
            }
        case .fixedSizeBinary(let width):
            guard width >= 0 else {
                throw DataFolioError(.invalidArgument, "Column '\(name)': a fixed width cannot be negative (\(width)).")
            }
        case .dictionary(let valueType, _):
            children = [try ColumnBuilder(name: name, type: valueType)]
        case .list(let elementType), .largeList(let elementType):
            children = [try ColumnBuilder(name: "element", type: elementType)]
        case .fixedSizeList(let elementType, let size):
            guard size >= 0 else {
                throw DataFolioError(.invalidArgument, "Column '\(name)': a fixed list size cannot be negative (\(size)).")
            }
            children = [try ColumnBuilder(name: "element", type: elementType)]
        case .map(let keyType, let valueType):
            children = [try ColumnBuilder(name: "entries", type: .mapEntry(key: keyType, value: valueType))]
        case .struct(let fields):
            var seen = Set<String>()
            for field in fields where !seen.insert(field.name).inserted {
                throw DataFolioError(.invalidArgument, "Column '\(name)': the struct has two fields named '\(field.name)'.")
            }
            children = try fields.map { (field) throws(DataFolioError) in try ColumnBuilder(name: field.name, type: field.type) }
        default:
            break
        }
    }

    /// A builder of strings that cannot fail.
    init(stringNamed name: String) {
        self.name = name
        self.type = .string
    }

    /// Appends a null.
    public mutating func appendNull() {
        validity.append(false)
        switch type {
        case .bool: bools.append(false)
        case .int8, .int16, .int32, .int64, .date, .timestamp: ints.append(0)
        case .uint8, .uint16, .uint32, .uint64: uints.append(0)
        case .float16, .float32, .float64: doubles.append(0)
        case .string, .binary: offsets.append(Int64(bytes.count))
        case .fixedSizeBinary(let width): bytes.append(contentsOf: repeatElement(0, count: width))
        case .decimal: bytes.append(contentsOf: repeatElement(0, count: 16))
        case .dictionary: indices.append(0)
        case .list, .largeList, .map: offsets.append(offsets[offsets.count - 1])
        case .fixedSizeList(_, let size):
            // A null fixed-size list still spans `size` (null) values.
            for _ in 0..<size { children[0].appendNull() }
            offsets.append(Int64(children[0].count))
        case .struct:
            // The fields of a null struct are null too.
            for index in children.indices { children[index].appendNull() }
        }
        count += 1
    }

    /// Appends a cell, converting it to the column's type when nothing is lost.
    ///
    /// Lists take ``TableValue/list(_:)``, maps ``TableValue/map(_:)`` and structs
    /// ``TableValue/struct(_:)`` (fields matched by name; missing fields are null).
    /// - Throws: `typeMismatch` when the value does not fit; the builder should then be
    ///   discarded, since part of a nested value may have been appended.
    public mutating func append(_ value: TableValue) throws(DataFolioError) {
        if case .null = value {
            appendNull()
            return
        }
        func mismatch(_ why: String = "") -> DataFolioError {
            DataFolioError(
                .typeMismatch,
                "Column '\(name)', row \(count): the value \(value) does not fit type \(type.arrowName)\(why.isEmpty ? "" : " (\(why))").")
        }
        switch type {
        case .bool:
            guard case .bool(let v) = value else { throw mismatch() }
            bools.append(v)
        case .int8, .int16, .int32, .int64:
            guard let v = Int64(exactly: value), ColumnBuilder.fits(v, type) else { throw mismatch("out of range or not an integer") }
            ints.append(v)
        case .uint8, .uint16, .uint32, .uint64:
            guard let v = UInt64(exactly: value), ColumnBuilder.fits(v, type) else { throw mismatch("out of range or not an integer") }
            uints.append(v)
        case .float16, .float32, .float64:
            switch value {
            case .double(let v): doubles.append(v)
            case .int(let v): doubles.append(Double(v))
            case .uint(let v): doubles.append(Double(v))
            case .decimal(let text):
                guard let v = Double(text) else { throw mismatch() }
                doubles.append(v)
            default: throw mismatch()
            }
        case .string:
            switch value {
            case .string(let v): bytes.append(contentsOf: v.utf8)
            case .decimal(let v): bytes.append(contentsOf: v.utf8)
            default: throw mismatch()
            }
            offsets.append(Int64(bytes.count))
        case .binary:
            switch value {
            case .binary(let v): bytes.append(contentsOf: v)
            case .string(let v): bytes.append(contentsOf: v.utf8)
            default: throw mismatch()
            }
            offsets.append(Int64(bytes.count))
        case .fixedSizeBinary(let width):
            guard case .binary(let v) = value else { throw mismatch() }
            guard v.count == width else { throw mismatch("\(v.count) bytes instead of \(width)") }
            bytes.append(contentsOf: v)
        case .date:
            switch value {
            case .date(let days): ints.append(Int64(days))
            case .timestamp(let v, let unit, _):
                let perDay = unit.perSecond * 86_400
                let days = v / perDay
                if v % perDay != 0 {
                    throw mismatch("a timestamp with a time of day")
                }
                guard let narrow = Int32(exactly: days) else { throw mismatch("out of range") }
                ints.append(Int64(narrow))
            default: throw mismatch()
            }
        case .timestamp(let unit, _):
            switch value {
            case .timestamp(let v, let fromUnit, _):
                guard let converted = ColumnBuilder.convert(v, from: fromUnit, to: unit) else {
                    throw mismatch("it cannot be expressed in \(unit.rawValue) exactly")
                }
                ints.append(converted)
            case .date(let days):
                let (v, overflow) = Int64(days).multipliedReportingOverflow(by: 86_400 * unit.perSecond)
                guard !overflow else { throw mismatch("out of range") }
                ints.append(v)
            default: throw mismatch()
            }
        case .decimal(let precision, let scale):
            let text: String
            switch value {
            case .decimal(let v): text = v
            case .int(let v): text = String(v)
            case .uint(let v): text = String(v)
            case .string(let v): text = v
            default: throw mismatch()
            }
            do {
                bytes.append(contentsOf: try Decimal128.bytes(text, precision: precision, scale: scale))
            } catch {
                throw DataFolioError(.typeMismatch, "Column '\(name)', row \(count): \(error.message)")
            }
        case .dictionary:
            if let index = dictionaryLookup[value] {
                indices.append(index)
            } else {
                guard let index = Int32(exactly: children[0].count) else {
                    throw DataFolioError(.limitExceeded, "Column '\(name)': more than \(Int32.max) distinct values.")
                }
                try children[0].append(value)
                dictionaryLookup[value] = index
                indices.append(index)
            }
        case .list, .largeList:
            guard case .list(let elements) = value else { throw mismatch() }
            try appendElements(elements)
        case .fixedSizeList(_, let size):
            guard case .list(let elements) = value else { throw mismatch() }
            guard elements.count == size else { throw mismatch("\(elements.count) elements instead of \(size)") }
            try appendElements(elements)
        case .map:
            guard case .map(let entries) = value else { throw mismatch() }
            for entry in entries where entry.key.isNull {
                throw mismatch("a map key cannot be null")
            }
            try appendElements(entries.map { .struct([("key", $0.key), ("value", $0.value)]) })
        case .struct(let fields):
            guard case .struct(let given) = value else { throw mismatch() }
            for field in given where !fields.contains(where: { $0.name == field.name }) {
                throw mismatch("the type has no field '\(field.name)'")
            }
            for (index, field) in fields.enumerated() {
                // Fields missing from the value are null.
                let cell = given.last(where: { $0.name == field.name })?.value ?? .null
                try children[index].append(cell)
            }
        }
        validity.append(true)
        count += 1
    }

    /// Appends the elements of one list row; on failure the elements appended so far
    /// stay in the child but the row is not counted, so the builder must not be reused.
    private mutating func appendElements(_ elements: [TableValue]) throws(DataFolioError) {
        for element in elements {
            try children[0].append(element)
        }
        offsets.append(Int64(children[0].count))
    }

    /// The finished column.
    public func build() -> Column {
        let data: ColumnData
        switch type {
        case .bool: data = .bool(bools)
        case .int8: data = .int8(ints.map { Int8(truncatingIfNeeded: $0) })
        case .int16: data = .int16(ints.map { Int16(truncatingIfNeeded: $0) })
        case .int32, .date: data = .int32(ints.map { Int32(truncatingIfNeeded: $0) })
        case .int64, .timestamp: data = .int64(ints)
        case .uint8: data = .uint8(uints.map { UInt8(truncatingIfNeeded: $0) })
        case .uint16: data = .uint16(uints.map { UInt16(truncatingIfNeeded: $0) })
        case .uint32: data = .uint32(uints.map { UInt32(truncatingIfNeeded: $0) })
        case .uint64: data = .uint64(uints)
        case .float16: data = .float16(doubles.map { HalfPrecision.float16Bits(from: Float($0)) })
        case .float32: data = .float32(doubles.map { Float($0) })
        case .float64: data = .float64(doubles)
        case .string, .binary: data = .bytes(offsets: offsets, values: bytes)
        case .fixedSizeBinary(let width): data = .fixedBytes(width: width, values: bytes)
        case .decimal: data = .fixedBytes(width: 16, values: bytes)
        case .dictionary: data = .dictionary(indices: indices, dictionary: children[0].build())
        case .list, .largeList, .fixedSizeList, .map: data = .list(offsets: offsets, values: children[0].build())
        case .struct: data = .struct(children.map { $0.build() })
        }
        return Column(unchecked: name, type: type, count: count, data: data, validity: validity)
    }

    static func fits(_ value: Int64, _ type: ColumnType) -> Bool {
        switch type {
        case .int8: Int8(exactly: value) != nil
        case .int16: Int16(exactly: value) != nil
        case .int32: Int32(exactly: value) != nil
        default: true
        }
    }

    static func fits(_ value: UInt64, _ type: ColumnType) -> Bool {
        switch type {
        case .uint8: UInt8(exactly: value) != nil
        case .uint16: UInt16(exactly: value) != nil
        case .uint32: UInt32(exactly: value) != nil
        default: true
        }
    }

    /// Converts a count between time units; `nil` on overflow or lost precision.
    static func convert(_ value: Int64, from: ColumnType.TimeUnit, to: ColumnType.TimeUnit) -> Int64? {
        if from == to { return value }
        if to.perSecond > from.perSecond {
            let (v, overflow) = value.multipliedReportingOverflow(by: to.perSecond / from.perSecond)
            return overflow ? nil : v
        }
        let factor = from.perSecond / to.perSecond
        return value % factor == 0 ? value / factor : nil
    }
}
