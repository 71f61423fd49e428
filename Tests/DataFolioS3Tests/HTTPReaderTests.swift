import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Read-only HTTP against two real servers: SeaweedFS serving a public bucket (ranges,
/// ETags) and Python's `http.server` (no ranges).
@Suite(.seaweed) struct HTTPReaderTests {
    @Test func readsFromAPublicBucketOverPlainHTTP() throws {
        let (owner, server) = try S3TestStore.client(bucket: SeaweedServer.publicBucket)
        let prefix = S3TestStore.freshPrefix("http")
        let bytes = S3TestStore.bytes(1_500_000, seed: 20)
        try owner.putObject(prefix + "tables/t--r1.parquet", bytes: bytes)
        try owner.putObject(prefix + "items.json", bytes: Array("{}".utf8))

        let location = try HTTPLocation(parsing: "\(server.endpoint)/\(SeaweedServer.publicBucket)/\(prefix)")
        let reader = HTTPReader(location: location, retry: S3TestStore.quickRetry)
        #expect(try reader.getObject("items.json") == Array("{}".utf8))
        #expect(try reader.getObject("tables/t--r1.parquet", range: .last(8)) == Array(bytes.suffix(8)))
        #expect(try reader.getObject("tables/t--r1.parquet", range: .bytes(10..<20)) == Array(bytes[10..<20]))
        let info = try #require(try reader.headObject("tables/t--r1.parquet"))
        #expect(info.size == bytes.count)
        #expect(info.etagValue == S3TestStore.md5(bytes))

        var streamed = [UInt8]()
        _ = try reader.getObject("tables/t--r1.parquet", range: .from(100)) { (chunk: UnsafeRawBufferPointer) throws(DataFolioError) in
            streamed.append(contentsOf: chunk)
        }
        #expect(streamed == Array(bytes[100...]))

        #expect(try reader.headObject("missing.json") == nil)
        #expect {
            try reader.getObject("missing.json")
        } throws: { ($0 as? DataFolioError)?.code == .fileNotFound }
    }

    @Test func resumesAStreamThroughAFaultyProxy() throws {
        let (owner, server) = try S3TestStore.client(bucket: SeaweedServer.publicBucket)
        let prefix = S3TestStore.freshPrefix("http-resume")
        let bytes = S3TestStore.bytes(2_000_000, seed: 21)
        try owner.putObject(prefix + "blob", bytes: bytes)
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        let reader = HTTPReader(
            location: try HTTPLocation(parsing: "\(proxy.endpoint)/\(SeaweedServer.publicBucket)/\(prefix)"),
            retry: S3TestStore.quickRetry)
        proxy.inject(.slowDown)
        proxy.inject(.dropResponse(afterBytes: 700_000))
        var streamed = [UInt8]()
        _ = try reader.getObject("blob", range: nil) { (chunk: UnsafeRawBufferPointer) throws(DataFolioError) in
            streamed.append(contentsOf: chunk)
        }
        #expect(streamed == bytes)
        #expect(proxy.faultsInjected == 2)
    }

    @Test func readsFromAPlainWebServerThatIgnoresRanges() throws {
        let folder = TemporaryFolder("http-folder")
        let bytes = S3TestStore.bytes(300_000, seed: 22)
        try FileManager.default.createDirectory(atPath: folder.path("run 1/tables"), withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: folder.path("run 1/tables/t--r1.parquet")))
        try Data("{\"a\": 1}".utf8).write(to: URL(fileURLWithPath: folder.path("run 1/items.json")))
        let server = try PythonHTTPServer(serving: folder.path)
        defer { server.stop() }

        let reader = HTTPReader(location: try HTTPLocation(parsing: "\(server.url)/run 1"))
        #expect(try reader.getObject("items.json") == Array("{\"a\": 1}".utf8))
        #expect(try reader.getObject("tables/t--r1.parquet", range: .bytes(1000..<1010)) == Array(bytes[1000..<1010]))
        #expect(try reader.getObject("tables/t--r1.parquet", range: .last(4)) == Array(bytes.suffix(4)))
        var streamed = [UInt8]()
        let info = try reader.getObject("tables/t--r1.parquet", range: .bytes(299_000..<400_000)) {
            (chunk: UnsafeRawBufferPointer) throws(DataFolioError) in streamed.append(contentsOf: chunk)
        }
        #expect(streamed == Array(bytes[299_000...]))
        #expect(info.size == bytes.count)
        #expect(try reader.headObject("tables/t--r1.parquet")?.size == bytes.count)
        #expect(try reader.headObject("nothing") == nil)
        #expect {
            try reader.getObject("nothing")
        } throws: { ($0 as? DataFolioError)?.code == .fileNotFound }
        // http.server redirects a folder without its trailing slash.
        #expect(try reader.headObject("tables") != nil)
    }
}
