/// How an entry's bytes are stored in a ZIP archive (the "compression method" field).
///
/// Only ``stored`` and ``deflate`` can be read and written; other methods are listed
/// with their number so callers can report them.
///
/// ```swift
/// if entry.method == .stored, let range = archive.storedDataRange(of: entry) { … }
/// ```
public struct ZipCompressionMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method number from the ZIP specification (APPNOTE 4.4.5).
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The bytes are stored as they are.
    public static let stored = ZipCompressionMethod(rawValue: 0)
    /// The bytes are compressed with DEFLATE (RFC 1951).
    public static let deflate = ZipCompressionMethod(rawValue: 8)

    public var description: String {
        switch rawValue {
        case 0: "stored"
        case 8: "deflate"
        case 9: "deflate64"
        case 12: "bzip2"
        case 14: "LZMA"
        case 93: "Zstandard"
        case 95: "XZ"
        default: "method \(rawValue)"
        }
    }
}
