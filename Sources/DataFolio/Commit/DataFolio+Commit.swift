import DataFolioJSON
import DataFolioSupport
import Foundation

extension DataFolio {
    /// Runs `body` as one commit — the single path every mutation takes:
    ///
    /// 1. refuse when read-only;
    /// 2. take the writer lock where the store has one (`items.json.lock`, shared with
    ///    Python writers);
    /// 3. run `body`, which writes payload objects and applies catalog changes to a copy
    ///    of the catalog this instance last read;
    /// 4. make the payloads durable, then publish the catalog at revision + 1, replacing
    ///    `items.json` only if it is still the version this instance read. When another
    ///    writer published meanwhile, the changes are applied again on top of its
    ///    catalog — unless that writer touched the same items, metadata keys or
    ///    snapshots, which is a ``DataFolioError/Code/concurrentWrite`` conflict. No
    ///    update is ever lost;
    /// 5. rewrite `CONTENTS.md`, delete payloads nothing refers to any more, unlock.
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
    @discardableResult
    public func batch<R>(_ body: (DataFolio) throws -> R) throws -> R {
        try transact(staging: true) { _ in
            do { return .success(try body(self)) } catch { return .failure(error) }
        }.get()
    }

    /// The shared spine of ``commit(_:)`` and ``batch(_:)``: lock, body, publish — or,
    /// when the body fails, discard the payloads it wrote. Nested calls (inside a batch)
    /// join the open transaction. With `staging`, the transaction is visible to the
    /// mutators the body calls.
    private func transact<R>(
        staging: Bool, _ body: (Transaction) -> Result<R, any Error>
    ) -> Result<R, any Error> {
        guard !isReadOnly else {
            if snapshotName == nil && storage.isReadOnly { return .failure(DataFolioError.readOnlyStore(storage.location)) }
            return .failure(DataFolioError.readOnly(snapshot: snapshotName))
        }
        writeLock.lock()
        defer { writeLock.unlock() }
        if let transaction = activeTransaction {
            return body(transaction)
        }
        let lock: (any FolioWriteLock)?
        do throws(DataFolioError) {
            lock = try storage.lockForWriting(timeout: lockTimeout)
        } catch {
            return .failure(error)
        }
        defer { lock?.release() }
        let transaction = Transaction(catalog: cachedCatalog, storage: storage, previouslyMinted: mintedIDs)
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

    /// How many times a commit re-reads the catalog and tries again when other writers
    /// keep publishing first (an object store without a lock, under heavy contention).
    static let publishAttempts = 64

    /// Publishes the transaction's catalog: the point of no return.
    private func publish(_ transaction: Transaction) throws(DataFolioError) {
        try storage.persist(transaction.writtenPayloads)
        var knownVersion = cachedCatalogVersion
        var attempt = 0
        while true {
            attempt += 1
            // What is on the store now, re-read only when it changed since this instance
            // read it.
            let current = try currentCatalog(knownVersion: knownVersion, loaded: transaction.base)
            var catalog: Catalog
            var displaced: [CatalogItem]
            if current.catalog.revision == transaction.base.revision && current.catalog == transaction.base {
                catalog = transaction.catalog
                displaced = transaction.displaced
            } else {
                if current.catalog.revision < transaction.base.revision {
                    throw DataFolioError(
                        .catalogUnreadable,
                        "items.json at \(storage.location) is at revision \(current.catalog.revision), older than the \(transaction.base.revision) this folio had read (was it replaced or rolled back?). Nothing was written.",
                        remedy: .reload)
                }
                do throws(DataFolioError) {
                    (catalog, displaced) = try transaction.rebased(onto: current.catalog)
                } catch {
                    // A real conflict: adopt what the other writer published, so the
                    // caller can look again and repeat the change.
                    install(current.catalog, version: current.version, minted: transaction.minted)
                    throw error
                }
            }
            let wasLegacy = catalog.isLegacyLayout
            catalog.revision = current.catalog.revision + 1
            catalog.loadedSchemaVersion = Catalog.schemaVersion
            catalog.metadata["updated_at"] = .string(ISOTimestamp.now())
            let condition: ReplaceCondition = current.version.map { .version($0) } ?? .absent
            let version: String?
            do throws(DataFolioError) {
                version = try storage.replace("items.json", condition: condition, durable: true) { output throws(DataFolioError) in
                    try catalog.write(to: output)
                }
            } catch where error.code == .preconditionFailed && attempt < DataFolio.publishAttempts {
                // Another writer published between the read and the write: read again.
                knownVersion = nil
                DataFolio.backOff(attempt: attempt)
                continue
            }
            // The version the write itself reported (nil: read afresh next time). Asking the
            // store now could return a later writer's version, and this instance would then
            // take its own catalog for theirs and write over their commit.
            install(catalog, version: version, minted: transaction.minted)
            var unreferenced = [String]()
            if transaction.scansForGarbage {
                // Under the lock, against what was just published: nothing another writer
                // committed can look like an orphan.
                let collected = try? Transaction.garbage(in: storage, catalog: catalog, displaced: displaced, written: transaction.writtenPayloads)
                transaction.garbageCollection = collected
                unreferenced = (collected?.orphanedPayloads ?? []) + (collected?.temporaryFiles ?? [])
            }
            cleanUp(after: catalog, wasLegacy: wasLegacy, obsolete: Transaction.obsoletePayloads(displaced: displaced, published: catalog), unreferenced: unreferenced)
            return
        }
    }

    /// The catalog on the store now and its version: the loaded one when the version
    /// did not change.
    private func currentCatalog(knownVersion: String?, loaded: Catalog) throws(DataFolioError) -> (catalog: Catalog, version: String?) {
        if let knownVersion, let status = try storage.status("items.json"), status.version == knownVersion {
            return (loaded, knownVersion)
        }
        do throws(DataFolioError) {
            let (catalog, version) = try DataFolio.loadCatalog(from: storage)
            if version == nil && !(catalog.isLegacyLayout && loaded.isLegacyLayout && catalog.revision == 0) {
                throw DataFolioError(
                    .catalogUnreadable,
                    "items.json has disappeared from \(storage.location). Nothing was written; restore the catalog.",
                    remedy: .reload)
            }
            return (catalog, version)
        } catch where error.code != .catalogUnreadable {
            throw DataFolioError(
                .catalogUnreadable,
                "items.json cannot be read (\(error.message)) so nothing was written. Repair the file.",
                remedy: .reload)
        }
    }

    /// Best effort after a commit: the commit has happened whatever fails here.
    private func cleanUp(after catalog: Catalog, wasLegacy: Bool, obsolete: [String], unreferenced: [String]) {
        if wasLegacy {
            try? storage.delete("metadata.json")
            try? storage.delete("snapshots.json")
        }
        _ = try? storage.replace("CONTENTS.md", condition: .always, durable: false) { output throws(DataFolioError) in
            try ContentsFile.write(catalog, to: output)
        }
        for path in obsolete + unreferenced {
            try? storage.delete(path)
        }
    }

    /// Waits a little, more after each lost race, with jitter so writers spread out.
    static func backOff(attempt: Int) {
        let ceiling = min(200_000, 1_000 << min(attempt, 8))
        usleep(UInt32.random(in: UInt32(ceiling / 4)...UInt32(ceiling)))
    }
}
