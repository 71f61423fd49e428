/// How hard a compressor searches for repeated data: a trade between speed and size.
///
/// Levels follow the familiar zlib scale from 0 (store only) to 9 (smallest output).
/// Codecs without levels (Snappy, LZ4) ignore it.
///
/// ```swift
/// let small = Deflate.compress(bytes, level: .best)
/// let quick = Gzip.compress(bytes, level: .fastest)
/// let custom = Zlib.compress(bytes, level: CompressionLevel(3))
/// ```
public struct CompressionLevel: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The level, from 0 to 9.
    public let value: Int

    /// Creates a level; values outside 0...9 are clamped into that range.
    ///
    /// ```swift
    /// let packed = Zlib.compress(bytes, level: CompressionLevel(4))
    /// ```
    public init(_ value: Int) {
        self.value = min(9, max(0, value))
    }

    /// No compression: data is only framed (DEFLATE stored blocks).
    public static let none = CompressionLevel(0)
    /// The fastest level that still compresses.
    public static let fastest = CompressionLevel(1)
    /// A balance of speed and size (zlib's default, 6).
    public static let `default` = CompressionLevel(6)
    /// The smallest output, slowest.
    public static let best = CompressionLevel(9)

    public static func < (lhs: CompressionLevel, rhs: CompressionLevel) -> Bool { lhs.value < rhs.value }

    public var description: String { "level \(value)" }
}
