import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Requests against a real SeaweedFS S3 server, which verifies signatures and enforces
/// `If-Match` / `If-None-Match`.
@Suite(.seaweed) struct S3ClientTests {
    @Test func putGetHeadAndDelete() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("basic") + "dir with space/é+x.json"
        let bytes = Array(#"{"hello": "world"}"#.utf8)
        let etag = try client.putObject(
            key, bytes: bytes, options: S3PutOptions(contentType: "application/json", cacheControl: "no-cache"))
        #expect(etag == "\"\(S3TestStore.md5(bytes))\"")
        #expect(try client.getObject(key) == bytes)

        let info = try #require(try client.headObject(key))
        #expect(info.size == bytes.count)
        #expect(info.etag == etag)
        #expect(info.etagValue == S3TestStore.md5(bytes))
        #expect(info.contentType == "application/json")
        #expect(abs((info.lastModified ?? .distantPast).timeIntervalSinceNow) < 600)

        try client.deleteObject(key)
        #expect(try client.headObject(key) == nil)
        try client.deleteObject(key)  // deleting again is fine
        #expect {
            try client.getObject(key)
        } throws: { ($0 as? DataFolioError)?.code == .fileNotFound }
    }

    @Test func readReturnsTheETagOfTheBytesRead() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("etag") + "items.json"
        let first = try client.putObject(key, bytes: Array("one".utf8))
        let read = try client.getObjectWithInfo(key, range: nil)
        #expect(read.bytes == Array("one".utf8))
        #expect(read.info.etag == first)
        #expect(read.info.size == 3)
        let second = try client.putObject(key, bytes: Array("two!".utf8), options: S3PutOptions(condition: .ifMatch(read.info.etag ?? "")))
        let partial = try client.getObjectWithInfo(key, range: .bytes(1..<3))
        #expect(partial.bytes == Array("wo".utf8))
        #expect(partial.info.etag == second)
        #expect(partial.info.size == 4)
        #expect(try client.getObjectWithInfo(key, range: .bytes(2..<2)).info.size == 4)
        #expect(throws: DataFolioError.self) { try client.getObjectWithInfo(key + "x", range: .bytes(0..<0)) }
    }

    @Test func emptyObject() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("empty") + "nothing"
        try client.putObject(key, bytes: [])
        #expect(try client.getObject(key) == [])
        #expect(try client.headObject(key)?.size == 0)
    }

    @Test func byteRanges() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("range") + "data.bin"
        let bytes = S3TestStore.bytes(10_000, seed: 1)
        try client.putObject(key, bytes: bytes)
        #expect(try client.getObject(key, range: .bytes(0..<10)) == Array(bytes[0..<10]))
        #expect(try client.getObject(key, range: .bytes(9_990..<20_000)) == Array(bytes[9_990...]))
        #expect(try client.getObject(key, range: .from(9_000)) == Array(bytes[9_000...]))
        #expect(try client.getObject(key, range: .last(8)) == Array(bytes[9_992...]))
        #expect(try client.getObject(key, range: .last(50_000)) == bytes)
        #expect(try client.getObject(key, range: .bytes(5..<5)) == [])
        #expect(try client.getObject(key, range: .from(10_000)) == [])
        #expect(throws: DataFolioError.self) { try client.getObject(key, range: .bytes(-1..<3)) }
    }

    @Test func streamingDownloadToFileAndSink() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("stream") + "big.bin"
        let bytes = S3TestStore.bytes(3 << 20, seed: 2)
        try client.putObject(key, bytes: bytes)

        var received = [UInt8]()
        var chunks = 0
        let info = try client.getObject(key, range: nil) { (chunk: UnsafeRawBufferPointer) throws(DataFolioError) in
            received.append(contentsOf: chunk)
            chunks += 1
        }
        #expect(received == bytes)
        #expect(chunks > 1)
        #expect(info.size == bytes.count)
        #expect(info.etagValue == S3TestStore.md5(bytes))

        var tail = [UInt8]()
        _ = try client.getObject(key, range: .last(1000)) { (chunk: UnsafeRawBufferPointer) throws(DataFolioError) in
            tail.append(contentsOf: chunk)
        }
        #expect(tail == Array(bytes.suffix(1000)))

        let folder = TemporaryFolder("s3-download")
        try client.download(key, range: .bytes(100..<200_100), to: folder.path("part.bin"))
        #expect(try LocalFile.read(folder.path("part.bin")) == Array(bytes[100..<200_100]))
        // The file must not exist yet, and a failed download leaves none behind.
        #expect(throws: DataFolioError.self) { try client.download(key, to: folder.path("part.bin")) }
        #expect(throws: DataFolioError.self) { try client.download(key + ".missing", to: folder.path("missing.bin")) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("missing.bin")))
    }

    @Test func sinkErrorsStopTheDownload() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("sinkfail") + "big.bin"
        try client.putObject(key, bytes: S3TestStore.bytes(2 << 20, seed: 3))
        var seen = 0
        #expect {
            _ = try client.getObject(key, range: nil) { (chunk: UnsafeRawBufferPointer) throws(DataFolioError) in
                seen += chunk.count
                if seen > 100_000 { throw DataFolioError(.ioFailure, "disk full") }
            }
        } throws: { ($0 as? DataFolioError)?.message == "disk full" }
        // The client still works afterwards (no stuck connection).
        #expect(try client.getObject(key, range: .bytes(0..<4)).count == 4)
    }

    @Test func listingWithPaginationPrefixAndDelimiter() throws {
        let (client, _) = try S3TestStore.client()
        let prefix = S3TestStore.freshPrefix("list")
        var expected: [String] = []
        for index in 0..<23 {
            let key = prefix + "tables/t\(String(format: "%02d", index))--r1.parquet"
            try client.putObject(key, bytes: [UInt8(index)])
            expected.append(key)
        }
        try client.putObject(prefix + "items.json", bytes: Array("{}".utf8))
        try client.putObject(prefix + "artifacts/a b+c.json", bytes: Array("[]".utf8))

        let page = try client.listObjectsPage(prefix: prefix + "tables/", maxKeys: 10)
        #expect(page.objects.count == 10)
        #expect(page.nextContinuationToken != nil)

        let all = try client.listObjects(prefix: prefix + "tables/", pageSize: 10)
        #expect(all.objects.map(\.key) == expected)
        #expect(all.objects.allSatisfy { $0.size == 1 && $0.etag != nil })
        #expect(all.objects.allSatisfy { abs(($0.lastModified ?? .distantPast).timeIntervalSinceNow) < 600 })

        let folders = try client.listObjects(prefix: prefix, delimiter: "/", pageSize: 2)
        #expect(folders.objects.map(\.key) == [prefix + "items.json"])
        #expect(Set(folders.commonPrefixes) == [prefix + "tables/", prefix + "artifacts/"])

        let odd = try client.listObjects(prefix: prefix + "artifacts/")
        #expect(odd.objects.map(\.key) == [prefix + "artifacts/a b+c.json"])
        #expect(try client.listObjects(prefix: prefix + "nothing/").objects.isEmpty)
    }

    @Test func batchDelete() throws {
        let (client, _) = try S3TestStore.client()
        let prefix = S3TestStore.freshPrefix("batch")
        let keys = (0..<5).map { prefix + "k\($0)" }
        for key in keys { try client.putObject(key, bytes: [1]) }
        let failures = try client.deleteObjects(keys + [prefix + "never-existed"])
        #expect(failures.isEmpty)
        #expect(try client.listObjects(prefix: prefix).objects.isEmpty)
    }

    @Test func ifNoneMatchRefusesAnExistingKey() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("create") + "items.json"
        let first = Array("revision 1".utf8)
        try client.putObject(key, bytes: first, options: S3PutOptions(condition: .ifNoneMatch))
        #expect {
            try client.putObject(key, bytes: Array("revision 1 again".utf8), options: S3PutOptions(condition: .ifNoneMatch))
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .preconditionFailed && (error?.message.contains("another writer") ?? false)
        }
        #expect(try client.getObject(key) == first)
    }

    @Test func ifMatchRefusesAStaleETag() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("replace") + "items.json"
        let first = try client.putObject(key, bytes: Array("revision 1".utf8))
        let second = try client.putObject(key, bytes: Array("revision 2".utf8), options: S3PutOptions(condition: .ifMatch(first)))
        #expect(second != first)
        #expect {
            try client.putObject(key, bytes: Array("revision 2 from a stale writer".utf8), options: S3PutOptions(condition: .ifMatch(first)))
        } throws: { ($0 as? DataFolioError)?.code == .preconditionFailed }
        #expect(try client.getObject(key) == Array("revision 2".utf8))
        try client.putObject(key, bytes: Array("revision 3".utf8), options: S3PutOptions(condition: .ifMatch(second)))
        #expect(try client.getObject(key) == Array("revision 3".utf8))
    }

    @Test func conditionalWriteProbe() throws {
        let (client, _) = try S3TestStore.client()
        let prefix = S3TestStore.freshPrefix("probe")
        let support = try client.probeConditionalWrites(under: prefix)
        #expect(support.ifNoneMatch)
        #expect(support.ifMatch)
        #expect(support.isEnforced)
        #expect(try client.listObjects(prefix: prefix).objects.isEmpty)
    }

    @Test func multipartUploadOfTwentyMegabytes() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("multipart") + "models/weights--r1.safetensors"
        let bytes = S3TestStore.bytes(20 << 20 + 12_345, seed: 4)
        let writer = client.makeUploadWriter(
            key, options: S3UploadOptions(
                put: S3PutOptions(contentType: "application/octet-stream"), multipartThreshold: 5 << 20,
                partSize: 5 << 20, partsInFlight: 3))
        // Uneven writes cross part boundaries.
        var offset = 0
        var step = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            try writer.write(Array(bytes[offset..<end]))
            offset = end
            step = step * 3 + 7
        }
        let result = try writer.finish()
        #expect(result.size == bytes.count)
        #expect(result.md5 == S3TestStore.md5(bytes))
        #expect(result.parts == 5)
        // S3's multipart ETag: the MD5 of the parts' binary MD5s, a dash, the part count.
        var partDigests = [UInt8]()
        for start in stride(from: 0, to: bytes.count, by: 5 << 20) {
            var md5 = MD5()
            md5.update(Array(bytes[start..<min(bytes.count, start + (5 << 20))]))
            partDigests += md5.finalize()
        }
        #expect(result.etag == "\"\(S3TestStore.md5(partDigests))-5\"")
        let info = try #require(try client.headObject(key))
        #expect(info.size == bytes.count)
        #expect(info.etag == result.etag)
        #expect(try client.getObject(key, range: .bytes(5 << 20 - 3..<5 << 20 + 3)) == Array(bytes[(5 << 20 - 3)..<(5 << 20 + 3)]))
        #expect(try client.getObject(key) == bytes)
        #expect(try client.listMultipartUploads(prefix: key).isEmpty)
        #expect(throws: DataFolioError.self) { try writer.write([1]) }
    }

    @Test func conditionalCompletionOfAMultipartUpload() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("multipart-condition") + "big.bin"
        try client.putObject(key, bytes: Array("already here".utf8))
        let writer = client.makeUploadWriter(
            key, options: S3UploadOptions(put: S3PutOptions(condition: .ifNoneMatch), multipartThreshold: 5 << 20, partSize: 5 << 20))
        try writer.write(S3TestStore.bytes(6 << 20, seed: 7))
        #expect { try writer.finish() } throws: { ($0 as? DataFolioError)?.code == .preconditionFailed }
        #expect(try client.getObject(key) == Array("already here".utf8))
        #expect(try client.listMultipartUploads(prefix: key).isEmpty)
    }

    @Test func smallUploadUsesOnePutWithItsCondition() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("single") + "artifacts/notes--r1.txt"
        let writer = client.makeUploadWriter(key, options: S3UploadOptions(put: S3PutOptions(condition: .ifNoneMatch)))
        try writer.write(Array("hello ".utf8))
        try writer.write(Array("world".utf8))
        let result = try writer.finish()
        #expect(result.parts == 0)
        #expect(result.md5 == S3TestStore.md5(Array("hello world".utf8)))
        #expect(try client.getObject(key) == Array("hello world".utf8))

        let again = client.makeUploadWriter(key, options: S3UploadOptions(put: S3PutOptions(condition: .ifNoneMatch)))
        try again.write([1, 2, 3])
        #expect { try again.finish() } throws: { ($0 as? DataFolioError)?.code == .preconditionFailed }
        #expect(try client.getObject(key) == Array("hello world".utf8))
    }

    @Test func abortedMultipartUploadLeavesNothing() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("abort") + "big.bin"
        let writer = client.makeUploadWriter(key, options: S3UploadOptions(multipartThreshold: 5 << 20, partSize: 5 << 20))
        try writer.write(S3TestStore.bytes(12 << 20, seed: 5))
        #expect(try client.listMultipartUploads(prefix: key).count == 1)
        writer.abort()
        writer.abort()
        #expect(try client.headObject(key) == nil)
        #expect(try client.listMultipartUploads(prefix: key).isEmpty)
        #expect(throws: DataFolioError.self) { try writer.finish() }
    }

    @Test func droppedWriterAbandonsItsUpload() throws {
        let (client, _) = try S3TestStore.client()
        let key = S3TestStore.freshPrefix("dropped") + "big.bin"
        do {
            let writer = client.makeUploadWriter(key, options: S3UploadOptions(multipartThreshold: 5 << 20, partSize: 5 << 20))
            try writer.write(S3TestStore.bytes(6 << 20, seed: 6))
        }
        // The abort is sent in the background; give it a moment.
        let deadline = Date().addingTimeInterval(10)
        while try !client.listMultipartUploads(prefix: key).isEmpty, Date() < deadline { usleep(50_000) }
        #expect(try client.listMultipartUploads(prefix: key).isEmpty)
        #expect(try client.headObject(key) == nil)
    }

    @Test func wrongSecretGivesTheCredentialsError() throws {
        let (_, server) = try S3TestStore.client()
        let configuration = try S3TestStore.configuration(endpoint: server.endpoint, server: server, secret: "not-the-secret")
        let client = S3Client(bucket: S3TestStore.bucket, configuration: configuration)
        #expect {
            try client.getObject("anything")
        } throws: { error in
            let error = error as? DataFolioError
            guard let error else { return false }
            return error.code == .authenticationFailed && error.message.contains("secret key")
                && error.message.contains(server.accessKey) && !error.message.contains("\n")
        }
        // HEAD answers have no body; the client asks again to report the real reason.
        #expect {
            try client.headObject("anything")
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .authenticationFailed && (error?.message.contains("secret key") ?? false)
        }
    }

    @Test func unknownAccessKeyGivesTheCredentialsError() throws {
        let (_, server) = try S3TestStore.client()
        var configuration = try S3TestStore.configuration(endpoint: server.endpoint, server: server)
        configuration.credentials = S3Credentials(accessKeyID: "NOSUCHKEY", secretAccessKey: "x", source: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
        let client = S3Client(bucket: S3TestStore.bucket, configuration: configuration)
        #expect {
            try client.listObjects(prefix: "")
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .authenticationFailed && (error?.message.contains("NOSUCHKEY") ?? false)
                && (error?.message.contains("fix AWS_ACCESS_KEY_ID") ?? false)
        }
    }

    @Test func missingBucket() throws {
        let (_, server) = try S3TestStore.client()
        let client = S3Client(bucket: "no-such-bucket-here", configuration: try S3TestStore.configuration(endpoint: server.endpoint, server: server))
        #expect {
            try client.getObject("x")
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .bucketNotFound && (error?.message.contains("no-such-bucket-here") ?? false)
        }
    }

    @Test func anonymousReadOfAPublicBucket() throws {
        let (owner, server) = try S3TestStore.client(bucket: SeaweedServer.publicBucket)
        let key = S3TestStore.freshPrefix("anon") + "items.json"
        try owner.putObject(key, bytes: Array("public".utf8))

        var configuration = try S3TestStore.configuration(endpoint: server.endpoint, server: server)
        configuration.credentials = .anonymous
        let anonymous = S3Client(bucket: SeaweedServer.publicBucket, configuration: configuration)
        #expect(try anonymous.getObject(key) == Array("public".utf8))
        #expect(try anonymous.headObject(key)?.size == 6)
        #expect {
            try anonymous.putObject(key, bytes: [1])
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .authenticationFailed && (error?.message.contains("no credentials were found") ?? false)
        }

        let privateBucket = S3Client(bucket: S3TestStore.bucket, configuration: configuration)
        #expect(throws: DataFolioError.self) { try privateBucket.getObject("x") }
    }

    @Test func clientFromTheEnvironmentWithTheEndpointInTheLocation() throws {
        let (owner, server) = try S3TestStore.client()
        let home = TemporaryFolder("s3-env-home")
        let secrets = home.path(".cloudvolume/secrets")
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try #"{"AWS_ACCESS_KEY_ID": "\#(server.accessKey)", "AWS_SECRET_ACCESS_KEY": "\#(server.secretKey)"}"#
            .write(toFile: secrets + "/aws-secret.json", atomically: true, encoding: .utf8)
        let prefix = S3TestStore.freshPrefix("env")
        let location = try S3Location(parsing: "s3://\(server.endpoint)/\(S3TestStore.bucket)/\(prefix)run")
        let client = try S3Client(location: location, environment: ["HOME": home.path])
        #expect(client.configuration.credentials.source == "~/.cloudvolume/secrets/aws-secret.json")
        try client.putObject(location.key("items.json"), bytes: Array("{}".utf8))
        #expect(try owner.getObject(prefix + "run/items.json") == Array("{}".utf8))
    }
}
