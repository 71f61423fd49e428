import DataFolioJSON
import DataFolioSupport
import Foundation

/// One kind of item (`item_type` of the catalog): how its payload is read back, how
/// `describe` lists it, and how `validate` checks it.
///
/// Each kind is one type in its own file, which also holds the public `add…` API of
/// that kind. Adding a kind means adding such a file and one line to
/// ``ItemKinds/all``.
protocol ItemKind: Sendable {
    /// The catalog `item_type` this kind handles.
    static var name: ItemKindName { get }
    /// Reads the item's content.
    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue
    /// The `↳` detail lines of `describe`, after the bullet line.
    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String]
    /// Checks that the payload is present and intact.
    static func validate(_ item: CatalogItem, in folio: DataFolio) -> PayloadVerdict
}

extension ItemKind {
    static func validate(_ item: CatalogItem, in folio: DataFolio) -> PayloadVerdict {
        folio.validatePayload(of: item)
    }
}

/// The registry of item kinds.
enum ItemKinds {
    static let all: [any ItemKind.Type] = [
        TableItem.self,
        ReferenceItem.self,
        ArrayItem.self,
        JSONItem.self,
        TimestampItem.self,
        FileItem.self,
        ModelItem.self,
        PyTorchItem.self,
    ]

    private static let byName: [String: any ItemKind.Type] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name.rawValue, $0) })

    /// The kind handling `itemType`, if known.
    static func kind(for itemType: String) -> (any ItemKind.Type)? {
        byName[itemType]
    }
}
