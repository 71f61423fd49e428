import DataFolioJSON
import DataFolioSupport

extension DataFolio {
    /// Runs `body` as one commit — the single path every mutation takes:
    ///
    /// 1. refuse when read-only;
    /// 2. take the `items.json.lock` flock (shared with Python writers);
    /// 3. check that `items.json` is still the revision this instance loaded
    ///    (newer: ``DataFolioError/Code/concurrentWrite``; older or unreadable:
    ///    ``DataFolioError/Code/catalogUnreadable``) — never a lost update;
    /// 4. run `body`, which writes payload files and applies catalog changes to a copy;
    /// 5. publish the catalog atomically (temporary file, fsync, rename) at revision + 1;
    /// 6. rewrite `CONTENTS.md`, delete payloads nothing refers to any more, unlock.
    ///
    /// A failure before the publish deletes the payloads written so far and leaves the
    /// folio as it was. Inside ``batch(_:)`` the body joins the batch's transaction.
    func commit<R>(_ body: (Transaction) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        guard !isReadOnly else { throw DataFolioError.readOnly(snapshot: snapshotName) }
        writeLock.lock()
        defer { writeLock.unlock() }
        if let transaction = activeTransaction {
            return try body(transaction)
        }
        let lock = try storage.lockForWriting(timeout: lockTimeout)
        defer { lock.release() }
        let transaction = try beginTransaction()
        do {
            let result = try body(transaction)
            try publish(transaction)
            return result
        } catch {
            transaction.discardWrittenPayloads()
            recordMinted(transaction.minted)
            throw error
        }
    }

    /// Runs several changes as one commit: one catalog revision, all or nothing.
    ///
    /// Calls to `add`, `delete`, metadata updates and the like inside `body` are staged;
    /// they are published together when `body` returns. If `body` throws, nothing is
    /// published and the payload files written inside the batch are deleted. Snapshot
    /// operations are refused inside a batch.
    ///
    /// ```swift
    /// try folio.batch { folio in
    ///     try folio.add("a", 1)
    ///     try folio.add("b", 2, inputs: ["a"])
    /// }
    /// ```
    public func batch<R>(_ body: (DataFolio) throws -> R) throws -> R {
        guard !isReadOnly else { throw DataFolioError.readOnly(snapshot: snapshotName) }
        writeLock.lock()
        defer { writeLock.unlock() }
        if activeTransaction != nil {
            return try body(self)
        }
        let lock = try storage.lockForWriting(timeout: lockTimeout)
        defer { lock.release() }
        let transaction = try beginTransaction()
        activeTransaction = transaction
        defer { activeTransaction = nil }
        do {
            let result = try body(self)
            try publish(transaction)
            return result
        } catch {
            transaction.discardWrittenPayloads()
            recordMinted(transaction.minted)
            throw error
        }
    }

    /// Whether a batch is being staged on this instance.
    var isInBatch: Bool {
        writeLock.lock()
        defer { writeLock.unlock() }
        return activeTransaction != nil
    }

    /// The stale-writer check, run with the lock held.
    private func beginTransaction() throws(DataFolioError) -> Transaction {
        let loaded = cachedCatalog
        try verifyNotStale(loaded)
        return Transaction(catalog: loaded, storage: storage, previouslyMinted: mintedIDs)
    }

    private func verifyNotStale(_ loaded: Catalog) throws(DataFolioError) {
        let status: FileStatus?
        do {
            status = try storage.status("items.json")
        } catch {
            throw DataFolioError(.catalogUnreadable, "Cannot check items.json before writing: \(error.message)")
        }
        guard let status else {
            if loaded.isLegacyLayout && loaded.revision == 0 {
                // An old-layout folio may have no items.json yet (only metadata.json).
                return
            }
            throw DataFolioError(
                .catalogUnreadable,
                "items.json has disappeared from '\(path)'. Nothing was written; restore the catalog or call refresh().")
        }
        if status == cachedCatalogStatus { return }
        let disk: Catalog
        do {
            (disk, _) = try DataFolio.loadCatalog(from: storage)
        } catch {
            throw DataFolioError(
                .catalogUnreadable,
                "items.json cannot be read (\(error.message)) so nothing was written. Repair the file or call refresh().")
        }
        if disk.revision > loaded.revision {
            throw DataFolioError(
                .concurrentWrite,
                "Another process changed this folio (revision \(disk.revision), this instance has \(loaded.revision)). Nothing was written: call refresh() and apply the change again.")
        }
        if disk.revision < loaded.revision {
            throw DataFolioError(
                .catalogUnreadable,
                "items.json on disk is at revision \(disk.revision), older than the \(loaded.revision) this instance loaded (was it replaced or rolled back?). Nothing was written; call refresh() to accept it.")
        }
        if loaded.isLegacyLayout && disk != loaded {
            throw DataFolioError(
                .concurrentWrite,
                "Another process changed this folio since it was opened. Nothing was written: call refresh() and apply the change again.")
        }
    }

    /// Publishes the transaction's catalog: the point of no return.
    private func publish(_ transaction: Transaction) throws(DataFolioError) {
        var catalog = transaction.catalog
        let wasLegacy = catalog.isLegacyLayout
        catalog.revision = transaction.baseRevision + 1
        catalog.loadedSchemaVersion = Catalog.schemaVersion
        catalog.metadata["updated_at"] = .string(ISOTimestamp.now())
        try verifyNotStale(cachedCatalog)
        try storage.publish(catalog.encoded(), to: "items.json", afterPersisting: transaction.writtenPayloads)
        let status = try? storage.status("items.json")
        install(catalog, status: status, minted: transaction.minted)
        // Everything below is best effort: the commit has happened.
        if wasLegacy {
            try? storage.delete("metadata.json")
            try? storage.delete("snapshots.json")
        }
        try? storage.writeDerived(ContentsFile.render(catalog), to: "CONTENTS.md")
        for path in transaction.obsoletePayloads() + transaction.unreferencedFiles {
            try? storage.delete(path)
        }
    }
}
