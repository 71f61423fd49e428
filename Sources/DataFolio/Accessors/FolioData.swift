import DataFolioJSON
import DataFolioSupport
import Foundation

/// Item access by member name: `folio.data.embeddings`.
///
/// ```swift
/// let means: [String: Double] = try folio.data.means.get()
/// let clean = try folio.data.clean.get(as: Table.self)
/// print(try folio.data.clean.inputs, try folio.data.raw.dependents)
/// print(try folio.data["runs/a/config"].item.description ?? "")   // names that are not identifiers
/// ```
///
/// A proxy only names an item: every property reads the folio when it is used (so it
/// always reflects the latest commit) and throws `itemNotFound` for a name that is not
/// there.
@dynamicMemberLookup
public struct FolioData: Sendable {
    let folio: DataFolio

    /// The item called `name`.
    public subscript(dynamicMember name: String) -> ItemProxy {
        ItemProxy(folio: folio, name: name)
    }

    /// The item called `name` (for names with `/`, `.` or `-`).
    public subscript(name: String) -> ItemProxy {
        ItemProxy(folio: folio, name: name)
    }

    /// The names of the current items.
    public var names: [String] { folio.itemNames }
}

/// One item seen through ``DataFolio/data``.
public struct ItemProxy: Sendable, CustomDebugStringConvertible {
    let folio: DataFolio
    /// The item name.
    public let name: String

    /// Whether the item exists.
    public var exists: Bool { folio.contains(name) }

    /// The catalog entry.
    public var item: CatalogItem {
        get throws(DataFolioError) { try folio.item(name) }
    }

    /// The content, as the kind of value the item holds.
    public var value: ItemValue {
        get throws(DataFolioError) { try folio.value(name) }
    }

    /// The content read as `type` (see ``DataFolio/get(_:as:)-8cdom``).
    ///
    /// ```swift
    /// let clean = try folio.data.clean.get(as: Table.self)
    /// ```
    public func get<Value: FolioReadable>(as type: Value.Type = Value.self) throws(DataFolioError) -> Value {
        try folio.get(name, as: Value.self)
    }

    /// The content decoded as `type` (see ``DataFolio/get(_:as:)-2y5ch``).
    ///
    /// ```swift
    /// let means: [String: Double] = try folio.data.means.get()
    /// ```
    public func get<Value: Decodable>(as type: Value.Type = Value.self) throws(DataFolioError) -> Value {
        try folio.get(name, as: Value.self)
    }

    /// The names of the items it was made from.
    public var inputs: [String] {
        get throws(DataFolioError) { try folio.inputs(of: name) }
    }

    /// The names of the items made from it.
    public var dependents: [String] {
        get throws(DataFolioError) { try folio.dependents(of: name) }
    }

    /// `ItemProxy('name', type='json_data': description)`.
    public var debugDescription: String {
        guard let item = try? folio.item(name) else { return "ItemProxy('\(name)', missing)" }
        return "ItemProxy('\(name)', type='\(item.itemType)': \(item.description ?? "(no description)"))"
    }
}

extension DataFolio {
    /// Member-style access to items: `folio.data.embeddings.get(as: NDArray.self)`,
    /// `folio.data.clean.inputs`.
    public var data: FolioData { FolioData(folio: self) }
}
