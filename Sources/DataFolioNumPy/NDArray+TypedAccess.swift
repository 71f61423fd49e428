import DataFolioSupport
import Foundation

extension NDArray {
    /// Calls `body` with the elements as a typed buffer, without copying them — the way
    /// to hand an array to Accelerate, MLX or Core ML, or to loop over it at full speed.
    ///
    /// The element type must be the array's dtype exactly, and the array must be in
    /// native byte order and row-major (C) order; otherwise this throws `typeMismatch`
    /// rather than reinterpret the bytes. Convert first with ``nativeByteOrder()`` and
    /// ``rowMajor()`` (which copy), or read with ``values(as:)``.
    ///
    /// ```swift
    /// let total = try embeddings.withUnsafeBufferPointer(of: Float.self) { floats in
    ///     floats.reduce(0, +)
    /// }
    /// ```
    public func withUnsafeBufferPointer<Element: NDArrayElement, R>(
        of type: Element.Type, _ body: (UnsafeBufferPointer<Element>) throws -> R
    ) throws -> R {
        try checkLayout(for: Element.self)
        let bytes = storage.bytes
        guard let base = bytes.baseAddress, Int(bitPattern: base) % MemoryLayout<Element>.alignment == 0 else {
            if bytes.isEmpty { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            throw DataFolioError(
                .unsupportedFeature,
                "The array's bytes are not aligned for \(Element.self) (it is mapped from a file at an odd offset); read it with values(as:) instead.")
        }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: Element.self), count: count))
    }

    /// The element at `indices` (one per dimension, each within its dimension).
    ///
    /// ```swift
    /// let matrix = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])
    /// let x = try matrix[1, 2, as: Float.self]   // 6
    /// ```
    public subscript<Element: NDArrayElement>(_ indices: Int..., as type: Element.Type) -> Element {
        get throws(DataFolioError) {
            try element(at: indices, as: Element.self)
        }
    }

    /// The element at `indices` (one per dimension).
    public func element<Element: NDArrayElement>(at indices: [Int], as type: Element.Type = Element.self) throws(DataFolioError) -> Element {
        guard indices.count == rank else {
            throw DataFolioError(.invalidArgument, "An array of shape \(shape) needs \(rank) indices, not \(indices.count).")
        }
        var offset = 0
        var stride = 1
        let dimensions = order == .rowMajor ? Array(zip(indices, shape).reversed()) : Array(zip(indices, shape))
        for (index, size) in dimensions {
            guard index >= 0 && index < size else {
                throw DataFolioError(.invalidArgument, "Index \(index) is outside a dimension of \(size) (shape \(shape)).")
            }
            offset += index * stride
            stride *= size
        }
        guard dtype.nativeByteOrder == Element.dtype else { throw layoutMismatch(Element.self) }
        let byteOffset = offset * dtype.itemSize
        if Element.self == Bool.self, let flag = (storage.bytes[byteOffset] != 0) as? Element { return flag }
        var value = storage.bytes.loadUnaligned(fromByteOffset: byteOffset, as: Element.self)
        if !dtype.isNativeByteOrder { value = NDArray.byteSwapped(value) }
        return value
    }

    /// Row `index` of a row-major array: an array of one dimension less that shares this
    /// one's memory (nothing is copied).
    ///
    /// ```swift
    /// let second = try embeddings.row(1)   // shape [128] of an [N, 128] array
    /// ```
    public func row(_ index: Int) throws(DataFolioError) -> NDArray {
        let view = try rows(index..<(index + 1))
        return NDArray(dtype: dtype, shape: Array(shape.dropFirst()), order: .rowMajor, storage: view.storage)
    }

    /// Rows `range` of a row-major array, sharing this one's memory (nothing is copied).
    ///
    /// ```swift
    /// let batch = try embeddings.rows(0..<32)
    /// ```
    public func rows(_ range: Range<Int>) throws(DataFolioError) -> NDArray {
        guard let first = shape.first else {
            throw DataFolioError(.invalidArgument, "A 0-d array has no rows.")
        }
        guard range.lowerBound >= 0 && range.upperBound <= first else {
            throw DataFolioError(.invalidArgument, "Rows \(range) are outside the \(first) rows of this array.")
        }
        guard order == .rowMajor || rank == 1 else {
            throw DataFolioError(
                .unsupportedFeature, "Rows of a column-major array are not contiguous; convert it with rowMajor() first.")
        }
        let rowBytes = shape.dropFirst().reduce(dtype.itemSize, *)
        let bytes = (range.lowerBound * rowBytes)..<(range.upperBound * rowBytes)
        var newShape = shape
        newShape[0] = range.count
        return NDArray(dtype: dtype, shape: newShape, order: .rowMajor, storage: NDArrayStorage(sharing: storage, range: bytes))
    }

    /// An array of the bytes in `data`, interpreted as `dtype` elements of `shape`.
    ///
    /// ```swift
    /// let array = try NDArray(shape: [2], dtype: .float32, data: Data([0, 0, 128, 63, 0, 0, 0, 64]))  // [1, 2]
    /// ```
    public init(shape: [Int], dtype: DType, data: Data, order: Order = .rowMajor) throws(DataFolioError) {
        var result: Result<NDArray, DataFolioError> = .failure(DataFolioError(.invalidArgument, "No bytes."))
        data.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                result = .success(try NDArray(shape: shape, dtype: dtype, bytes: raw, order: order))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    private func checkLayout<Element: NDArrayElement>(for type: Element.Type) throws(DataFolioError) {
        guard dtype == Element.dtype else { throw layoutMismatch(Element.self) }
        guard order == .rowMajor || rank <= 1 else {
            throw DataFolioError(
                .typeMismatch, "The array is in column-major (Fortran) order; convert it with rowMajor() before reading it as a buffer.")
        }
    }

    private func layoutMismatch<Element>(_ type: Element.Type) -> DataFolioError {
        if dtype.nativeByteOrder == (type as? any NDArrayElement.Type)?.dtype {
            return DataFolioError(
                .typeMismatch, "The array is big-endian; convert it with nativeByteOrder() before reading it as \(Element.self).")
        }
        return DataFolioError(
            .typeMismatch, "The array holds \(dtype.name) elements, not \(Element.self); read it as its own type or convert it with values(as:).")
    }

    private static func byteSwapped<Element>(_ value: Element) -> Element {
        var copy = value
        Swift.withUnsafeMutableBytes(of: &copy) { bytes in
            var low = 0
            var high = bytes.count - 1
            while low < high {
                bytes.swapAt(low, high)
                low += 1
                high -= 1
            }
        }
        return copy
    }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
@available(macOS 11, iOS 14, tvOS 14, watchOS 7, *)
extension Float16: NDArrayElement {
    public static var dtype: DType { .float16 }
}
#endif
