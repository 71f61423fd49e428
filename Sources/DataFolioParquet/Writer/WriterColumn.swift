import DataFolioSupport
import DataFolioTable

/// How a nested column's values map to definition and repetition levels, node by node.
///
/// `definition` is the definition level reached when the node holds a value (counting
/// every optional or repeated node above it and itself); a null node writes one less.
indirect enum WriteShape: Sendable {
    case leaf(definition: Int, nullable: Bool)
    case `struct`([WriteShape], definition: Int, nullable: Bool)
    /// A list (or map): an existing element writes `definition + 1` before its own levels,
    /// and every element after the first repeats at `repetition`.
    case list(WriteShape, definition: Int, nullable: Bool, repetition: Int)
}

/// One leaf (Parquet column chunk) of a table column.
struct WriterLeaf: Sendable {
    let element: SchemaElement
    /// The leaf's path in the schema.
    let path: [String]
    /// The type of the leaf's values (a dictionary column's value type is its dictionary's).
    let valueType: ColumnType
    let maxDefinitionLevel: Int
    let maxRepetitionLevel: Int
    /// The field taken at each struct on the way from the column to the leaf.
    let route: [Int]

    var physical: ParquetPhysicalType { element.type ?? .int32 }
}

/// How one table column is stored: its schema nodes, its leaves and, for nested
/// columns, the shape of its levels.
struct WriterColumn: Sendable {
    let name: String
    let type: ColumnType
    /// The schema nodes of the column, depth first.
    let elements: [SchemaElement]
    let leaves: [WriterLeaf]
    /// `nil` for a flat column (one optional leaf, levels from the validity alone).
    let shape: WriteShape?

    init(name: String, type: ColumnType) throws(DataFolioError) {
        self.name = name
        self.type = type
        var elements: [SchemaElement] = []
        var leaves: [WriterLeaf] = []
        let shape = try WriterColumn.build(
            name: name, type: type, repetition: .optional, path: [], route: [], definition: 0, repetitionLevel: 0,
            column: name, elements: &elements, leaves: &leaves)
        self.elements = elements
        self.leaves = leaves
        self.shape = type.isNested ? shape : nil
    }

    /// Appends the schema nodes of a field and returns its level shape.
    private static func build(
        name: String, type: ColumnType, repetition: Repetition, path: [String], route: [Int], definition parent: Int,
        repetitionLevel: Int, column: String, elements: inout [SchemaElement], leaves: inout [WriterLeaf]
    ) throws(DataFolioError) -> WriteShape {
        guard path.count < SchemaTree.maximumDepth - 2 else {
            throw DataFolioError.unsupported("Parquet", "writing column '\(column)': it nests deeper than \(SchemaTree.maximumDepth) levels")
        }
        let nullable = repetition == .optional
        let definition = parent + (nullable ? 1 : 0)
        let here = path + [name]
        switch type {
        case .struct(let fields):
            guard !fields.isEmpty else {
                throw DataFolioError.unsupported("Parquet", "writing column '\(column)': a struct without fields")
            }
            var group = SchemaElement(name: name)
            group.repetition = repetition
            group.numChildren = Int32(fields.count)
            elements.append(group)
            var children: [WriteShape] = []
            for (index, field) in fields.enumerated() {
                children.append(
                    try build(
                        name: field.name, type: field.type, repetition: field.isNullable ? .optional : .required, path: here,
                        route: route + [index], definition: definition, repetitionLevel: repetitionLevel, column: column,
                        elements: &elements, leaves: &leaves))
            }
            return .struct(children, definition: definition, nullable: nullable)
        case .list(let element), .largeList(let element), .fixedSizeList(let element, _):
            var group = SchemaElement(name: name)
            group.repetition = repetition
            group.numChildren = 1
            group.convertedType = .list
            group.logicalType = .list
            var repeated = SchemaElement(name: "list")
            repeated.repetition = .repeated
            repeated.numChildren = 1
            elements.append(group)
            elements.append(repeated)
            let child = try build(
                name: "element", type: element, repetition: .optional, path: here + ["list"], route: route,
                definition: definition + 1, repetitionLevel: repetitionLevel + 1, column: column, elements: &elements,
                leaves: &leaves)
            return .list(child, definition: definition, nullable: nullable, repetition: repetitionLevel + 1)
        case .map(let key, let value):
            var group = SchemaElement(name: name)
            group.repetition = repetition
            group.numChildren = 1
            group.convertedType = .map
            group.logicalType = .map
            var entries = SchemaElement(name: "key_value")
            entries.repetition = .repeated
            entries.numChildren = 2
            elements.append(group)
            elements.append(entries)
            let keyShape = try build(
                name: "key", type: key, repetition: .required, path: here + ["key_value"], route: route + [0],
                definition: definition + 1, repetitionLevel: repetitionLevel + 1, column: column, elements: &elements,
                leaves: &leaves)
            let valueShape = try build(
                name: "value", type: value, repetition: .optional, path: here + ["key_value"], route: route + [1],
                definition: definition + 1, repetitionLevel: repetitionLevel + 1, column: column, elements: &elements,
                leaves: &leaves)
            let entry = WriteShape.struct([keyShape, valueShape], definition: definition + 1, nullable: false)
            return .list(entry, definition: definition, nullable: nullable, repetition: repetitionLevel + 1)
        default:
            var valueType = type
            if case .dictionary(let value, _) = type {
                valueType = value
                if value.isNested {
                    throw DataFolioError.unsupported("Parquet", "writing column '\(column)': a dictionary of \(value.arrowName)")
                }
            }
            var leaf = try leafElement(name: name, type: valueType, column: column)
            leaf.repetition = repetition
            elements.append(leaf)
            leaves.append(
                WriterLeaf(
                    element: leaf, path: here, valueType: valueType, maxDefinitionLevel: definition,
                    maxRepetitionLevel: repetitionLevel, route: route))
            return .leaf(definition: definition, nullable: nullable)
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
        case .dictionary, .list, .largeList, .fixedSizeList, .struct, .map:
            throw DataFolioError.unsupported("Parquet", "writing column '\(column)' of type \(type.arrowName)")
        }
        return element
    }
}
