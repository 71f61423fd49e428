import DataFolioNumPy
import DataFolioSupport

extension ArrayPreview {
    /// The preview of an array: its shape and dtype, and for real numbers the
    /// statistics of at most `limits.arraySample` evenly spaced elements. Only the
    /// sampled elements are read, so a memory-mapped array stays mostly on disk.
    ///
    /// ```swift
    /// let preview = ArrayPreview(try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float]))
    /// print(preview.statistics?.mean ?? 0)   // 2.5
    /// ```
    public init(_ array: NDArray, limits: ReportLimits = ReportLimits()) {
        self.init(shape: array.shape, dtype: array.dtype.name)
        let total = array.count
        guard total > 0 else { return }
        if let sample = ArraySampler.sample(array, maximumCount: max(limits.arraySample, 1)) {
            statistics = NumericSummary(values: sample, totalCount: total, bins: limits.histogramBins)
        } else if array.dtype.kind == .unicode || array.dtype.kind == .bytes, total <= 10_000, let strings = try? array.strings() {
            firstValues = strings.prefix(8).map { TextBounds.shortened($0, to: limits.cellCharacters) }
        } else {
            note = "Statistics are shown for arrays of real numbers; this one holds \(array.dtype.name) values."
        }
    }
}

/// Reads an evenly spaced sample of an array's elements as `Double`, straight from its
/// bytes (any byte order; the sample does not depend on the memory order).
enum ArraySampler {
    /// The sampled values, or `nil` when the dtype is not a real number.
    static func sample(_ array: NDArray, maximumCount: Int) -> [Double]? {
        let dtype = array.dtype
        let size = dtype.itemSize
        let swapped = dtype.byteOrder == .bigEndian
        let decode: (UnsafeRawBufferPointer, Int) -> Double
        switch (dtype.kind, size) {
        case (.bool, 1), (.unsignedInteger, 1):
            decode = { Double($0[$1]) }
        case (.signedInteger, 1):
            decode = { Double(Int8(bitPattern: $0[$1])) }
        case (.signedInteger, 2):
            decode = { Double(Int16(bitPattern: load16($0, $1, swapped))) }
        case (.unsignedInteger, 2):
            decode = { Double(load16($0, $1, swapped)) }
        case (.signedInteger, 4):
            decode = { Double(Int32(bitPattern: load32($0, $1, swapped))) }
        case (.unsignedInteger, 4):
            decode = { Double(load32($0, $1, swapped)) }
        case (.signedInteger, 8):
            decode = { Double(Int64(bitPattern: load64($0, $1, swapped))) }
        case (.unsignedInteger, 8):
            decode = { Double(load64($0, $1, swapped)) }
        case (.float, 2):
            decode = { Double(HalfPrecision.float(fromFloat16: load16($0, $1, swapped))) }
        case (.bfloat16, 2):
            decode = { Double(HalfPrecision.float(fromBFloat16: load16($0, $1, swapped))) }
        case (.float, 4):
            decode = { Double(Float(bitPattern: load32($0, $1, swapped))) }
        case (.float, 8):
            decode = { Double(bitPattern: load64($0, $1, swapped)) }
        default:
            return nil
        }
        let total = array.count
        let wanted = min(total, maximumCount)
        return array.withUnsafeBytes { bytes -> [Double] in
            let needed = total.multipliedReportingOverflow(by: size)
            guard !needed.overflow, bytes.count >= needed.partialValue, wanted > 0 else { return [] }
            var values = [Double]()
            values.reserveCapacity(wanted)
            for index in 0..<wanted {
                // Spread the sample over the whole array: element ⌊index · total / wanted⌋.
                let element = Int((UInt64(index) * UInt64(total)) / UInt64(wanted))
                values.append(decode(bytes, element * size))
            }
            return values
        }
    }

    private static func load16(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ swapped: Bool) -> UInt16 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return swapped ? value.byteSwapped : UInt16(littleEndian: value)
    }

    private static func load32(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ swapped: Bool) -> UInt32 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return swapped ? value.byteSwapped : UInt32(littleEndian: value)
    }

    private static func load64(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ swapped: Bool) -> UInt64 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return swapped ? value.byteSwapped : UInt64(littleEndian: value)
    }
}
