import DataFolioJSON
import DataFolioSupport
import Foundation

/// `included_table` items: a table stored in the folio as Parquet.
enum TableItem: ItemKind {
    static let name = ItemKindName.includedTable

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue {
        throw DataFolioError(.unsupportedFeature, "Reading tables is not available yet.")
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        context.sizeAndInputs(item)
    }
}

extension ReferenceItem {
    static func table(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> Never {
        throw DataFolioError(.unsupportedFeature, "Reading referenced tables is not available yet.")
    }
}

extension DataFolio {
    func decodeTableRows<Value: Decodable>(_ item: CatalogItem, as type: Value.Type) throws(DataFolioError) -> Value {
        throw DataFolioError(.unsupportedFeature, "Reading tables is not available yet.")
    }
}
