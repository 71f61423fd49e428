import DataFolioJSON
import DataFolioSupport
import Foundation

/// `model` items.
enum ModelItem: ItemKind {
    static let name = ItemKindName.model

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue {
        throw DataFolioError(.unsupportedFeature, "Reading models is not available yet.")
    }

    static func decode<Value: Decodable>(_ item: CatalogItem, as type: Value.Type, in folio: DataFolio) throws(DataFolioError) -> Value {
        throw DataFolioError(.unsupportedFeature, "Reading models is not available yet.")
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        context.sizeAndInputs(item)
    }
}

/// `pytorch_model` items.
enum PyTorchItem: ItemKind {
    static let name = ItemKindName.pytorchModel

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue {
        throw DataFolioError(.unsupportedFeature, "Reading PyTorch models is not available yet.")
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        context.sizeAndInputs(item)
    }
}
