import DataFolioSupport

/// A Swift type that can be the element of an ``NDArray``: `Bool`, the fixed-width
/// integers and `Float` / `Double`.
public protocol NDArrayElement: Sendable {
    /// The dtype of arrays of this type (native byte order).
    static var dtype: DType { get }
    /// Writes `values` into `buffer` (exactly `values.count × itemSize` bytes) in native byte order.
    static func store(_ values: [Self], into buffer: UnsafeMutableRawBufferPointer)
}

extension NDArrayElement {
    public static func store(_ values: [Self], into buffer: UnsafeMutableRawBufferPointer) {
        values.withUnsafeBytes { source in
            if let base = source.baseAddress, let target = buffer.baseAddress, source.count > 0 {
                target.copyMemory(from: base, byteCount: source.count)
            }
        }
    }
}

extension Bool: NDArrayElement {
    public static var dtype: DType { .bool }
    public static func store(_ values: [Bool], into buffer: UnsafeMutableRawBufferPointer) {
        for (i, value) in values.enumerated() { buffer[i] = value ? 1 : 0 }
    }
}
extension Int8: NDArrayElement { public static var dtype: DType { .int8 } }
extension Int16: NDArrayElement { public static var dtype: DType { .int16 } }
extension Int32: NDArrayElement { public static var dtype: DType { .int32 } }
extension Int64: NDArrayElement { public static var dtype: DType { .int64 } }
extension UInt8: NDArrayElement { public static var dtype: DType { .uint8 } }
extension UInt16: NDArrayElement { public static var dtype: DType { .uint16 } }
extension UInt32: NDArrayElement { public static var dtype: DType { .uint32 } }
extension UInt64: NDArrayElement { public static var dtype: DType { .uint64 } }
extension Float: NDArrayElement { public static var dtype: DType { .float32 } }
extension Double: NDArrayElement { public static var dtype: DType { .float64 } }

extension NDArray {
    /// The elements in row-major order as Swift values.
    ///
    /// The element type must match the dtype (byte order does not matter); in addition
    /// `Float` reads float16 and bfloat16 arrays, widening exactly, and `Int64` reads
    /// `datetime64` and `timedelta64` arrays as raw counts of their unit.
    ///
    /// ```swift
    /// let weights: [Float] = try array.values()
    /// let ids = try array.values(as: Int64.self)
    /// ```
    public func values<Element: NDArrayElement>(as type: Element.Type = Element.self) throws(DataFolioError) -> [Element] {
        let source = canonical()
        let target = Element.dtype
        if target == .float32 && (dtype.nativeByteOrder == .float16 || dtype.kind == .bfloat16) {
            let isHalf = dtype.kind == .float
            let widened: [Float] = source.storage.bytes.withMemoryRebound(to: UInt16.self) { halves in
                halves.map { isHalf ? HalfPrecision.float(fromFloat16: $0) : HalfPrecision.float(fromBFloat16: $0) }
            }
            return widened as? [Element] ?? []
        }
        let compatible = dtype.nativeByteOrder == target
            || (target == .int64 && (dtype.kind == .datetime || dtype.kind == .timedelta))
        guard compatible else {
            throw DataFolioError(
                .typeMismatch,
                "The array holds \(dtype.name) elements, which cannot be read as \(Element.self); read it as its own type or convert it first.")
        }
        if Element.self == Bool.self {
            return source.storage.bytes.map { $0 != 0 } as? [Element] ?? []
        }
        return [Element](uninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            HugePages.advise(raw)
            if let base = source.storage.bytes.baseAddress, let target = raw.baseAddress, source.byteCount > 0 {
                target.copyMemory(from: base, byteCount: source.byteCount)
            }
            initialized = count
        }
    }

    /// The elements of any real numeric array (bool, integers, floats, float16,
    /// bfloat16) converted to `Double`, in row-major order.
    public func doubleValues() throws(DataFolioError) -> [Double] {
        let source = canonical()
        let bytes = source.storage.bytes
        switch (dtype.kind, dtype.itemSize) {
        case (.bool, 1), (.unsignedInteger, 1): return bytes.map { Double($0) }
        case (.signedInteger, 1): return bytes.map { Double(Int8(bitPattern: $0)) }
        case (.signedInteger, 2): return bytes.withMemoryRebound(to: Int16.self) { $0.map { Double($0) } }
        case (.signedInteger, 4): return bytes.withMemoryRebound(to: Int32.self) { $0.map { Double($0) } }
        case (.signedInteger, 8): return bytes.withMemoryRebound(to: Int64.self) { $0.map { Double($0) } }
        case (.unsignedInteger, 2): return bytes.withMemoryRebound(to: UInt16.self) { $0.map { Double($0) } }
        case (.unsignedInteger, 4): return bytes.withMemoryRebound(to: UInt32.self) { $0.map { Double($0) } }
        case (.unsignedInteger, 8): return bytes.withMemoryRebound(to: UInt64.self) { $0.map { Double($0) } }
        case (.float, 2), (.bfloat16, 2): return try values(as: Float.self).map { Double($0) }
        case (.float, 4): return bytes.withMemoryRebound(to: Float.self) { $0.map { Double($0) } }
        case (.float, 8): return bytes.withMemoryRebound(to: Double.self) { Array($0) }
        default:
            throw DataFolioError(.typeMismatch, "The array holds \(dtype.name) elements, which are not real numbers.")
        }
    }

    /// The elements of a `unicode` (`<U…`) or `bytes` (`|S…`) array as strings, in
    /// row-major order, with trailing NULs removed. Bytes are decoded as UTF-8 (invalid
    /// sequences become U+FFFD).
    public func strings() throws(DataFolioError) -> [String] {
        let source = canonical()
        let bytes = source.storage.bytes
        guard let width = dtype.stringLength else {
            throw DataFolioError(.typeMismatch, "The array holds \(dtype.name) elements, not strings.")
        }
        var result = [String]()
        result.reserveCapacity(count)
        for i in 0..<count {
            if dtype.kind == .unicode {
                var scalars = String.UnicodeScalarView()
                for j in 0..<width {
                    let value = bytes.loadUnaligned(fromByteOffset: (i * width + j) * 4, as: UInt32.self)
                    if value == 0 { break }
                    scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                }
                result.append(String(scalars))
            } else {
                var end = (i + 1) * width
                while end > i * width && bytes[end - 1] == 0 { end -= 1 }
                result.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(i * width)..<end]), as: UTF8.self))
            }
        }
        return result
    }

    /// The elements of a `bytes` (`|S…`) array, trailing NULs removed.
    public func byteStrings() throws(DataFolioError) -> [[UInt8]] {
        guard dtype.kind == .bytes else {
            throw DataFolioError(.typeMismatch, "The array holds \(dtype.name) elements, not byte strings.")
        }
        let width = dtype.itemSize
        let bytes = canonical().storage.bytes
        return (0..<count).map { i in
            var end = (i + 1) * width
            while end > i * width && bytes[end - 1] == 0 { end -= 1 }
            return [UInt8](bytes[(i * width)..<end])
        }
    }
}
