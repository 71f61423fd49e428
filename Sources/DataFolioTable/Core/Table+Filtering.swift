extension Table {
    /// The rows where `keep` is true, in order; `keep` has one flag per row (a mask of
    /// another length traps, like an index out of range).
    ///
    /// ```swift
    /// let evens = table.filtered((0..<table.rowCount).map { $0 % 2 == 0 })
    /// ```
    public func filtered(_ keep: [Bool]) -> Table {
        precondition(keep.count == rowCount, "A row mask of \(keep.count) flags for a table of \(rowCount) rows")
        let rows = keep.indices.filter { keep[$0] }
        if rows.count == rowCount { return self }
        return Table(unchecked: columns.map { $0.gathering(rows) }, rowCount: rows.count, indexColumnNames: indexColumnNames)
    }
}

extension Column {
    /// The values at `rows` (valid, ascending or not), in that order.
    func gathering(_ rows: [Int]) -> Column {
        func pick<T>(_ values: [T]) -> [T] {
            values.withUnsafeBufferPointer { source in rows.map { source[$0] } }
        }
        var validity: Bitmap?
        if let old = self.validity {
            var bits = Bitmap(count: rows.count, allValid: false)
            for (i, row) in rows.enumerated() where old[row] { bits[i] = true }
            validity = bits
        }
        let data: ColumnData
        switch self.data {
        case .bool(let v): data = .bool(pick(v))
        case .int8(let v): data = .int8(pick(v))
        case .int16(let v): data = .int16(pick(v))
        case .int32(let v): data = .int32(pick(v))
        case .int64(let v): data = .int64(pick(v))
        case .uint8(let v): data = .uint8(pick(v))
        case .uint16(let v): data = .uint16(pick(v))
        case .uint32(let v): data = .uint32(pick(v))
        case .uint64(let v): data = .uint64(pick(v))
        case .float16(let v): data = .float16(pick(v))
        case .float32(let v): data = .float32(pick(v))
        case .float64(let v): data = .float64(pick(v))
        case .bytes(let offsets, let values):
            var newOffsets = [Int64]()
            newOffsets.reserveCapacity(rows.count + 1)
            newOffsets.append(0)
            var bytes = [UInt8]()
            values.withUnsafeBufferPointer { values in
                for row in rows {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: values[Int(offsets[row])..<Int(offsets[row + 1])]))
                    newOffsets.append(Int64(bytes.count))
                }
            }
            data = .bytes(offsets: newOffsets, values: bytes)
        case .fixedBytes(let width, let values):
            var bytes = [UInt8]()
            bytes.reserveCapacity(rows.count * width)
            for row in rows { bytes.append(contentsOf: values[row * width..<(row + 1) * width]) }
            data = .fixedBytes(width: width, values: bytes)
        case .dictionary(let indices, let dictionary):
            data = .dictionary(indices: pick(indices), dictionary: dictionary)
        case .list(let offsets, let values):
            var newOffsets: [Int64] = [0]
            var elementRows: [Int] = []
            for row in rows {
                elementRows.append(contentsOf: Int(offsets[row])..<Int(offsets[row + 1]))
                newOffsets.append(Int64(elementRows.count))
            }
            data = .list(offsets: newOffsets, values: values.gathering(elementRows))
        }
        return Column(unchecked: name, type: type, count: rows.count, data: data, validity: validity)
    }
}

extension Column {
    /// A dictionary-encoded column as a plain column of its value type (other columns
    /// are returned as they are).
    ///
    /// ```swift
    /// let colour = Column(name: "colour", categories: ["red", nil, "red"])
    /// let plain = colour.decodingDictionary()   // a string column
    /// ```
    public func decodingDictionary() -> Column {
        guard case .dictionary(let indices, let dictionary) = data else { return self }
        guard dictionary.count > 0 else { return Column.nulls(name: name, type: dictionary.type, count: count) }
        var rows = [Int](repeating: 0, count: count)
        var valid = [Bool](repeating: true, count: count)
        for row in 0..<count {
            if isNull(row) {
                valid[row] = false
                continue
            }
            let index = Int(indices[row])
            rows[row] = index
            if dictionary.isNull(index) { valid[row] = false }
        }
        let values = dictionary.gathering(rows)
        let validity = valid.contains(false) ? Bitmap(valid) : nil
        return Column(unchecked: name, type: dictionary.type, count: count, data: values.data, validity: validity)
    }
}
