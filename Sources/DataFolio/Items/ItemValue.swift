import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import DataFolioTable
import DataFolioTensors
import Foundation

/// The content of an item, whatever its kind: what ``DataFolio/value(_:)-51mff`` returns when
/// the caller does not name a type.
///
/// Read the content through the accessor of its kind; the others are `nil`:
///
/// ```swift
/// let value = try folio.value("config")
/// if let json = value.json { print(json.formatted()) }
/// else if let array = value.array { print(array.shape) }
/// else if let reason = value.unreadableReason { print("cannot read:", reason) }
/// ```
///
/// A struct rather than an enum, so that a kind added later gains an accessor without
/// breaking your code.
public struct ItemValue: Sendable {
    /// What an item holds, by kind.
    enum Content: Sendable {
        case table(Table)
        case json(JSONValue)
        case array(NDArray)
        case timestamp(Date)
        case file(URL)
        case tensors(TensorDictionary)
        case model(ModelValue)
        case unreadable(String)
    }

    /// The item's catalog entry.
    public let item: CatalogItem
    let content: Content

    init(item: CatalogItem, content: Content) {
        self.item = item
        self.content = content
    }

    /// The item's kind.
    public var kind: ItemKind { item.kind }

    /// A table (`included_table`, or the data of a `referenced_table`).
    public var table: Table? {
        if case .table(let table) = content { return table }
        return nil
    }

    /// A JSON value (`json_data`).
    public var json: JSONValue? {
        if case .json(let value) = content { return value }
        return nil
    }

    /// An array (`numpy_array`).
    public var array: NDArray? {
        if case .array(let array) = content { return array }
        return nil
    }

    /// A point in time (`timestamp`).
    public var date: Date? {
        if case .timestamp(let date) = content { return date }
        return nil
    }

    /// The location of a stored file or folder (an `artifact`).
    public var fileURL: URL? {
        if case .file(let url) = content { return url }
        return nil
    }

    /// A tensor set (a `.safetensors` artifact), or the weights of a PyTorch model.
    public var tensors: TensorDictionary? {
        switch content {
        case .tensors(let tensors): return tensors
        case .model(let model): return model.pyTorch?.stateDict
        default: return nil
        }
    }

    /// A model (`model`).
    public var model: ModelValue? {
        if case .model(let model) = content { return model }
        return nil
    }

    /// Why the content could not be read: an item kind this version does not know.
    public var unreadableReason: String? {
        if case .unreadable(let reason) = content { return reason }
        return nil
    }

    /// A `wrongItemType` error for a caller that wanted `wanted`.
    func mismatch(wanted: String) -> DataFolioError {
        DataFolioError.wrongType(item.name, is: item.kind.displayName, wanted: wanted)
    }
}

/// A model as the folio holds it: a Swift `Codable` model (its JSON), PyTorch weights,
/// or a file only Python can load (scikit-learn's joblib or skops).
///
/// ```swift
/// let model = try folio.get("classifier", as: ModelValue.self)
/// print(model.format, model.modelType)
/// if let weights = model.pyTorch?.stateDict { print(weights.count, "tensors") }
/// ```
public struct ModelValue: Sendable {
    /// The catalog's `serialization_format`: `json`, `pytorch_state_dict`, `joblib`, `skops`.
    public var format: String
    /// The model's type or class name (`model_type`).
    public var modelType: String
    /// The JSON encoding of a Swift `Codable` model.
    public var json: JSONValue?
    /// PyTorch weights, with the class and init arguments that rebuild the module.
    public var pyTorch: PyTorchModel?
    /// The model's file, for formats only Python can load (on a local disk).
    public var fileURL: URL?

    init(format: String, modelType: String, json: JSONValue? = nil, pyTorch: PyTorchModel? = nil, fileURL: URL? = nil) {
        self.format = format
        self.modelType = modelType
        self.json = json
        self.pyTorch = pyTorch
        self.fileURL = fileURL
    }
}

/// A type that ``DataFolio/get(_:as:)-8cdom`` reads straight from an
/// item's content: `Table`, `NDArray`, `TensorDictionary`, `PyTorchModel`, `ModelValue`,
/// `ItemValue` — or your own type, built from one of those.
///
/// ```swift
/// struct Embeddings: FolioReadable {
///     var matrix: NDArray
///     init(folioValue value: ItemValue) throws(DataFolioError) {
///         guard let array = value.array, array.rank == 2 else {
///             throw DataFolioError(.wrongItemType, "'\(value.item.name)' is not a matrix.")
///         }
///         matrix = array
///     }
/// }
/// let embeddings = try folio.get("embeddings", as: Embeddings.self)
/// ```
///
/// `Decodable` types (your structs, `[Float]`, `Date`, `JSONValue`, rows of a table) are
/// read by the `Decodable` form of `get`.
public protocol FolioReadable {
    /// Creates the value from an item's content, or throws `wrongItemType`.
    init(folioValue value: ItemValue) throws(DataFolioError)
}

extension ItemValue: FolioReadable {
    /// Returns the value itself.
    ///
    /// ```swift
    /// let value = try folio.get("config", as: ItemValue.self)
    /// ```
    public init(folioValue value: ItemValue) throws(DataFolioError) {
        self = value
    }
}

extension Table: FolioReadable {
    /// Reads a table item.
    ///
    /// ```swift
    /// let clean = try folio.get("clean", as: Table.self)
    /// ```
    public init(folioValue value: ItemValue) throws(DataFolioError) {
        guard let table = value.table else { throw value.mismatch(wanted: "a table") }
        self = table
    }
}

extension NDArray: FolioReadable {
    /// Reads an array item.
    ///
    /// ```swift
    /// let embeddings = try folio.get("embeddings", as: NDArray.self)
    /// ```
    public init(folioValue value: ItemValue) throws(DataFolioError) {
        guard let array = value.array else { throw value.mismatch(wanted: "an array") }
        self = array
    }
}

extension TensorDictionary: FolioReadable {
    /// Reads a tensor set (a `.safetensors` file or PyTorch weights).
    ///
    /// ```swift
    /// let weights = try folio.get("weights", as: TensorDictionary.self)
    /// ```
    public init(folioValue value: ItemValue) throws(DataFolioError) {
        guard let tensors = value.tensors else { throw value.mismatch(wanted: "tensors (a .safetensors file or PyTorch weights)") }
        self = tensors
    }
}

extension ModelValue: FolioReadable {
    /// Reads a model item.
    ///
    /// ```swift
    /// let model = try folio.get("classifier", as: ModelValue.self)
    /// ```
    public init(folioValue value: ItemValue) throws(DataFolioError) {
        guard let model = value.model else { throw value.mismatch(wanted: "a model") }
        self = model
    }
}

extension PyTorchModel: FolioReadable {
    /// Reads a PyTorch model item.
    ///
    /// ```swift
    /// let net = try folio.get("net", as: PyTorchModel.self)
    /// ```
    public init(folioValue value: ItemValue) throws(DataFolioError) {
        guard let model = value.model?.pyTorch else { throw value.mismatch(wanted: "PyTorch weights") }
        self = model
    }
}
