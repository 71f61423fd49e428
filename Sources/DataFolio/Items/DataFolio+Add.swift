import DataFolioJSON
import DataFolioSupport
import Foundation

/// What every new item has in common, whatever its kind.
struct NewItem {
    var name: String
    var kind: ItemKind
    /// `nil` keeps the replaced version's description on overwrite; `""` clears it.
    var description: String?
    var inputs: [String]?
    var overwrite: Bool
    /// The payload file's extension including the dot (`.json`), `""` for none, or
    /// `nil` for items without a payload (references).
    var fileExtension: String?
}

/// The kind-specific part of a new catalog entry.
struct KindFields {
    /// Keys placed after `name`, `item_type` and `filename` (they include `created_at`).
    var fields: JSONObject
    /// Keys placed after `description` and `inputs`.
    var extras: JSONObject = [:]
}

extension DataFolio {
    /// Adds (or overwrites) an item in one commit: validates the name first, mints a
    /// version id, lets `payload` write the file at its final, never-reused path, and
    /// builds the catalog entry in the key order the Python datafolio uses.
    @discardableResult
    func addItem(
        _ new: NewItem,
        payload: (Transaction, _ relativePath: String?) throws(DataFolioError) -> KindFields
    ) throws(DataFolioError) -> CatalogItem {
        try NameRules.validateItemName(new.name)
        for input in new.inputs ?? [] where input.isEmpty {
            throw DataFolioError(.invalidArgument, "An input name of '\(new.name)' is empty.")
        }
        if new.inputs?.contains(new.name) == true {
            throw DataFolioError(.invalidArgument, "'\(new.name)' lists itself as an input; an item cannot be made from itself.", path: new.name)
        }
        var unknownInputs = [String]()
        let item = try commit { transaction throws(DataFolioError) -> CatalogItem in
            unknownInputs = (new.inputs ?? []).filter { transaction.catalog.current($0) == nil }
            let previous = transaction.catalog.current(new.name)
            if previous != nil && !new.overwrite {
                throw DataFolioError(.itemExists, "Item '\(new.name)' already exists in this folio.", path: new.name, remedy: .overwrite)
            }
            let folder = new.kind.folder ?? "artifacts"
            let versionID = transaction.mintVersionID(
                for: new.name, fileExtension: new.fileExtension, folder: new.fileExtension == nil ? nil : folder)
            var fields: JSONObject = ["name": .string(new.name), "item_type": .string(new.kind.rawValue)]
            var relativePath: String?
            if let ext = new.fileExtension {
                let filename = versionID + ext
                fields["filename"] = .string(filename)
                relativePath = folder + "/" + filename
            }
            let kindFields = try payload(transaction, relativePath)
            for (key, value) in kindFields.fields { fields[key] = value }
            if let description = new.description, !description.isEmpty {
                fields["description"] = .string(description)
            }
            if let inputs = new.inputs, !inputs.isEmpty {
                fields["inputs"] = .array(inputs.map(JSONValue.string))
            }
            for (key, value) in kindFields.extras { fields[key] = value }
            if !storage.isLocal, let checksum = fields["checksum"]?.stringValue {
                // Python's layout for cloud folios (see CatalogItem.checksum).
                fields["checksum"] = .null
                fields[CatalogItem.remoteChecksumKey] = .string(checksum)
            }
            fields["version_id"] = .string(versionID)
            if new.description == nil, let carried = previous?.fields["description"], carried.stringValue?.isEmpty == false {
                fields["description"] = carried
            }
            fields["is_current"] = .bool(true)
            // The payload's size, so listings need not ask the store for it (Python keeps
            // the key; it records it for tables in this place).
            if let relativePath, fields["size_bytes"] == nil, fields["file_size"] == nil,
                let size = transaction.writtenSizes[relativePath]
            {
                fields["size_bytes"] = .int(Int64(size))
            }
            let item = CatalogItem(fields: fields)
            try transaction.apply(.put(item, overwrite: new.overwrite))
            return item
        }
        if !unknownInputs.isEmpty {
            emit(FolioWarning(
                kind: .brokenLineage, item: new.name,
                message: "'\(new.name)' lists inputs that are not in this folio: \(unknownInputs.joined(separator: ", ")). Check the names (lineage is recorded as given)."))
        }
        return item
    }
}
