import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import Foundation

extension DataFolio {
    /// Adds an array, stored as a NumPy `.npy` file that `numpy.load` reads.
    ///
    /// ```swift
    /// let embeddings = try NDArray(shape: [1000, 128], vectors)   // vectors: [Float]
    /// try folio.add("embeddings", embeddings, inputs: ["clean"])
    /// ```
    @discardableResult
    public func add(
        _ name: String, _ array: NDArray, description: String? = nil, inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        guard array.dtype.numpyDescriptor != nil else {
            throw DataFolioError(
                .unsupportedFeature,
                "NumPy has no \(array.dtype.name) dtype, so this array cannot be stored as .npy. Convert it to float32, or store it in a tensor set (safetensors).")
        }
        let header = try array.npyHeader()
        let new = NewItem(name: name, kind: .numpyArray, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".npy")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.writePayload(at: path) { writer throws(DataFolioError) in
                try array.writeNPY(to: writer)
            }
            return KindFields(fields: [
                "checksum": .string(written.md5),
                "shape": .array(header.shape.map { .int(Int64($0)) }),
                "dtype": .string(array.dtype.name),
                "created_at": .string(ISOTimestamp.now()),
            ])
        }
    }

    /// An array item, mapped from its file without copying when `memoryMapped` is `true`
    /// and the folio is on a local disk (pages load on first access; elsewhere the array
    /// is read into memory).
    ///
    /// ```swift
    /// let big = try folio.get("embeddings", memoryMapped: true)
    /// ```
    public func get(_ name: String, as type: NDArray.Type = NDArray.self, memoryMapped: Bool) throws(DataFolioError) -> NDArray {
        let item = try requireItem(name, kinds: [.numpyArray], wanted: "an array")
        return try ArrayItem.array(of: item, in: self, memoryMapped: memoryMapped)
    }
}

/// `numpy_array` items: an `NDArray` stored as `.npy`.
enum ArrayItem: ItemHandler {
    static let kind = ItemKind.numpyArray
    static let describeSection = DescribeSection.arrays

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        .array(try array(of: item, in: folio))
    }

    static func array(of item: CatalogItem, in folio: DataFolio, memoryMapped: Bool = false) throws(DataFolioError) -> NDArray {
        try folio.payloadArray(of: item, memoryMapped: memoryMapped)
    }

    /// Fast paths for one-dimensional numeric arrays requested as `[Float]`, `[Double]`,
    /// `[Int64]`, …, which skip the JSON detour.
    static func typedValues<Value>(_ array: NDArray, as type: Value.Type) throws(DataFolioError) -> Value? {
        guard array.rank == 1 else { return nil }
        func typed<Element: NDArrayElement>(_: Element.Type) throws(DataFolioError) -> Value? {
            guard Element.dtype == array.dtype.nativeByteOrder else { return nil }
            return try array.values(as: Element.self) as? Value
        }
        switch type {
        case is [Float].Type: return try typed(Float.self)
        case is [Double].Type: return try typed(Double.self)
        case is [Int64].Type: return try typed(Int64.self)
        case is [Int32].Type: return try typed(Int32.self)
        case is [Int16].Type: return try typed(Int16.self)
        case is [Int8].Type: return try typed(Int8.self)
        case is [UInt64].Type: return try typed(UInt64.self)
        case is [UInt32].Type: return try typed(UInt32.self)
        case is [UInt16].Type: return try typed(UInt16.self)
        case is [UInt8].Type: return try typed(UInt8.self)
        case is [Bool].Type: return try typed(Bool.self)
        default: return nil
        }
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        let values = item.fields(["shape", "dtype"])
        let shapeValue = values[0]
        let shape = shapeValue?.arrayValue?.map { PythonText.repr($0) } ?? []
        let shapeText = shapeValue == nil ? "unknown" : "[" + shape.joined(separator: ", ") + "]"
        var lines = ["shape: \(shapeText), dtype: \(values[1].map(PythonText.str) ?? "unknown")"]
        lines += context.sizeAndInputs(item)
        return lines
    }
}
