import DataFolioSupport
import DataFolioTable

/// What the writer's metadata (pandas) says about a column beyond the Parquet schema.
struct ColumnHints: Sendable {
    var categorical = false
    var ordered = false
    var timeZone: String?
    /// The Arrow schema says the milliseconds stored are a timestamp in seconds.
    var seconds = false
}

/// Maps Parquet physical and logical types to table column types and picks the sink
/// that decodes them.
enum TypeMapping {
    private static func unit(_ unit: LogicalTimeUnit) -> ColumnType.TimeUnit {
        switch unit {
        case .millis: .millisecond
        case .micros: .microsecond
        case .nanos: .nanosecond
        }
    }

    private static func decimal(
        precision: Int32?, scale: Int32?, column: String
    ) throws(DataFolioError) -> ColumnType {
        let p = Int(precision ?? 0)
        let s = Int(scale ?? 0)
        guard p >= 1, s >= 0, s <= p else {
            throw DataFolioError.corrupt("Parquet", "column '\(column)' is a decimal with precision \(p) and scale \(s)")
        }
        guard p <= 38 else {
            throw DataFolioError.unsupported("Parquet", "column '\(column)': a decimal with precision \(p) (more than 38 digits)")
        }
        return .decimal(precision: p, scale: s)
    }

    /// The table type of a leaf column.
    static func columnType(of leaf: LeafColumn, column: String, hints: ColumnHints) throws(DataFolioError) -> ColumnType {
        let element = leaf.element
        let logical = element.logicalType
        let converted = element.convertedType
        var type: ColumnType
        switch leaf.physicalType {
        case .boolean:
            type = .bool
        case .int32:
            switch (logical, converted) {
            case (.integer(let bits, let signed)?, _):
                switch bits {
                case 8: type = signed ? .int8 : .uint8
                case 16: type = signed ? .int16 : .uint16
                default: type = signed ? .int32 : .uint32
                }
            case (.date?, _), (nil, .date?): type = .date
            case (.decimal(let scale, let precision)?, _):
                type = try decimal(precision: precision, scale: scale, column: column)
            case (nil, .decimal?):
                type = try decimal(precision: element.precision, scale: element.scale, column: column)
            case (nil, .int8?): type = .int8
            case (nil, .int16?): type = .int16
            case (nil, .uint8?): type = .uint8
            case (nil, .uint16?): type = .uint16
            case (nil, .uint32?): type = .uint32
            default: type = .int32
            }
        case .int64:
            switch (logical, converted) {
            case (.integer(_, let signed)?, _): type = signed ? .int64 : .uint64
            case (.timestamp(let u, let adjusted)?, _): type = .timestamp(unit(u), timeZone: adjusted ? "UTC" : nil)
            case (.decimal(let scale, let precision)?, _):
                type = try decimal(precision: precision, scale: scale, column: column)
            case (nil, .decimal?):
                type = try decimal(precision: element.precision, scale: element.scale, column: column)
            case (nil, .timestampMillis?): type = .timestamp(.millisecond, timeZone: "UTC")
            case (nil, .timestampMicros?): type = .timestamp(.microsecond, timeZone: "UTC")
            case (nil, .uint64?): type = .uint64
            default: type = .int64
            }
        case .int96:
            type = .timestamp(.nanosecond, timeZone: nil)
        case .float:
            type = .float32
        case .double:
            type = .float64
        case .byteArray:
            switch (logical, converted) {
            case (.string?, _), (.enumeration?, _), (.json?, _), (nil, .utf8?), (nil, .enumeration?), (nil, .json?):
                type = .string
            case (.decimal(let scale, let precision)?, _):
                type = try decimal(precision: precision, scale: scale, column: column)
            case (nil, .decimal?):
                type = try decimal(precision: element.precision, scale: element.scale, column: column)
            default:
                type = .binary
            }
        case .fixedLenByteArray:
            let width = Int(element.typeLength ?? -1)
            guard width > 0, width <= 1 << 20 else {
                throw DataFolioError.corrupt("Parquet", "column '\(column)' is FIXED_LEN_BYTE_ARRAY with length \(width)")
            }
            switch (logical, converted) {
            case (.float16?, _) where width == 2: type = .float16
            case (.decimal(let scale, let precision)?, _):
                type = try decimal(precision: precision, scale: scale, column: column)
            case (nil, .decimal?):
                type = try decimal(precision: element.precision, scale: element.scale, column: column)
            default: type = .fixedSizeBinary(width)
            }
        default:
            throw DataFolioError.unsupported("Parquet", "column '\(column)' has physical \(leaf.physicalType)")
        }
        if case .timestamp(let u, let zone) = type {
            let unit = hints.seconds && u == .millisecond && leaf.physicalType == .int64 ? .second : u
            type = .timestamp(unit, timeZone: hints.timeZone ?? zone)
        }
        if hints.categorical && (type == .string || type == .binary) {
            type = .dictionary(type, ordered: hints.ordered)
        }
        return type
    }

    /// A sink that decodes `leaf` into columns of `type`.
    static func makeSink(
        for leaf: LeafColumn, type: ColumnType, capacity: Int, byteCapacity: Int
    ) throws(DataFolioError) -> LeafSink {
        let physical = leaf.physicalType
        switch (physical, type) {
        case (.boolean, .bool):
            return BoolSink(capacity: capacity)
        case (.int32, .int32), (.int32, .date):
            return NumericSink<Int32, Int32>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0, convert: nil,
                makeData: { .int32($0) })
        case (.int32, .uint32):
            return NumericSink<Int32, UInt32>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0, convert: nil,
                makeData: { .uint32($0) })
        case (.int32, .int8):
            return NumericSink<Int32, Int8>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0,
                convert: { s, d, n in for i in 0..<n { d[i] = Int8(truncatingIfNeeded: s[i]) } },
                makeData: { .int8($0) })
        case (.int32, .int16):
            return NumericSink<Int32, Int16>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0,
                convert: { s, d, n in for i in 0..<n { d[i] = Int16(truncatingIfNeeded: s[i]) } },
                makeData: { .int16($0) })
        case (.int32, .uint8):
            return NumericSink<Int32, UInt8>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0,
                convert: { s, d, n in for i in 0..<n { d[i] = UInt8(truncatingIfNeeded: s[i]) } },
                makeData: { .uint8($0) })
        case (.int32, .uint16):
            return NumericSink<Int32, UInt16>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0,
                convert: { s, d, n in for i in 0..<n { d[i] = UInt16(truncatingIfNeeded: s[i]) } },
                makeData: { .uint16($0) })
        case (.int64, .timestamp(.second, _)):
            return NumericSink<Int64, Int64>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0,
                convert: { s, d, n in for i in 0..<n { d[i] = s[i] / 1000 } },
                makeData: { .int64($0) })
        case (.int64, .int64), (.int64, .timestamp):
            return NumericSink<Int64, Int64>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0, convert: nil,
                makeData: { .int64($0) })
        case (.int64, .uint64):
            return NumericSink<Int64, UInt64>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0, convert: nil,
                makeData: { .uint64($0) })
        case (.float, .float32):
            return NumericSink<Float, Float>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0, convert: nil,
                makeData: { .float32($0) })
        case (.double, .float64):
            return NumericSink<Double, Double>(
                type: type, physical: physical, capacity: capacity, physicalZero: 0, zero: 0, convert: nil,
                makeData: { .float64($0) })
        case (.int32, .decimal):
            return FixedBytesSink(type: type, physical: physical, physicalWidth: 4, conversion: .decimalFromLittleEndian, capacity: capacity)
        case (.int64, .decimal):
            return FixedBytesSink(type: type, physical: physical, physicalWidth: 8, conversion: .decimalFromLittleEndian, capacity: capacity)
        case (.int96, .timestamp):
            return FixedBytesSink(type: type, physical: physical, physicalWidth: 12, conversion: .int96Nanoseconds, capacity: capacity)
        case (.fixedLenByteArray, .decimal):
            return FixedBytesSink(
                type: type, physical: physical, physicalWidth: Int(leaf.element.typeLength ?? 0),
                conversion: .decimalFromBigEndian, capacity: capacity)
        case (.fixedLenByteArray, .float16), (.fixedLenByteArray, .fixedSizeBinary):
            return FixedBytesSink(
                type: type, physical: physical, physicalWidth: Int(leaf.element.typeLength ?? 0), conversion: .identity,
                capacity: capacity)
        case (.byteArray, .string), (.byteArray, .binary), (.byteArray, .decimal):
            return ByteArraySink(type: type, capacity: capacity, byteCapacity: byteCapacity)
        case (.byteArray, .dictionary(let valueType, let ordered)):
            return DictionarySink(valueType: valueType, ordered: ordered, capacity: capacity)
        default:
            throw DataFolioError.unsupported("Parquet", "reading \(physical) as \(type.arrowName)")
        }
    }
}
