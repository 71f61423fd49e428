/// A string that compares and hashes by its exact Unicode scalars.
///
/// Swift's `String ==` treats canonically equivalent text as equal (`"é"` written as one
/// scalar equals `"e"` followed by a combining accent), but JSON and Python keep such
/// keys apart; an object must never merge two keys that Python holds separately.
struct ExactString: Hashable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        guard lhs.text.utf8.count == rhs.text.utf8.count else { return false }
        // `withUTF8` gives contiguous bytes for every kind of string (small, native,
        // bridged); it only copies when the string has no contiguous UTF-8 of its own.
        var a = lhs.text
        var b = rhs.text
        return a.withUTF8 { a in b.withUTF8 { b in bytesEqual(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b)) } }
    }

    /// Compares two buffers of the same length eight bytes at a time.
    static func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        var i = 0
        while i + 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(text.utf8.count)
    }
}
