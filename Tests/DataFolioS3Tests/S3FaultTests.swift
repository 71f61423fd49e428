import DataFolioS3
import DataFolioS3TestSupport
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Faults injected between the client and SeaweedFS by a proxy, and a server stopped in
/// the middle of an upload.
@Suite(.seaweed) struct S3FaultTests {
    /// A client that talks to the shared server through a new fault proxy.
    func proxiedClient(retry: RetryPolicy = S3TestStore.quickRetry, timeouts: Timeouts = Timeouts(connect: 5, request: 30)) throws
        -> (S3Client, S3Client, FaultProxy)
    {
        let (direct, server) = try S3TestStore.client()
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        let configuration = try S3TestStore.configuration(endpoint: proxy.endpoint, server: server, retry: retry, timeouts: timeouts)
        return (S3Client(bucket: S3TestStore.bucket, configuration: configuration), direct, proxy)
    }

    @Test func slowDownIsRetriedUntilItSucceeds() throws {
        let (client, direct, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("slowdown") + "items.json"
        proxy.inject(.slowDown, count: 2)
        try client.putObject(key, bytes: Array("body".utf8))
        #expect(proxy.faultsInjected == 2)
        #expect(proxy.requestCount == 3)
        proxy.inject(.slowDown, count: 3)
        #expect(try client.getObject(key) == Array("body".utf8))
        #expect(proxy.faultsInjected == 5)
        #expect(try direct.getObject(key) == Array("body".utf8))
    }

    @Test func retriesAreBounded() throws {
        let (client, _, proxy) = try proxiedClient(retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05))
        defer { proxy.stop() }
        proxy.inject(.slowDown, count: 10)
        #expect {
            try client.getObject("whatever")
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .remoteFailure && (error?.message.contains("SlowDown") ?? false)
                && (error?.message.contains("3 attempts") ?? false)
        }
        #expect(proxy.faultsInjected == 3)
        #expect(proxy.pendingFaults == 7)
    }

    @Test func refusedConditionIsNeverRetried() throws {
        let (client, _, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("noretry") + "items.json"
        try client.putObject(key, bytes: [1])
        let before = proxy.requestCount
        #expect {
            try client.putObject(key, bytes: [2], options: S3PutOptions(condition: .ifNoneMatch))
        } throws: { ($0 as? DataFolioError)?.code == .preconditionFailed }
        #expect(proxy.requestCount == before + 1)
    }

    @Test func connectionDroppedMidRequestIsRetried() throws {
        let (client, direct, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("droprequest") + "blob"
        let bytes = S3TestStore.bytes(1 << 20, seed: 10)
        proxy.inject(.dropRequest(afterBodyBytes: 100_000))
        try client.putObject(key, bytes: bytes)
        #expect(proxy.faultsInjected == 1)
        #expect(try direct.getObject(key) == bytes)
    }

    @Test func connectionDroppedMidResponseIsRetriedOrResumed() throws {
        let (client, direct, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("dropresponse") + "blob"
        let bytes = S3TestStore.bytes(2 << 20, seed: 11)
        try direct.putObject(key, bytes: bytes)

        proxy.inject(.dropResponse(afterBytes: 300_000))
        #expect(try client.getObject(key) == bytes)

        // A streamed read resumes from where the connection broke, twice.
        proxy.inject(.dropResponse(afterBytes: 500_000), count: 2)
        var received = [UInt8]()
        let info = try client.getObject(key, range: .from(1000)) { (chunk: UnsafeRawBufferPointer) throws(DataFolioError) in
            received.append(contentsOf: chunk)
        }
        #expect(received == Array(bytes[1000...]))
        #expect(info.size == bytes.count)
        #expect(proxy.faultsInjected == 3)
    }

    @Test func lostAnswerToAConditionalCreateStillSucceeds() throws {
        // The server stores the object but the answer is lost; the retry meets a refused
        // condition, and the client finds its own bytes there.
        let (client, direct, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("lostanswer") + "items.json"
        let bytes = Array(#"{"revision": 1}"#.utf8)
        proxy.inject(.dropResponse(afterBytes: 0))
        let etag = try client.putObject(key, bytes: bytes, options: S3PutOptions(condition: .ifNoneMatch))
        #expect(etag == "\"\(S3TestStore.md5(bytes))\"")
        #expect(try direct.getObject(key) == bytes)
        // Someone else's bytes are still a conflict.
        proxy.inject(.dropResponse(afterBytes: 0))
        #expect {
            try client.putObject(key, bytes: Array("other".utf8), options: S3PutOptions(condition: .ifNoneMatch))
        } throws: { ($0 as? DataFolioError)?.code == .preconditionFailed }
    }

    @Test func lostAnswerToAMultipartCompletionStillSucceeds() throws {
        let (client, direct, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("lostcompletion") + "big.bin"
        let bytes = S3TestStore.bytes(6 << 20, seed: 17)
        let upload = try direct.createMultipartUpload(key)
        let first = try direct.uploadPart(key, uploadID: upload, partNumber: 1, bytes: Array(bytes[..<(5 << 20)]))
        let second = try direct.uploadPart(key, uploadID: upload, partNumber: 2, bytes: Array(bytes[(5 << 20)...]))
        proxy.inject(.dropResponse(afterBytes: 0))
        let etag = try client.completeMultipartUpload(
            key, uploadID: upload, parts: [S3CompletedPart(number: 1, etag: first), S3CompletedPart(number: 2, etag: second)])
        #expect(proxy.faultsInjected == 1)
        #expect(etag.hasSuffix("-2\""))
        #expect(try direct.getObject(key) == bytes)
    }

    @Test func multipartPartsSurviveSlowDowns() throws {
        let (client, direct, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("multipart-faults") + "big.bin"
        let bytes = S3TestStore.bytes(11 << 20, seed: 12)
        let writer = client.makeUploadWriter(key, options: S3UploadOptions(multipartThreshold: 5 << 20, partSize: 5 << 20, partsInFlight: 2))
        try writer.write(Array(bytes[..<(6 << 20)]))
        proxy.inject(.slowDown, count: 2)
        proxy.inject(.dropRequest(afterBodyBytes: 1 << 20))
        try writer.write(Array(bytes[(6 << 20)...]))
        let result = try writer.finish()
        #expect(result.md5 == S3TestStore.md5(bytes))
        #expect(proxy.faultsInjected == 3)
        #expect(try direct.getObject(key) == bytes)
    }

    @Test func failedPartAbandonsTheUpload() throws {
        let (client, direct, proxy) = try proxiedClient()
        defer { proxy.stop() }
        let key = S3TestStore.freshPrefix("multipart-fail") + "big.bin"
        let writer = client.makeUploadWriter(key, options: S3UploadOptions(multipartThreshold: 5 << 20, partSize: 5 << 20, partsInFlight: 1))
        try writer.write(S3TestStore.bytes(6 << 20, seed: 13))
        #expect(try direct.listMultipartUploads(prefix: key).count == 1)
        // Requests go one at a time (one part in flight), so these faults hit every
        // attempt of one part, whichever it is.
        proxy.inject(.slowDown, count: S3TestStore.quickRetry.maxAttempts)
        #expect {
            try writer.write(S3TestStore.bytes(4 << 20, seed: 14))
            _ = try writer.finish()
        } throws: { ($0 as? DataFolioError)?.code == .remoteFailure }
        #expect(try direct.headObject(key) == nil)
        #expect(try direct.listMultipartUploads(prefix: key).isEmpty)
    }

    @Test func probeDetectsAStoreThatIgnoresConditions() throws {
        let (owner, server) = try S3TestStore.client(bucket: SeaweedServer.openBucket)
        let proxy = try FaultProxy(upstreamPort: server.s3Port)
        defer { proxy.stop() }
        var configuration = try S3TestStore.configuration(endpoint: proxy.endpoint, server: server)
        configuration.credentials = .anonymous
        let client = S3Client(bucket: SeaweedServer.openBucket, configuration: configuration)
        let prefix = S3TestStore.freshPrefix("ignoring")
        // Through the proxy unchanged, the store enforces conditions...
        #expect(try client.probeConditionalWrites(under: prefix).isEnforced)
        // ...and with the conditions removed on the way, the probe notices.
        proxy.stripConditionalHeaders()
        let support = try client.probeConditionalWrites(under: prefix)
        #expect(!support.ifNoneMatch)
        #expect(!support.ifMatch)
        #expect(!support.isEnforced)
        #expect(try owner.listObjects(prefix: prefix).objects.isEmpty)
    }

    @Test func connectionRefusedIsAOneLineError() throws {
        let port = try LoopbackSockets.freePort()
        let configuration = S3Configuration(
            endpoint: try S3Endpoint(parsing: "http://127.0.0.1:\(port)"),
            credentials: S3Credentials(accessKeyID: "k", secretAccessKey: "s"), retry: S3TestStore.quickRetry,
            endpointSource: "AWS_ENDPOINT_URL_S3")
        let client = S3Client(bucket: "lab", configuration: configuration)
        let started = Date()
        #expect {
            try client.getObject("items.json")
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .connectionFailed && (error?.message.contains("connection refused") ?? false)
                && (error?.message.contains("AWS_ENDPOINT_URL_S3") ?? false)
        }
        #expect(Date().timeIntervalSince(started) < 60)  // bounded by the retry policy, not a hang
    }

    @Test func unansweredRequestTimesOut() throws {
        let (client, _, proxy) = try proxiedClient(
            retry: RetryPolicy(maxAttempts: 1), timeouts: Timeouts(connect: 5, request: 1))
        defer { proxy.stop() }
        proxy.inject(.stall)
        #expect {
            try client.getObject("items.json")
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .timedOut && (error?.message.contains("DATAFOLIO_S3_TIMEOUT") ?? false)
        }
    }

    @Test func serverStoppedMidUploadFailsAndLeavesNoObject() throws {
        let server = try SeaweedServer(label: "seaweed-stop")
        defer { server.stop() }
        let configuration = try S3TestStore.configuration(endpoint: server.endpoint, server: server)
        let client = S3Client(bucket: "stop-test", configuration: configuration)
        try client.createBucket()
        // Committed before the stop: must still be there after the restart, which shows the
        // restarted server kept its data (so an absent object means something).
        try client.putObject("run/items.json", bytes: Array("{}".utf8))
        let key = "run/models/big--r1.bin"
        let writer = client.makeUploadWriter(key, options: S3UploadOptions(multipartThreshold: 5 << 20, partSize: 5 << 20, partsInFlight: 2))
        try writer.write(S3TestStore.bytes(11 << 20, seed: 15))
        server.stop()
        let started = Date()
        #expect(throws: DataFolioError.self) {
            try writer.write(S3TestStore.bytes(6 << 20, seed: 16))
            _ = try writer.finish()
        }
        #expect(Date().timeIntervalSince(started) < 60)  // bounded by the retry policy, not a hang

        try server.start()
        #expect(try client.headObject(key) == nil)
        #expect(try client.listObjects(prefix: "run/").objects.map(\.key) == ["run/items.json"])
        #expect(try client.getObject("run/items.json") == Array("{}".utf8))
    }

    @Test func clockSkewIsReported() throws {
        let (_, server) = try S3TestStore.client()
        var configuration = try S3TestStore.configuration(endpoint: server.endpoint, server: server)
        configuration.clockOffset = 2 * 3600
        let client = S3Client(bucket: S3TestStore.bucket, configuration: configuration)
        #expect {
            try client.getObject("x")
        } throws: { error in
            let error = error as? DataFolioError
            return error?.code == .clockSkew && (error?.message.contains("clock") ?? false)
        }
    }
}
