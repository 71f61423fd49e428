import DataFolio
import DataFolioCompression
import DataFolioReport
import DataFolioTestSupport
import DataFolioZip
import Foundation
import Testing

/// The examples of the format modules' landing pages (Sources/<Module>/<Module>.docc),
/// compiled and run. Each example is copied as written; only the folder it works in is
/// moved into a temporary one. The expectations after it check what its comments claim.
@Suite("The module landing pages' examples")
struct ModuleLandingPageTests {
    @Test func compression() throws {
        let bytes = Array("hello hello hello hello".utf8)

        let snappy = Snappy.compress(bytes)
        let zstd = Zstandard.compress(bytes, level: 5, checksum: true)
        let gzip = Gzip.compress(bytes, level: .best)

        let unzstd = try Zstandard.decompress(zstd, maximumOutputSize: 1 << 20)
        let unsnappy = try Snappy.decompress(snappy, maximumOutputSize: 1 << 20)
        let gunzip = try Gzip.decompress(gzip, maximumOutputSize: 1 << 20)
        print(unzstd == bytes, unsnappy == bytes, gunzip == bytes)   // true true true

        #expect(unzstd == bytes && unsnappy == bytes && gunzip == bytes)
        #expect(throws: DataFolioError.self) { try Zstandard.decompress(zstd, maximumOutputSize: 4) }
    }

    @Test func zip() throws {
        let writer = ZipWriter()
        try writer.addEntry(named: "notes.txt", contents: Array("hello".utf8), method: .stored, alignment: 64)
        try writer.addEntry(named: "data.bin", contents: [UInt8](repeating: 7, count: 1000), method: .deflate)
        let bytes = try writer.finish()

        let archive = try ZipArchive(bytes: bytes)
        for entry in archive.entries {
            print(entry.name, entry.method, entry.uncompressedSize)
        }
        let notes = try archive.contents(named: "notes.txt")   // "hello", CRC-32 verified

        #expect(notes == Array("hello".utf8))
        #expect(archive.entries.map(\.name) == ["notes.txt", "data.bin"])
        #expect(archive.entries.map(\.method) == [.stored, .deflate])
        let stored = try #require(archive.entry(named: "notes.txt"))
        #expect(archive.storedDataRange(of: stored)?.lowerBound.isMultiple(of: 64) == true)
    }

    struct Settings: Codable, Equatable {
        var seed: Int
        var layers: [Int]
    }

    @Test func json() throws {
        let literal: JSONValue = ["lr": 0.01, "layers": [64, 32], "notes": nil]
        let parsed = try JSONValue(parsing: #"{"seed": 7, "layers": [64, 32]}"#)
        let settings = try parsed.decode(as: Settings.self)
        let encoded = try JSONValue(encoding: settings)

        print(literal["layers"]?[1]?.intValue ?? 0)   // 32
        print(encoded.formatted(indented: false))     // {"seed":7,"layers":[64,32]}

        #expect(literal["layers"]?[1]?.intValue == 32)
        #expect(encoded.formatted(indented: false) == #"{"seed":7,"layers":[64,32]}"#)
        #expect(settings == Settings(seed: 7, layers: [64, 32]))
        let error = #expect(throws: DataFolioError.self) {
            try JSONValue(encoding: ["metrics": ["loss": Double.nan]])
        }
        #expect(error?.message.contains("'metrics.loss'") == true)
    }

    @Test func numPy() throws {
        let matrix = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])
        print(matrix.dtype.name, matrix.shape)            // float32 [2, 3]
        let corner = try matrix[1, 2, as: Float.self]     // 6
        let sum = try matrix.withUnsafeBufferPointer(of: Float.self) { $0.reduce(0, +) }   // 21

        let npy = try matrix.npyData()                    // the bytes of a .npy file
        let back = try NDArray(npyData: npy)
        assert(back == matrix)

        let archive = try NDArray.npzData([("x", matrix), ("y", NDArray([1, 0] as [Int64]))])
        let x = try NPZArchive(data: archive).array(named: "x")

        #expect(matrix.dtype.name == "float32" && matrix.shape == [2, 3])
        #expect(corner == 6 && sum == 21 && back == matrix && x == matrix)
    }

    @Test func tensors() throws {
        var weights = TensorDictionary()
        weights["linear.weight"] = try NDArray(shape: [2, 2], [1, 0, 0, 1] as [Float])
        weights["linear.bias"] = NDArray([0.5, -0.5] as [Float])

        let safetensors = try SafetensorsFile(tensors: weights, metadata: ["format": "pt"]).serialized()
        let loaded = try SafetensorsFile(bytes: safetensors)
        print(loaded.tensors.names)                       // ["linear.weight", "linear.bias"]

        let pt = try TorchFile.serialized(.stateDictionary(weights))
        let state = try TorchFile.read(bytes: pt).stateDictionary()
        assert(state == weights)

        #expect(loaded.tensors.names == ["linear.weight", "linear.bias"])
        #expect(loaded.tensors == weights && loaded.metadata == ["format": "pt"])
        #expect(state == weights)
    }

    struct Reading: Codable, Equatable {
        var sensor: String
        var celsius: Double?
    }

    @Test func table() throws {
        let readings = try Table(rows: [
            Reading(sensor: "a", celsius: 21.5),
            Reading(sensor: "b", celsius: nil),
        ])
        print(readings.columnNames, readings.rowCount)      // ["sensor", "celsius"] 2
        print(readings["celsius"]?.nullCount ?? 0)          // 1

        let csv = try Table(csvText: "id,city\n1,Oslo\n2,Lima\n")
        let ids = try Table([Column(name: "id", [1, 2] as [Int64])])
        print(csv.preview())
        let back = try readings.rows(as: Reading.self)

        #expect(readings.columnNames == ["sensor", "celsius"] && readings.rowCount == 2)
        #expect(readings["celsius"]?.nullCount == 1)
        #expect(try csv.selecting(["id"]) == ids)
        #expect(back == [Reading(sensor: "a", celsius: 21.5), Reading(sensor: "b", celsius: nil)])
    }

    @Test func parquet() throws {
        let table = try Table([
            Column(name: "id", [1, 2, 3] as [Int64]),
            Column(name: "city", strings: ["Oslo", "Lima", "Pune"]),
        ])
        let bytes = try table.parquetData(options: ParquetWriteOptions(compression: .zstd))

        let reader = try ParquetReader(bytes: bytes)
        print(reader.rowCount, reader.schema.names)          // 3 ["id", "city"]
        let cities = try reader.readTable(columns: ["city"])  // reads the "city" chunks only

        let memory = MemoryOutput()
        let writer = try ParquetWriter(output: memory)
        for start in stride(from: 0, to: table.rowCount, by: 2) {
            try writer.write(table.rows(start..<min(start + 2, table.rowCount)))   // one row group each
        }
        try writer.close()

        #expect(reader.rowCount == 3 && reader.schema.names == ["id", "city"])
        #expect(try cities == table.selecting(["city"]))
        let parts = try ParquetReader(bytes: memory.bytes)
        #expect(parts.metadata.rowGroups.count == 2)
        #expect(try parts.readTable() == table)
    }

    @Test func report() throws {
        let temp = TemporaryFolder("landing-report")
        let folio = try DataFolio(at: temp.path("experiments/churn-v3"))
        try folio.add("raw", try Table([Column(name: "x", [1, 2] as [Int64])]))
        try folio.add("summary", json: ["mean": 1.5], inputs: ["raw"])

        let html = try folio.report()                    // the whole page
        let svg = try folio.lineageDiagram().svg()       // the lineage drawing alone

        var limits = ReportLimits()
        limits.tableRows = 3
        let model = try ReportModel(folio: folio, limits: limits)
        print(model.items.map(\.name))                   // ["raw", "summary"]

        #expect(html.contains("summary") && svg.contains("<svg"))
        #expect(model.items.map(\.name) == ["raw", "summary"])
    }
}
