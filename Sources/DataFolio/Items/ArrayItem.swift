import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import Foundation

/// `numpy_array` items: an `NDArray` stored as `.npy`.
enum ArrayItem: ItemKind {
    static let name = ItemKindName.numpyArray

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue {
        .array(try array(of: item, in: folio))
    }

    static func array(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> NDArray {
        throw DataFolioError(.unsupportedFeature, "Reading arrays is not available yet.")
    }

    /// Fast paths for flat numeric arrays requested as `[Float]`, `[Double]`, `[Int64]`, ….
    static func typedValues<Value>(_ array: NDArray, as type: Value.Type) throws(DataFolioError) -> Value? {
        nil
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        let shape = item.fields["shape"]?.arrayValue?.compactMap(\.intValue) ?? []
        var lines = ["shape: [" + shape.map(String.init).joined(separator: ", ") + "], dtype: \(item.fields["dtype"]?.stringValue ?? "?")"]
        lines += context.sizeAndInputs(item)
        return lines
    }
}

extension NDArray {
    /// The array as nested JSON lists (numbers, booleans or strings), row-major.
    func jsonValue() throws(DataFolioError) -> JSONValue {
        throw DataFolioError(.unsupportedFeature, "Converting arrays to JSON is not available yet.")
    }
}
