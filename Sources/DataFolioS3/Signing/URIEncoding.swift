/// Percent-encoding as AWS Signature V4 and S3 object keys require it (RFC 3986 unreserved
/// characters stay, everything else becomes `%XX` with uppercase hex digits).
///
/// ```swift
/// URIEncoding.encode("a b+c")                  // "a%20b%2Bc"
/// URIEncoding.encodePath("tables/x y.parquet") // "tables/x%20y.parquet"
/// ```
public enum URIEncoding {
    /// Encodes every byte except `A–Z a–z 0–9 - . _ ~` (query names and values).
    ///
    /// ```swift
    /// URIEncoding.encode("a/b c")   // "a%2Fb%20c"
    /// ```
    public static func encode(_ string: String) -> String {
        encode(string, keepingSlash: false)
    }

    /// Encodes every byte except the unreserved ones and `/` (an S3 object key in a path).
    ///
    /// ```swift
    /// URIEncoding.encodePath("a/b c")   // "a/b%20c"
    /// ```
    public static func encodePath(_ string: String) -> String {
        encode(string, keepingSlash: true)
    }

    /// Decodes `%XX` escapes (and, when `plusIsSpace`, `+` as a space); malformed escapes
    /// are kept as they are. Used for keys in listings requested with `encoding-type=url`.
    ///
    /// ```swift
    /// URIEncoding.decode("a+b%2Bc", plusIsSpace: true)   // "a b+c"
    /// ```
    public static func decode(_ string: String, plusIsSpace: Bool = false) -> String {
        let bytes = Array(string.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func encode(_ string: String, keepingSlash: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
