import DataFolioSupport

/// Where a folio's files live. Every file access of the folio goes through this
/// interface, so another store (an S3-compatible object store, with conditional writes
/// standing in for the lock) can be added without touching the folio logic.
///
/// Paths are relative to the folio root and use `/`.
protocol FolioStorage: Sendable {
    /// The folio location as the user gave it (for messages and `describe`).
    var location: String { get }

    /// Reads a whole object.
    func read(_ path: String) throws(DataFolioError) -> [UInt8]
    /// Reads a whole object, or returns `nil` when it does not exist.
    func readIfPresent(_ path: String) throws(DataFolioError) -> [UInt8]?
    /// Facts about an object, or `nil` when it does not exist.
    func status(_ path: String) throws(DataFolioError) -> FileStatus?
    /// Replaces an object so that readers see the old or the new bytes, never a mix.
    /// `durable` also waits until the bytes are on disk (for the catalog and payloads;
    /// derived files such as `CONTENTS.md` skip it).
    func writeAtomically(_ bytes: [UInt8], to path: String, durable: Bool) throws(DataFolioError)
    /// Publishes an object atomically once the objects in `payloads` and the new bytes
    /// are all durable: the commit point of the folio.
    func publish(_ bytes: [UInt8], to path: String, afterPersisting payloads: [String]) throws(DataFolioError)
    /// Rewrites a derived, informational object (not read back by anything).
    func writeDerived(_ bytes: [UInt8], to path: String) throws(DataFolioError)
    /// Writes an object that must not exist yet (payloads are immutable).
    func createPayload(at path: String) throws(DataFolioError) -> FileWriter
    /// Deletes an object or folder; a missing object is not an error.
    func delete(_ path: String) throws(DataFolioError)
    /// Creates a folder and its parents.
    func makeFolder(_ path: String) throws(DataFolioError)
    /// The names directly inside a folder (empty when it does not exist).
    func list(_ folder: String) throws(DataFolioError) -> [String]
    /// Takes the single-writer lock shared with every other process (Swift or Python)
    /// writing this folio, waiting up to `timeout` seconds.
    func lockForWriting(timeout: Double) throws(DataFolioError) -> any FolioWriteLock
    /// The local file system path of an object, for stores on the local disk.
    func localPath(_ path: String) -> String?
}

/// A held writer lock; released by ``release()`` or when the value is deallocated.
protocol FolioWriteLock: AnyObject {
    func release()
}
