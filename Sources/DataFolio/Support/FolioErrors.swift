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
    /// Another writer (an instance in this process or another) changed what a change
    /// touches since this instance last read it.
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

extension DataFolioError.Code {
    /// Waiting for another writer's lock took longer than the timeout.
    public static let lockTimeout = Self("lockTimeout")
}

extension DataFolioError.Remedy {
    /// Replace the existing item: `overwrite: true` (`--overwrite` on the command line).
    public static let overwrite = DataFolioError.Remedy("overwrite", advice: "Pass overwrite: true to replace it.")
    /// Another writer changed what this change depends on; the folio has read the newer
    /// catalog, so the change can be made again if it still makes sense.
    public static let reload = DataFolioError.Remedy("reload", advice: "This folio has read the newer catalog: look at the change again and repeat it if it still makes sense.")
    /// Create the folio in a folder that holds other files: the `allowExistingFolder`
    /// option (`--allow-existing`).
    public static let allowExistingFolder = DataFolioError.Remedy(
        "allowExistingFolder", advice: "Choose an empty or new folder, or pass the allowExistingFolder option to create the folio there anyway.")
    /// No folio exists yet: create one.
    public static let createFolio = DataFolioError.Remedy(
        "createFolio", advice: "Check the location, or open it without the readOnly / doNotCreate options to create a folio.")
    /// The name is taken: choose another, or remove the existing one first.
    public static let chooseAnotherName = DataFolioError.Remedy("chooseAnotherName", advice: "Choose another name, or delete the existing one first.")
    /// A payload is missing or damaged: list the damage with `validate()`.
    public static let validate = DataFolioError.Remedy("validate", advice: "Run validate() to list damaged items.")
    /// The folio was opened read-only.
    public static let openWritable = DataFolioError.Remedy("openWritable", advice: "Open the folio without the readOnly option to make changes.")
    /// The folio is on a read-only store: copy it somewhere writable and change the copy.
    public static let copyFolio = DataFolioError.Remedy(
        "copyFolio", advice: "Copy it to a folder or a bucket (copy(to:options:), or `datafolio pull`) and change the copy.")
    /// There is no snapshot yet: create one.
    public static let createSnapshot = DataFolioError.Remedy("createSnapshot", advice: "Create one first with createSnapshot(_:).")
    /// A snapshot view is read-only: change the folio itself.
    public static let changeTheFolio = DataFolioError.Remedy("changeTheFolio", advice: "Open the folio itself (not the snapshot) to make changes.")
}

extension DataFolioError {
    static func noSuchItem(_ name: String, available: [String] = []) -> DataFolioError {
        var message = "No item named '\(name)' in this folio."
        let nearest = NameSuggestions.nearest(to: name, among: available)
        if !nearest.isEmpty {
            message += " Did you mean " + nearest.map { "'\($0)'" }.joined(separator: " or ") + "?"
        } else if !available.isEmpty {
            let shown = available.prefix(12).joined(separator: ", ")
            message += " Items: \(shown)\(available.count > 12 ? ", …" : "")."
        }
        return DataFolioError(.itemNotFound, message, path: name)
    }

    static func noSuchSnapshot(_ name: String, available: [String]) -> DataFolioError {
        var message = "No snapshot named '\(name)' in this folio."
        let nearest = NameSuggestions.nearest(to: name, among: available)
        if !nearest.isEmpty {
            message += " Did you mean " + nearest.map { "'\($0)'" }.joined(separator: " or ") + "?"
        } else {
            message += available.isEmpty ? " It has no snapshots." : " Snapshots: \(available.joined(separator: ", "))."
        }
        return DataFolioError(.snapshotNotFound, message, path: name)
    }

    static func wrongType(_ name: String, is actual: String, wanted: String) -> DataFolioError {
        DataFolioError(.wrongItemType, "Item '\(name)' is a \(actual) item, not \(wanted).", path: name)
    }

    /// A change to a folio whose store refuses every change (a web server).
    static func readOnlyStore(_ location: String) -> DataFolioError {
        DataFolioError(
            .readOnly, "The folio at \(location) is on a read-only store (a web server), so it cannot be changed.", path: location,
            remedy: .copyFolio)
    }

    static func readOnly(snapshot: String?) -> DataFolioError {
        if let snapshot {
            return DataFolioError(.readOnly, "This folio is a read-only view of snapshot '\(snapshot)'.", remedy: .changeTheFolio)
        }
        return DataFolioError(.readOnly, "This folio was opened read-only.", remedy: .openWritable)
    }
}
