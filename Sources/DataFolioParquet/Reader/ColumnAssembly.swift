import DataFolioSupport
import DataFolioTable

extension ColumnHints {
    /// The hints the Arrow schema gives one (possibly nested) leaf.
    init(arrow hint: ArrowSchema.FieldHint?) {
        self.init()
        guard let hint else { return }
        categorical = hint.isDictionary
        ordered = hint.ordered
        timeZone = hint.timeZone
        seconds = hint.isSeconds
    }
}

extension NestedNode {
    /// The table type of the node; the Arrow schema refines it where its structure
    /// agrees (large and fixed-size lists, time zones, dictionary leaves).
    func columnType(column: String, hint: ArrowSchema.FieldHint?) throws(DataFolioError) -> ColumnType {
        switch kind {
        case .leaf(let leaf):
            return try TypeMapping.columnType(of: leaf, column: column, hints: ColumnHints(arrow: hint))
        case .struct(let fields):
            var types: [ColumnType.Field] = []
            for field in fields {
                let childHint = hint?.type == .struct ? hint?.child(named: field.name) : nil
                types.append(.init(field.name, try field.node.columnType(column: column, hint: childHint), isNullable: field.node.isNullable))
            }
            return .struct(types)
        case .list(let element):
            let listHint = hint.flatMap { [.list, .largeList, .fixedSizeList].contains($0.type) ? $0 : nil }
            let elementType = try element.columnType(column: column, hint: listHint?.children.first)
            switch listHint?.type {
            case .largeList?: return .largeList(elementType)
            case .fixedSizeList? where (listHint?.listSize ?? -1) >= 0: return .fixedSizeList(elementType, size: listHint?.listSize ?? 0)
            default: return .list(elementType)
            }
        case .map(let entry):
            guard case .struct(let parts) = entry.kind, parts.count == 2 else {
                throw DataFolioError.corrupt("Parquet", "column '\(column)' is a map without a key and a value")
            }
            let entries = hint?.type == .map ? hint?.children.first : nil
            let keyHint = entries.flatMap { $0.children.count == 2 ? $0.children[0] : nil }
            let valueHint = entries.flatMap { $0.children.count == 2 ? $0.children[1] : nil }
            return .map(
                key: try parts[0].node.columnType(column: column, hint: keyHint),
                value: try parts[1].node.columnType(column: column, hint: valueHint))
        }
    }
}

/// How the leaves of one table column read back into it: a tree of leaf plans and level
/// assemblers that mirrors the column's type.
indirect enum ColumnAssembly {
    case leaf(LeafPlan)
    /// A struct; `validity` is `nil` for a required struct (every slot holds one).
    case `struct`(validity: StructAssembler?, fields: [ColumnAssembly])
    case list(ListAssembler, element: ColumnAssembly)

    /// What a leaf's sink should reserve: its value slots and bytes of variable-length data.
    typealias Capacity = (LeafColumn) -> (slots: Int, bytes: Int)

    /// Plans the reading of `node` as a column of `type`, adding one plan per leaf to `plans`.
    static func plan(
        _ node: NestedNode, type: ColumnType, column: String, rows: Int, plans: inout [LeafPlan], capacity: Capacity
    ) throws(DataFolioError) -> ColumnAssembly {
        let first = plans.count
        // The assemblers of this node read the levels of its first leaf.
        func representative() throws(DataFolioError) -> LeafPlan {
            guard first < plans.count else { throw DataFolioError.corrupt("Parquet", "column '\(column)' has a group without leaves") }
            return plans[first]
        }
        // Inside a list the slots are elements, whose number only the levels tell.
        let topLevel = node.slotDefinition == 0 && node.slotRepetition == 0
        switch (node.kind, type) {
        case (.leaf(let leaf), _):
            let room = capacity(leaf)
            let sink = try TypeMapping.makeSink(
                for: leaf, type: type, capacity: topLevel ? rows : room.slots, byteCapacity: room.bytes)
            plans.append(LeafPlan(leaf: leaf, columnName: column, sink: sink, slotDefinition: node.slotDefinition))
            return .leaf(plans[plans.count - 1])
        case (.struct(let fields), .struct(let types)) where fields.count == types.count:
            var children: [ColumnAssembly] = []
            for (field, fieldType) in zip(fields, types) {
                children.append(try plan(field.node, type: fieldType.type, column: column, rows: rows, plans: &plans, capacity: capacity))
            }
            var validity: StructAssembler?
            if node.definition > node.slotDefinition {
                let assembler = StructAssembler(
                    slotDefinition: node.slotDefinition, slotRepetition: node.slotRepetition, definition: node.definition)
                try representative().consumers.append(assembler)
                validity = assembler
            }
            return .struct(validity: validity, fields: children)
        case (.list(let element), _), (.map(let element), _):
            let elementType: ColumnType
            if case .map(let key, let value) = type {
                elementType = .mapEntry(key: key, value: value)
            } else if let listElement = type.listElementType {
                elementType = listElement
            } else {
                throw DataFolioError.corrupt("Parquet", "column '\(column)': a list does not read as \(type.arrowName)")
            }
            let child = try plan(element, type: elementType, column: column, rows: rows, plans: &plans, capacity: capacity)
            let estimate = topLevel ? rows : capacity(try representative().leaf).slots
            let assembler = ListAssembler(node: node, columnName: column, capacity: estimate)
            try representative().consumers.append(assembler)
            return .list(assembler, element: child)
        default:
            throw DataFolioError.corrupt("Parquet", "column '\(column)': the schema does not read as \(type.arrowName)")
        }
    }

    /// The finished column.
    func finish(name: String, type: ColumnType, column: String) throws(DataFolioError) -> Column {
        switch (self, type) {
        case (.leaf(let plan), _):
            return try plan.sink.finish(name: name)
        case (.struct(let validity, let fields), .struct(let types)) where fields.count == types.count:
            var children: [Column] = []
            for (field, fieldType) in zip(fields, types) {
                children.append(try field.finish(name: fieldType.name, type: fieldType.type, column: column))
            }
            let count = validity?.slotCount ?? children.first?.count ?? 0
            for child in children where child.count != count {
                throw DataFolioError.corrupt(
                    "Parquet", "column '\(column)': field '\(child.name)' holds \(child.count) values but its struct has \(count)")
            }
            return try Column(name: name, type: type, count: count, data: .struct(children), validity: try validity?.validity.bitmap())
        case (.list(let assembler, let element), _):
            let elementType: ColumnType
            let elementName: String
            if case .map(let key, let value) = type {
                elementType = .mapEntry(key: key, value: value)
                elementName = "entries"
            } else {
                elementType = type.listElementType ?? type
                elementName = "element"
            }
            let values = try element.finish(name: elementName, type: elementType, column: column)
            return try assembler.finish(name: name, type: type, values: values)
        default:
            throw DataFolioError.corrupt("Parquet", "column '\(column)': the schema does not read as \(type.arrowName)")
        }
    }
}

extension ListAssembler {
    /// The list column around `values`.
    func finish(name: String, type: ColumnType, values: Column) throws(DataFolioError) -> Column {
        guard elementCount == Int64(values.count) else {
            throw DataFolioError.corrupt(
                "Parquet", "column '\(columnName)': its lists hold \(elementCount) elements but the element column has \(values.count) values")
        }
        let validity = try self.validity.bitmap()
        let finalOffsets = takeOffsets()
        if case .fixedSizeList(_, let size) = type {
            return try ListAssembler.fixedSize(
                name: name, type: type, size: size, offsets: finalOffsets, values: values, validity: validity, column: columnName)
        }
        return try Column(
            name: name, type: type, count: finalOffsets.count - 1, data: .list(offsets: finalOffsets, values: values), validity: validity)
    }

    /// A fixed-size list: Parquet stores a null row without elements, Arrow gives it
    /// `size` null ones.
    private static func fixedSize(
        name: String, type: ColumnType, size: Int, offsets: [Int64], values: Column, validity: Bitmap?, column: String
    ) throws(DataFolioError) -> Column {
        let rows = offsets.count - 1
        // The size comes from the file's Arrow schema: null rows must not make it allocate
        // more than the machine holds.
        let (spanned, overflow) = rows.multipliedReportingOverflow(by: size)
        guard !overflow, size >= 0 else {
            throw DataFolioError.corrupt("Parquet", "column '\(column)': \(rows) lists of \(size) values overflow")
        }
        try ReadLimits.checkAffordable(spanned, stride: MemoryLayout<Int>.stride)
        var indices: [Int] = []
        var padded = false
        for row in 0..<rows {
            let length = Int(offsets[row + 1] - offsets[row])
            if let validity, !validity[row], length == 0 {
                indices.append(contentsOf: repeatElement(-1, count: size))
                padded = true
                continue
            }
            guard length == size else {
                throw DataFolioError.corrupt(
                    "Parquet", "column '\(column)': row \(row) of a list of \(size) values holds \(length)")
            }
            indices.append(contentsOf: Int(offsets[row])..<Int(offsets[row + 1]))
        }
        let elements = padded ? values.gathering(indices) : values
        let step = Int64(size)
        let uniform = (0...rows).map { Int64($0) * step }
        return try Column(name: name, type: type, count: rows, data: .list(offsets: uniform, values: elements), validity: validity)
    }
}
