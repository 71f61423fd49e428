import DataFolioJSON
import DataFolioSupport

/// A model saved the way a folio stores PyTorch models: a `.pt` file holding
/// `{"state_dict": OrderedDict[str, Tensor], "metadata": {"model_class": str,
/// "model_module": str, "init_args": {...}}}`, which `torch.load(path, weights_only=True)`
/// loads and which is enough to rebuild the module in Python.
///
/// ```swift
/// let checkpoint = TorchModelCheckpoint(
///     stateDictionary: weights, modelClass: "Net", modelModule: "models.net",
///     initArguments: ["hidden": 64, "dropout": 0.1])
/// try checkpoint.write(to: "net.pt")
/// let loaded = try TorchModelCheckpoint(contentsOf: "net.pt")
/// ```
public struct TorchModelCheckpoint: Sendable, Equatable {
    /// The module's parameters and buffers.
    public var stateDictionary: TensorDictionary
    /// The module's class name (`type(model).__name__`).
    public var modelClass: String
    /// The module that defines the class (`type(model).__module__`).
    public var modelModule: String
    /// The keyword arguments that rebuild the module: a JSON-like object.
    public var initArguments: JSONValue

    /// Creates a checkpoint.
    ///
    /// ```swift
    /// let checkpoint = TorchModelCheckpoint(
    ///     stateDictionary: weights, modelClass: "Net", modelModule: "models.net", initArguments: ["hidden": 64])
    /// ```
    public init(stateDictionary: TensorDictionary, modelClass: String, modelModule: String, initArguments: JSONValue = [:]) {
        self.stateDictionary = stateDictionary
        self.modelClass = modelClass
        self.modelModule = modelModule
        self.initArguments = initArguments
    }

    /// Reads the checkpoint layout from a loaded `.pt` value.
    ///
    /// ```swift
    /// let checkpoint = try TorchModelCheckpoint(try TorchFile.read(at: "net.pt"))
    /// print(checkpoint.modelClass)
    /// ```
    ///
    /// - Throws: `DataFolioError` with code `typeMismatch` when the value does not have
    ///   the layout.
    public init(_ value: TorchValue) throws(DataFolioError) {
        guard case .dict = value, let state = value["state_dict"], let metadata = value["metadata"] else {
            throw DataFolioError(.typeMismatch, "The PyTorch data is not a model checkpoint: it needs 'state_dict' and 'metadata' entries.")
        }
        guard let modelClass = metadata["model_class"]?.stringValue, let modelModule = metadata["model_module"]?.stringValue else {
            throw DataFolioError(.typeMismatch, "The checkpoint metadata needs 'model_class' and 'model_module' strings.")
        }
        self.stateDictionary = try state.stateDictionary()
        self.modelClass = modelClass
        self.modelModule = modelModule
        self.initArguments = try metadata["init_args"].map { v throws(DataFolioError) in try v.jsonValue() } ?? [:]
    }

    /// Reads a checkpoint file.
    ///
    /// ```swift
    /// let checkpoint = try TorchModelCheckpoint(contentsOf: "net.pt")
    /// print(checkpoint.stateDictionary.names)
    /// ```
    public init(contentsOf path: String, options: TorchReadOptions = TorchReadOptions()) throws(DataFolioError) {
        try self.init(TorchFile.read(at: path, options: options))
    }

    /// The checkpoint as the value `torch.save` would write.
    public var torchValue: TorchValue {
        let metadata = TorchDictionary([
            TorchPair(.string("model_class"), .string(modelClass)),
            TorchPair(.string("model_module"), .string(modelModule)),
            TorchPair(.string("init_args"), TorchValue(json: initArguments)),
        ])
        return .dict(TorchDictionary([
            TorchPair(.string("state_dict"), .stateDictionary(stateDictionary)),
            TorchPair(.string("metadata"), .dict(metadata)),
        ]))
    }

    /// Writes the checkpoint as a `.pt` file.
    ///
    /// ```swift
    /// try checkpoint.write(to: "net.pt")
    /// ```
    public func write(to path: String, options: TorchWriteOptions = TorchWriteOptions()) throws(DataFolioError) {
        try TorchFile.write(torchValue, to: path, options: options)
    }
}

extension TorchValue {
    /// The Python value of a JSON value: `dict`, `list`, `str`, `int`, `float`, `bool`, `None`.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .float(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .list(items.map(TorchValue.init(json:)))
        case .object(let object): self = .dict(TorchDictionary(object.map { TorchPair(.string($0.key), TorchValue(json: $0.value)) }))
        }
    }

    /// The value as JSON: dictionaries with string keys, lists and tuples, strings,
    /// numbers, booleans and `None`.
    ///
    /// - Throws: `DataFolioError` with code `typeMismatch` for tensors and other values
    ///   JSON cannot hold.
    public func jsonValue() throws(DataFolioError) -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number): return .double(number)
        case .string(let text): return .string(text)
        case .list(let items), .tuple(let items):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.jsonValue()) }
            return .array(values)
        case .dict(let dictionary):
            var object = JSONObject()
            for pair in dictionary.entries {
                guard case .string(let key) = pair.key else {
                    throw DataFolioError(.typeMismatch, "A dictionary key \(pair.key) is not a string, so the value cannot become JSON.")
                }
                object[key] = try pair.value.jsonValue()
            }
            return .object(object)
        default:
            throw DataFolioError(.typeMismatch, "The value \(self) cannot be represented as JSON.")
        }
    }
}
