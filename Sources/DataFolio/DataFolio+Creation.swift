import DataFolioJSON
import DataFolioSupport
import Foundation

extension DataFolio {
    /// The version of this library, recorded in the metadata of folios it creates.
    public static let version = "0.1.0"

    /// Creates the folio files: category folders, the lock file, `items.json` at
    /// revision 1, `README.md` and `CONTENTS.md`.
    func create(metadata userMetadata: JSONObject) throws(DataFolioError) {
        for folder in ["", "tables", "models", "artifacts"] { try storage.createFolder(folder) }
        let lock = try storage.lockForWriting(timeout: lockTimeout)
        defer { lock?.release() }
        // Another process may have created the folio while this one checked.
        if try storage.status("items.json") != nil {
            let (catalog, version) = try DataFolio.loadCatalog(from: storage)
            install(catalog, version: version, minted: [])
            return
        }
        var metadata = userMetadata
        let now = ISOTimestamp.now()
        if metadata["created_at"] == nil { metadata["created_at"] = .string(now) }
        if metadata["updated_at"] == nil { metadata["updated_at"] = .string(now) }
        if metadata["_datafolio"] == nil {
            metadata["_datafolio"] = ["version": .string(DataFolio.version), "created_by": "datafolio-swift"]
        }
        var catalog = Catalog(metadata: metadata)
        catalog.revision = 1
        try storage.replace("README.md", with: FolioReadme.text(version: DataFolio.version), condition: .always, durable: false)
        let version: String?
        do {
            version = try storage.replace("items.json", with: catalog.encoded(), condition: .absent, durable: true)
        } catch where error.code == .preconditionFailed {
            // Created by another process between the check and the write: open it.
            let (existing, version) = try DataFolio.loadCatalog(from: storage)
            install(existing, version: version, minted: [])
            return
        }
        _ = try? storage.replace("CONTENTS.md", condition: .always, durable: false) { output throws(DataFolioError) in
            try ContentsFile.write(catalog, to: output)
        }
        install(catalog, version: version, minted: [])
    }
}

/// Decisions about a location before opening or creating a folio there.
enum FolioCreation {
    enum Situation: Equatable {
        case folio, absent, emptyFolder, foreignFolder, file
    }

    /// What is at the root of `storage`: a folio (it has `items.json` or the old
    /// `metadata.json`), nothing, an empty folder (empty category folders and the lock
    /// file count as empty), another folder, or a file.
    static func inspect(_ storage: any FolioStorage) throws(DataFolioError) -> Situation {
        guard let root = try storage.status("") else { return .absent }
        guard root.kind == .folder else { return .file }
        // The catalog by name before any listing: cheaper on an object store, and the only
        // question a web server (which cannot list folders) can answer.
        if try storage.status("items.json") != nil { return .folio }
        if try storage.status("metadata.json") != nil { return .folio }
        let entries = try storage.list("")
        let names = Set(entries.map(\.name))
        if names.contains("items.json") || names.contains("metadata.json") { return .folio }
        for entry in entries {
            if entry.name == "items.json.lock" { continue }
            if ["tables", "models", "artifacts"].contains(entry.name), entry.kind == .folder,
               try storage.list(entry.path).isEmpty
            {
                continue
            }
            return .foreignFolder
        }
        return .emptyFolder
    }

    private static let adjectives = [
        "quiet", "brisk", "calm", "eager", "gentle", "lucky", "mellow", "nimble", "proud", "rapid",
        "steady", "sunny", "tidy", "vivid", "witty", "bold", "clever", "fresh", "keen", "merry",
    ]
    private static let colors = [
        "amber", "azure", "coral", "crimson", "cyan", "indigo", "ivory", "jade", "lilac", "ochre",
        "olive", "plum", "rose", "ruby", "sage", "scarlet", "silver", "teal", "umber", "violet",
    ]
    private static let nouns = [
        "badger", "canyon", "comet", "delta", "falcon", "fjord", "glacier", "harbor", "heron", "lagoon",
        "maple", "meadow", "nebula", "otter", "pebble", "quartz", "river", "summit", "thicket", "willow",
    ]

    /// `base-<adjective>-<color>-<noun>` for a location where nothing exists yet (10 tries).
    static func unusedRandomLocation(base: String) throws(DataFolioError) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        for _ in 0..<10 {
            let candidate = "\(trimmed)-\(adjectives.randomElement() ?? "new")-\(colors.randomElement() ?? "plain")-\(nouns.randomElement() ?? "folio")"
            if try FolioLocations.storage(for: candidate).status("") == nil { return candidate }
        }
        throw DataFolioError(.folderNotEmpty, "Could not find an unused name for a new folio next to '\(base)' after 10 tries.")
    }
}

/// The `README.md` written into a new folio, so the folder explains itself without
/// this library.
enum FolioReadme {
    static func text(version: String) -> [UInt8] {
        let text = """
        # DataFolio

        This folder is a data folio written by DataFolio for Swift \(version). It is an
        ordinary folder of standard files plus one JSON catalog, readable without any
        DataFolio software, and shared with the Python `datafolio` package.

        ## What is where

        - `items.json` — the catalog and the only authoritative file: folio metadata, one
          entry per item version, and the snapshots.
        - `CONTENTS.md` — a table of the current items, regenerated after every change.
        - `tables/` — tables stored in the folio, as Parquet files.
        - `models/` — models: scikit-learn files written from Python, JSON files of Swift
          `Codable` models, PyTorch state dicts (`.pt`).
        - `artifacts/` — arrays (`.npy`), JSON values and timestamps (`.json`), tensor
          sets (`.safetensors`) and any other files.
        - `items.json.lock` — an empty file that writers lock while they commit.

        ## Reading it without DataFolio

        1. Open `items.json`. Entries in `items` whose `is_current` is `true` (or missing)
           are the folio's current items; the others are older versions kept because a
           snapshot refers to them.
        2. An item with a `filename` stores its payload in the folder of its `item_type`:
           `included_table` in `tables/`, `model` and `pytorch_model` in `models/`,
           everything else in `artifacts/`. The `checksum` is the MD5 of that file.
        3. A `referenced_table` has a `path` (a `file://` URI or a cloud URI) instead of a
           file: the data lives outside the folio.

        Payload files are never modified: a new version gets a new file name
        (`name--rN.ext`), which is what lets snapshots freeze the folio without copying data.

        """
        return Array(text.utf8)
    }
}
