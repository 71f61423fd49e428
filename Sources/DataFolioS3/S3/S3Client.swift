import AsyncHTTPClient
import DataFolioSupport
import Foundation
import NIOCore
import NIOHTTP1

/// A client of one bucket in an S3-compatible store (AWS S3, SeaweedFS, MinIO, Ceph, R2…).
///
/// Every method is synchronous: it blocks the calling thread until the answer is complete,
/// while the network work runs on the event loops of an ``HTTPTransport`` (see there for
/// why this is safe inside `async` code). Requests are signed with AWS Signature V4 (or
/// sent unsigned with anonymous credentials), and retried on server errors and broken
/// connections as ``S3Configuration/retry`` allows. Failures are `DataFolioError`s whose
/// message says what to fix; a refused condition is `preconditionFailed`.
///
/// Keys are full object keys in the bucket; ``S3Location/key(_:)`` joins a location's
/// prefix and a relative path.
///
/// ```swift
/// let location = try S3Location(parsing: "s3://lab/experiments/run-1")
/// let client = try S3Client(location: location)
/// let catalog = try client.getObject(location.key("items.json"))
/// let etag = try client.putObject(
///     location.key("items.json"), bytes: updated,
///     options: S3PutOptions(condition: .ifMatch(etagRead), cacheControl: "no-cache"))
/// ```
public final class S3Client: RemoteObjectReading, Sendable {
    /// The bucket.
    public let bucket: String
    /// Endpoint, region, credentials, timeouts and retries.
    public let configuration: S3Configuration
    /// The connections used.
    public let transport: HTTPTransport

    /// Creates a client for a bucket with a configuration.
    ///
    /// ```swift
    /// let client = S3Client(bucket: "lab", configuration: configuration)
    /// ```
    public init(bucket: String, configuration: S3Configuration, transport: HTTPTransport? = nil) {
        self.bucket = bucket
        self.configuration = configuration
        self.transport = transport ?? .shared(timeouts: configuration.timeouts)
    }

    /// Creates a client for a location's bucket, configured from the environment (see
    /// ``S3Configuration/resolve(for:credentials:environment:)``).
    ///
    /// ```swift
    /// let client = try S3Client(location: try S3Location(parsing: "s3://lab/run"))
    /// ```
    public convenience init(
        location: S3Location, credentials: S3Credentials? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DataFolioError) {
        let configuration = try S3Configuration.resolve(for: location, credentials: credentials, environment: environment)
        self.init(bucket: location.bucket, configuration: configuration)
    }

    // MARK: Reading

    /// The whole object, or the bytes in `range`. Throws `fileNotFound` when the object
    /// does not exist.
    ///
    /// ```swift
    /// let header = try client.getObject("run/artifacts/x--r1.npy", range: .bytes(0..<128))
    /// ```
    public func getObject(_ key: String, range: ByteRange?) throws(DataFolioError) -> [UInt8] {
        try getObjectWithInfo(key, range: range).bytes
    }

    /// The object's bytes (or a range of them) together with the facts from the same
    /// answer, so that the ETag belongs to exactly these bytes: the one to send with
    /// ``S3WriteCondition/ifMatch(_:)`` when replacing what was read.
    ///
    /// ```swift
    /// let catalog = try client.getObjectWithInfo("run/items.json", range: nil)
    /// let updated = try edit(catalog.bytes)
    /// try client.putObject("run/items.json", bytes: updated, options: S3PutOptions(condition: .ifMatch(catalog.info.etag ?? "")))
    /// ```
    public func getObjectWithInfo(_ key: String, range: ByteRange?) throws(DataFolioError) -> RemoteObject {
        let range = try range?.validated()
        var headers: [(String, String)] = []
        if let value = range?.headerValue { headers.append(("Range", value)) }
        if let range, range.headerValue == nil {
            // Nothing to read, but the object must exist.
            guard let info = try headObject(key) else {
                throw DataFolioError(.fileNotFound, "Cannot read s3://\(bucket)/\(key): no such object.", path: key)
            }
            return RemoteObject(bytes: [], info: info)
        }
        let response = try perform(S3Request(method: .GET, key: key, headers: headers), operation: "read", key: key)
        return try RemoteObject(response, range: range) { self.error(for: $0, operation: "read", key: key) }
    }

    /// Streams the object (or a range) to `sink` on the calling thread, a chunk at a time,
    /// holding at most a few chunks in memory. A connection that breaks mid-way is resumed
    /// from the next byte (with `If-Match` on the first answer's ETag, so a replaced object
    /// is never stitched together).
    ///
    /// ```swift
    /// var md5 = MD5()
    /// let info = try client.getObject("run/models/m--r1.joblib", range: nil) { md5.update($0) }
    /// ```
    public func getObject(
        _ key: String, range: ByteRange?, into sink: (UnsafeRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> RemoteObjectInfo {
        let range = try range?.validated()
        let context = errorContext(operation: "read", key: key)
        return try ResumableDownload.run(
            transport: transport, policy: configuration.retry, range: range,
            prepare: { (range, ifMatch) throws(DataFolioError) -> PreparedRequest in
                var headers: [(String, String)] = []
                if let value = range?.headerValue { headers.append(("Range", value)) }
                if let ifMatch { headers.append(("If-Match", ifMatch)) }
                return try self.prepare(S3Request(method: .GET, key: key, headers: headers))
            },
            describe: { (response: CollectedResponse) -> DataFolioError in self.error(for: response, operation: "read", key: key) },
            networkError: { context.describe($0) },
            sink: sink)
    }

    /// Facts about an object, or nil when it does not exist.
    ///
    /// ```swift
    /// let exists = try client.headObject("run/items.json") != nil
    /// ```
    public func headObject(_ key: String) throws(DataFolioError) -> RemoteObjectInfo? {
        let response = try perform(S3Request(method: .HEAD, key: key), operation: "inspect", key: key)
        switch response.status.code {
        case 200: return response.headers.objectInfo()
        case 404: return nil
        case 400, 401, 403:
            // A HEAD answer has no body, so it cannot say whether the keys are wrong, the
            // clock is off or permission is missing. A one-byte GET can; its error is the
            // one to report.
            let probe = try perform(
                S3Request(method: .GET, key: key, headers: [("Range", "bytes=0-0")]), operation: "inspect", key: key)
            if probe.status.code >= 300 && probe.status.code != 416 && S3ErrorBody.parse(probe.bodyBytes) != nil {
                throw error(for: probe, operation: "inspect", key: key)
            }
            throw error(for: response, operation: "inspect", key: key)
        default: throw error(for: response, operation: "inspect", key: key)
        }
    }

    // MARK: Writing

    /// Stores an object in one request and returns its ETag (quotes included).
    ///
    /// With ``S3WriteCondition/ifNoneMatch`` the write fails with `preconditionFailed` when
    /// the key exists; with ``S3WriteCondition/ifMatch(_:)`` when the object's ETag is no
    /// longer the one given. If a retried write meets a refused condition, the object is
    /// checked: when it already holds these very bytes, the earlier attempt succeeded and
    /// this counts as success.
    ///
    /// ```swift
    /// let etag = try client.putObject(
    ///     "run/items.json", bytes: catalog,
    ///     options: S3PutOptions(condition: .ifNoneMatch, contentType: "application/json", cacheControl: "no-cache"))
    /// ```
    @discardableResult
    public func putObject(_ key: String, bytes: [UInt8], options: S3PutOptions = S3PutOptions()) throws(DataFolioError) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return try putObject(key, body: buffer, options: options)
    }

    func putObject(_ key: String, body: ByteBuffer, options: S3PutOptions) throws(DataFolioError) -> String {
        let request = S3Request(
            method: .PUT, key: key, headers: options.headers(), body: body, payloadHash: payloadHash(of: body))
        let response = try perform(request, operation: "write", key: key)
        switch response.status.code {
        case 200, 201, 204:
            return response.headers.first(name: "etag") ?? ""
        default:
            if isPreconditionFailure(response), options.condition != nil, response.attempt > 1,
                let etag = try etagIfHolding(body, key: key)
            {
                return etag
            }
            throw error(for: response, operation: "write", key: key)
        }
    }

    /// Deletes an object; a missing object is not an error.
    ///
    /// ```swift
    /// try client.deleteObject("run/tables/old--r1.parquet")
    /// ```
    public func deleteObject(_ key: String) throws(DataFolioError) {
        let response = try perform(S3Request(method: .DELETE, key: key), operation: "delete", key: key)
        switch response.status.code {
        case 200, 202, 204, 404: return
        default: throw error(for: response, operation: "delete", key: key)
        }
    }

    /// Deletes many objects with batch requests (up to 1,000 keys each); returns the keys
    /// that could not be deleted, with the server's reason. Missing keys count as deleted.
    ///
    /// ```swift
    /// let failures = try client.deleteObjects(["run/a", "run/b"])
    /// ```
    @discardableResult
    public func deleteObjects(_ keys: [String]) throws(DataFolioError) -> [(key: String, reason: String)] {
        var failures: [(key: String, reason: String)] = []
        var start = 0
        while start < keys.count {
            let batch = Array(keys[start..<min(start + 1000, keys.count)])
            start += batch.count
            let xml = S3XMLWriter.deleteObjects(batch, quiet: true)
            var md5 = MD5()
            md5.update(xml)
            let contentMD5 = Data(md5.finalize()).base64EncodedString()
            var body = ByteBufferAllocator().buffer(capacity: xml.count)
            body.writeBytes(xml)
            let request = S3Request(
                method: .POST, query: [("delete", "")],
                headers: [("Content-MD5", contentMD5), ("Content-Type", "application/xml")],
                body: body, payloadHash: SignatureV4.payloadHash(of: xml))
            let response = try perform(request, operation: "delete objects in", key: nil)
            guard response.status.code == 200 else { throw error(for: response, operation: "delete objects in", key: nil) }
            guard let root = XMLElement.parse(response.bodyBytes) else {
                throw unreadableAnswer("batch delete")
            }
            for failure in root.children("Error") {
                let code = failure.text("Code") ?? ""
                if code == "NoSuchKey" { continue }
                failures.append((failure.text("Key") ?? "", "\(code): \(failure.text("Message") ?? "")"))
            }
        }
        return failures
    }

    /// Creates the bucket; succeeds when it already exists and belongs to these
    /// credentials.
    ///
    /// ```swift
    /// try client.createBucket()
    /// ```
    public func createBucket() throws(DataFolioError) {
        var body: ByteBuffer?
        var hash = SignatureV4.emptyPayloadHash
        if configuration.region != "us-east-1" && configuration.endpoint.isAWS {
            let xml = Array(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>".utf8)
            var buffer = ByteBufferAllocator().buffer(capacity: xml.count)
            buffer.writeBytes(xml)
            body = buffer
            hash = SignatureV4.payloadHash(of: xml)
        }
        let response = try perform(S3Request(method: .PUT, key: nil, body: body, payloadHash: hash), operation: "create", key: nil)
        if response.status.code == 200 { return }
        if S3ErrorBody.parse(response.bodyBytes)?.code == "BucketAlreadyOwnedByYou" { return }
        throw error(for: response, operation: "create", key: nil)
    }

    // MARK: Listing

    /// One page of keys under `prefix` (ListObjectsV2). With a `delimiter` (usually `/`),
    /// keys below the next delimiter are grouped into ``S3ListPage/commonPrefixes``.
    ///
    /// ```swift
    /// var token: String?
    /// repeat {
    ///     let page = try client.listObjectsPage(prefix: "run/", continuationToken: token)
    ///     for object in page.objects { print(object.key) }
    ///     token = page.nextContinuationToken
    /// } while token != nil
    /// ```
    public func listObjectsPage(
        prefix: String, delimiter: String? = nil, continuationToken: String? = nil, maxKeys: Int = 1000
    ) throws(DataFolioError) -> S3ListPage {
        var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url"), ("prefix", prefix)]
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if maxKeys != 1000 { query.append(("max-keys", String(max(1, min(maxKeys, 1000))))) }
        let response = try perform(S3Request(method: .GET, query: query), operation: "list", key: prefix)
        guard response.status.code == 200 else { throw error(for: response, operation: "list", key: prefix) }
        guard let root = XMLElement.parse(response.bodyBytes), root.name == "ListBucketResult" else {
            throw unreadableAnswer("listing")
        }
        let urlEncoded = root.text("EncodingType") == "url"
        func decoded(_ text: String) -> String { urlEncoded ? URIEncoding.decode(text, plusIsSpace: true) : text }
        var page = S3ListPage()
        for element in root.children("Contents") {
            guard let key = element.text("Key") else { continue }
            page.objects.append(
                S3ObjectSummary(
                    key: decoded(key), size: element.text("Size").flatMap { Int($0) } ?? 0,
                    etag: element.text("ETag"), lastModified: element.text("LastModified").flatMap(HTTPDate.parse)))
        }
        for element in root.children("CommonPrefixes") {
            if let prefix = element.text("Prefix") { page.commonPrefixes.append(decoded(prefix)) }
        }
        if root.text("IsTruncated") == "true" {
            guard let token = root.text("NextContinuationToken"), !token.isEmpty else {
                throw unreadableAnswer("listing (truncated without a continuation token)")
            }
            page.nextContinuationToken = token
        }
        return page
    }

    /// Every key under `prefix`, following continuation tokens through all pages.
    ///
    /// ```swift
    /// let listing = try client.listObjects(prefix: "run/", delimiter: "/")
    /// print(listing.objects.map(\.key), listing.commonPrefixes)   // files, and "run/tables/" …
    /// ```
    public func listObjects(prefix: String, delimiter: String? = nil, pageSize: Int = 1000) throws(DataFolioError) -> S3ListPage {
        var all = S3ListPage()
        var token: String?
        var seenTokens = Set<String>()
        repeat {
            let page = try listObjectsPage(prefix: prefix, delimiter: delimiter, continuationToken: token, maxKeys: pageSize)
            all.objects += page.objects
            all.commonPrefixes += page.commonPrefixes
            token = page.nextContinuationToken
            if let token, !seenTokens.insert(token).inserted {
                throw unreadableAnswer("listing (the same continuation token twice)")
            }
        } while token != nil
        return all
    }

    // MARK: Multipart uploads

    /// Starts a multipart upload and returns its upload ID.
    ///
    /// ```swift
    /// let upload = try client.createMultipartUpload("run/models/big--r1.pt")
    /// ```
    public func createMultipartUpload(_ key: String, options: S3PutOptions = S3PutOptions()) throws(DataFolioError) -> String {
        let headers = options.headers(forBody: false)
        let response = try perform(
            S3Request(method: .POST, key: key, query: [("uploads", "")], headers: headers), operation: "start an upload to", key: key)
        guard response.status.code == 200 else { throw error(for: response, operation: "start an upload to", key: key) }
        guard let root = XMLElement.parse(response.bodyBytes), let id = root.text("UploadId"), !id.isEmpty else {
            throw unreadableAnswer("start of a multipart upload")
        }
        return id
    }

    /// Uploads one part (numbered from 1; every part but the last at least 5 MiB) and
    /// returns its ETag.
    ///
    /// ```swift
    /// let etag = try client.uploadPart("run/models/big--r1.pt", uploadID: upload, partNumber: 1, bytes: chunk)
    /// ```
    public func uploadPart(_ key: String, uploadID: String, partNumber: Int, bytes: [UInt8]) throws(DataFolioError) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let future = uploadPartFuture(key, uploadID: uploadID, partNumber: partNumber, body: buffer, payloadHash: payloadHash(of: buffer))
        return try waitForPart(future, key: key)
    }

    /// Completes a multipart upload from its parts (in part-number order) and returns the
    /// object's ETag. With a condition, the object appears only if it holds.
    ///
    /// ```swift
    /// try client.completeMultipartUpload(key, uploadID: upload, parts: [S3CompletedPart(number: 1, etag: etag)])
    /// ```
    @discardableResult
    public func completeMultipartUpload(
        _ key: String, uploadID: String, parts: [S3CompletedPart], condition: S3WriteCondition? = nil
    ) throws(DataFolioError) -> String {
        let xml = S3XMLWriter.completeMultipartUpload(parts.map { ($0.number, $0.etag) })
        var body = ByteBufferAllocator().buffer(capacity: xml.count)
        body.writeBytes(xml)
        var headers: [(String, String)] = [("Content-Type", "application/xml")]
        if let condition { headers.append(condition.header) }
        let request = S3Request(
            method: .POST, key: key, query: [("uploadId", uploadID)], headers: headers, body: body,
            payloadHash: SignatureV4.payloadHash(of: xml))
        let response = try perform(request, operation: "finish the upload of", key: key)
        if response.status.code == 200 {
            // S3 can report a failure inside a 200 answer once it has started streaming it.
            guard let root = XMLElement.parse(response.bodyBytes) else { throw unreadableAnswer("completion of a multipart upload") }
            if root.name == "Error" {
                throw error(
                    for: CollectedResponse(status: .internalServerError, headers: response.headers, body: response.body, attempt: response.attempt),
                    operation: "finish the upload of", key: key)
            }
            return root.text("ETag") ?? ""
        }
        // A retry after a completion whose answer was lost finds the upload gone; the object
        // then carries the ETag S3 derives from the parts.
        if response.attempt > 1, ["NoSuchUpload"].contains(S3ErrorBody.parse(response.bodyBytes)?.code ?? "") || isPreconditionFailure(response),
            let info = try headObject(key), info.etagValue == Self.multipartETag(parts)
        {
            return info.etag ?? ""
        }
        throw error(for: response, operation: "finish the upload of", key: key)
    }

    /// Abandons a multipart upload and frees its parts; an unknown upload is not an error.
    ///
    /// ```swift
    /// try client.abortMultipartUpload(key, uploadID: upload)
    /// ```
    public func abortMultipartUpload(_ key: String, uploadID: String) throws(DataFolioError) {
        let response = try perform(
            S3Request(method: .DELETE, key: key, query: [("uploadId", uploadID)]), operation: "abandon the upload of", key: key)
        switch response.status.code {
        case 200, 204, 404: return
        default: throw error(for: response, operation: "abandon the upload of", key: key)
        }
    }

    /// Multipart uploads under `prefix` that were started and neither completed nor
    /// abandoned (one page of up to 1,000).
    ///
    /// ```swift
    /// for upload in try client.listMultipartUploads(prefix: "run/") { try client.abortMultipartUpload(upload.key, uploadID: upload.uploadID) }
    /// ```
    public func listMultipartUploads(prefix: String) throws(DataFolioError) -> [S3PendingUpload] {
        let response = try perform(
            S3Request(method: .GET, query: [("uploads", ""), ("prefix", prefix)]), operation: "list uploads in", key: prefix)
        guard response.status.code == 200 else { throw error(for: response, operation: "list uploads in", key: prefix) }
        guard let root = XMLElement.parse(response.bodyBytes) else { throw unreadableAnswer("list of multipart uploads") }
        return root.children("Upload").compactMap { upload in
            guard let key = upload.text("Key"), let id = upload.text("UploadId") else { return nil }
            return S3PendingUpload(key: key, uploadID: id)
        }
    }

    /// A writer that uploads a stream of bytes to `key`: one PUT when it stays below
    /// ``S3UploadOptions/multipartThreshold``, else a multipart upload with parts sent in
    /// parallel. See ``S3UploadWriter``.
    ///
    /// ```swift
    /// let writer = client.makeUploadWriter("run/tables/t--r1.parquet")
    /// try writer.write(bytes)
    /// let result = try writer.finish()   // result.md5 for the catalog
    /// ```
    public func makeUploadWriter(_ key: String, options: S3UploadOptions = S3UploadOptions()) -> S3UploadWriter {
        S3UploadWriter(client: self, key: key, options: options)
    }

    // MARK: Internals

    func uploadPartFuture(
        _ key: String, uploadID: String, partNumber: Int, body: ByteBuffer, payloadHash: String
    ) -> EventLoopFuture<CollectedResponse> {
        let request = S3Request(
            method: .PUT, key: key, query: [("partNumber", String(partNumber)), ("uploadId", uploadID)],
            body: body, payloadHash: payloadHash)
        return transport.send(
            policy: configuration.retry,
            build: { () throws(TransportFailure) -> PreparedRequest in
                do throws(DataFolioError) { return try self.prepare(request) } catch { throw .rejected(error) }
            },
            shouldRetry: { self.isRetryable($0) })
    }

    func waitForPart(_ future: EventLoopFuture<CollectedResponse>, key: String) throws(DataFolioError) -> String {
        let response: CollectedResponse
        do {
            try HTTPTransport.checkNotOnEventLoop()
            response = try HTTPTransport.wait(future)
        } catch let failure as TransportFailure {
            throw errorContext(operation: "upload a part of", key: key).describe(failure)
        } catch {
            throw DataFolioError(.remoteFailure, "\(error)")
        }
        guard response.status.code == 200, let etag = response.headers.first(name: "etag") else {
            throw error(for: response, operation: "upload a part of", key: key)
        }
        return etag
    }

    /// The ETag S3 gives a multipart object: the MD5 of the parts' binary MD5s, a dash and
    /// the number of parts.
    static func multipartETag(_ parts: [S3CompletedPart]) -> String? {
        var combined = [UInt8]()
        for part in parts {
            let hex = part.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard hex.utf8.count == 32 else { return nil }
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
                combined.append(byte)
                index = next
            }
        }
        var md5 = MD5()
        md5.update(combined)
        return "\(md5.finalize().hexString)-\(parts.count)"
    }

    /// The ETag of `key` when it holds exactly `body` (a single-part object's ETag is the
    /// MD5 of its bytes).
    private func etagIfHolding(_ body: ByteBuffer, key: String) throws(DataFolioError) -> String? {
        guard let info = try headObject(key), info.size == body.readableBytes else { return nil }
        var md5 = MD5()
        body.withUnsafeReadableBytes { md5.update($0) }
        return info.etagValue == md5.finalize().hexString ? info.etag : nil
    }

    func payloadHash(of body: ByteBuffer) -> String {
        guard configuration.signsPayloads else { return SignatureV4.unsignedPayload }
        return body.withUnsafeReadableBytes { SignatureV4.payloadHash(of: $0) }
    }

    /// Sends a request (with retries) and returns the final answer, whatever its status.
    func perform(_ request: S3Request, operation: String, key: String?) throws(DataFolioError) -> CollectedResponse {
        do throws(TransportFailure) {
            return try transport.sendAndWait(
                policy: configuration.retry,
                build: { () throws(TransportFailure) -> PreparedRequest in
                    do throws(DataFolioError) { return try self.prepare(request) } catch { throw .rejected(error) }
                },
                shouldRetry: { self.isRetryable($0) })
        } catch {
            throw errorContext(operation: operation, key: key).describe(error)
        }
    }

    /// 5xx answers and S3's throttling and timeout codes; never a refused condition.
    func isRetryable(_ response: CollectedResponse) -> Bool {
        switch response.status.code {
        case 500, 502, 503, 504, 429: return true
        case 400:
            let code = S3ErrorBody.parse(response.bodyBytes)?.code
            return code == "RequestTimeout" || code == "SlowDown"
        default: return false
        }
    }

    /// The URL, headers and signature of a request, signed now.
    func prepare(_ request: S3Request) throws(DataFolioError) -> PreparedRequest {
        let endpoint = configuration.endpoint
        var host = endpoint.hostHeader
        var path = endpoint.basePath.isEmpty ? "" : "/" + URIEncoding.encodePath(endpoint.basePath)
        switch configuration.addressing {
        case .virtualHosted:
            host = S3Endpoint.authority(host: "\(bucket).\(endpoint.host)", port: endpoint.port)
        case .path:
            path += "/" + URIEncoding.encode(bucket)
        }
        if let key = request.key {
            path += "/" + URIEncoding.encodePath(key)
        } else if path.isEmpty {
            path = "/"
        }
        let query = SignatureV4.canonicalQuery(request.query)
        let url = "\(endpoint.scheme)://\(host)\(path)" + (query.isEmpty ? "" : "?\(query)")
        let signer = SignatureV4(credentials: configuration.credentials, region: configuration.region)
        let toSign = SignatureV4.Request(
            method: request.method.rawValue, path: path, query: request.query,
            headers: [("host", host)] + request.headers, payloadHash: request.payloadHash)
        let now = Int64(Date().timeIntervalSince1970) + configuration.clockOffset
        var headers = HTTPHeaders()
        for (name, value) in signer.signedHeaders(for: toSign, epochSeconds: now) {
            headers.add(name: name, value: value)
        }
        headers.add(name: "User-Agent", value: "datafolio-swift")
        return PreparedRequest(method: request.method, url: url, headers: headers, body: request.body)
    }

    func isPreconditionFailure(_ response: CollectedResponse) -> Bool {
        if response.status.code == 412 { return true }
        if response.status.code == 409 {
            return S3ErrorBody.parse(response.bodyBytes)?.code == "ConditionalRequestConflict"
        }
        return false
    }

    func errorContext(operation: String, key: String?) -> S3ErrorContext {
        S3ErrorContext(
            operation: operation, bucket: bucket, key: key, configuration: configuration)
    }

    func error(for response: CollectedResponse, operation: String, key: String?) -> DataFolioError {
        errorContext(operation: operation, key: key).describe(response)
    }

    private func unreadableAnswer(_ what: String) -> DataFolioError {
        DataFolioError(.remoteFailure, "\(configuration.endpoint) sent an answer to a \(what) that is not the XML S3 sends; is it an S3-compatible endpoint?")
    }
}

/// One request to the bucket, before addressing and signing.
struct S3Request: Sendable {
    var method: HTTPMethod
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body: ByteBuffer?
    var payloadHash: String = SignatureV4.emptyPayloadHash

    init(
        method: HTTPMethod, key: String? = nil, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: ByteBuffer? = nil, payloadHash: String = SignatureV4.emptyPayloadHash
    ) {
        self.method = method
        self.key = key
        self.query = query.map { (name: $0.0, value: $0.1) }
        self.headers = headers.map { (name: $0.0, value: $0.1) }
        self.body = body
        self.payloadHash = payloadHash
    }
}

/// A condition on a write, checked by the store atomically with the write.
///
/// ```swift
/// try client.putObject(key, bytes: catalog, options: S3PutOptions(condition: .ifNoneMatch))     // create
/// try client.putObject(key, bytes: catalog, options: S3PutOptions(condition: .ifMatch(etag)))   // replace
/// ```
public enum S3WriteCondition: Sendable, Hashable {
    /// Only when no object exists at the key (`If-None-Match: *`).
    case ifNoneMatch
    /// Only when the object's ETag is still this one (`If-Match`), quotes included.
    case ifMatch(String)

    var header: (String, String) {
        switch self {
        case .ifNoneMatch: return ("If-None-Match", "*")
        case .ifMatch(let etag): return ("If-Match", etag)
        }
    }
}

/// Options of a single PUT (and of the object a multipart upload creates).
///
/// ```swift
/// let options = S3PutOptions(condition: .ifMatch(etag), contentType: "application/json", cacheControl: "no-cache")
/// ```
public struct S3PutOptions: Sendable, Hashable {
    /// A condition the store must check.
    public var condition: S3WriteCondition?
    /// The `Content-Type` stored with the object.
    public var contentType: String?
    /// The `Cache-Control` stored with the object (`no-cache` for catalogs).
    public var cacheControl: String?
    /// User metadata stored with the object (`x-amz-meta-<name>` headers; names in
    /// lowercase letters, digits and `-`), returned by ``S3Client/headObject(_:)`` in
    /// ``RemoteObjectInfo/metadata``.
    public var metadata: [String: String]
    /// The lowercase hex MD5 the body must have. A single PUT sends it as `Content-MD5`, so
    /// the store refuses a body damaged on the way; an ``S3UploadWriter`` also compares it
    /// with what was written before it makes the object visible.
    public var expectedMD5: String?

    /// Creates options.
    ///
    /// ```swift
    /// let options = S3PutOptions(condition: .ifNoneMatch, cacheControl: "no-cache")
    /// ```
    public init(
        condition: S3WriteCondition? = nil, contentType: String? = nil, cacheControl: String? = nil,
        metadata: [String: String] = [:], expectedMD5: String? = nil
    ) {
        self.condition = condition
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.metadata = metadata
        self.expectedMD5 = expectedMD5
    }

    /// The headers of a PUT (or of the start of a multipart upload, which sends no
    /// conditions and no body digest).
    func headers(forBody: Bool = true) -> [(String, String)] {
        var headers: [(String, String)] = []
        if forBody, let condition { headers.append(condition.header) }
        if let contentType { headers.append(("Content-Type", contentType)) }
        if let cacheControl { headers.append(("Cache-Control", cacheControl)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-amz-meta-" + name.lowercased(), value))
        }
        if forBody, let digest = expectedMD5.flatMap(S3PutOptions.base64Digest) {
            headers.append(("Content-MD5", digest))
        }
        return headers
    }

    /// The base64 of the 16 bytes a hex MD5 stands for, as `Content-MD5` wants it.
    static func base64Digest(_ hex: String) -> String? {
        let bytes = Array(hex.utf8)
        guard bytes.count == 32 else { return nil }
        var digest = [UInt8]()
        digest.reserveCapacity(16)
        var index = 0
        while index < 32 {
            guard let byte = UInt8(String(decoding: bytes[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            digest.append(byte)
            index += 2
        }
        return Data(digest).base64EncodedString()
    }
}

/// A key in a listing.
///
/// ```swift
/// let total = try client.listObjects(prefix: "run/").objects.reduce(0) { $0 + $1.size }
/// ```
public struct S3ObjectSummary: Sendable, Hashable {
    /// The full key.
    public var key: String
    /// The size in bytes.
    public var size: Int
    /// The ETag, quotes included.
    public var etag: String?
    /// When the object was last written.
    public var lastModified: Date?

    /// Creates a summary.
    ///
    /// ```swift
    /// let summary = S3ObjectSummary(key: "run/items.json", size: 2048)
    /// ```
    public init(key: String, size: Int, etag: String? = nil, lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// One page of a listing (or all pages, from ``S3Client/listObjects(prefix:delimiter:pageSize:)``).
///
/// ```swift
/// let page = try client.listObjectsPage(prefix: "run/", delimiter: "/")
/// print(page.objects.map(\.key), page.commonPrefixes)
/// ```
public struct S3ListPage: Sendable, Hashable {
    /// The keys, in the store's (lexicographic) order.
    public var objects: [S3ObjectSummary] = []
    /// With a delimiter: the "folders" directly under the prefix, each ending with it.
    public var commonPrefixes: [String] = []
    /// Where the next page starts; nil on the last page.
    public var nextContinuationToken: String?

    /// Creates an empty page.
    ///
    /// ```swift
    /// var page = S3ListPage()
    /// page.objects.append(S3ObjectSummary(key: "a", size: 1))
    /// ```
    public init() {}
}

/// A part of a multipart upload, for ``S3Client/completeMultipartUpload(_:uploadID:parts:condition:)``.
///
/// ```swift
/// let part = S3CompletedPart(number: 1, etag: try client.uploadPart(key, uploadID: upload, partNumber: 1, bytes: chunk))
/// ```
public struct S3CompletedPart: Sendable, Hashable {
    /// The part number, from 1.
    public var number: Int
    /// The ETag the part's upload returned.
    public var etag: String

    /// Creates a part reference.
    ///
    /// ```swift
    /// let part = S3CompletedPart(number: 2, etag: "\"9b2cf535f27731c974343645a3985328\"")
    /// ```
    public init(number: Int, etag: String) {
        self.number = number
        self.etag = etag
    }
}

/// A multipart upload that was started and not finished.
///
/// ```swift
/// for upload in try client.listMultipartUploads(prefix: "run/") { print(upload.key, upload.uploadID) }
/// ```
public struct S3PendingUpload: Sendable, Hashable {
    /// The key it would create.
    public var key: String
    /// Its upload ID.
    public var uploadID: String
}
