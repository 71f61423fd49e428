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
        let a = lhs.text.utf8
        let b = rhs.text.utf8
        guard a.count == b.count else { return false }
        let contiguous = a.withContiguousStorageIfAvailable { a in
            b.withContiguousStorageIfAvailable { b in a.elementsEqual(b) }
        }
        if let contiguous, let equal = contiguous { return equal }
        return a.elementsEqual(b)
    }

    func hash(into hasher: inout Hasher) {
        let utf8 = text.utf8
        let hashed: Void? = utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil {
            for byte in utf8 { hasher.combine(byte) }
        }
        hasher.combine(utf8.count)
    }
}
