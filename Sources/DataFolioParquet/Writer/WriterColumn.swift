import DataFolioSupport
import DataFolioTable

/// How one table column is stored: its schema nodes and the layout of its leaf.
struct WriterColumn: Sendable {
    let name: String
    let type: ColumnType
    /// The type of the stored values: the element type of a list, the value type of a
    /// dictionary, otherwise the column type.
    let valueType: ColumnType
    let isList: Bool
    let leaf: SchemaElement
    /// The schema nodes of the column, depth first.
    let elements: [SchemaElement]
    /// The leaf's path in the schema.
    let path: [String]

    var physical: ParquetPhysicalType { leaf.type ?? .int32 }
    var maxDefinitionLevel: Int { isList ? 3 : 1 }
    var maxRepetitionLevel: Int { isList ? 1 : 0 }

    init(name: String, type: ColumnType) throws(DataFolioError) {
        self.name = name
        self.type = type
        switch type {
        case .list(let element):
            if case .list = element {
                throw DataFolioError.unsupported("Parquet", "writing column '\(name)': a list of lists")
            }
            if case .dictionary = element {
                throw DataFolioError.unsupported("Parquet", "writing column '\(name)': a list of dictionary values")
            }
            isList = true
            valueType = element
            var group = SchemaElement(name: name)
            group.repetition = .optional
            group.numChildren = 1
            group.convertedType = .list
            group.logicalType = .list
            var repeated = SchemaElement(name: "list")
            repeated.repetition = .repeated
            repeated.numChildren = 1
            leaf = try WriterColumn.leafElement(name: "element", type: element, column: name)
            elements = [group, repeated, leaf]
            path = [name, "list", "element"]
        case .dictionary(let value, _):
            isList = false
            valueType = value
            leaf = try WriterColumn.leafElement(name: name, type: value, column: name)
            elements = [leaf]
            path = [name]
        default:
            isList = false
            valueType = type
            leaf = try WriterColumn.leafElement(name: name, type: type, column: name)
            elements = [leaf]
            path = [name]
        }
    }

    /// The number of bytes of a FIXED_LEN_BYTE_ARRAY decimal of `precision` digits.
    static func decimalByteWidth(precision: Int) -> Int {
        var width = 1
        // 10^precision - 1 must fit in a signed integer of `width` bytes.
        while Double(8 * width - 1) < (Double(precision) * 3.321928094887362).rounded(.up) { width += 1 }
        return width
    }

    private static func leafElement(name: String, type: ColumnType, column: String) throws(DataFolioError) -> SchemaElement {
        var element = SchemaElement(name: name)
        element.repetition = .optional
        func integer(_ physical: ParquetPhysicalType, bits: Int8, signed: Bool, converted: ConvertedType?) {
            element.type = physical
            element.logicalType = .integer(bitWidth: bits, isSigned: signed)
            element.convertedType = converted
        }
        switch type {
        case .bool: element.type = .boolean
        case .int8: integer(.int32, bits: 8, signed: true, converted: .int8)
        case .int16: integer(.int32, bits: 16, signed: true, converted: .int16)
        case .int32: element.type = .int32
        case .int64: element.type = .int64
        case .uint8: integer(.int32, bits: 8, signed: false, converted: .uint8)
        case .uint16: integer(.int32, bits: 16, signed: false, converted: .uint16)
        case .uint32: integer(.int32, bits: 32, signed: false, converted: .uint32)
        case .uint64: integer(.int64, bits: 64, signed: false, converted: .uint64)
        case .float16:
            element.type = .fixedLenByteArray
            element.typeLength = 2
            element.logicalType = .float16
        case .float32: element.type = .float
        case .float64: element.type = .double
        case .string:
            element.type = .byteArray
            element.logicalType = .string
            element.convertedType = .utf8
        case .binary: element.type = .byteArray
        case .fixedSizeBinary(let width):
            guard width > 0, width <= Int(Int32.max) else {
                throw DataFolioError.unsupported("Parquet", "writing column '\(column)': fixed-size binary of width \(width)")
            }
            element.type = .fixedLenByteArray
            element.typeLength = Int32(width)
        case .date:
            element.type = .int32
            element.logicalType = .date
            element.convertedType = .date
        case .timestamp(let unit, let timeZone):
            element.type = .int64
            let adjusted = timeZone != nil
            switch unit {
            case .second, .millisecond:
                element.logicalType = .timestamp(unit: .millis, isAdjustedToUTC: adjusted)
                if adjusted { element.convertedType = .timestampMillis }
            case .microsecond:
                element.logicalType = .timestamp(unit: .micros, isAdjustedToUTC: adjusted)
                if adjusted { element.convertedType = .timestampMicros }
            case .nanosecond:
                element.logicalType = .timestamp(unit: .nanos, isAdjustedToUTC: adjusted)
            }
        case .decimal(let precision, let scale):
            element.type = .fixedLenByteArray
            element.typeLength = Int32(decimalByteWidth(precision: precision))
            element.logicalType = .decimal(scale: Int32(scale), precision: Int32(precision))
            element.convertedType = .decimal
            element.scale = Int32(scale)
            element.precision = Int32(precision)
        case .dictionary, .list:
            throw DataFolioError.unsupported("Parquet", "writing column '\(column)' of type \(type.arrowName)")
        }
        return element
    }
}
