/// The Adler-32 checksum of the zlib format (RFC 1950).
///
/// ```swift
/// var adler = Adler32()
/// adler.update(Array("Wikipedia".utf8))
/// print(String(adler.value, radix: 16))   // 11e60398
/// ```
public struct Adler32: Sendable {
    /// The checksum of everything added so far.
    public private(set) var value: UInt32 = 1

    /// Creates a checksum with no input yet.
    ///
    /// ```swift
    /// var adler = Adler32()
    /// for chunk in chunks { adler.update(chunk) }
    /// print(adler.value)
    /// ```
    public init() {}

    private static let modulus: UInt32 = 65521
    // The most bytes that can be summed before `b` may overflow 32 bits.
    private static let blockSize = 5552

    /// Adds bytes to the checksum.
    ///
    /// ```swift
    /// values.withUnsafeBytes { adler.update($0) }
    /// ```
    public mutating func update(_ data: UnsafeRawBufferPointer) {
        var a = value & 0xFFFF
        var b = value >> 16
        var index = 0
        let count = data.count
        while index < count {
            let end = min(count, index + Self.blockSize)
            while index + 4 <= end {
                a &+= UInt32(data[index]); b &+= a
                a &+= UInt32(data[index + 1]); b &+= a
                a &+= UInt32(data[index + 2]); b &+= a
                a &+= UInt32(data[index + 3]); b &+= a
                index += 4
            }
            while index < end {
                a &+= UInt32(data[index]); b &+= a
                index += 1
            }
            a %= Self.modulus
            b %= Self.modulus
        }
        value = (b << 16) | a
    }

    /// Adds bytes to the checksum.
    ///
    /// ```swift
    /// adler.update(Array("Wikipedia".utf8))
    /// ```
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The Adler-32 of `bytes`.
    ///
    /// ```swift
    /// let sum = values.withUnsafeBytes { Adler32.checksum($0) }
    /// ```
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var adler = Adler32()
        adler.update(bytes)
        return adler.value
    }

    /// The Adler-32 of `bytes`.
    ///
    /// ```swift
    /// print(String(Adler32.checksum(Array("Wikipedia".utf8)), radix: 16))   // 11e60398
    /// ```
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
