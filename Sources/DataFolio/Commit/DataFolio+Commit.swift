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
        let outcome = transact(staging: false) { transaction in
            do throws(DataFolioError) { return .success(try body(transaction)) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let value): return value
        case .failure(let error as DataFolioError): throw error
        case .failure(let error): throw DataFolioError(.ioFailure, "The change failed: \(error)")
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
        try transact(staging: true) { _ in
            do { return .success(try body(self)) } catch { return .failure(error) }
        }.get()
    }

    /// The shared spine of ``commit(_:)`` and ``batch(_:)``: lock, stale check, body,
    /// publish — or, when the body fails, discard the payloads it wrote. Nested calls
    /// (inside a batch) join the open transaction. With `staging`, the transaction is
    /// visible to the mutators the body calls.
    private func transact<R>(
        staging: Bool, _ body: (Transaction) -> Result<R, any Error>
    ) -> Result<R, any Error> {
        guard !isReadOnly else { return .failure(DataFolioError.readOnly(snapshot: snapshotName)) }
        writeLock.lock()
        defer { writeLock.unlock() }
        if let transaction = activeTransaction {
            return body(transaction)
        }
        let lock: any FolioWriteLock
        let transaction: Transaction
        do throws(DataFolioError) {
            lock = try storage.lockForWriting(timeout: lockTimeout)
            do throws(DataFolioError) {
                transaction = try beginTransaction()
            } catch {
                lock.release()
                throw error
            }
        } catch {
            return .failure(error)
        }
        defer { lock.release() }
        if staging { activeTransaction = transaction }
        defer { if staging { activeTransaction = nil } }
        var outcome = body(transaction)
        if case .success = outcome {
            do throws(DataFolioError) { try publish(transaction) } catch { outcome = .failure(error) }
        }
        if case .failure = outcome {
            transaction.discardWrittenPayloads()
            recordMinted(transaction.minted)
        }
        return outcome
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
