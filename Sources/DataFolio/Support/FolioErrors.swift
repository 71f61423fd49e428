import DataFolioSupport

extension DataFolioError.Code {
    /// The path holds no folio (no `items.json` or `metadata.json`).
    public static let notAFolio = Self("notAFolio")
    /// The folder exists, is not empty and is not a folio, so a folio cannot be created there.
    public static let folderNotEmpty = Self("folderNotEmpty")
    /// No item has the requested name.
    public static let itemNotFound = Self("itemNotFound")
    /// An item with that name exists and `overwrite` was not set.
    public static let itemExists = Self("itemExists")
    /// The item exists but holds another kind of data than requested.
    public static let wrongItemType = Self("wrongItemType")
    /// An item or snapshot name breaks the naming rules.
    public static let invalidName = Self("invalidName")
    /// The folio was opened read-only (or is a snapshot) and cannot be changed.
    public static let readOnly = Self("readOnly")
    /// Another process changed the folio since this instance last read it.
    public static let concurrentWrite = Self("concurrentWrite")
    /// `items.json` is missing, unreadable, or older than what this instance loaded.
    public static let catalogUnreadable = Self("catalogUnreadable")
    /// The catalog has a `schema_version` this library does not know.
    public static let unsupportedCatalogVersion = Self("unsupportedCatalogVersion")
    /// No snapshot has the requested name.
    public static let snapshotNotFound = Self("snapshotNotFound")
    /// A snapshot with that name exists already.
    public static let snapshotExists = Self("snapshotExists")
    /// An operation needs an explicit confirmation (for example a restore).
    public static let confirmationRequired = Self("confirmationRequired")
    /// A payload's bytes no longer match the checksum recorded in the catalog.
    public static let checksumMismatch = Self("checksumMismatch")
}

extension DataFolioError {
    static func itemNotFound(_ name: String, available: [String] = []) -> DataFolioError {
        var message = "No item named '\(name)' in this folio."
        if !available.isEmpty {
            let shown = available.prefix(12).joined(separator: ", ")
            message += " Items: \(shown)\(available.count > 12 ? ", …" : "")."
        }
        return DataFolioError(.itemNotFound, message)
    }

    static func wrongType(_ name: String, is actual: String, wanted: String) -> DataFolioError {
        DataFolioError(.wrongItemType, "Item '\(name)' is a \(actual) item, not \(wanted).")
    }

    static func readOnly(snapshot: String?) -> DataFolioError {
        if let snapshot {
            return DataFolioError(
                .readOnly,
                "This folio is a read-only view of snapshot '\(snapshot)'. Open the folio itself (not the snapshot) to make changes.")
        }
        return DataFolioError(.readOnly, "This folio was opened read-only. Open it without the read-only option to make changes.")
    }
}
