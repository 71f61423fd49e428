import DataFolioJSON
import DataFolioSupport
import Foundation

/// How the folio reads, describes and checks one kind of item.
///
/// Each kind is one type in its own file, which also holds the public `add…` API of that
/// kind. Adding a kind means adding such a file and one line to ``ItemHandlers/all``.
protocol ItemHandler: Sendable {
    /// The catalog kind this handler reads.
    static var kind: ItemKind { get }
    /// Whether the handler reads this entry (several handlers may share a kind: a
    /// tensor set is an artifact, PyTorch weights are a model).
    static func handles(_ item: CatalogItem) -> Bool
    /// Reads the item's content.
    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content
    /// Where `describe` lists the item.
    static var describeSection: DescribeSection { get }
    /// The `↳` detail lines of `describe`, after the bullet line.
    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String]
    /// Checks that the payload is present and intact (telling `meter` what it hashes).
    static func validate(_ item: CatalogItem, in folio: DataFolio, meter: ValidationMeter?) -> PayloadVerdict
}

extension ItemHandler {
    static func handles(_ item: CatalogItem) -> Bool { item.kind == kind }

    static func validate(_ item: CatalogItem, in folio: DataFolio, meter: ValidationMeter?) -> PayloadVerdict {
        folio.validatePayload(of: item, meter: meter)
    }
}

/// A section of `describe`'s listing, in the Python datafolio's order.
struct DescribeSection: Hashable, Sendable {
    var title: String
    var rank: Int

    static let tables = DescribeSection(title: "Tables", rank: 0)
    static let arrays = DescribeSection(title: "Numpy Arrays", rank: 1)
    static let json = DescribeSection(title: "JSON Data", rank: 2)
    static let models = DescribeSection(title: "Models", rank: 3)
    static let artifacts = DescribeSection(title: "Artifacts", rank: 4)
    static let other = DescribeSection(title: "Other Items", rank: 5)
    static let timestamps = DescribeSection(title: "Timestamps", rank: 6)
}

/// The registry of item handlers; the first that handles an entry reads it.
enum ItemHandlers {
    static let all: [any ItemHandler.Type] = [
        TableItem.self,
        ReferenceItem.self,
        ArrayItem.self,
        JSONItem.self,
        TimestampItem.self,
        TensorSetItem.self,
        FileItem.self,
        PyTorchItem.self,
        ModelItem.self,
    ]

    /// The handler reading `item`, if this library knows its kind.
    static func handler(for item: CatalogItem) -> (any ItemHandler.Type)? {
        all.first { $0.handles(item) }
    }
}
