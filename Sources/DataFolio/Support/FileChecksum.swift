import DataFolioSupport

/// MD5 of files on disk, the checksum the catalog records for every payload.
enum FileChecksum {
    /// The MD5 of a file's bytes as 32 lowercase hex digits (read through a memory map).
    static func md5(ofFile path: String) throws(DataFolioError) -> String {
        let file = try MappedFile(path: path)
        return MD5.hex(of: file.bytes)
    }
}
