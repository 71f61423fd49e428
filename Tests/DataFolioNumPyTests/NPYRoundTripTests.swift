import DataFolioNumPy
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// One array of every dtype `.npy` can hold, with varied bytes.
enum SampleArrays {
    static let dtypes: [DType] = [
        .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
        .float16, .float32, .float64, .complex64, .complex128,
        .unicode(length: 3), .bytes(length: 4), .unicode(length: 0), .bytes(length: 0),
        .datetime64(.nanosecond), .datetime64(.day), .datetime64(.generic), .timedelta64(.microsecond),
        DType(kind: .timedelta, itemSize: 8, timeUnit: .millisecond, timeUnitCount: 10),
        DType(kind: .signedInteger, itemSize: 4, byteOrder: .bigEndian),
        DType(kind: .float, itemSize: 8, byteOrder: .bigEndian),
        DType(kind: .complex, itemSize: 8, byteOrder: .bigEndian),
        DType(kind: .unicode, itemSize: 8, byteOrder: .bigEndian),
        DType(kind: .datetime, itemSize: 8, byteOrder: .bigEndian, timeUnit: .second),
    ]

    /// An array of `dtype` and `shape` whose bytes follow a fixed pattern (booleans
    /// are 0 or 1, text is valid UTF-32).
    static func array(_ dtype: DType, shape: [Int], order: NDArray.Order = .rowMajor, seed: Int = 1) throws -> NDArray {
        let count = shape.reduce(1, *)
        var bytes = [UInt8](repeating: 0, count: count * dtype.itemSize)
        for i in 0..<bytes.count {
            switch dtype.kind {
            case .bool: bytes[i] = UInt8((i * seed) % 3 == 0 ? 1 : 0)
            case .unicode: bytes[i] = i % 4 == (dtype.byteOrder == .bigEndian ? 3 : 0) ? UInt8(0x41 + (i * seed) % 26) : 0
            default: bytes[i] = UInt8(truncatingIfNeeded: i &* 131 &+ seed &* 17 &+ i >> 3)
            }
        }
        let rowMajor = try NDArray(shape: shape, dtype: dtype, bytes: bytes)
        return order == .columnMajor ? rowMajor.columnMajor() : rowMajor
    }
}

@Suite struct NPYRoundTripTests {
    @Test(arguments: SampleArrays.dtypes)
    func everyDTypeRoundTrips(dtype: DType) throws {
        for shape in [[], [0], [5], [2, 3], [2, 0, 3], [3, 1, 2, 2]] {
            for order in [NDArray.Order.rowMajor, .columnMajor] {
                let array = try SampleArrays.array(dtype, shape: shape, order: order)
                let data = try array.npyData()
                #expect(data.count % 64 == array.byteCount % 64)
                let back = try NDArray(npyData: data)
                #expect(back.dtype == dtype)
                #expect(back.shape == shape)
                #expect(back == array)
                // Bytes are kept as stored, so writing again gives the same file.
                #expect(try back.npyData() == data)
            }
        }
    }

    @Test func versionsRoundTrip() throws {
        let array = try SampleArrays.array(.float32, shape: [4, 5], order: .columnMajor)
        for version in NPYFormatVersion.allCases {
            let data = try array.npyData(version: version)
            #expect(data[6] == version.major)
            let back = try NDArray(npyData: data)
            #expect(back == array)
            #expect(back.order == .columnMajor)
            #expect(try back.npyHeader(version: version).encoded() == Array(data[0..<128]))
        }
    }

    @Test func streamingMatchesInMemoryBytes() throws {
        let array = try SampleArrays.array(.int64, shape: [100, 7])
        var streamed: [UInt8] = []
        var chunks = 0
        try array.writeNPY { chunk in
            streamed.append(contentsOf: chunk)
            chunks += 1
        }
        #expect(chunks == 2)
        #expect(streamed == (try array.npyData()))
        #expect(try array.npyByteCount() == streamed.count)
    }

    @Test func fileWriterAndMD5() throws {
        let folder = TemporaryFolder("npy")
        let array = try SampleArrays.array(.float64, shape: [600, 1000])  // 4.8 MB: the direct-write path
        let path = folder.path("a.npy")
        let writer = try FileWriter(creating: path, computeMD5: true)
        try array.writeNPY(to: writer)
        let digest = try writer.finish(sync: false)
        let expected = try array.npyData()
        #expect(digest == MD5.hex(of: expected))
        #expect(try LocalFile.read(path) == expected)

        let small = try SampleArrays.array(.uint8, shape: [10])
        let smallPath = folder.path("small.npy")
        let smallWriter = try FileWriter(creating: smallPath, computeMD5: true)
        try small.writeNPY(to: smallWriter)
        #expect(try smallWriter.finish(sync: false) == MD5.hex(of: try small.npyData()))
    }

    @Test func filesReadNormallyAndMapped() throws {
        let folder = TemporaryFolder("npy")
        for (index, dtype) in SampleArrays.dtypes.enumerated() {
            for shape in [[], [0, 4], [7, 3]] {
                let array = try SampleArrays.array(dtype, shape: shape, order: index % 2 == 0 ? .rowMajor : .columnMajor)
                let path = folder.path("\(index)-\(shape.count).npy")
                try array.writeNPY(toFile: path)
                let read = try NDArray(contentsOfNPY: path)
                #expect(read == array)
                #expect(read.dtype == dtype)
                #expect(read.order == (try array.npyHeader().order))
                #expect(!read.isMemoryMapped)
                let mapped = try NDArray(contentsOfNPY: path, memoryMapped: true)
                #expect(mapped == array)
                #expect(mapped.isMemoryMapped)
            }
        }
    }

    @Test func mappedArraysShareTheFile() throws {
        let folder = TemporaryFolder("npy")
        let path = folder.path("m.npy")
        let array = try NDArray(shape: [3, 2], [1, 2, 3, 4, 5, 6] as [Float])
        try array.writeNPY(toFile: path)
        var mapped = try NDArray(contentsOfNPY: path, memoryMapped: true)
        #expect(mapped.isMemoryMapped)
        #expect(try mapped.values(as: Float.self) == [1, 2, 3, 4, 5, 6])
        // Mutation copies the bytes and leaves the file alone.
        mapped.withUnsafeMutableBytes { $0.storeBytes(of: Float(9), as: Float.self) }
        #expect(!mapped.isMemoryMapped)
        #expect(try mapped.values(as: Float.self)[0] == 9)
        #expect(try NDArray(contentsOfNPY: path).values(as: Float.self)[0] == 1)
    }

    @Test func overwritingAMappedFileKeepsTheMappedArray() throws {
        let folder = TemporaryFolder("npy")
        let path = folder.path("m.npy")
        let original = try SampleArrays.array(.float64, shape: [1000])
        try original.writeNPY(toFile: path)
        let mapped = try NDArray(contentsOfNPY: path, memoryMapped: true)
        // Writing the mapped array back over its own file, then something else.
        try mapped.writeNPY(toFile: path)
        #expect(try NDArray(contentsOfNPY: path) == original)
        try NDArray([Int8(1)]).writeNPY(toFile: path)
        #expect(mapped == original)
        try NDArray.writeNPZ([("m", mapped)], toFile: path)
        #expect(try NDArray.readNPZ(path).first?.array == original)
    }

    @Test func writingToAFileReplacesIt() throws {
        let folder = TemporaryFolder("npy")
        let path = folder.path("r.npy")
        try NDArray([Int8(1)]).writeNPY(toFile: path)
        try NDArray([Int16(2), 3]).writeNPY(toFile: path)
        #expect(try NDArray(contentsOfNPY: path).values(as: Int16.self) == [2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["r.npy"])
        // A bfloat16 array is refused before any file is created.
        let bfloat = try NDArray(shape: [1], dtype: .bfloat16, bytes: [0, 0x3F])
        let error = #expect(throws: DataFolioError.self) { try bfloat.writeNPY(toFile: folder.path("b.npy")) }
        #expect(error?.code == .unsupportedFeature)
        #expect(!FileManager.default.fileExists(atPath: folder.path("b.npy")))
        #expect(throws: DataFolioError.self) { try bfloat.npyData() }
        #expect(throws: DataFolioError.self) { try bfloat.writeNPY { _ in } }
    }

    @Test func missingFilesAndFolders() {
        let folder = TemporaryFolder("npy")
        let missing = #expect(throws: DataFolioError.self) { try NDArray(contentsOfNPY: folder.path("nope.npy")) }
        #expect(missing?.code == .fileNotFound)
        #expect(missing?.path == folder.path("nope.npy"))
        let mappedMissing = #expect(throws: DataFolioError.self) { try NDArray(contentsOfNPY: folder.path("nope.npy"), memoryMapped: true) }
        #expect(mappedMissing?.code == .fileNotFound)
        let directory = #expect(throws: DataFolioError.self) { try NDArray(contentsOfNPY: folder.path) }
        #expect(directory?.code == .ioFailure)
        #expect(throws: DataFolioError.self) { try NDArray([Float(1)]).writeNPY(toFile: folder.path("no/such/folder.npy")) }
    }

    @Test func headerOnlyReadOfAFile() throws {
        let folder = TemporaryFolder("npy")
        let path = folder.path("h.npy")
        try SampleArrays.array(.int32, shape: [4, 5], order: .columnMajor).writeNPY(toFile: path)
        let header = try NPYHeader(contentsOfNPY: path)
        #expect(header.dtype == .int32)
        #expect(header.shape == [4, 5])
        #expect(header.order == .columnMajor)
        #expect(header.dataOffset == 128)
        #expect(header.dataByteCount == 80)
    }
}
