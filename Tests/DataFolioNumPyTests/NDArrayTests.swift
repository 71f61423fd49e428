import DataFolioNumPy
import DataFolioSupport
import Testing

@Suite struct NDArrayTests {
    @Test func typedValuesRoundTrip() throws {
        let array = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Int32])
        #expect(array.dtype == .int32)
        #expect(array.shape == [2, 3])
        #expect(array.count == 6)
        #expect(array.rank == 2)
        #expect(array.byteCount == 24)
        #expect(try array.values(as: Int32.self) == [1, 2, 3, 4, 5, 6])
        #expect(throws: DataFolioError.self) { try array.values(as: Float.self) }
        #expect(throws: DataFolioError.self) { try array.values(as: Int64.self) }
    }

    @Test func everyElementType() throws {
        #expect(try NDArray([true, false, true]).values(as: Bool.self) == [true, false, true])
        #expect(try NDArray([Int8.min, 0, Int8.max]).values(as: Int8.self) == [Int8.min, 0, Int8.max])
        #expect(try NDArray([Int16.min, Int16.max]).values(as: Int16.self) == [Int16.min, Int16.max])
        #expect(try NDArray([Int64.min, Int64.max]).values(as: Int64.self) == [Int64.min, Int64.max])
        #expect(try NDArray([UInt8.max]).values(as: UInt8.self) == [UInt8.max])
        #expect(try NDArray([UInt16.max]).values(as: UInt16.self) == [UInt16.max])
        #expect(try NDArray([UInt32.max]).values(as: UInt32.self) == [UInt32.max])
        #expect(try NDArray([UInt64.max]).values(as: UInt64.self) == [UInt64.max])
        #expect(try NDArray([Float(1.5), -0.0]).values(as: Float.self) == [1.5, -0.0])
        #expect(try NDArray([Double.pi]).values(as: Double.self) == [Double.pi])
    }

    @Test func shapeMismatchIsRefused() {
        #expect(throws: DataFolioError.self) { try NDArray(shape: [2, 2], [1, 2, 3] as [Float]) }
        #expect(throws: DataFolioError.self) { try NDArray(shape: [-1, 2], [1, 2] as [Float]) }
        #expect(throws: DataFolioError.self) { try NDArray(shape: [2], dtype: .int32, bytes: [0, 0, 0, 0]) }
        #expect(throws: DataFolioError.self) { try NDArray(shape: [Int.max, 2], dtype: .int8, bytes: []) }
    }

    @Test func overflowingShapeIsRefusedBeforeAllocating() {
        let error = #expect(throws: DataFolioError.self) {
            try NDArray.zeros(shape: [1 << 40, 1 << 40], dtype: .float64)
        }
        #expect(error?.code == .limitExceeded)
        let bytesOverflow = #expect(throws: DataFolioError.self) {
            try NDArray.zeros(shape: [Int.max / 2], dtype: .float64)
        }
        #expect(bytesOverflow?.code == .limitExceeded)
        // Addressable but far beyond any memory: an error, not a crash.
        let unallocatable = #expect(throws: DataFolioError.self) {
            try NDArray.zeros(shape: [1 << 60], dtype: .int8)
        }
        #expect(unallocatable?.code == .limitExceeded)
    }

    @Test func zerosScalarsAndEmptyArrays() throws {
        let zeros = try NDArray.zeros(shape: [2, 2], dtype: .float64)
        #expect(try zeros.values(as: Double.self) == [0, 0, 0, 0])

        let scalar = NDArray(scalar: Int64(-7))
        #expect(scalar.shape == [])
        #expect(scalar.count == 1)
        #expect(scalar.rank == 0)
        #expect(try scalar.values(as: Int64.self) == [-7])

        let empty = try NDArray.zeros(shape: [3, 0, 2], dtype: .int16)
        #expect(empty.count == 0)
        #expect(empty.byteCount == 0)
        #expect(try empty.values(as: Int16.self) == [])
        #expect(empty.columnMajor().shape == [3, 0, 2])
        #expect(NDArray([Float]()).shape == [0])
    }

    @Test func rowAndColumnMajorConversion() throws {
        // Row-major 2×3: [[1, 2, 3], [4, 5, 6]]; column-major bytes are 1 4 2 5 3 6.
        let rowMajor = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Int32])
        let columnMajor = rowMajor.columnMajor()
        #expect(columnMajor.order == .columnMajor)
        let stored = columnMajor.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        #expect(stored == [1, 4, 2, 5, 3, 6])
        #expect(try columnMajor.values(as: Int32.self) == [1, 2, 3, 4, 5, 6])
        #expect(columnMajor == rowMajor)
        #expect(columnMajor.rowMajor().order == .rowMajor)
        #expect(columnMajor.columnMajor().withUnsafeBytes { Array($0) } == columnMajor.withUnsafeBytes { Array($0) })
    }

    @Test(arguments: [DType.uint8, .int16, .float32, .uint64, .complex128, .unicode(length: 3), .bytes(length: 5)])
    func layoutConversionMatchesIndexMath(dtype: DType) throws {
        // Shapes with middle axes and lengths that are not multiples of the block size.
        for shape in [[3, 5], [2, 3, 4], [37, 1, 41], [2, 3, 1, 5, 2], [70, 33]] {
            let count = shape.reduce(1, *)
            var bytes = [UInt8](repeating: 0, count: count * dtype.itemSize)
            for i in 0..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i / 7) }
            try checkLayout(bytes: bytes, shape: shape, dtype: dtype)
        }
    }

    private func checkLayout(bytes: [UInt8], shape: [Int], dtype: DType) throws {
        let size = dtype.itemSize
        let array = try NDArray(shape: shape, dtype: dtype, bytes: bytes)
        let fortran = array.columnMajor()
        let fortranBytes = fortran.withUnsafeBytes { Array($0) }
        // Column-major offset of a row-major element index.
        var rowStrides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { rowStrides[axis] = rowStrides[axis + 1] * shape[axis + 1] }
        var columnStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { columnStrides[axis] = columnStrides[axis - 1] * shape[axis - 1] }
        for element in 0..<(bytes.count / size) {
            var rest = element
            var target = 0
            for axis in 0..<shape.count {
                target += (rest / rowStrides[axis]) * columnStrides[axis]
                rest %= rowStrides[axis]
            }
            #expect(fortranBytes[(target * size)..<(target * size + size)] == bytes[(element * size)..<(element * size + size)])
        }
        let back = fortran.rowMajor()
        #expect(back.withUnsafeBytes { Array($0) } == bytes)
    }

    @Test func byteSwapping() throws {
        let big = try NDArray(shape: [2], dtype: DType(kind: .signedInteger, itemSize: 4, byteOrder: .bigEndian), bytes: [0, 0, 1, 2, 0xFF, 0xFF, 0xFF, 0xFE])
        #expect(big.dtype.name == ">i4")
        #expect(try big.values(as: Int32.self) == [0x0102, -2])
        let native = big.nativeByteOrder()
        #expect(native.dtype == .int32)
        #expect(native.withUnsafeBytes { Array($0) } == [2, 1, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF])
        #expect(native == big)

        // Complex numbers swap each half; Unicode swaps each 4-byte code unit.
        let complex = try NDArray(shape: [1], dtype: try DType(numpyDescriptor: ">c8"), bytes: [0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0])
        let swapped = complex.nativeByteOrder().withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(swapped == [1, -2])
        let text = try NDArray(shape: [1], dtype: try DType(numpyDescriptor: ">U2"), bytes: [0, 0, 0, 0x68, 0, 1, 0xF3, 0x89])
        #expect(try text.strings() == ["h\u{1F389}"])
        let bigHalf = try NDArray(shape: [1], dtype: try DType(numpyDescriptor: ">f2"), bytes: [0x3E, 0x00])
        #expect(try bigHalf.values(as: Float.self) == [1.5])
    }

    @Test func doubleValuesOfEveryRealType() throws {
        #expect(try NDArray([true, false]).doubleValues() == [1, 0])
        #expect(try NDArray([Int8(-3)]).doubleValues() == [-3])
        #expect(try NDArray([UInt64.max]).doubleValues() == [Double(UInt64.max)])
        #expect(try NDArray([Float(0.25)]).doubleValues() == [0.25])
        let half = try NDArray(shape: [2], dtype: .float16, bytes: [0x00, 0x3C, 0x00, 0xC0])
        #expect(try half.doubleValues() == [1, -2])
        let bfloat = try NDArray(shape: [1], dtype: .bfloat16, bytes: [0xC0, 0x3F])
        #expect(try bfloat.doubleValues() == [1.5])
        #expect(throws: DataFolioError.self) { try NDArray(shape: [1], strings: ["x"]).doubleValues() }
        let complex = try NDArray.zeros(shape: [1], dtype: .complex64)
        #expect(throws: DataFolioError.self) { try complex.doubleValues() }
    }

    @Test func datetimesReadAsInt64() throws {
        let dates = try NDArray(shape: [2], dtype: .datetime64(.nanosecond), bytes: [UInt8](repeating: 0, count: 8) + [1, 0, 0, 0, 0, 0, 0, 0])
        #expect(try dates.values(as: Int64.self) == [0, 1])
        #expect(dates.dtype.name == "datetime64[ns]")
        #expect(DType.timedelta64(.day).name == "timedelta64[D]")
    }

    @Test func stringsAndByteStrings() throws {
        let text = try NDArray(shape: [2, 2], strings: ["a", "héllo", "", "日本🎉"])
        #expect(text.dtype == .unicode(length: 5))
        #expect(text.dtype.name == "<U5")
        #expect(try text.strings() == ["a", "héllo", "", "日本🎉"])
        #expect(throws: DataFolioError.self) { try NDArray(shape: [1], strings: ["toolong"], length: 3) }
        #expect(throws: DataFolioError.self) { try NDArray(shape: [2], strings: ["one"]) }

        let raw = try NDArray(shape: [3], byteStrings: [[1, 0, 2], [], [0xFF]])
        #expect(raw.dtype.name == "|S3")
        #expect(try raw.byteStrings() == [[1, 0, 2], [], [0xFF]])
        #expect(try raw.strings()[2] == "\u{FFFD}")
        #expect(throws: DataFolioError.self) { try text.byteStrings() }
        #expect(throws: DataFolioError.self) { try NDArray([1.0]).strings() }
    }

    @Test func equalityComparesValuesNotLayout() throws {
        let a = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Int16])
        let b = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Int16])
        #expect(a == b)
        #expect(a != (try NDArray(shape: [4], [1, 2, 3, 4] as [Int16])))
        #expect(a != (try NDArray(shape: [2, 2], [1, 2, 3, 5] as [Int16])))
        #expect(a != (try NDArray(shape: [2, 2], [1, 2, 3, 4] as [UInt16])))
        #expect(a == a.columnMajor())
        // Bitwise: NaN equals itself, -0 differs from +0.
        #expect(NDArray([Float.nan]) == NDArray([Float.nan]))
        #expect(NDArray([Float(0)]) != NDArray([Float(-0.0)]))
    }

    @Test func reshapeKeepsRowMajorOrder() throws {
        let array = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Int64]).columnMajor()
        let reshaped = try array.reshaped([3, 2])
        #expect(reshaped.shape == [3, 2])
        #expect(reshaped.order == .rowMajor)
        #expect(try reshaped.values(as: Int64.self) == [1, 2, 3, 4, 5, 6])
        #expect(throws: DataFolioError.self) { try array.reshaped([]) }
        #expect(throws: DataFolioError.self) { try array.reshaped([4, 2]) }
        #expect(try NDArray(scalar: Float(2)).reshaped([1, 1]).shape == [1, 1])
    }

    @Test func mutationCopiesSharedBytes() throws {
        let original = try NDArray(shape: [2], [1, 2] as [Int32])
        var copy = original
        copy.withUnsafeMutableBytes { $0.storeBytes(of: Int32(9), as: Int32.self) }
        #expect(try copy.values(as: Int32.self) == [9, 2])
        #expect(try original.values(as: Int32.self) == [1, 2])
    }

    @Test func dtypeDescriptors() throws {
        let cases: [(String, String, String)] = [
            ("<f4", "<f4", "float32"), ("|b1", "|b1", "bool"), ("?", "|b1", "bool"), (">i1", "|i1", "int8"),
            ("=f8", "<f8", "float64"), ("|f4", "<f4", "float32"), ("<c16", "<c16", "complex128"),
            ("<U8", "<U8", "<U8"), (">U3", ">U3", ">U3"), ("|S4", "|S4", "|S4"), ("<U0", "<U0", "<U0"),
            ("<M8[ns]", "<M8[ns]", "datetime64[ns]"), ("<M8", "<M8", "datetime64"),
            ("<m8[10ms]", "<m8[10ms]", "timedelta64[10ms]"), (">M8[us]", ">M8[us]", ">M8[us]"), (">f2", ">f2", ">f2"),
        ]
        for (input, descriptor, name) in cases {
            let dtype = try DType(numpyDescriptor: input)
            #expect(dtype.numpyDescriptor == descriptor, "\(input)")
            #expect(dtype.name == name, "\(input)")
        }
        #expect(DType.bfloat16.numpyDescriptor == nil)
        #expect(DType.bfloat16.name == "bfloat16")
        for bad in ["", "<", "<f3", "<i16", "<c32", "<f16", "<M8[ns", "<M8[xx]", "<f4[ns]", "<U", "<Ux", "<M8[0ns]", "<M4[ns]", "<i٣", "<f+4"] {
            #expect(throws: DataFolioError.self, "\(bad)") { try DType(numpyDescriptor: bad) }
        }
        let object = #expect(throws: DataFolioError.self) { try DType(numpyDescriptor: "|O") }
        #expect(object?.code == .unsupportedFeature)
        #expect(object?.message.contains("astype") == true)
        let void = #expect(throws: DataFolioError.self) { try DType(numpyDescriptor: "|V8") }
        #expect(void?.code == .unsupportedFeature)
    }
}
