import DataFolioSupport

/// A validity bitmap in Arrow's layout: bit `i` lives in byte `i / 8`, least significant
/// bit first; a set bit means the value is present (not null).
///
/// ```swift
/// var validity = Bitmap(count: 3, allValid: true)
/// validity[1] = false
/// print(validity.nonzeroCount)   // 2
/// ```
public struct Bitmap: Sendable {
    /// The packed bits; bits past ``count`` are always zero.
    public private(set) var bytes: [UInt8]
    /// The number of bits.
    public private(set) var count: Int

    /// Creates a bitmap of `count` bits, all set or all clear.
    ///
    /// ```swift
    /// let none = Bitmap(count: 3, allValid: false)
    /// print(none.nonzeroCount)   // 0
    /// ```
    public init(count: Int, allValid: Bool) {
        precondition(count >= 0, "Bitmap count must not be negative")
        self.count = count
        let byteCount = (count + 7) / 8
        bytes = [UInt8](repeating: allValid ? 0xFF : 0, count: byteCount)
        if allValid { clearPadding() }
    }

    /// Creates a bitmap with one bit per element of `flags`.
    ///
    /// ```swift
    /// let validity = Bitmap([true, false, true])
    /// print(validity[1])   // false
    /// ```
    public init(_ flags: [Bool]) {
        self.init(count: flags.count, allValid: false)
        bytes.withUnsafeMutableBufferPointer { out in
            for (i, flag) in flags.enumerated() where flag {
                out[i >> 3] |= UInt8(1) << UInt8(i & 7)
            }
        }
    }

    /// Creates a bitmap over packed bytes, as read from a file.
    ///
    /// Extra bytes are dropped and bits past `count` are cleared.
    /// ```swift
    /// let validity = try Bitmap(bytes: [0b0000_0101], count: 3)   // rows 0 and 2 valid
    /// ```
    ///
    /// - Throws: `invalidArgument` when `bytes` holds fewer than `count` bits.
    public init(bytes: [UInt8], count: Int) throws(DataFolioError) {
        guard count >= 0 else {
            throw DataFolioError(.invalidArgument, "A validity bitmap cannot have a negative count (\(count)).")
        }
        let needed = (count + 7) / 8
        guard bytes.count >= needed else {
            throw DataFolioError(
                .invalidArgument,
                "A validity bitmap of \(count) bits needs \(needed) bytes but has \(bytes.count).")
        }
        self.bytes = bytes.count == needed ? bytes : Array(bytes[0..<needed])
        self.count = count
        clearPadding()
    }

    /// Whether bit `index` is set (the value is present).
    ///
    /// ```swift
    /// if validity[2] { print("row 2 has a value") }
    /// ```
    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "Bitmap index out of range")
            return bytes[index >> 3] & (UInt8(1) << UInt8(index & 7)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "Bitmap index out of range")
            if newValue {
                bytes[index >> 3] |= UInt8(1) << UInt8(index & 7)
            } else {
                bytes[index >> 3] &= ~(UInt8(1) << UInt8(index & 7))
            }
        }
    }

    /// Appends one bit.
    ///
    /// ```swift
    /// var validity = Bitmap(count: 0, allValid: true)
    /// validity.append(false)
    /// ```
    public mutating func append(_ valid: Bool) {
        if count & 7 == 0 { bytes.append(0) }
        if valid { bytes[count >> 3] |= UInt8(1) << UInt8(count & 7) }
        count += 1
    }

    /// The number of set bits (present values).
    public var nonzeroCount: Int {
        bytes.withUnsafeBufferPointer { buffer in
            var total = 0
            var i = 0
            // Count eight bytes at a time; padding bits are zero so they never count.
            while i + 8 <= buffer.count {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(buffer[i + k]) << UInt64(k * 8) }
                total += word.nonzeroBitCount
                i += 8
            }
            while i < buffer.count {
                total += buffer[i].nonzeroBitCount
                i += 1
            }
            return total
        }
    }

    /// The number of clear bits (nulls).
    public var zeroCount: Int { count - nonzeroCount }

    /// The bits as an array of flags.
    public var flags: [Bool] {
        (0..<count).map { self[$0] }
    }

    /// A copy of the bits in `range`.
    ///
    /// ```swift
    /// let firstTwo = Bitmap([true, false, true]).slice(0..<2)
    /// ```
    public func slice(_ range: Range<Int>) -> Bitmap {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "Bitmap slice out of range")
        if range.lowerBound & 7 == 0 {
            var copy = Bitmap(count: 0, allValid: false)
            let end = (range.upperBound + 7) / 8
            copy.bytes = Array(bytes[(range.lowerBound >> 3)..<end])
            copy.count = range.count
            copy.clearPadding()
            return copy
        }
        var copy = Bitmap(count: range.count, allValid: false)
        for (i, index) in range.enumerated() where self[index] {
            copy.bytes[i >> 3] |= UInt8(1) << UInt8(i & 7)
        }
        return copy
    }

    private mutating func clearPadding() {
        let rest = count & 7
        if rest != 0, !bytes.isEmpty {
            bytes[bytes.count - 1] &= UInt8((1 << rest) - 1)
        }
    }
}

extension Bitmap: Equatable {
    public static func == (lhs: Bitmap, rhs: Bitmap) -> Bool {
        // Padding bits are kept clear, so byte equality is bit equality.
        lhs.count == rhs.count && lhs.bytes == rhs.bytes
    }
}
