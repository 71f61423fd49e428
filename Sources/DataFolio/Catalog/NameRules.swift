import DataFolioSupport

/// The naming rules for items and snapshots, shared with the Python datafolio 2.3.0.
enum NameRules {
    /// Checks an item name: `/`-separated segments, each starting with a letter or digit
    /// followed by letters, digits, `.`, `_` or `-`; no `@`; at most 200 characters a
    /// segment and 255 in all.
    static func validateItemName(_ name: String) throws(DataFolioError) {
        func fail(_ reason: String) -> DataFolioError {
            DataFolioError(.invalidName, "Invalid item name '\(name)': \(reason).")
        }
        if name.isEmpty { throw DataFolioError(.invalidName, "An item name cannot be empty.") }
        if name.unicodeScalars.count > 255 { throw fail("it is longer than 255 characters") }
        if name.contains("@") { throw fail("'@' is reserved for snapshots") }
        if name.first?.isWhitespace == true || name.last?.isWhitespace == true {
            throw fail("it has leading or trailing whitespace")
        }
        for segment in name.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { throw fail("it has an empty path segment (a leading, trailing or doubled '/')") }
            if segment == "." || segment == ".." { throw fail("'.' and '..' segments are not allowed") }
            if segment.unicodeScalars.count > 200 { throw fail("a segment is longer than 200 characters") }
            guard let first = segment.unicodeScalars.first, isAlphanumeric(first) else {
                throw fail("each segment must start with a letter or digit (A–Z, a–z, 0–9)")
            }
            for scalar in segment.unicodeScalars where !(isAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-") {
                throw fail("'\(scalar)' is not allowed; use letters, digits, '.', '_', '-' and '/' for namespaces")
            }
        }
    }

    /// Checks a snapshot name: letters, digits, `.`, `_` and `-`, at most 100 characters,
    /// and not `.` or `..`.
    static func validateSnapshotName(_ name: String) throws(DataFolioError) {
        if name.isEmpty { throw DataFolioError(.invalidName, "A snapshot name cannot be empty.") }
        if name.unicodeScalars.count > 100 {
            throw DataFolioError(.invalidName, "Invalid snapshot name '\(name)': it is longer than 100 characters.")
        }
        if name == "." || name == ".." || name.contains("..") {
            throw DataFolioError(.invalidName, "Invalid snapshot name '\(name)': '..' is not allowed.")
        }
        for scalar in name.unicodeScalars where !(isAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-") {
            throw DataFolioError(
                .invalidName,
                "Invalid snapshot name '\(name)': it can only contain letters, digits, dots, underscores and hyphens.")
        }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }
}
