import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport
import Foundation

extension DataFolio {
    /// The current entry of `name`, or an `itemNotFound` error listing what exists.
    func requireItem(_ name: String) throws(DataFolioError) -> CatalogItem {
        let catalog = self.catalog
        guard let item = catalog.current(name) else {
            throw DataFolioError.noSuchItem(name, available: Array(catalog.currentNames))
        }
        return item
    }

    /// The current entry of `name`, checked to be of one of `kinds`.
    func requireItem(_ name: String, kinds: [ItemKindName], wanted: String) throws(DataFolioError) -> CatalogItem {
        let item = try requireItem(name)
        guard let kind = item.kind, kinds.contains(kind) else {
            throw DataFolioError.wrongType(name, is: item.kind?.displayName ?? "'\(item.itemType)'", wanted: wanted)
        }
        return item
    }

    /// The content of an item, as the kind of value it holds.
    ///
    /// ```swift
    /// if case .array(let embeddings) = try folio.value("embeddings") { print(embeddings.shape) }
    /// ```
    public func value(_ name: String) throws(DataFolioError) -> ItemValue {
        let item = try requireItem(name)
        guard let kind = ItemKinds.kind(for: item.itemType) else {
            return .unreadable(item, reason: "the item type '\(item.itemType)' is not known to this version of DataFolio")
        }
        return try kind.read(item, from: self)
    }

    /// The content of a JSON item.
    ///
    /// ```swift
    /// let config: JSONValue = try folio.get("config")
    /// ```
    public func get(_ name: String) throws(DataFolioError) -> JSONValue {
        let item = try requireItem(name, kinds: [.jsonData], wanted: "JSON")
        return try JSONItem.value(of: item, in: self)
    }

    /// A timestamp item.
    public func get(_ name: String) throws(DataFolioError) -> Date {
        let item = try requireItem(name, kinds: [.timestamp], wanted: "a timestamp")
        return try TimestampItem.date(of: item, in: self)
    }

    /// The location of a file item's stored copy (a file or folder inside the folio).
    public func get(_ name: String) throws(DataFolioError) -> URL {
        let item = try requireItem(name, kinds: [.artifact], wanted: "a file")
        return try FileItem.url(of: item, in: self)
    }

    /// An item decoded as any `Decodable` type:
    /// - a JSON item decodes from its value (`let run: RunSettings = try folio.get("run")`);
    /// - an array item decodes from its nested lists (`let v: [Float] = try folio.get("emb")`);
    /// - a table decodes its rows (`let rows: [Customer] = try folio.get("clean")`);
    /// - a timestamp decodes as a `Date`.
    public func get<Value: Decodable>(_ name: String, as type: Value.Type = Value.self) throws(DataFolioError) -> Value {
        let item = try requireItem(name)
        switch item.kind {
        case .jsonData?:
            let json = try JSONItem.value(of: item, in: self)
            return try JSONValueDecoder().decode(Value.self, from: json)
        case .timestamp?:
            let date = try TimestampItem.date(of: item, in: self)
            if let date = date as? Value { return date }
            return try JSONValueDecoder().decode(Value.self, from: .string(ISOTimestamp.string(from: date)))
        case .numpyArray?:
            let array = try ArrayItem.array(of: item, in: self)
            if let typed = try ArrayItem.typedValues(array, as: Value.self) { return typed }
            return try JSONValueDecoder().decode(Value.self, from: try array.jsonValue())
        case .includedTable?, .referencedTable?:
            return try decodeTableRows(item, as: Value.self)
        case .model?:
            return try ModelItem.decode(item, as: Value.self, in: self)
        default:
            throw DataFolioError(
                .typeMismatch,
                "Item '\(name)' is a \(item.kind?.displayName ?? "'\(item.itemType)'") item, which cannot be decoded as \(Value.self).")
        }
    }
}
