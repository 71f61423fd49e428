import DataFolioJSON
import DataFolioSupport
import Foundation

/// Item access by member name: `folio.data.embeddings.content`.
///
/// ```swift
/// let emb = try folio.data.embeddings.content          // ItemValue
/// print(folio.data.clean.inputs, folio.data.raw.dependents)
/// print(folio.data["runs/a/config"].description ?? "")  // names that are not identifiers
/// ```
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

/// One item seen through ``DataFolio/data``. Properties read the folio each time, so a
/// proxy always reflects the latest commit.
public struct ItemProxy: Sendable, CustomDebugStringConvertible {
    let folio: DataFolio
    /// The item name.
    public let name: String

    /// Whether the item exists.
    public var exists: Bool { folio.contains(name) }

    /// The content, as the kind of value the item holds.
    ///
    /// - Throws: ``DataFolioError`` `itemNotFound` when there is no such item.
    public var content: ItemValue {
        get throws(DataFolioError) { try folio.value(name) }
    }

    /// The description, if any.
    public var description: String? {
        (try? folio.item(name))?.description
    }

    /// The raw `item_type`, or `nil` when there is no such item.
    public var type: String? { (try? folio.item(name))?.itemType }

    /// The payload path (or a referenced table's path or URI).
    public var path: String? {
        guard let item = try? folio.item(name) else { return nil }
        return folio.location(of: item)
    }

    /// The names of the items it was made from.
    public var inputs: [String] { (try? folio.inputs(of: name)) ?? [] }

    /// The names of the items made from it.
    public var dependents: [String] { (try? folio.dependents(of: name)) ?? [] }

    /// The catalog entry.
    public var metadata: JSONObject { (try? folio.item(name))?.fields ?? [:] }

    /// `ItemProxy('name', type='json_data': description)`.
    public var debugDescription: String {
        "ItemProxy('\(name)', type='\(type ?? "missing")': \(description ?? "(no description)"))"
    }
}

extension DataFolio {
    /// Member-style access to items: `folio.data.embeddings.content`,
    /// `folio.data.clean.inputs`.
    public var data: FolioData { FolioData(folio: self) }
}
