import DataFolio
import Foundation

/// The stable JSON shapes printed by `--json` options (documented in the README).
enum ItemSummary {
    /// `{"name", "type", "description", "inputs", "path", "size_bytes", "created_at", "version_id", …}`
    /// with the kind's own keys (`shape`/`dtype`, `data_type`, `num_rows`/`columns`, `iso_string`, `category`).
    /// `sizes` are the payload sizes by item name (`DataFolio.payloadSizes(of:)`), when
    /// many items are summarized at once; otherwise the item's size is looked up.
    static func json(_ item: CatalogItem, in folio: DataFolio, sizes: [String: Int]? = nil) -> JSONValue {
        var object: JSONObject = [
            "name": .string(item.name),
            "type": .string(item.itemType),
            "description": item.description.map(JSONValue.string) ?? .null,
            "inputs": .array(item.inputs.map(JSONValue.string)),
        ]
        object["path"] = folio.location(of: item).map(JSONValue.string) ?? .null
        let size = sizes.map { $0[item.name] } ?? folio.payloadSize(of: item)
        object["size_bytes"] = size.map { JSONValue.int(Int64($0)) } ?? .null
        object["created_at"] = item.createdAt.map(JSONValue.string) ?? .null
        object["version_id"] = item.versionID.map(JSONValue.string) ?? .null
        for key in ["shape", "dtype", "data_type", "num_rows", "num_cols", "columns", "iso_string", "category", "model_type", "table_format"] {
            if let value = item.fields[key] { object[key] = value }
        }
        return .object(object)
    }
}
