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
    /// - Parameter location: A new folder (or any location a registered store opens).
    /// - Throws: `folderNotEmpty` when something exists at `location`; `corruptData`
    ///   (and the new folio is removed again) when a payload does not match its checksum.
    @discardableResult
    public func exportSnapshot(_ name: String, to location: String, recordingSource: Bool = true) throws(DataFolioError) -> DataFolio {
        let catalog = self.catalog
        let record = try catalog.snapshotRecord(name)
        let view = try catalog.snapshotView(name)
        let target = try FolioLocations.storage(for: location)
        if try target.status("") != nil {
            throw DataFolioError(
                .folderNotEmpty, "Cannot export snapshot '\(name)' to '\(location)': something already exists there. Choose a new location.",
                path: location)
        }
        var metadata = view.metadata
        for key in SnapshotComparison.bookkeepingKeys { metadata.removeValue(forKey: key) }
        if recordingSource {
            var source: JSONObject = [
                "name": .string(name),
                "source_bundle": .string((storage as? LocalFolioStorage)?.root ?? self.location),
                "timestamp": record["timestamp"] ?? .null,
            ]
            source["description"] = record["description"] ?? .null
            source["tags"] = record["tags"] ?? .array([])
            metadata["_source_snapshot"] = .object(source)
        }
        let exported = try DataFolio(storage: target, metadata: metadata)
        do throws(DataFolioError) {
            try exported.commit { transaction throws(DataFolioError) in
                for entry in view.items {
                    if let relative = entry.relativePayloadPath {
                        try transaction.copyPayloadVerbatim(relative, of: entry, from: storage)
                    }
                    try transaction.apply(.put(entry.recordingChecksum(forLocalStore: target.isLocal), overwrite: false))
                }
            }
        } catch {
            try? target.delete("")
            throw error
        }
        return exported
    }
}

extension Transaction {
    /// Copies a payload object or folder byte for byte from another store (export keeps
    /// file names and checksums), checking the MD5 of a file on the way.
    func copyPayloadVerbatim(_ path: String, of entry: CatalogItem, from source: any FolioStorage) throws(DataFolioError) {
        guard let status = try source.status(path) else {
            throw DataFolioError(
                .fileNotFound, "The payload of '\(entry.name)' (\(path)) is missing from \(source.location).", path: path, remedy: .validate)
        }
        switch status.kind {
        case .folder:
            try storage.createFolder(path)
            recordWrittenPayload(path)
            for child in try source.list(path) {
                try copyPayloadVerbatim(child.path, of: entry, from: source)
            }
        case .object:
            let written = try writePayload(at: path) { writer throws(DataFolioError) in
                try source.read(path, into: writer)
            }
            if entry.relativePayloadPath == path, let expected = entry.checksum, expected != written.md5 {
                throw DataFolioError(
                    .corruptData,
                    "The payload of '\(entry.name)' (\(path)) has MD5 \(written.md5), but the catalog records \(expected); it changed since it was written.",
                    path: path, remedy: .validate)
            }
        case .symbolicLink, .other:
            throw DataFolioError(
                .unsupportedFeature, "The payload '\(path)' of '\(entry.name)' is a symbolic link or a special file; folios never copy through links.",
                path: path, remedy: .validate)
        }
    }
}
