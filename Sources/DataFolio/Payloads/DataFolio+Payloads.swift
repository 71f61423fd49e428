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

    /// The payload mapped into memory: the folio's own file on a local disk; elsewhere
    /// the payload is read into memory.
    func mappedPayload(of item: CatalogItem) throws(DataFolioError) -> MappedFile? {
        guard let local = storage as? LocalFolioStorage else { return nil }
        let path = try payloadObjectPath(of: item)
        do throws(DataFolioError) {
            return try local.map(path)
        } catch {
            throw missingPayload(item, error)
        }
    }

    /// Random access to a payload for readers that read only what they need (a
    /// Parquet footer and the projected column chunks).
    func payloadSource(of item: CatalogItem) throws(DataFolioError) -> any ParquetByteSource {
        if let mapped = try mappedPayload(of: item) { return ParquetMappedSource(mapped) }
        let path = try payloadObjectPath(of: item)
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

    /// An `.npy` payload: read straight into array memory, mapped (local disk only, with
    /// `memoryMapped`), or through ranged reads on other stores.
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
    /// the folio's own file on a local disk.
    func payloadFile(of item: CatalogItem) throws(DataFolioError) -> URL {
        let path = try payloadObjectPath(of: item)
        guard let local = storage as? LocalFolioStorage else {
            throw DataFolioError(
                .unsupportedFeature,
                "Item '\(item.name)' is stored at \(storage.location), which is not a local folder; read its bytes instead of its file location.",
                path: item.name)
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
    /// The MD5 of an object, computed while it streams through a bounded buffer.
    func md5(of path: String) throws(DataFolioError) -> String {
        let hasher = MD5Output()
        try read(path, into: hasher)
        return hasher.digest.finalize().hexString
    }
}

/// Hashes what is written to it.
final class MD5Output: ByteOutput {
    var digest = MD5()
    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        digest.update(bytes)
    }
}
