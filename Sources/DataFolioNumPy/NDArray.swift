import DataFolioSupport

/// An n-dimensional array of fixed-size elements: the Swift side of a numpy `ndarray`.
///
/// An `NDArray` is a value: a ``dtype``, a ``shape`` and the bytes of its elements,
/// stored contiguously in row-major (C) or column-major (Fortran) order. Large arrays
/// read from a file can be backed by a memory map; the bytes are copied only if you
/// mutate them.
///
/// ```swift
/// let embeddings = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])
/// let values: [Float] = try embeddings.values()        // row-major
/// print(embeddings.dtype.name, embeddings.shape)        // float32 [2, 3]
/// let data = try embeddings.npyData()                   // bytes of a .npy file
/// ```
public struct NDArray: Sendable {
    /// How elements are laid out in memory.
    public enum Order: Sendable, Hashable {
        /// The last index varies fastest (C order, numpy's default).
        case rowMajor
        /// The first index varies fastest (Fortran order).
        case columnMajor
    }

    /// The element type.
    public let dtype: DType
    /// The length of each dimension; `[]` for a 0-d (scalar) array.
    public let shape: [Int]
    /// The memory layout of the bytes.
    public let order: Order
    var storage: NDArrayStorage

    /// The number of elements (the product of the shape; 1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The number of bytes of element data.
    public var byteCount: Int { storage.bytes.count }
    /// Whether the bytes are a view of a memory-mapped file.
    public var isMemoryMapped: Bool { storage.isMapped }

    static func elementCount(_ shape: [Int], itemSize: Int) throws(DataFolioError) -> (count: Int, bytes: Int) {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw DataFolioError(.invalidArgument, "An array dimension cannot be negative (shape \(shape)).")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw DataFolioError(.limitExceeded, "The array shape \(shape) has more elements than memory can address.")
            }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow else {
            throw DataFolioError(.limitExceeded, "The array shape \(shape) needs more bytes than memory can address.")
        }
        return (count, bytes)
    }

    init(dtype: DType, shape: [Int], order: Order, storage: NDArrayStorage) {
        self.dtype = dtype
        self.shape = shape
        self.order = shape.count <= 1 ? .rowMajor : order
        self.storage = storage
    }

    /// Creates an array from raw element bytes.
    ///
    /// - Throws: ``DataFolioError`` when `bytes.count` is not `shape` × item size.
    public init(shape: [Int], dtype: DType, bytes: UnsafeRawBufferPointer, order: Order = .rowMajor) throws(DataFolioError) {
        let (_, byteCount) = try NDArray.elementCount(shape, itemSize: dtype.itemSize)
        guard byteCount == bytes.count else {
            throw DataFolioError(
                .invalidArgument,
                "An array of shape \(shape) and dtype \(dtype.name) needs \(byteCount) bytes, not \(bytes.count).")
        }
        self.init(dtype: dtype, shape: shape, order: order, storage: NDArrayStorage(copying: bytes))
    }

    /// Creates an array from raw element bytes.
    public init(shape: [Int], dtype: DType, bytes: [UInt8], order: Order = .rowMajor) throws(DataFolioError) {
        var result: Result<NDArray, DataFolioError> = .failure(DataFolioError(.invalidArgument, ""))
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                result = .success(try NDArray(shape: shape, dtype: dtype, bytes: raw, order: order))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    /// Creates an array whose bytes are filled in place by `initializer`, which must
    /// write every byte. This is how readers load data straight into the final buffer.
    public init(
        shape: [Int], dtype: DType, order: Order = .rowMajor,
        initializingBytesWith initializer: (UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        let (_, byteCount) = try NDArray.elementCount(shape, itemSize: dtype.itemSize)
        let storage = try NDArrayStorage.allocating(count: byteCount, fill: initializer)
        self.init(dtype: dtype, shape: shape, order: order, storage: storage)
    }

    /// Creates an array that shares bytes of a memory-mapped file, without copying.
    ///
    /// - Throws: ``DataFolioError`` when the region lies outside the file.
    package init(shape: [Int], dtype: DType, order: Order = .rowMajor, mapping file: MappedFile, offset: Int) throws(DataFolioError) {
        let (_, byteCount) = try NDArray.elementCount(shape, itemSize: dtype.itemSize)
        guard offset >= 0, offset <= file.bytes.count, byteCount <= file.bytes.count - offset else {
            throw DataFolioError(
                .truncatedData,
                "The file holds \(file.bytes.count) bytes, too few for an array of shape \(shape) and dtype \(dtype.name) at offset \(offset).")
        }
        self.init(dtype: dtype, shape: shape, order: order, storage: NDArrayStorage(mapping: file, offset: offset, count: byteCount))
    }

    /// Creates an array of the given shape from elements in row-major order.
    ///
    /// ```swift
    /// let matrix = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Int64])
    /// ```
    public init<Element: NDArrayElement>(shape: [Int], _ values: [Element]) throws(DataFolioError) {
        let (count, byteCount) = try NDArray.elementCount(shape, itemSize: Element.dtype.itemSize)
        guard count == values.count else {
            throw DataFolioError(.invalidArgument, "The shape \(shape) holds \(count) elements but \(values.count) were given.")
        }
        let storage = NDArrayStorage(count: byteCount) { buffer in
            Element.store(values, into: buffer)
        }
        self.init(dtype: Element.dtype, shape: shape, order: .rowMajor, storage: storage)
    }

    /// Creates a one-dimensional array.
    public init<Element: NDArrayElement>(_ values: [Element]) {
        let storage = NDArrayStorage(count: values.count * Element.dtype.itemSize) { buffer in
            Element.store(values, into: buffer)
        }
        self.init(dtype: Element.dtype, shape: [values.count], order: .rowMajor, storage: storage)
    }

    /// Creates a 0-d array holding one element.
    public init<Element: NDArrayElement>(scalar value: Element) {
        let storage = NDArrayStorage(count: Element.dtype.itemSize) { buffer in
            Element.store([value], into: buffer)
        }
        self.init(dtype: Element.dtype, shape: [], order: .rowMajor, storage: storage)
    }

    /// Creates an array of fixed-width Unicode strings (numpy `<U{length}`), padding each
    /// string with NUL characters. The length defaults to the longest string.
    public init(shape: [Int], strings: [String], length: Int? = nil) throws(DataFolioError) {
        let scalars = strings.map { Array($0.unicodeScalars) }
        let width = length ?? scalars.map(\.count).max() ?? 0
        let dtype = DType.unicode(length: width)
        let (count, byteCount) = try NDArray.elementCount(shape, itemSize: dtype.itemSize)
        guard count == strings.count else {
            throw DataFolioError(.invalidArgument, "The shape \(shape) holds \(count) elements but \(strings.count) strings were given.")
        }
        if let long = scalars.firstIndex(where: { $0.count > width }) {
            throw DataFolioError(.invalidArgument, "The string '\(strings[long])' is longer than the width \(width).")
        }
        let storage = NDArrayStorage(count: byteCount) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            for (i, string) in scalars.enumerated() {
                for (j, scalar) in string.enumerated() {
                    buffer.storeBytes(of: scalar.value.littleEndian, toByteOffset: (i * width + j) * 4, as: UInt32.self)
                }
            }
        }
        self.init(dtype: dtype, shape: shape, order: .rowMajor, storage: storage)
    }

    /// Creates an array of fixed-width byte strings (numpy `|S{length}`), NUL-padded.
    public init(shape: [Int], byteStrings: [[UInt8]], length: Int? = nil) throws(DataFolioError) {
        let width = length ?? byteStrings.map(\.count).max() ?? 0
        let dtype = DType.bytes(length: width)
        let (count, byteCount) = try NDArray.elementCount(shape, itemSize: dtype.itemSize)
        guard count == byteStrings.count else {
            throw DataFolioError(.invalidArgument, "The shape \(shape) holds \(count) elements but \(byteStrings.count) byte strings were given.")
        }
        guard byteStrings.allSatisfy({ $0.count <= width }) else {
            throw DataFolioError(.invalidArgument, "A byte string is longer than the width \(width).")
        }
        let storage = NDArrayStorage(count: byteCount) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            for (i, string) in byteStrings.enumerated() {
                for (j, byte) in string.enumerated() { buffer[i * width + j] = byte }
            }
        }
        self.init(dtype: dtype, shape: shape, order: .rowMajor, storage: storage)
    }

    /// An array of zeros.
    public static func zeros(shape: [Int], dtype: DType) throws(DataFolioError) -> NDArray {
        let (_, byteCount) = try elementCount(shape, itemSize: dtype.itemSize)
        let storage = try NDArrayStorage.allocating(count: byteCount) { buffer in buffer.initializeMemory(as: UInt8.self, repeating: 0) }
        return NDArray(dtype: dtype, shape: shape, order: .rowMajor, storage: storage)
    }

    /// Calls `body` with the element bytes, in ``order`` and in the dtype's byte order.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(storage.bytes)
    }

    /// Calls `body` with mutable element bytes, copying them first if they are shared
    /// or memory-mapped.
    public mutating func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        if storage.isMapped || storage.isView || !isKnownUniquelyReferenced(&storage) {
            storage = NDArrayStorage(copying: storage.bytes)
        }
        return try body(UnsafeMutableRawBufferPointer(mutating: storage.bytes))
    }

    /// The same array with a new shape of the same element count (row-major reading).
    public func reshaped(_ newShape: [Int]) throws(DataFolioError) -> NDArray {
        let (count, _) = try NDArray.elementCount(newShape, itemSize: dtype.itemSize)
        guard count == self.count else {
            throw DataFolioError(.invalidArgument, "Cannot reshape \(shape) (\(self.count) elements) to \(newShape) (\(count) elements).")
        }
        let source = rowMajor()
        return NDArray(dtype: dtype, shape: newShape, order: .rowMajor, storage: source.storage)
    }
}

extension NDArray: Equatable {
    /// Two arrays are equal when dtype (ignoring byte order) and shape match and their
    /// elements are bitwise equal in row-major order.
    public static func == (lhs: NDArray, rhs: NDArray) -> Bool {
        guard lhs.dtype.nativeByteOrder == rhs.dtype.nativeByteOrder, lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage && lhs.order == rhs.order && lhs.dtype == rhs.dtype { return true }
        let a = lhs.canonical()
        let b = rhs.canonical()
        return a.storage.bytes.elementsEqual(b.storage.bytes)
    }
}

extension NDArray: CustomStringConvertible {
    public var description: String {
        "NDArray(dtype: \(dtype.name), shape: \(shape))"
    }
}
