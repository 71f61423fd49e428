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
    static func validate(_ item: CatalogItem, in folio: DataFolio) -> ItemValidation
}

extension ItemKind {
    static func validate(_ item: CatalogItem, in folio: DataFolio) -> ItemValidation {
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

/// The outcome of checking one item.
public struct ItemValidation: Sendable, Hashable {
    /// What the check found.
    public enum Status: String, Sendable, Hashable {
        /// The payload (or referenced data) is present and matches its checksum.
        case valid
        /// The payload is missing, unreadable or changed.
        case damaged
        /// The data could not be checked (for example a reference to a cloud store).
        case unchecked
    }

    /// What the check found.
    public var status: Status
    /// Why the item is damaged or unchecked.
    public var problem: String?

    /// Whether the item passed (unchecked items are not counted as failures).
    public var isValid: Bool { status != .damaged }

    static let valid = ItemValidation(status: .valid, problem: nil)
    static func invalid(_ problem: String) -> ItemValidation { ItemValidation(status: .damaged, problem: problem) }
    static func unchecked(_ reason: String) -> ItemValidation { ItemValidation(status: .unchecked, problem: reason) }
}
