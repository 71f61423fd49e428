import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import Foundation

extension DataFolio {
    /// The current entry of `name`, or an `itemNotFound` error that suggests close names.
    func requireItem(_ name: String) throws(DataFolioError) -> CatalogItem {
        let catalog = self.catalog
        guard let item = catalog.current(name) else {
            throw DataFolioError.noSuchItem(name, available: Array(catalog.currentNames))
        }
        return item
    }

    /// The current entry of `name`, checked to be of one of `kinds`.
    func requireItem(_ name: String, kinds: [ItemKind], wanted: String) throws(DataFolioError) -> CatalogItem {
        let item = try requireItem(name)
        guard kinds.contains(item.kind) else {
            throw DataFolioError.wrongType(name, is: item.kind.displayName, wanted: wanted)
        }
        return item
    }

    /// The content of an item, as the kind of value it holds.
    ///
    /// ```swift
    /// let value = try folio.value("embeddings")
    /// if let array = value.array { print(array.shape) }
    /// ```
    ///
    /// - Throws: `itemNotFound` (with the nearest names), or an error reading the payload.
    ///   An item of a kind this version does not know is returned with
    ///   ``ItemValue/unreadableReason`` set.
    public func value(_ name: String) throws(DataFolioError) -> ItemValue {
        try value(of: try requireItem(name))
    }

    func value(of item: CatalogItem) throws(DataFolioError) -> ItemValue {
        guard let handler = ItemHandlers.handler(for: item) else {
            return ItemValue(item: item, content: .unreadable("the item kind '\(item.itemType)' is not known to this version of DataFolio"))
        }
        do {
            return ItemValue(item: item, content: try handler.read(item, from: self))
        } catch {
            throw error.naming(item: item.name)
        }
    }

    /// An item read as `type`: a `Table`, an `NDArray`, a `TensorDictionary`, a
    /// `PyTorchModel`, a `ModelValue`, an `ItemValue`, or any other ``FolioReadable`` type.
    ///
    /// ```swift
    /// let clean = try folio.get("clean", as: Table.self)
    /// let embeddings: NDArray = try folio.get("embeddings")
    /// ```
    ///
    /// - Throws: `itemNotFound`; `wrongItemType` when the item holds another kind of value.
    public func get<Value: FolioReadable>(_ name: String, as type: Value.Type = Value.self) throws(DataFolioError) -> Value {
        try Value(folioValue: value(name))
    }

    /// An item decoded as any `Decodable` type:
    /// - a JSON item decodes from its value (`get("run", as: RunSettings.self)`);
    /// - a table decodes its rows (`get("clean", as: [Customer].self)`);
    /// - an array decodes from its nested lists, one-dimensional numeric arrays straight
    ///   into `[Float]`, `[Double]`, `[Int64]`, …;
    /// - a timestamp decodes as a `Date`;
    /// - a Swift `Codable` model decodes from its JSON;
    /// - a file item gives its location as a `URL`.
    ///
    /// ```swift
    /// let run = try folio.get("run", as: RunSettings.self)
    /// let rows: [Customer] = try folio.get("clean")
    /// let started: Date = try folio.get("started")
    /// ```
    ///
    /// - Throws: `itemNotFound`; `typeMismatch` (naming the item and where decoding
    ///   failed) when the content does not decode as `type`.
    public func get<Value: Decodable>(_ name: String, as type: Value.Type = Value.self) throws(DataFolioError) -> Value {
        let item = try requireItem(name)
        do {
            return try decode(item, as: Value.self)
        } catch {
            throw error.naming(item: name)
        }
    }

    private func decode<Value: Decodable>(_ item: CatalogItem, as type: Value.Type) throws(DataFolioError) -> Value {
        if Value.self == URL.self, item.kind == .artifact, let url = try payloadFile(of: item) as? Value {
            return url
        }
        let value = try value(of: item)
        switch value.content {
        case .json(let json):
            if let json = json as? Value { return json }
            return try JSONValueDecoder().decode(Value.self, from: json)
        case .timestamp(let date):
            if let date = date as? Value { return date }
            return try JSONValueDecoder().decode(Value.self, from: .string(ISOTimestamp.string(from: date)))
        case .array(let array):
            if let typed = try ArrayItem.typedValues(array, as: Value.self) { return typed }
            return try JSONValueDecoder().decode(Value.self, from: try array.jsonValue())
        case .table(let table):
            return try TableItem.decodeRows(table, of: item, as: Value.self)
        case .model(let model):
            if let json = model.json { return try JSONValueDecoder().decode(Value.self, from: json) }
            if model.pyTorch != nil {
                throw DataFolioError(
                    .typeMismatch, "'\(item.name)' holds PyTorch weights, which decode as no Swift type; read them as PyTorchModel or TensorDictionary.")
            }
            let loader = model.format == "skops" ? "skops.io.load" : "joblib.load"
            throw DataFolioError(
                .unsupportedFeature,
                "'\(item.name)' is a \(model.modelType) model saved by Python with \(model.format) (scikit-learn); only Python can load it (datafolio's get_model('\(item.name)') or \(loader)). The file is \(item.relativePayloadPath ?? "missing").")
        default:
            throw DataFolioError(
                .typeMismatch, "Item '\(item.name)' is a \(item.kind.displayName) item, which cannot be decoded as \(Value.self).")
        }
    }
}

extension DataFolioError {
    /// The same error, its message prefixed with the item it is about (unless it names
    /// it already).
    func naming(item name: String) -> DataFolioError {
        guard !problem.contains("'\(name)'") else { return self }
        var copy = self
        copy.problem = "Item '\(name)': " + problem
        return copy
    }
}
