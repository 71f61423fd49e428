import DataFolio
import Foundation

/// The stable JSON shapes printed by `--json` options (documented in the README).
enum ItemSummary {
    /// `{"name", "type", "description", "inputs", "path", "size_bytes", "created_at", "version_id", …}`
    /// with the kind's own keys (`shape`/`dtype`, `data_type`, `num_rows`/`columns`, `iso_string`, `category`).
    static func json(_ item: CatalogItem, in folio: DataFolio) -> JSONValue {
        var object: JSONObject = [
            "name": .string(item.name),
            "type": .string(item.itemType),
            "description": item.description.map(JSONValue.string) ?? .null,
            "inputs": .array(item.inputs.map(JSONValue.string)),
        ]
        object["path"] = folio.location(of: item).map(JSONValue.string) ?? .null
        object["size_bytes"] = folio.payloadSize(of: item).map { JSONValue.int(Int64($0)) } ?? .null
        object["created_at"] = item.createdAt.map(JSONValue.string) ?? .null
        object["version_id"] = item.versionID.map(JSONValue.string) ?? .null
        for key in ["shape", "dtype", "data_type", "num_rows", "num_cols", "columns", "iso_string", "category", "model_type", "table_format"] {
            if let value = item.fields[key] { object[key] = value }
        }
        return .object(object)
    }
}
