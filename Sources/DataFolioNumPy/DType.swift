import DataFolioSupport

/// The element type of an ``NDArray``: what numpy calls a dtype.
///
/// A dtype has a kind, an item size in bytes and a byte order. The common ones are
/// static members; text and date types take a length or unit.
///
/// ```swift
/// let f = DType.float32                 // numpy '<f4'
/// let s = DType.unicode(length: 8)      // numpy '<U8'
/// let t = DType.datetime64(.nanosecond) // numpy '<M8[ns]'
/// print(try DType(numpyDescriptor: ">i4").name)   // ">i4"
/// ```
public struct DType: Hashable, Sendable, CustomStringConvertible {
    /// The family of values an element holds.
    public enum Kind: String, Sendable, Hashable {
        /// `bool`, one byte, 0 or 1.
        case bool
        /// Signed integers.
        case signedInteger
        /// Unsigned integers.
        case unsignedInteger
        /// IEEE floating point (float16, float32, float64).
        case float
        /// bfloat16 (PyTorch and safetensors; numpy has no such dtype).
        case bfloat16
        /// Complex numbers: two floats (real, imaginary).
        case complex
        /// Fixed-width UTF-32 text (numpy `U`).
        case unicode
        /// Fixed-width bytes (numpy `S`).
        case bytes
        /// `datetime64` with a unit.
        case datetime
        /// `timedelta64` with a unit.
        case timedelta
    }

    /// The order of bytes within an element.
    public enum ByteOrder: Sendable, Hashable {
        /// Least significant byte first (x86, ARM).
        case littleEndian
        /// Most significant byte first.
        case bigEndian
        /// Single-byte elements and byte strings have no order.
        case notApplicable
    }

    /// The units of `datetime64` and `timedelta64`.
    public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
        case year = "Y", month = "M", week = "W", day = "D"
        case hour = "h", minute = "m", second = "s"
        case millisecond = "ms", microsecond = "us", nanosecond = "ns"
        case picosecond = "ps", femtosecond = "fs", attosecond = "as"
        /// numpy's generic (unit-less) datetime.
        case generic = ""
    }

    /// The family of values.
    public let kind: Kind
    /// Bytes per element.
    public let itemSize: Int
    /// The order of bytes within an element.
    public let byteOrder: ByteOrder
    /// The unit of a `datetime64` or `timedelta64`.
    public let timeUnit: TimeUnit?
    /// The multiplier of the unit (numpy `M8[10ms]` has 10); 1 otherwise.
    public let timeUnitCount: Int

    /// Creates a dtype from its parts. Prefer the static members.
    ///
    /// ```swift
    /// let bigEndianInts = DType(kind: .signedInteger, itemSize: 4, byteOrder: .bigEndian)   // '>i4'
    /// ```
    public init(kind: Kind, itemSize: Int, byteOrder: ByteOrder = .littleEndian, timeUnit: TimeUnit? = nil, timeUnitCount: Int = 1) {
        self.kind = kind
        self.itemSize = itemSize
        // numpy has no order for one-byte items and byte strings, and reads '|' on a
        // wider type as native order: normalize both ways so equal dtypes compare equal.
        if itemSize == 1 || kind == .bytes {
            self.byteOrder = .notApplicable
        } else {
            self.byteOrder = byteOrder == .notApplicable ? .littleEndian : byteOrder
        }
        self.timeUnit = timeUnit
        self.timeUnitCount = timeUnitCount
    }

    /// Booleans, one byte each (numpy `'|b1'`, `np.bool_`).
    ///
    /// ```swift
    /// let mask = try NDArray.zeros(shape: [4], dtype: .bool)
    /// print(DType.float32.numpyDescriptor ?? "", DType.int64.itemSize)   // <f4 8
    /// ```
    public static let bool = DType(kind: .bool, itemSize: 1)
    /// Signed 8-bit integers (numpy `'|i1'`).
    public static let int8 = DType(kind: .signedInteger, itemSize: 1)
    /// Signed 16-bit integers, little-endian (numpy `'<i2'`).
    public static let int16 = DType(kind: .signedInteger, itemSize: 2)
    /// Signed 32-bit integers, little-endian (numpy `'<i4'`).
    public static let int32 = DType(kind: .signedInteger, itemSize: 4)
    /// Signed 64-bit integers, little-endian (numpy `'<i8'`).
    public static let int64 = DType(kind: .signedInteger, itemSize: 8)
    /// Unsigned 8-bit integers (numpy `'|u1'`).
    public static let uint8 = DType(kind: .unsignedInteger, itemSize: 1)
    /// Unsigned 16-bit integers, little-endian (numpy `'<u2'`).
    public static let uint16 = DType(kind: .unsignedInteger, itemSize: 2)
    /// Unsigned 32-bit integers, little-endian (numpy `'<u4'`).
    public static let uint32 = DType(kind: .unsignedInteger, itemSize: 4)
    /// Unsigned 64-bit integers, little-endian (numpy `'<u8'`).
    public static let uint64 = DType(kind: .unsignedInteger, itemSize: 8)
    /// IEEE half-precision floats, little-endian (numpy `'<f2'`).
    public static let float16 = DType(kind: .float, itemSize: 2)
    /// Brain floats: the upper 16 bits of a `Float` (PyTorch's and safetensors' `bfloat16`;
    /// numpy has no descriptor for it).
    public static let bfloat16 = DType(kind: .bfloat16, itemSize: 2)
    /// IEEE single-precision floats, little-endian (numpy `'<f4'`).
    public static let float32 = DType(kind: .float, itemSize: 4)
    /// IEEE double-precision floats, little-endian (numpy `'<f8'`).
    public static let float64 = DType(kind: .float, itemSize: 8)
    /// Complex numbers of two `float32`s, real part first (numpy `'<c8'`).
    public static let complex64 = DType(kind: .complex, itemSize: 8)
    /// Complex numbers of two `float64`s, real part first (numpy `'<c16'`).
    public static let complex128 = DType(kind: .complex, itemSize: 16)

    /// Fixed-width Unicode text of `length` characters (numpy `<U{length}`).
    ///
    /// ```swift
    /// let names = try NDArray(shape: [2], strings: ["ada", "grace"])
    /// print(names.dtype == .unicode(length: 5))   // true
    /// ```
    public static func unicode(length: Int) -> DType { DType(kind: .unicode, itemSize: 4 * length) }
    /// Fixed-width byte strings of `length` bytes (numpy `|S{length}`).
    ///
    /// ```swift
    /// let codes = DType.bytes(length: 4)   // numpy '|S4'
    /// ```
    public static func bytes(length: Int) -> DType { DType(kind: .bytes, itemSize: length) }
    /// 64-bit datetimes counted in `unit` since 1970-01-01 (numpy `<M8[unit]`).
    ///
    /// ```swift
    /// let stamps = try NDArray.zeros(shape: [3], dtype: .datetime64(.millisecond))   // '<M8[ms]'
    /// ```
    public static func datetime64(_ unit: TimeUnit) -> DType { DType(kind: .datetime, itemSize: 8, timeUnit: unit) }
    /// 64-bit durations counted in `unit` (numpy `<m8[unit]`).
    ///
    /// ```swift
    /// let durations = DType.timedelta64(.second)   // numpy '<m8[s]'
    /// ```
    public static func timedelta64(_ unit: TimeUnit) -> DType { DType(kind: .timedelta, itemSize: 8, timeUnit: unit) }

    /// The same dtype with native (little-endian on every supported platform) byte order.
    public var nativeByteOrder: DType {
        DType(kind: kind, itemSize: itemSize, byteOrder: .littleEndian, timeUnit: timeUnit, timeUnitCount: timeUnitCount)
    }

    /// Whether elements are stored in the byte order of this machine.
    public var isNativeByteOrder: Bool { byteOrder != .bigEndian }

    /// The number of characters of a `unicode` dtype or bytes of a `bytes` dtype.
    public var stringLength: Int? {
        switch kind {
        case .unicode: return itemSize / 4
        case .bytes: return itemSize
        default: return nil
        }
    }

    /// The numpy type-character code without byte order (`f`, `i`, `u`, `b`, `c`, `U`, `S`, `M`, `m`).
    var typeCharacter: String {
        switch kind {
        case .bool: return "b"
        case .signedInteger: return "i"
        case .unsignedInteger: return "u"
        case .float: return "f"
        case .bfloat16: return "V"
        case .complex: return "c"
        case .unicode: return "U"
        case .bytes: return "S"
        case .datetime: return "M"
        case .timedelta: return "m"
        }
    }

    var unitSuffix: String {
        guard let timeUnit else { return "" }
        if timeUnit == .generic { return "" }
        return "[" + (timeUnitCount == 1 ? "" : String(timeUnitCount)) + timeUnit.rawValue + "]"
    }

    /// The array-protocol type string numpy writes in `.npy` headers, e.g. `<f4`, `|b1`,
    /// `<U8`, `|S4`, `<M8[ns]`. bfloat16 has none and gives `nil`.
    public var numpyDescriptor: String? {
        if kind == .bfloat16 { return nil }
        let order: String
        switch byteOrder {
        case .littleEndian: order = "<"
        case .bigEndian: order = ">"
        case .notApplicable: order = "|"
        }
        let size = kind == .unicode ? itemSize / 4 : itemSize
        return order + typeCharacter + String(size) + unitSuffix
    }

    /// The name numpy gives the dtype (`str(np.dtype)`): `float32`, `int64`, `bool`,
    /// `complex128`, `datetime64[ns]`, `<U2`, `|S2`; non-native byte order keeps the
    /// descriptor form (`>i4`). This is what the folio records as an array's `dtype`.
    public var name: String {
        switch kind {
        case .bfloat16: return "bfloat16"
        case .unicode, .bytes: return numpyDescriptor ?? ""
        default: break
        }
        if byteOrder == .bigEndian { return numpyDescriptor ?? "" }
        switch kind {
        case .bool: return "bool"
        case .signedInteger: return "int\(itemSize * 8)"
        case .unsignedInteger: return "uint\(itemSize * 8)"
        case .float: return "float\(itemSize * 8)"
        case .complex: return "complex\(itemSize * 8)"
        case .datetime: return "datetime64" + unitSuffix
        case .timedelta: return "timedelta64" + unitSuffix
        default: return numpyDescriptor ?? ""
        }
    }

    public var description: String { name }

    /// Parses a numpy array-protocol type string (`<f4`, `>i8`, `|b1`, `<U8`, `|S3`,
    /// `<M8[us]`, `<c16`, and the one-letter aliases numpy accepts such as `?`).
    ///
    /// ```swift
    /// let dtype = try DType(numpyDescriptor: "<f8")
    /// print(dtype == .float64)   // true
    /// ```
    ///
    /// - Throws: `DataFolioError` for object (`O`), void/structured and other dtypes
    ///   this library does not represent.
    public init(numpyDescriptor descriptor: String) throws(DataFolioError) {
        var text = Substring(descriptor)
        var order: ByteOrder = .littleEndian
        if let first = text.first, "<>|=".contains(first) {
            if first == ">" { order = .bigEndian }
            if first == "|" { order = .notApplicable }
            text = text.dropFirst()
        }
        guard let code = text.first else {
            throw DataFolioError(.corruptData, "NPY: the dtype '\(descriptor)' is empty.")
        }
        text = text.dropFirst()
        var unit: TimeUnit?
        var unitCount = 1
        if let open = text.firstIndex(of: "[") {
            guard text.last == "]" else {
                throw DataFolioError(.corruptData, "NPY: the dtype '\(descriptor)' has an unclosed unit.")
            }
            var unitText = text[text.index(after: open)..<text.index(before: text.endIndex)]
            let digits = unitText.prefix(while: { $0.isASCII && $0.isNumber })
            if !digits.isEmpty {
                guard let count = Int(digits), count >= 1 else {
                    throw DataFolioError(.corruptData, "NPY: the time unit multiplier in dtype '\(descriptor)' is out of range.")
                }
                unitCount = count
                unitText = unitText.dropFirst(digits.count)
            }
            guard code == "M" || code == "m" else {
                throw DataFolioError(.corruptData, "NPY: the dtype '\(descriptor)' has a time unit but is not a datetime or timedelta.")
            }
            guard let parsed = TimeUnit(rawValue: String(unitText)), parsed != .generic || unitCount == 1 else {
                throw DataFolioError(.unsupportedFeature, "NPY: the time unit '\(unitText)' in dtype '\(descriptor)' is not known.")
            }
            unit = parsed
            text = text[..<open]
        }
        let size = text.isEmpty || !text.allSatisfy({ $0.isASCII && $0.isNumber }) ? nil : Int(text)
        if !text.isEmpty && size == nil {
            throw DataFolioError(.corruptData, "NPY: the dtype '\(descriptor)' has an unreadable size.")
        }
        func sized(_ kind: Kind, _ allowed: Set<Int>, default defaultSize: Int) throws(DataFolioError) -> DType {
            let itemSize = size ?? defaultSize
            guard allowed.contains(itemSize) else {
                throw DataFolioError(.unsupportedFeature, "NPY: the dtype '\(descriptor)' (\(kind.rawValue) of \(itemSize) bytes) is not supported.")
            }
            return DType(kind: kind, itemSize: itemSize, byteOrder: order)
        }
        switch code {
        case "b", "?":
            self = try sized(.bool, [1], default: 1)
        case "i":
            self = try sized(.signedInteger, [1, 2, 4, 8], default: 4)
        case "u":
            self = try sized(.unsignedInteger, [1, 2, 4, 8], default: 4)
        case "f":
            self = try sized(.float, [2, 4, 8], default: 8)
        case "c":
            self = try sized(.complex, [8, 16], default: 16)
        case "U":
            guard let size, size >= 0, size <= Int.max / 4 else {
                throw DataFolioError(.corruptData, "NPY: the dtype '\(descriptor)' needs a length.")
            }
            self = DType(kind: .unicode, itemSize: size * 4, byteOrder: order)
        case "S", "a":
            guard let size, size >= 0 else {
                throw DataFolioError(.corruptData, "NPY: the dtype '\(descriptor)' needs a length.")
            }
            self = DType(kind: .bytes, itemSize: size)
        case "M", "m":
            guard size == nil || size == 8 else {
                throw DataFolioError(.corruptData, "NPY: the dtype '\(descriptor)' must be 8 bytes.")
            }
            self = DType(kind: code == "M" ? .datetime : .timedelta, itemSize: 8, byteOrder: order,
                         timeUnit: unit ?? .generic, timeUnitCount: unitCount)
        case "O":
            throw DataFolioError(
                .unsupportedFeature,
                "NPY: object arrays (dtype 'O') hold pickled Python objects, which only Python can read. In Python, convert the array to a fixed-width dtype (for example `arr.astype(str)` or `arr.astype(np.float64)`) and save it again.")
        case "V":
            throw DataFolioError(
                .unsupportedFeature,
                "NPY: void and structured dtypes ('\(descriptor)') are not supported. In Python, save each field as its own array (for example `arr['x']`) and save it again.")
        default:
            throw DataFolioError(.unsupportedFeature, "NPY: the dtype '\(descriptor)' is not supported.")
        }
    }
}
