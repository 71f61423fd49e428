import DataFolioSupport
import Foundation

/// The payload files some catalog entries need in a store: every file of their payload
/// objects and folders, and the folders themselves (so that an empty folder item
/// survives a copy).
struct PayloadFiles {
    struct File: Sendable {
        var path: String
        var size: Int
        /// The MD5 the catalog records for the file, when it records one (not for the
        /// files of a folder item, whose checksum covers the whole folder).
        var md5: String?
    }

    var files: [File] = []
    var folders: [String] = []

    /// Lists the payloads of `entries` in `source`. `index` is a listing of the category
    /// folders made beforehand (``index(of:)``), or `nil` to look each payload up.
    ///
    /// - Throws: `fileNotFound` for a missing payload; `unsupportedFeature` for a link or
    ///   special file (folios never copy through links).
    init(of entries: [CatalogItem], in source: any FolioStorage, index: [String: StoredObject]?) throws(DataFolioError) {
        var seen = Set<String>()
        func status(_ path: String) throws(DataFolioError) -> StoredObject? {
            if let index { return index[path] }
            return try source.status(path)
        }
        for item in entries where item.kind != .referencedTable {
            var path = item.relativePayloadPath
            if path == nil, let filename = item.filename {
                // A kind this version does not know: its file is in one of the category folders.
                for folder in ItemKind.categoryFolders where try status(folder + "/" + filename) != nil {
                    path = folder + "/" + filename
                    break
                }
            }
            guard let path else {
                if item.filename == nil { continue }
                throw DataFolioError(
                    .fileNotFound, "The payload '\(item.filename ?? "")' of '\(item.name)' (type '\(item.itemType)') is in none of the category folders of \(source.location).",
                    path: item.filename, remedy: .validate)
            }
            guard seen.insert(path).inserted else { continue }
            guard let found = try status(path) else {
                throw DataFolioError(
                    .fileNotFound, "The payload of '\(item.name)' (\(path)) is missing from \(source.location); nothing was copied.",
                    path: path, remedy: .validate)
            }
            switch found.kind {
            case .object:
                files.append(File(path: path, size: found.size, md5: item.checksum))
            case .folder:
                folders.append(path)
                let below: [StoredObject]
                if let index {
                    below = index.values.filter { $0.path.hasPrefix(path + "/") }.sorted { $0.path < $1.path }
                } else {
                    below = try Self.walk(path, in: source)
                }
                for entry in below {
                    switch entry.kind {
                    case .object:
                        if seen.insert(entry.path).inserted { files.append(File(path: entry.path, size: entry.size, md5: nil)) }
                    case .folder:
                        folders.append(entry.path)
                    case .symbolicLink, .other:
                        throw Self.linkError(entry.path, in: source)
                    }
                }
            case .symbolicLink, .other:
                throw Self.linkError(path, in: source)
            }
        }
    }

    /// Every entry below `folder`, depth first, sorted by path.
    private static func walk(_ folder: String, in storage: any FolioStorage) throws(DataFolioError) -> [StoredObject] {
        var found = [StoredObject]()
        for entry in try storage.list(folder) {
            found.append(entry)
            if entry.kind == .folder { found += try walk(entry.path, in: storage) }
        }
        return found.sorted { $0.path < $1.path }
    }

    private static func linkError(_ path: String, in storage: any FolioStorage) -> DataFolioError {
        DataFolioError(
            .unsupportedFeature, "'\(path)' in \(storage.location) is a link or a special file; folios never copy through links.",
            path: path, remedy: .validate)
    }

    /// Every entry below the category folders, from one listing per folder (one request
    /// per folder on an object store, instead of one per payload), or `nil` when the
    /// store cannot list.
    static func index(of storage: any FolioStorage) throws(DataFolioError) -> [String: StoredObject]? {
        var index = [String: StoredObject]()
        func walk(_ folder: String) throws(DataFolioError) {
            for entry in try storage.list(folder) {
                index[entry.path] = entry
                if entry.kind == .folder { try walk(entry.path) }
            }
        }
        for folder in ItemKind.categoryFolders {
            do {
                try walk(folder)
            } catch where error.code == .unsupportedFeature {
                return nil
            } catch where error.code == .fileNotFound {
                // Nothing there yet (a destination folder not created yet).
                continue
            }
        }
        return index
    }
}

/// Copies payload files from one store to another — the one place where folio copies
/// move bytes (forks, replicas, snapshot exports): several files at a time, a bounded
/// number of bytes in flight, each file checked against the MD5 its catalog records,
/// files already at the destination with the same MD5 skipped, and progress reported.
final class PayloadCopier: @unchecked Sendable {
    // Everything mutable is guarded by `condition`.
    private let source: any FolioStorage
    private let destination: any FolioStorage
    private let files: [PayloadFiles.File]
    private let concurrency: Int
    private let bytesInFlight: Int
    private let progressHandler: (@Sendable (CopyProgress) -> Void)?
    /// What the destination holds, from a listing, or `nil` to look each file up.
    private let destinationIndex: [String: StoredObject]?
    /// What the destination's catalog records for each payload path.
    private let destinationChecksums: [String: String]
    private let condition = NSCondition()
    private var next = 0
    private var failure: DataFolioError?
    private var budget: Int
    private var state: CopyProgress
    private(set) var copiedPaths = [String]()
    private var lastReport = DispatchTime(uptimeNanoseconds: 0)

    /// - Parameters:
    ///   - destinationIndex: The destination's entries (`[:]` for a new, empty
    ///     destination), or `nil` to ask the destination about each file.
    ///   - destinationChecksums: The MD5s the destination's catalog records by path: a
    ///     file there with another MD5 than the source's means the folios diverged.
    init(
        _ payloads: PayloadFiles, from source: any FolioStorage, to destination: any FolioStorage, options: CopyOptions,
        destinationIndex: [String: StoredObject]?, destinationChecksums: [String: String] = [:]
    ) {
        self.source = source
        self.destination = destination
        files = payloads.files
        concurrency = max(1, options.concurrency)
        bytesInFlight = max(1, options.bytesInFlight)
        progressHandler = options.progress
        self.destinationIndex = destinationIndex
        self.destinationChecksums = destinationChecksums
        budget = bytesInFlight
        state = CopyProgress(totalFiles: files.count, totalBytes: files.reduce(0) { $0 + $1.size })
    }

    /// The counts so far (all of them once ``run()`` returns).
    var progress: CopyProgress { condition.withLock { state } }

    /// Copies every file; the first failure stops the others and is thrown.
    func run() throws(DataFolioError) {
        report(force: true)
        let workers = min(concurrency, files.count)
        if workers > 0 {
            let group = DispatchGroup()
            for _ in 0..<workers {
                group.enter()
                let thread = Thread { [self] in
                    work()
                    group.leave()
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            group.wait()
        }
        if let failure { throw failure }
        report(force: true)
    }

    private func work() {
        while let file = take() {
            // A large file holds at most 64 MiB of the budget (what an upload buffers).
            let weight = min(max(file.size, 1), min(bytesInFlight, 64 << 20))
            acquire(weight)
            do throws(DataFolioError) {
                try transfer(file)
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                condition.broadcast()
                condition.unlock()
            }
            release(weight)
        }
    }

    private func take() -> PayloadFiles.File? {
        condition.lock()
        defer { condition.unlock() }
        guard failure == nil, next < files.count else { return nil }
        defer { next += 1 }
        return files[next]
    }

    private func acquire(_ weight: Int) {
        condition.lock()
        while budget < weight && failure == nil { condition.wait() }
        budget -= weight
        condition.unlock()
    }

    private func release(_ weight: Int) {
        condition.lock()
        budget += weight
        condition.broadcast()
        condition.unlock()
    }

    private func transfer(_ file: PayloadFiles.File) throws(DataFolioError) {
        let found: StoredObject?
        if let destinationIndex { found = destinationIndex[file.path] } else { found = try destination.status(file.path) }
        if let existing = found {
            if existing.kind == .object, existing.size == file.size, try sameContent(file) {
                finished(file, skipped: true)
                return
            }
            if let recorded = destinationChecksums[file.path], let expected = file.md5, recorded != expected {
                throw DataFolioError(
                    .concurrentWrite,
                    "\(destination.location)/\(file.path) is recorded there with MD5 \(recorded), but \(source.location) has \(expected) under the same name: the two folios have diverged. Nothing was replaced.",
                    path: file.path)
            }
            // A leftover of an interrupted copy or a failed write: copy it again.
            try destination.delete(file.path)
        }
        let writer: any StoredObjectWriter
        if let md5 = file.md5 {
            writer = try destination.createObject(file.path, md5: md5)
        } else {
            writer = try destination.createObject(file.path)
        }
        condition.withLock { copiedPaths.append(file.path) }
        let written: WrittenObject
        do {
            try source.read(file.path, into: CountingOutput(writer) { [self] count in advance(count) })
            written = try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
        if let expected = file.md5, expected.lowercased() != written.md5.lowercased() {
            try? destination.delete(file.path)
            throw DataFolioError(
                .corruptData,
                "\(source.location)/\(file.path) has MD5 \(written.md5), but its catalog records \(expected): it changed or was damaged after it was written. Nothing was published; run validate on the source.",
                path: file.path, remedy: .validate)
        }
        finished(file, skipped: false)
    }

    /// Whether the destination's object holds the source's bytes, by MD5: what the
    /// catalog or the stores recorded, or (on a local disk, cheap to read) computed.
    private func sameContent(_ file: PayloadFiles.File) throws(DataFolioError) -> Bool {
        let destinationMD5 = destination.isLocal ? try destination.md5(of: file.path) : try destination.recordedMD5(file.path)
        guard let destinationMD5 else { return false }
        var sourceMD5 = file.md5
        if sourceMD5 == nil { sourceMD5 = try source.recordedMD5(file.path) }
        if sourceMD5 == nil && source.isLocal { sourceMD5 = try source.md5(of: file.path) }
        return sourceMD5?.lowercased() == destinationMD5.lowercased()
    }

    private func advance(_ count: Int) {
        condition.lock()
        state.finishedBytes += count
        state.copiedBytes += count
        condition.unlock()
        report(force: false)
    }

    private func finished(_ file: PayloadFiles.File, skipped: Bool) {
        condition.lock()
        state.finishedFiles += 1
        if skipped {
            state.skippedFiles += 1
            state.skippedBytes += file.size
            state.finishedBytes += file.size
        }
        condition.unlock()
        report(force: true)
    }

    /// Calls the progress handler after every file, and while bytes flow at most ten
    /// times a second.
    private func report(force: Bool) {
        guard let progressHandler else { return }
        condition.lock()
        let now = DispatchTime.now()
        guard force || now.uptimeNanoseconds >= lastReport.uptimeNanoseconds + 100_000_000 else {
            condition.unlock()
            return
        }
        lastReport = now
        let snapshot = state
        condition.unlock()
        progressHandler(snapshot)
    }
}
