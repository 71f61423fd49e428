import DataFolioNumPy
import DataFolioSupport
import Foundation
import Testing

@Suite struct NDArrayTypedAccessTests {
    @Test func bufferPointerSeesTheElementsWithoutCopying() throws {
        let array = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])
        let sum = try array.withUnsafeBufferPointer(of: Float.self) { $0.reduce(0, +) }
        #expect(sum == 21)
        let first = try array.withUnsafeBufferPointer(of: Float.self) { $0.baseAddress }
        let again = try array.withUnsafeBufferPointer(of: Float.self) { $0.baseAddress }
        #expect(first == again)
    }

    @Test func bufferPointerRefusesTheWrongTypeOrderOrLayout() throws {
        let floats = try NDArray(shape: [4], [1, 2, 3, 4] as [Float])
        let wrongType = #expect(throws: DataFolioError.self) {
            try floats.withUnsafeBufferPointer(of: Int32.self) { $0.count }
        }
        #expect(wrongType?.code == .typeMismatch)

        let bigEndian = try NDArray(
            shape: [2], dtype: DType(kind: .float, itemSize: 4, byteOrder: .bigEndian),
            bytes: [0x3F, 0x80, 0, 0, 0x40, 0, 0, 0])
        let swapped = #expect(throws: DataFolioError.self) {
            try bigEndian.withUnsafeBufferPointer(of: Float.self) { $0.count }
        }
        #expect(swapped?.message.contains("nativeByteOrder()") == true)
        #expect(try bigEndian.nativeByteOrder().withUnsafeBufferPointer(of: Float.self) { Array($0) } == [1, 2])

        let columnMajor = try NDArray(shape: [2, 2], dtype: .int32, bytes: [UInt8](repeating: 0, count: 16), order: .columnMajor)
        let fortran = #expect(throws: DataFolioError.self) {
            try columnMajor.withUnsafeBufferPointer(of: Int32.self) { $0.count }
        }
        #expect(fortran?.message.contains("rowMajor()") == true)
    }

    @Test func subscriptReadsOneElementInEitherOrderAndByteOrder() throws {
        let matrix = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Int64])
        #expect(try matrix[0, 0, as: Int64.self] == 1)
        #expect(try matrix[1, 2, as: Int64.self] == 6)
        #expect(try matrix[0, 2, as: Int64.self] == 3)

        // The same logical matrix stored column-major: element (0, 2) is the fifth value.
        let columnMajor = try NDArray(shape: [2, 3], dtype: .int64, data: Data(
            [1, 4, 2, 5, 3, 6].flatMap { (value: Int64) in withUnsafeBytes(of: value.littleEndian, Array.init) }),
            order: .columnMajor)
        #expect(try columnMajor[0, 2, as: Int64.self] == 3)
        #expect(try columnMajor[1, 0, as: Int64.self] == 4)

        let bigEndian = try NDArray(
            shape: [2], dtype: DType(kind: .signedInteger, itemSize: 2, byteOrder: .bigEndian), bytes: [0x01, 0x02, 0xFF, 0xFE])
        #expect(try bigEndian[0, as: Int16.self] == 0x0102)
        #expect(try bigEndian[1, as: Int16.self] == -2)

        let flags = NDArray([true, false])
        #expect(try flags[0, as: Bool.self] == true)
        #expect(try flags[1, as: Bool.self] == false)
    }

    @Test func subscriptRefusesBadIndicesAndTypes() throws {
        let matrix = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Int32])
        #expect(throws: DataFolioError.self) { try matrix[2, 0, as: Int32.self] }
        #expect(throws: DataFolioError.self) { try matrix[0, -1, as: Int32.self] }
        #expect(throws: DataFolioError.self) { try matrix[0, as: Int32.self] }
        #expect(throws: DataFolioError.self) { try matrix[0, 0, 0, as: Int32.self] }
        #expect(throws: DataFolioError.self) { try matrix[0, 0, as: Float.self] }
    }

    @Test func rowsShareMemoryAndWritingCopies() throws {
        let values = (0..<12).map { Float($0) }
        let matrix = try NDArray(shape: [4, 3], values)
        let middle = try matrix.rows(1..<3)
        #expect(middle.shape == [2, 3])
        #expect(try middle.values(as: Float.self) == [3, 4, 5, 6, 7, 8])
        let parentBase = try matrix.withUnsafeBufferPointer(of: Float.self) { $0.baseAddress }
        let viewBase = try middle.withUnsafeBufferPointer(of: Float.self) { $0.baseAddress }
        #expect(viewBase == parentBase.map { $0 + 3 })

        let last = try matrix.row(3)
        #expect(last.shape == [3])
        #expect(try last.values(as: Float.self) == [9, 10, 11])

        // Writing into a view copies first: the parent is untouched.
        var edited = middle
        edited.withUnsafeMutableBytes { $0.storeBytes(of: Float(-1), as: Float.self) }
        #expect(try edited[0, 0, as: Float.self] == -1)
        #expect(try matrix[1, 0, as: Float.self] == 3)

        // A view outlives its parent.
        let survivor = try { try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Int32]).row(1) }()
        #expect(try survivor.values(as: Int32.self) == [3, 4])

        #expect(try matrix.rows(2..<2).shape == [0, 3])
        #expect(throws: DataFolioError.self) { try matrix.rows(3..<5) }
        #expect(throws: DataFolioError.self) { try matrix.row(-1) }
        #expect(throws: DataFolioError.self) { try NDArray(scalar: Float(1)).row(0) }
    }

    @Test func dataInitializerChecksTheByteCount() throws {
        let array = try NDArray(shape: [2], dtype: .float32, data: Data([0, 0, 128, 63, 0, 0, 0, 64]))
        #expect(try array.values(as: Float.self) == [1, 2])
        #expect(throws: DataFolioError.self) { try NDArray(shape: [3], dtype: .float32, data: Data(count: 8)) }
        // Bytes of a Data slice that does not start at zero are read from its own start.
        let padded = Data([9, 9, 0, 0, 128, 63])
        #expect(try NDArray(shape: [1], dtype: .float32, data: padded.dropFirst(2)).values(as: Float.self) == [1])
    }

    @Test func float16IsAnElementType() throws {
        let halves = try NDArray(shape: [3], [1.5, -2, 0.25] as [Float16])
        #expect(halves.dtype == .float16)
        #expect(try halves.withUnsafeBufferPointer(of: Float16.self) { Array($0) } == [1.5, -2, 0.25])
        #expect(try halves.values(as: Float.self) == [1.5, -2, 0.25])
    }
}
