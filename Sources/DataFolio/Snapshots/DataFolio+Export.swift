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
    /// - Parameters:
    ///   - name: The snapshot to export.
    ///   - location: A new folder (or any location a registered store opens).
    ///   - recordingSource: Whether to record the source in the new folio's metadata
    ///     (`_source_snapshot`).
    ///   - progress: Called as payload files are copied (from several threads, one call
    ///     at a time), at most ten times a second and after every file.
    /// - Throws: `folderNotEmpty` when something exists at `location`; `corruptData`
    ///   (and the new folio is removed again) when a payload does not match its checksum.
    @discardableResult
    public func exportSnapshot(
        _ name: String, to location: String, recordingSource: Bool = true, progress: (@Sendable (CopyProgress) -> Void)? = nil
    ) throws(DataFolioError) -> DataFolio {
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
            let payloads = try PayloadFiles(of: view.items, in: storage, index: nil)
            for folder in payloads.folders { try target.createFolder(folder) }
            var options = CopyOptions()
            options.progress = progress
            let copier = PayloadCopier(payloads, from: storage, to: target, options: options, destinationIndex: [:])
            try copier.run()
            try exported.commit { transaction throws(DataFolioError) in
                for path in payloads.folders + copier.copiedPaths { transaction.recordWrittenPayload(path) }
                for entry in view.items {
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
