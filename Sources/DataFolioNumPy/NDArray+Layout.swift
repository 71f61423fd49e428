import DataFolioSupport

extension NDArray {
    /// The same elements stored in row-major (C) order. Shares the bytes when they are
    /// already laid out that way; copies them otherwise.
    ///
    /// ```swift
    /// let fortran = try NDArray(contentsOfNPY: "fortran.npy")   // order == .columnMajor
    /// let c = fortran.rowMajor()                                 // same values, C order
    /// ```
    public func rowMajor() -> NDArray {
        guard order == .columnMajor, !hasOrderIndependentLayout else {
            return NDArray(dtype: dtype, shape: shape, order: .rowMajor, storage: storage)
        }
        // Column-major bytes of shape S are the row-major bytes of reversed(S), so
        // reversing the axes of that array gives the row-major bytes of S.
        let transposed = NDArray.reversingAxes(storage.bytes, rowMajorShape: shape.reversed(), itemSize: dtype.itemSize)
        return NDArray(dtype: dtype, shape: shape, order: .rowMajor, storage: transposed)
    }

    /// The same elements stored in column-major (Fortran) order. Shares the bytes when
    /// they are already laid out that way; copies them otherwise.
    ///
    /// ```swift
    /// let fortran = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Int32]).columnMajor()
    /// try fortran.writeNPY(toFile: "f.npy")   // np.load gives a Fortran-ordered array
    /// ```
    public func columnMajor() -> NDArray {
        guard shape.count > 1 else { return self }
        guard order == .rowMajor, !hasOrderIndependentLayout else {
            return NDArray(dtype: dtype, shape: shape, order: .columnMajor, storage: storage)
        }
        let transposed = NDArray.reversingAxes(storage.bytes, rowMajorShape: shape, itemSize: dtype.itemSize)
        return NDArray(dtype: dtype, shape: shape, order: .columnMajor, storage: transposed)
    }

    /// Whether row-major and column-major layouts hold the same bytes: no elements, or
    /// at most one dimension longer than 1.
    var hasOrderIndependentLayout: Bool {
        count == 0 || shape.lazy.filter({ $0 != 1 }).count <= 1
    }

    /// The same elements in native (little-endian) byte order. Shares the bytes when
    /// they already are; copies and swaps them otherwise.
    ///
    /// ```swift
    /// let big = try NDArray(contentsOfNPY: "big-endian.npy")   // dtype >f8
    /// let native = big.nativeByteOrder()                        // dtype float64
    /// ```
    public func nativeByteOrder() -> NDArray {
        guard dtype.byteOrder == .bigEndian else { return self }
        let unit: Int
        switch dtype.kind {
        case .complex: unit = dtype.itemSize / 2
        case .unicode: unit = 4
        default: unit = dtype.itemSize
        }
        let source = storage.bytes
        let swapped = NDArrayStorage(count: source.count) { target in
            guard let from = source.baseAddress, let to = target.baseAddress else { return }
            switch unit {
            case 2: NDArray.swapBytes(UInt16.self, from: from, to: to, byteCount: source.count)
            case 4: NDArray.swapBytes(UInt32.self, from: from, to: to, byteCount: source.count)
            case 8: NDArray.swapBytes(UInt64.self, from: from, to: to, byteCount: source.count)
            default: to.copyMemory(from: from, byteCount: source.count)
            }
        }
        return NDArray(dtype: dtype.nativeByteOrder, shape: shape, order: order, storage: swapped)
    }

    /// Row-major, native byte order and aligned for the element type: the form typed
    /// accessors read.
    func canonical() -> NDArray {
        let result = nativeByteOrder().rowMajor()
        let alignment = result.dtype.elementAlignment
        if let base = result.storage.bytes.baseAddress, Int(bitPattern: base) % alignment != 0 {
            // Only arrays mapped at an odd file offset get here.
            return NDArray(dtype: result.dtype, shape: result.shape, order: .rowMajor, storage: NDArrayStorage(copying: result.storage.bytes))
        }
        return result
    }

    static func swapBytes<T: FixedWidthInteger>(_ type: T.Type, from: UnsafeRawPointer, to: UnsafeMutableRawPointer, byteCount: Int) {
        let size = MemoryLayout<T>.size
        var offset = 0
        while offset + size <= byteCount {
            let value = from.loadUnaligned(fromByteOffset: offset, as: T.self)
            to.storeBytes(of: value.byteSwapped, toByteOffset: offset, as: T.self)
            offset += size
        }
    }

    /// The row-major bytes of the array whose axes are those of `rowMajorShape`
    /// reversed, given the row-major bytes of `rowMajorShape`.
    static func reversingAxes(_ source: UnsafeRawBufferPointer, rowMajorShape shape: [Int], itemSize: Int) -> NDArrayStorage {
        NDArrayStorage(count: source.count) { target in
            guard let from = source.baseAddress, let to = target.baseAddress else { return }
            // Axes of length 1 do not move any byte.
            let axes = shape.filter { $0 != 1 }
            guard axes.count >= 2 else {
                to.copyMemory(from: from, byteCount: source.count)
                return
            }
            switch itemSize {
            case 1: reverseAxes(UInt8.self, from, to, axes, itemSize: 1)
            case 2: reverseAxes(UInt16.self, from, to, axes, itemSize: 2)
            case 4: reverseAxes(UInt32.self, from, to, axes, itemSize: 4)
            case 8: reverseAxes(UInt64.self, from, to, axes, itemSize: 8)
            case 16: reverseAxes(SIMD2<UInt64>.self, from, to, axes, itemSize: 16)
            default: reverseAxes(UInt8.self, from, to, axes, itemSize: itemSize)
            }
        }
    }

    /// Moves element (i0, …, iₙ₋₁) of a row-major array of shape `axes` to the offset
    /// of (iₙ₋₁, …, i0) in a row-major array of the reversed shape. For every index of
    /// the middle axes, the first and last axes form a 2-D transpose, done in small
    /// blocks so that both sides stay in cache.
    static func reverseAxes<T: BitwiseCopyable>(
        _ type: T.Type, _ from: UnsafeRawPointer, _ to: UnsafeMutableRawPointer, _ axes: [Int], itemSize: Int
    ) {
        let rank = axes.count
        var sourceStrides = [Int](repeating: 1, count: rank)   // row-major strides of `axes`
        var targetStrides = [Int](repeating: 1, count: rank)   // where each source axis lands
        for axis in stride(from: rank - 2, through: 0, by: -1) { sourceStrides[axis] = sourceStrides[axis + 1] * axes[axis + 1] }
        for axis in 1..<rank { targetStrides[axis] = targetStrides[axis - 1] * axes[axis - 1] }
        let rows = axes[0], columns = axes[rank - 1]
        let sourceRowStride = sourceStrides[0]
        let targetColumnStride = targetStrides[rank - 1]
        let typed = MemoryLayout<T>.size == itemSize
        let block = 32

        var middle = [Int](repeating: 0, count: rank)
        var sourceBase = 0, targetBase = 0
        while true {
            var rowStart = 0
            while rowStart < rows {
                let rowEnd = min(rowStart + block, rows)
                var columnStart = 0
                while columnStart < columns {
                    let columnEnd = min(columnStart + block, columns)
                    for row in rowStart..<rowEnd {
                        let sourceRow = sourceBase + row * sourceRowStride
                        let targetRow = targetBase + row
                        for column in columnStart..<columnEnd {
                            let s = (sourceRow + column) * itemSize
                            let t = (targetRow + column * targetColumnStride) * itemSize
                            if typed {
                                to.storeBytes(of: from.loadUnaligned(fromByteOffset: s, as: T.self), toByteOffset: t, as: T.self)
                            } else {
                                (to + t).copyMemory(from: from + s, byteCount: itemSize)
                            }
                        }
                    }
                    columnStart = columnEnd
                }
                rowStart = rowEnd
            }
            // Advance the odometer over the middle axes (1 ..< rank-1).
            var axis = rank - 2
            while axis >= 1 {
                middle[axis] += 1
                sourceBase += sourceStrides[axis]
                targetBase += targetStrides[axis]
                if middle[axis] < axes[axis] { break }
                sourceBase -= sourceStrides[axis] * axes[axis]
                targetBase -= targetStrides[axis] * axes[axis]
                middle[axis] = 0
                axis -= 1
            }
            if axis < 1 { return }
        }
    }
}

extension DType {
    /// The alignment typed element access needs.
    var elementAlignment: Int {
        switch kind {
        case .complex: return itemSize / 2
        case .unicode: return 4
        case .bytes: return 1
        default: return itemSize > 0 && itemSize <= 16 && itemSize & (itemSize - 1) == 0 ? itemSize : 1
        }
    }
}
