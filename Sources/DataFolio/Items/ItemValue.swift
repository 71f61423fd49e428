import DataFolioJSON
import DataFolioNumPy
import DataFolioTable
import DataFolioTensors
import Foundation

/// The content of an item, whatever its kind: what ``DataFolio/value(_:)`` returns
/// when the caller does not name a type.
///
/// ```swift
/// switch try folio.value("config") {
/// case .json(let value): print(value.formatted())
/// case .array(let array): print(array.shape)
/// default: break
/// }
/// ```
public enum ItemValue: Sendable {
    /// A table (`included_table`, or the data of a `referenced_table`).
    case table(Table)
    /// A JSON value (`json_data`).
    case json(JSONValue)
    /// An array (`numpy_array`).
    case array(NDArray)
    /// A point in time (`timestamp`).
    case timestamp(Date)
    /// The location of a stored file or folder (`artifact`).
    case file(URL)
    /// A tensor set (a `.safetensors` artifact).
    case tensors(TensorDictionary)
    /// A model (`model` or `pytorch_model`).
    case model(ModelValue)
    /// An item of a type this library cannot read; its catalog entry.
    case unreadable(CatalogItem, reason: String)
}
