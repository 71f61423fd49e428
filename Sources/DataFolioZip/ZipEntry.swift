/// One file (or folder) listed in a ZIP archive's central directory.
///
/// ```swift
/// for entry in archive.entries where !entry.isDirectory {
///     print(entry.name, entry.uncompressedSize, entry.method)
/// }
/// ```
public struct ZipEntry: Hashable, Sendable {
    /// The entry's path inside the archive, with `/` separators.
    public let name: String
    /// How the data is stored.
    public let method: ZipCompressionMethod
    /// The CRC-32 of the uncompressed data.
    public let crc32: UInt32
    /// The size of the data as stored in the archive.
    public let compressedSize: Int
    /// The size of the data once decompressed.
    public let uncompressedSize: Int
    /// Where the entry's local header starts in the archive.
    public let localHeaderOffset: Int
    /// Where the entry's (possibly compressed) data starts in the archive.
    public let dataOffset: Int
    /// The general-purpose flag bits (APPNOTE 4.4.4).
    public let flags: UInt16
    /// The raw MS-DOS modification time field (2-second resolution).
    public let dosTime: UInt16
    /// The raw MS-DOS modification date field (years from 1980).
    public let dosDate: UInt16
    /// The position of the entry in the central directory.
    public let index: Int

    /// Whether the entry names a folder (its name ends with `/`).
    public var isDirectory: Bool { name.hasSuffix("/") }

    /// Whether the data is encrypted (which this library cannot read).
    public var isEncrypted: Bool { flags & 0x0001 != 0 }

    /// The byte range of the stored data inside the archive.
    public var dataRange: Range<Int> { dataOffset..<(dataOffset + compressedSize) }
}
