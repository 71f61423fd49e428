import DataFolioNumPy
import DataFolioSupport

/// Builds `.npy` bytes by hand, so tests can feed readers any header text.
enum NPYTestBytes {
    /// Magic, version, length field and `header` (written as is, without padding),
    /// followed by `data`.
    static func file(header: String, major: UInt8 = 1, minor: UInt8 = 0, data: [UInt8] = [], utf8: Bool = true) -> [UInt8] {
        let text: [UInt8] = utf8 ? Array(header.utf8) : header.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        var bytes: [UInt8] = NPYHeader.magic + [major, minor]
        if major == 1 {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8 & 0xFF)]
        } else {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8 & 0xFF), UInt8(text.count >> 16 & 0xFF), UInt8(text.count >> 24 & 0xFF)]
        }
        return bytes + text + data
    }

    /// Parses a header given as dict text.
    static func header(_ text: String, major: UInt8 = 1) throws(DataFolioError) -> NPYHeader {
        let bytes = file(header: text, major: major)
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(DataFolioError) -> NPYHeader in try NPYHeader(parsing: raw) }
        }.get()
    }

    /// The error reading `bytes` as a `.npy` file throws, or `nil` when it succeeds.
    static func readError(_ bytes: [UInt8]) -> DataFolioError? {
        do {
            _ = try NDArray(npyData: bytes)
            return nil
        } catch {
            return error
        }
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
