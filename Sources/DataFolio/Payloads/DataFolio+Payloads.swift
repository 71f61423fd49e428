import DataFolioNumPy
import DataFolioParquet
import DataFolioSupport
import DataFolioTensors
import Foundation

/// How item kinds read their payloads, whatever the store: whole, by byte range,
/// memory-mapped on a local disk.
extension DataFolio {
    /// The object path of an item's payload (`tables/clean--r3.parquet`).
    func payloadObjectPath(of item: CatalogItem) throws(DataFolioError) -> String {
        guard let relative = item.relativePayloadPath else {
            throw DataFolioError(.unsupportedFeature, "Item '\(item.name)' (type '\(item.itemType)') has no payload file this library can locate.", path: item.name)
        }
        return relative
    }

    /// A missing payload, in the item's words.
    func missingPayload(_ item: CatalogItem, _ error: DataFolioError) -> DataFolioError {
        guard error.code == .fileNotFound else { return error }
        return DataFolioError(
            .fileNotFound,
            "The payload of item '\(item.name)' is missing (\(item.relativePayloadPath ?? "no file")).",
            path: item.relativePayloadPath, remedy: .validate)
    }

    /// The bytes of an item's payload.
    func payloadBytes(of item: CatalogItem) throws(DataFolioError) -> [UInt8] {
        let path = try payloadObjectPath(of: item)
        do throws(DataFolioError) {
            return try storage.read(path)
        } catch {
            throw missingPayload(item, error)
        }
    }

    /// The payload mapped into memory: the folio's own file on a local disk, the local
    /// copy in the ``payloadCache`` for a remote folio; `nil` for other stores that keep
    /// files locally (the caller then reads the bytes).
    func mappedPayload(of item: CatalogItem) throws(DataFolioError) -> MappedFile? {
        let path = try payloadObjectPath(of: item)
        do throws(DataFolioError) {
            if let local = storage as? LocalFolioStorage { return try local.map(path) }
            guard !storage.isLocal else { return nil }
            return try payloadCache.withLocalCopy(of: cacheRequest(for: item, path: path), in: storage) { file throws(DataFolioError) in
                try MappedFile(path: file)
            }
        } catch {
            throw missingPayload(item, error)
        }
    }

    /// What the payload cache needs to know about an item's payload.
    func cacheRequest(for item: CatalogItem, path: String) -> CacheRequest {
        let isFolder = item.fields["is_directory"]?.boolValue == true
        return CacheRequest(
            path: path, isFolder: isFolder, md5: isFolder ? nil : item.checksum,
            treeChecksum: isFolder ? item.fields["tree_checksum"]?.stringValue : nil)
    }

    /// Random access to a payload for readers that read only what they need (a
    /// Parquet footer and the projected column chunks). A remote table is read by byte
    /// range, or from the cache when an earlier read put it there.
    func payloadSource(of item: CatalogItem) throws(DataFolioError) -> any ParquetByteSource {
        if storage is LocalFolioStorage, let mapped = try mappedPayload(of: item) { return ParquetMappedSource(mapped) }
        let path = try payloadObjectPath(of: item)
        if !storage.isLocal, item.checksum != nil,
            let mapped = try? payloadCache.withCachedCopy(of: cacheRequest(for: item, path: path), in: storage, { file throws(DataFolioError) in
                try MappedFile(path: file)
            })
        {
            return ParquetMappedSource(mapped)
        }
        let size: Int
        do throws(DataFolioError) {
            guard let status = try storage.status(path), status.kind == .object else {
                throw DataFolioError(.fileNotFound, "No object '\(path)'.", path: path)
            }
            size = status.size
        } catch {
            throw missingPayload(item, error)
        }
        return StorageByteSource(storage: storage, path: path, size: size)
    }

    /// An `.npy` payload: read straight into array memory, or mapped with `memoryMapped`
    /// — from the folio's file on a local disk, from the ``payloadCache`` for a remote
    /// folio — or through ranged reads on other stores.
    func payloadArray(of item: CatalogItem, memoryMapped: Bool) throws(DataFolioError) -> NDArray {
        let path = try payloadObjectPath(of: item)
        do throws(DataFolioError) {
            if let local = storage as? LocalFolioStorage {
                if memoryMapped {
                    let file = try local.map(path)
                    return try NDArray(npyMapping: file, offset: 0, count: file.bytes.count)
                }
                return try local.withOpenFile(path) { fd, size throws(DataFolioError) in
                    try NDArray.readNPY(descriptor: fd, path: local.absolutePath(path), fileSize: size)
                }
            }
            if !storage.isLocal {
                return try payloadCache.withLocalCopy(of: cacheRequest(for: item, path: path), in: storage) { file throws(DataFolioError) in
                    if memoryMapped {
                        let mapped = try MappedFile(path: file)
                        return try NDArray(npyMapping: mapped, offset: 0, count: mapped.bytes.count)
                    }
                    let entry = LocalFolioStorage(path: (file as NSString).deletingLastPathComponent)
                    return try entry.withOpenFile((file as NSString).lastPathComponent) { fd, size throws(DataFolioError) in
                        try NDArray.readNPY(descriptor: fd, path: file, fileSize: size)
                    }
                }
            }
            let source = try payloadSource(of: item)
            return try NDArray.readNPY(byteCount: source.size) { offset, buffer throws(DataFolioError) in
                let bytes = try source.read(offset: offset, count: buffer.count)
                bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
            }
        } catch {
            throw missingPayload(item, error)
        }
    }
}

/// Ranged reads of one object of a store, for the Parquet reader.
struct StorageByteSource: ParquetByteSource {
    let storage: any FolioStorage
    let path: String
    let size: Int

    func read(offset: Int, count: Int) throws(DataFolioError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw DataFolioError.truncated("Parquet", "a read of \(count) bytes at offset \(offset) passes the end of '\(path)' (\(size) bytes)")
        }
        if count == 0 { return [] }
        return try storage.read(path, range: offset..<(offset + count))
    }
}

extension DataFolio {
    /// A local file (or folder) holding an item's payload, for handing to other programs:
    /// the folio's own file on a local disk, the local copy in the ``payloadCache`` for a
    /// remote folio.
    func payloadFile(of item: CatalogItem) throws(DataFolioError) -> URL {
        let path = try payloadObjectPath(of: item)
        guard let local = storage as? LocalFolioStorage else {
            guard !storage.isLocal else {
                throw DataFolioError(
                    .unsupportedFeature,
                    "Item '\(item.name)' is stored at \(storage.location), whose files this library cannot locate; read its bytes instead of its file location.",
                    path: item.name)
            }
            do throws(DataFolioError) {
                return try payloadCache.withLocalCopy(of: cacheRequest(for: item, path: path), in: storage) { file throws(DataFolioError) in
                    URL(fileURLWithPath: file)
                }
            } catch {
                throw missingPayload(item, error)
            }
        }
        let status: StoredObject?
        do throws(DataFolioError) {
            status = try storage.status(path)
        } catch {
            throw missingPayload(item, error)
        }
        switch status?.kind {
        case .object?, .folder?:
            return URL(fileURLWithPath: local.absolutePath(path))
        case .symbolicLink?:
            throw DataFolioError(
                .unsupportedFeature,
                "The payload of item '\(item.name)' (\(path)) is a symbolic link; folios never hand out or follow links inside them.",
                path: path, remedy: .validate)
        case .other?:
            throw DataFolioError(.corruptData, "The payload of item '\(item.name)' (\(path)) is not a regular file.", path: path, remedy: .validate)
        case nil:
            throw missingPayload(item, DataFolioError(.fileNotFound, path))
        }
    }
}

extension FolioStorage {
    /// The MD5 of an object, computed while it streams through a bounded buffer;
    /// `counting`, if given, is told the size of every piece hashed.
    func md5(of path: String, counting: ((Int) -> Void)? = nil) throws(DataFolioError) -> String {
        let hasher = HashingOutput(forwardingTo: nil)
        try read(path, into: counting.map { CountingOutput(hasher, counted: $0) } ?? hasher)
        return hasher.digest.finalize().hexString
    }
}


extension DataFolio {
    /// Streams an item's payload — the file exactly as the folio stores it (`.parquet`,
    /// `.npy`, `.pt`, …) — into `output`, through a bounded buffer, checking its MD5 on the
    /// way.
    ///
    /// ```swift
    /// let copy = MemoryOutput()
    /// try folio.readPayload(of: "clean", into: copy)
    /// ```
    ///
    /// - Throws: `checksumMismatch` when the bytes no longer match the checksum the catalog
    ///   records (what was written to `output` must then be discarded); `unsupportedFeature`
    ///   for items without a payload file (references, folders — see
    ///   ``copyFolderPayload(of:to:)-8mkgp``).
    public func readPayload(of name: String, into output: any ByteOutput, verifyingChecksum: Bool = true) throws(DataFolioError) {
        let item = try requireItem(name)
        let path = try payloadObjectPath(of: item)
        if item.fields["is_directory"]?.boolValue == true {
            throw DataFolioError(
                .unsupportedFeature, "Item '\(name)' is a folder; copy it with copyFolderPayload(of:to:).", path: name)
        }
        let hasher = HashingOutput(forwardingTo: output)
        do {
            try storage.read(path, into: hasher)
        } catch {
            throw missingPayload(item, error)
        }
        let actual = hasher.digest.finalize().hexString
        if verifyingChecksum, let expected = item.checksum, expected != actual {
            throw DataFolioError(
                .checksumMismatch,
                "The payload of '\(name)' (\(path)) has MD5 \(actual), but the catalog records \(expected): it changed or was damaged after it was written.",
                path: path, remedy: .validate)
        }
    }

    /// Copies a folder item's files into a new local folder (which must not exist),
    /// never following a link inside the folio.
    ///
    /// ```swift
    /// try folio.copyFolderPayload(of: "images", to: URL(fileURLWithPath: "out/images"))
    /// ```
    public func copyFolderPayload(of name: String, to destination: URL) throws(DataFolioError) {
        let item = try requireItem(name)
        guard item.fields["is_directory"]?.boolValue == true else {
            throw DataFolioError(.invalidArgument, "Item '\(name)' is not a folder; read its payload with readPayload(of:into:).", path: name)
        }
        let root = try payloadObjectPath(of: item)
        let target = LocalFolioStorage(path: destination.path)
        if try target.status("") != nil {
            throw DataFolioError(.folderNotEmpty, "'\(destination.path)' already exists; choose a new folder.", path: destination.path)
        }
        try target.createFolder("")
        func copy(_ relative: String) throws(DataFolioError) {
            for entry in try storage.list(relative.isEmpty ? root : root + "/" + relative) {
                let child = relative.isEmpty ? entry.name : relative + "/" + entry.name
                switch entry.kind {
                case .folder:
                    try target.createFolder(child)
                    try copy(child)
                case .object:
                    let writer = try target.createObject(child)
                    do {
                        try storage.read(entry.path, into: writer)
                        _ = try writer.finish()
                    } catch {
                        writer.abort()
                        throw error
                    }
                case .symbolicLink, .other:
                    throw DataFolioError(
                        .unsupportedFeature, "'\(entry.path)' in the folio is a link or a special file; folios never copy through links.",
                        path: entry.path, remedy: .validate)
                }
            }
        }
        try copy("")
    }
}

/// Hashes what passes through, on its way to another output (or nowhere).
final class HashingOutput: ByteOutput {
    var digest = MD5()
    let next: (any ByteOutput)?

    init(forwardingTo next: (any ByteOutput)?) {
        self.next = next
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        digest.update(bytes)
        try next?.write(bytes)
    }
}

/// Passes bytes on and counts them.
final class CountingOutput: ByteOutput {
    let next: any ByteOutput
    let counted: (Int) -> Void

    init(_ next: any ByteOutput, counted: @escaping (Int) -> Void) {
        self.next = next
        self.counted = counted
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        try next.write(bytes)
        counted(bytes.count)
    }
}
