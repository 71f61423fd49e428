import DataFolioSupport

extension Table {
    /// The rows of several tables with the same columns, one after the other — for
    /// example the shards of a partitioned dataset.
    ///
    /// Columns are matched by name; every table must have the same column names and
    /// types. Fixed-width, string and binary columns are joined buffer by buffer; other
    /// kinds (dictionaries, lists, structs) value by value.
    ///
    /// ```swift
    /// let all = try Table(concatenating: [january, february])
    /// ```
    ///
    /// - Throws: ``DataFolioError`` `typeMismatch` when the schemas differ.
    public init(concatenating tables: [Table]) throws(DataFolioError) {
        guard let first = tables.first else {
            self.init()
            return
        }
        if tables.count == 1 {
            self = first
            return
        }
        var columns = [Column]()
        for column in first.columns {
            var parts = [Column]()
            for (tableIndex, table) in tables.enumerated() {
                guard let match = table[column.name], match.type == column.type else {
                    throw DataFolioError(
                        .typeMismatch,
                        "Cannot concatenate tables: table \(tableIndex + 1) has no column '\(column.name)' of type \(column.type.arrowName).")
                }
                parts.append(match)
            }
            columns.append(try Column(concatenating: parts))
        }
        for (tableIndex, table) in tables.enumerated() where table.columnCount != first.columnCount {
            throw DataFolioError(.typeMismatch, "Cannot concatenate tables: table \(tableIndex + 1) has \(table.columnCount) columns, the first has \(first.columnCount).")
        }
        try self.init(columns)
        indexColumnNames = first.indexColumnNames
    }
}

extension Column {
    /// The values of several columns of the same name and type, one after the other.
    init(concatenating parts: [Column]) throws(DataFolioError) {
        guard let first = parts.first else {
            throw DataFolioError(.invalidArgument, "Concatenating needs at least one column.")
        }
        let count = parts.reduce(0) { $0 + $1.count }
        var validity: Bitmap?
        if parts.contains(where: { $0.validity != nil }) {
            var combined = Bitmap(count: 0, allValid: true)
            for part in parts {
                for row in 0..<part.count { combined.append(!part.isNull(row)) }
            }
            validity = combined
        }
        func joined<Element>(_ extract: (ColumnData) -> [Element]?) -> [Element]? {
            var result = [Element]()
            result.reserveCapacity(count)
            for part in parts {
                guard let values = extract(part.data) else { return nil }
                result.append(contentsOf: values)
            }
            return result
        }
        let data: ColumnData?
        switch first.data {
        case .bool: data = joined { if case .bool(let v) = $0 { return v }; return nil }.map(ColumnData.bool)
        case .int8: data = joined { if case .int8(let v) = $0 { return v }; return nil }.map(ColumnData.int8)
        case .int16: data = joined { if case .int16(let v) = $0 { return v }; return nil }.map(ColumnData.int16)
        case .int32: data = joined { if case .int32(let v) = $0 { return v }; return nil }.map(ColumnData.int32)
        case .int64: data = joined { if case .int64(let v) = $0 { return v }; return nil }.map(ColumnData.int64)
        case .uint8: data = joined { if case .uint8(let v) = $0 { return v }; return nil }.map(ColumnData.uint8)
        case .uint16: data = joined { if case .uint16(let v) = $0 { return v }; return nil }.map(ColumnData.uint16)
        case .uint32: data = joined { if case .uint32(let v) = $0 { return v }; return nil }.map(ColumnData.uint32)
        case .uint64: data = joined { if case .uint64(let v) = $0 { return v }; return nil }.map(ColumnData.uint64)
        case .float16: data = joined { if case .float16(let v) = $0 { return v }; return nil }.map(ColumnData.float16)
        case .float32: data = joined { if case .float32(let v) = $0 { return v }; return nil }.map(ColumnData.float32)
        case .float64: data = joined { if case .float64(let v) = $0 { return v }; return nil }.map(ColumnData.float64)
        case .fixedBytes(let width, _):
            data = joined { if case .fixedBytes(let w, let v) = $0, w == width { return v }; return nil }
                .map { ColumnData.fixedBytes(width: width, values: $0) }
        case .bytes:
            var offsets: [Int64] = [0]
            offsets.reserveCapacity(count + 1)
            var values = [UInt8]()
            var matched = true
            for part in parts {
                guard case .bytes(let partOffsets, let partValues) = part.data, let base = partOffsets.first else {
                    matched = false
                    break
                }
                let shift = Int64(values.count) - base
                for offset in partOffsets.dropFirst() { offsets.append(offset + shift) }
                values.append(contentsOf: partValues[Int(base)..<Int(partOffsets.last ?? base)])
            }
            data = matched ? .bytes(offsets: offsets, values: values) : nil
        case .dictionary, .list, .struct:
            data = nil
        }
        if let data {
            self = try Column(name: first.name, type: first.type, count: count, data: data, validity: validity)
            return
        }
        var builder = try ColumnBuilder(name: first.name, type: first.type, capacity: count)
        for part in parts {
            for row in 0..<part.count { try builder.append(part[row]) }
        }
        self = builder.build()
    }
}
