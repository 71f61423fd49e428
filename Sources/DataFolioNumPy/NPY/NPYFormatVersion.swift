/// A version of the `.npy` file format.
///
/// The versions differ only in the header: 1.0 stores the header length in 2 bytes,
/// 2.0 in 4 bytes (for headers over 64 KiB), and 3.0 is 2.0 with a UTF-8 header
/// instead of Latin-1. Writers pick the oldest version that can hold the header, as
/// `np.save` does, unless asked for a specific one.
///
/// ```swift
/// let data = try array.npyData(version: .v2)   // like np.lib.format.write_array(f, a, version=(2, 0))
/// ```
public enum NPYFormatVersion: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Format 1.0: a 2-byte header length and a Latin-1 header.
    case v1
    /// Format 2.0: a 4-byte header length and a Latin-1 header.
    case v2
    /// Format 3.0: a 4-byte header length and a UTF-8 header.
    case v3

    /// The major version byte stored after the magic string.
    public var major: UInt8 {
        switch self {
        case .v1: return 1
        case .v2: return 2
        case .v3: return 3
        }
    }

    /// The minor version byte (always 0).
    public var minor: UInt8 { 0 }

    /// Creates the version from the two bytes after the magic string, or `nil` for an
    /// unknown version.
    public init?(major: UInt8, minor: UInt8) {
        guard minor == 0 else { return nil }
        switch major {
        case 1: self = .v1
        case 2: self = .v2
        case 3: self = .v3
        default: return nil
        }
    }

    /// The number of bytes of the little-endian header length field.
    var lengthFieldSize: Int { self == .v1 ? 2 : 4 }

    /// The largest value the header length field can hold.
    var maximumHeaderLength: Int { self == .v1 ? Int(UInt16.max) : Int(UInt32.max) }

    /// Whether the header text is UTF-8 (otherwise Latin-1).
    var isUTF8: Bool { self == .v3 }

    public var description: String { "\(major).\(minor)" }
}
