import DataFolioJSON
import DataFolioSupport
import Foundation

extension DataFolio {
    /// Writes a snapshot out as a new, standalone, writable folio: the pinned versions
    /// of its items (catalog entries and payload bytes copied verbatim, so descriptions,
    /// lineage and references are kept) and its metadata. The new folio has no
    /// snapshots; by default its metadata records where it came from in
    /// `_source_snapshot`.
    ///
    /// ```swift
    /// let standalone = try folio.exportSnapshot("paper-v1", to: "release/paper-v1")
    /// ```
    ///
    /// - Throws: `folderNotEmpty` when something exists at `path`.
    @discardableResult
    public func exportSnapshot(_ name: String, to path: String, recordingSource: Bool = true) throws(DataFolioError) -> DataFolio {
        let catalog = self.catalog
        let record = try catalog.snapshotRecord(name)
        let view = try DataFolio.snapshotCatalog(catalog, name: name)
        let target = FolioCreation.absolutePath(path)
        if try LocalFile.status(target) != nil {
            throw DataFolioError(.folderNotEmpty, "Cannot export snapshot '\(name)' to '\(path)': something already exists there. Choose a new path.", path: path)
        }
        var metadata = view.metadata
        for key in SnapshotComparison.bookkeepingKeys { metadata.removeValue(forKey: key) }
        if recordingSource {
            var source: JSONObject = [
                "name": .string(name),
                "source_bundle": .string(storage.localPath("") ?? self.path),
                "timestamp": record["timestamp"] ?? .null,
            ]
            source["description"] = record["description"] ?? .null
            source["tags"] = record["tags"] ?? .array([])
            metadata["_source_snapshot"] = .object(source)
        }
        let exported = try DataFolio(at: path, metadata: metadata)
        do {
            try exported.commit { transaction throws(DataFolioError) in
                for entry in view.items {
                    if let relative = entry.relativePayloadPath, let source = storage.localPath(relative) {
                        try transaction.copyPayloadVerbatim(from: source, to: relative)
                    }
                    try transaction.apply(.put(entry, overwrite: false))
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw error
        }
        return exported
    }
}

extension Transaction {
    /// Copies a payload file or folder byte for byte (export keeps file names and
    /// checksums).
    func copyPayloadVerbatim(from source: String, to path: String) throws(DataFolioError) {
        guard let status = try LocalFile.status(source) else {
            throw DataFolioError(.fileNotFound, "The payload '\(source)' is missing; run validate() on the source folio.", path: source)
        }
        if status.isDirectory {
            try storage.makeFolder(path)
            recordWrittenPayload(path)
            for name in try LocalFolder.names(in: source) {
                try copyPayloadVerbatim(from: source + "/" + name, to: path + "/" + name)
            }
        } else {
            _ = try copyFilePayload(from: source, to: path)
        }
    }
}
