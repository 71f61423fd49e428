extension Column {
    /// The rows at `indices`, in that order; a negative index gives a null row. Indices
    /// must be below ``count`` (out of range traps, like `Array`).
    ///
    /// Lists keep their elements (null rows of a fixed-size list span `size` nulls), structs
    /// gather every field, dictionaries keep their dictionary.
    package func gathering(_ indices: [Int]) -> Column {
        var validity = Bitmap(count: indices.count, allValid: true)
        for (position, index) in indices.enumerated() where index < 0 || isNull(index) {
            validity[position] = false
        }
        func pick<T>(_ values: [T], _ zero: T) -> [T] {
            values.withUnsafeBufferPointer { source in indices.map { $0 < 0 ? zero : source[$0] } }
        }
        let data: ColumnData
        switch self.data {
        case .bool(let v): data = .bool(pick(v, false))
        case .int8(let v): data = .int8(pick(v, 0))
        case .int16(let v): data = .int16(pick(v, 0))
        case .int32(let v): data = .int32(pick(v, 0))
        case .int64(let v): data = .int64(pick(v, 0))
        case .uint8(let v): data = .uint8(pick(v, 0))
        case .uint16(let v): data = .uint16(pick(v, 0))
        case .uint32(let v): data = .uint32(pick(v, 0))
        case .uint64(let v): data = .uint64(pick(v, 0))
        case .float16(let v): data = .float16(pick(v, 0))
        case .float32(let v): data = .float32(pick(v, 0))
        case .float64(let v): data = .float64(pick(v, 0))
        case .bytes(let offsets, let values):
            var newOffsets: [Int64] = [0]
            newOffsets.reserveCapacity(indices.count + 1)
            var bytes: [UInt8] = []
            for index in indices {
                if index >= 0 { bytes.append(contentsOf: values[Int(offsets[index])..<Int(offsets[index + 1])]) }
                newOffsets.append(Int64(bytes.count))
            }
            data = .bytes(offsets: newOffsets, values: bytes)
        case .fixedBytes(let width, let values):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(width * indices.count)
            for index in indices {
                if index >= 0 {
                    bytes.append(contentsOf: values[(index * width)..<((index + 1) * width)])
                } else {
                    bytes.append(contentsOf: repeatElement(0, count: width))
                }
            }
            data = .fixedBytes(width: width, values: bytes)
        case .dictionary(let indexValues, let dictionary):
            data = .dictionary(indices: pick(indexValues, 0), dictionary: dictionary)
        case .list(let offsets, let values):
            var newOffsets: [Int64] = [0]
            newOffsets.reserveCapacity(indices.count + 1)
            var elements: [Int] = []
            var size = 0
            if case .fixedSizeList(_, let fixed) = type { size = fixed }
            for index in indices {
                if index >= 0 {
                    elements.append(contentsOf: Int(offsets[index])..<Int(offsets[index + 1]))
                } else {
                    elements.append(contentsOf: repeatElement(-1, count: size))
                }
                newOffsets.append(Int64(elements.count))
            }
            data = .list(offsets: newOffsets, values: values.gathering(elements))
        case .struct(let children):
            data = .struct(children.map { $0.gathering(indices) })
        }
        return Column(unchecked: name, type: type, count: indices.count, data: data, validity: validity)
    }
}
