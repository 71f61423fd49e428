import DataFolioSupport
import Dispatch
import NIOCore

/// Settings of an ``S3UploadWriter``.
///
/// Memory stays below `partsInFlight × partSize` plus the part being filled.
///
/// ```swift
/// var options = S3UploadOptions()
/// options.partSize = 16 << 20
/// options.put.contentType = "application/octet-stream"
/// ```
public struct S3UploadOptions: Sendable, Hashable {
    /// Condition, content type and cache control of the object. A condition is sent with
    /// the single PUT, or with the completion of a multipart upload (where stores that
    /// support conditional completion check it).
    public var put: S3PutOptions
    /// Objects up to this size are sent with one PUT; larger ones as multipart uploads.
    public var multipartThreshold: Int
    /// The size of each part (S3 requires at least 5 MiB for all but the last). After every
    /// 1,000 parts it doubles, so that S3's limit of 10,000 parts allows objects of many
    /// terabytes.
    public var partSize: Int
    /// How many parts are uploaded at the same time.
    public var partsInFlight: Int

    /// Creates options (defaults: 8 MiB threshold and parts, 4 parts in flight).
    ///
    /// ```swift
    /// let options = S3UploadOptions(multipartThreshold: 16 << 20, partSize: 16 << 20, partsInFlight: 8)
    /// ```
    public init(put: S3PutOptions = S3PutOptions(), multipartThreshold: Int = 8 << 20, partSize: Int = 8 << 20, partsInFlight: Int = 4) {
        self.put = put
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.partsInFlight = partsInFlight
    }
}

/// What a finished upload stored.
///
/// ```swift
/// let result = try writer.finish()
/// print(result.etag, result.size, result.md5)
/// ```
public struct S3UploadResult: Sendable, Hashable {
    /// The object's ETag, quotes included.
    public var etag: String
    /// The number of bytes stored.
    public var size: Int
    /// The lowercase hex MD5 of every byte written (what the folio catalog records).
    public var md5: String
    /// The number of parts (0 for a single PUT).
    public var parts: Int
}

/// Uploads a stream of bytes written in sequence to one object.
///
/// Bytes are kept in memory until they exceed ``S3UploadOptions/multipartThreshold``; a
/// smaller object is then sent with one PUT at ``finish()``. A larger one becomes a
/// multipart upload whose parts are uploaded in parallel while writing continues, at most
/// ``S3UploadOptions/partsInFlight`` at a time (`write` waits for the oldest when that many
/// are on their way). Nothing is visible at the key until ``finish()`` succeeds: on any
/// failure, and on ``abort()``, the multipart upload is abandoned so that its parts are
/// freed. A writer dropped without `finish()` abandons its upload too.
///
/// A writer is used from one thread at a time.
///
/// ```swift
/// let writer = client.makeUploadWriter("run/tables/big--r1.parquet")
/// do {
///     for chunk in chunks { try writer.write(chunk) }
///     let result = try writer.finish()
///     print(result.md5, result.size)
/// } catch {
///     writer.abort()
///     throw error
/// }
/// ```
public final class S3UploadWriter {
    /// The key being written.
    public let key: String
    /// The number of bytes written so far.
    public private(set) var bytesWritten = 0

    private enum State { case open, finished, failed, aborted }

    private let client: S3Client
    private let options: S3UploadOptions
    private let digest = StreamDigest()
    private var pending: ByteBuffer
    private var uploadID: String?
    private var partNumber = 0
    private var inFlight: [(number: Int, future: EventLoopFuture<CollectedResponse>)] = []
    private var completed: [S3CompletedPart] = []
    private var state = State.open
    private static let maxParts = 10_000

    init(client: S3Client, key: String, options: S3UploadOptions) {
        self.client = client
        self.key = key
        var options = options
        options.partSize = max(options.partSize, 1)
        options.multipartThreshold = max(options.multipartThreshold, 0)
        options.partsInFlight = max(options.partsInFlight, 1)
        self.options = options
        pending = ByteBufferAllocator().buffer(capacity: min(options.multipartThreshold, options.partSize, 1 << 20))
    }

    deinit {
        guard state == .open, let uploadID else { return }
        // Dropped without finish(): abandon the upload once the parts on their way land.
        let client = self.client
        let key = self.key
        let futures = inFlight.map(\.future)
        let loop = client.transport.client.eventLoopGroup.next()
        EventLoopFuture.whenAllComplete(futures, on: loop).whenComplete { _ in
            let request = S3Request(method: .DELETE, key: key, query: [("uploadId", uploadID)])
            _ = client.transport.send(
                policy: client.configuration.retry,
                build: { () throws(TransportFailure) -> PreparedRequest in
                    do throws(DataFolioError) { return try client.prepare(request) } catch { throw .rejected(error) }
                },
                shouldRetry: { client.isRetryable($0) })
        }
    }

    /// Appends bytes.
    ///
    /// ```swift
    /// try chunk.withUnsafeBytes { try writer.write($0) }
    /// ```
    public func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        try checkOpen()
        bytesWritten += bytes.count
        var rest = bytes
        while !rest.isEmpty {
            // Take no more than fits, so a huge write never grows the buffer past a part
            // (or the threshold plus one byte, which decides for a multipart upload).
            let limit = uploadID == nil ? options.multipartThreshold + 1 : currentPartSize
            let take = min(rest.count, max(limit - pending.readableBytes, 1))
            pending.writeBytes(UnsafeRawBufferPointer(rebasing: rest[..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            do throws(DataFolioError) {
                if uploadID == nil, pending.readableBytes > options.multipartThreshold {
                    try startMultipart()
                }
                if uploadID != nil {
                    try submitFullParts()
                }
            } catch {
                fail()
                throw error
            }
        }
    }

    /// Appends bytes.
    ///
    /// ```swift
    /// try writer.write(Array("hello".utf8))
    /// ```
    public func write(_ bytes: [UInt8]) throws(DataFolioError) {
        try bytes.withBytesTyped { (raw: UnsafeRawBufferPointer) throws(DataFolioError) in try write(raw) }
    }

    /// Sends what is left, completes the upload and returns what was stored. After an error
    /// nothing is visible at the key and the writer cannot be used again.
    ///
    /// ```swift
    /// let md5 = try writer.finish().md5
    /// ```
    public func finish() throws(DataFolioError) -> S3UploadResult {
        try checkOpen()
        do throws(DataFolioError) {
            let etag: String
            let md5: String
            if uploadID == nil {
                (etag, md5) = try putWhole()
            } else {
                if pending.readableBytes > 0 || partNumber == 0 {
                    let last = pending
                    pending = ByteBuffer()
                    try submit(last)
                }
                while !inFlight.isEmpty { try awaitOldest() }
                md5 = digest.finish()
                try checkExpected(md5)
                guard let uploadID else { throw DataFolioError(.remoteFailure, "The upload of \(key) lost its ID.") }
                etag = try client.completeMultipartUpload(key, uploadID: uploadID, parts: completed, condition: options.put.condition)
            }
            state = .finished
            pending = ByteBuffer()
            return S3UploadResult(etag: etag, size: bytesWritten, md5: md5, parts: completed.count)
        } catch {
            fail()
            throw error
        }
    }

    /// Sends a small object in one PUT. Its MD5 is computed on another thread while the
    /// request is on its way; when the caller knows the MD5 already, the store checks it
    /// (`Content-MD5`), and the ETag it answers with confirms it.
    private func putWhole() throws(DataFolioError) -> (etag: String, md5: String) {
        let body = pending
        guard let expected = options.put.expectedMD5?.lowercased() else {
            digest.append(body)
            let etag = try client.putObject(key, body: body, options: options.put)
            return (etag, digest.finish())
        }
        let etag = try client.putObject(key, body: body, options: options.put)
        let answered = RemoteObjectInfo(size: body.readableBytes, etag: etag).etagValue?.lowercased() ?? ""
        if answered == expected { return (etag, expected) }
        // A store whose ETag is not the MD5 (encryption, another scheme): compute it here.
        digest.append(body)
        let actual = digest.finish()
        if actual != expected {
            try? client.deleteObject(key)
            throw mismatch(actual, expected)
        }
        return (etag, actual)
    }

    private func checkExpected(_ md5: String) throws(DataFolioError) {
        if let expected = options.put.expectedMD5?.lowercased(), expected != md5 { throw mismatch(md5, expected) }
    }

    private func mismatch(_ actual: String, _ expected: String) -> DataFolioError {
        DataFolioError(
            .corruptData, "The bytes written to \(key) have MD5 \(actual), not the expected \(expected); nothing was stored.", path: key)
    }

    /// Stops the upload and abandons it, so nothing appears at the key. Safe to call more
    /// than once, and after a failure.
    ///
    /// ```swift
    /// writer.abort()   // nothing appears at the key
    /// ```
    public func abort() {
        guard state == .open || state == .failed else { return }
        abandonUpload()
        state = .aborted
    }

    // MARK: Internals

    private var currentPartSize: Int {
        // Doubling every 1,000 parts keeps within S3's 10,000-part limit.
        let doublings = min(partNumber / 1000, 20)
        return min(options.partSize << doublings, 5 << 30)
    }

    private func checkOpen() throws(DataFolioError) {
        switch state {
        case .open: return
        case .finished: throw DataFolioError(.invalidArgument, "The upload of \(key) is already finished.")
        case .failed: throw DataFolioError(.invalidArgument, "The upload of \(key) failed earlier and was abandoned.")
        case .aborted: throw DataFolioError(.invalidArgument, "The upload of \(key) was aborted.")
        }
    }

    private func startMultipart() throws(DataFolioError) {
        uploadID = try client.createMultipartUpload(key, options: options.put)
    }

    private func submit(_ part: ByteBuffer) throws(DataFolioError) {
        while inFlight.count >= options.partsInFlight { try awaitOldest() }
        guard let uploadID else { return }
        guard partNumber < Self.maxParts else {
            throw DataFolioError(.limitExceeded, "\(key) needs more than \(Self.maxParts) parts; raise the part size.")
        }
        partNumber += 1
        // The MD5 of the whole object runs part by part, in order, on its own thread; the
        // SHA-256 that signs a part on another, so the thread writing the bytes only copies.
        digest.append(part)
        let number = partNumber
        let client = self.client
        let key = self.key
        let promise = client.transport.client.eventLoopGroup.next().makePromise(of: CollectedResponse.self)
        DispatchQueue.global().async {
            let hash = client.payloadHash(of: part)
            client.uploadPartFuture(key, uploadID: uploadID, partNumber: number, body: part, payloadHash: hash).cascade(to: promise)
        }
        inFlight.append((partNumber, promise.futureResult))
    }

    private func awaitOldest() throws(DataFolioError) {
        let (number, future) = inFlight.removeFirst()
        let etag = try client.waitForPart(future, key: key)
        completed.append(S3CompletedPart(number: number, etag: etag))
    }

    /// Sends every complete part in `pending`. A part that fills the buffer exactly is
    /// handed over whole and replaced by a new buffer of one part's capacity, so bytes are
    /// copied once on their way in and never moved again.
    private func submitFullParts() throws(DataFolioError) {
        while pending.readableBytes >= currentPartSize {
            if pending.readableBytes == currentPartSize {
                let part = pending
                pending = ByteBufferAllocator().buffer(capacity: 0)
                try submit(part)
                pending.reserveCapacity(currentPartSize)
            } else if let part = pending.readSlice(length: currentPartSize) {
                try submit(part)
            }
        }
        if pending.readerIndex > 0 {
            // Only after the switch from one PUT to parts: keep the rest in a fresh buffer.
            var rest = ByteBufferAllocator().buffer(capacity: currentPartSize)
            rest.writeBuffer(&pending)
            pending = rest
        }
    }

    private func fail() {
        guard state == .open else { return }
        state = .failed
        abandonUpload()
    }

    private func abandonUpload() {
        // Parts still on their way must land before the abort, or they could outlive it.
        if (try? HTTPTransport.checkNotOnEventLoop()) != nil {
            for (_, future) in inFlight { _ = try? HTTPTransport.wait(future) }
        }
        inFlight = []
        pending = ByteBuffer()
        if let uploadID {
            try? client.abortMultipartUpload(key, uploadID: uploadID)
            self.uploadID = nil
        }
    }
}

/// The MD5 of a stream of buffers, computed in order on a thread of its own, so that
/// hashing overlaps with producing the bytes and sending them.
private final class StreamDigest: @unchecked Sendable {
    // `md5` is only touched on `queue`.
    private var md5 = MD5()
    private let queue = DispatchQueue(label: "datafolio.s3.md5")

    /// Hashes `buffer` after the buffers appended before it.
    func append(_ buffer: ByteBuffer) {
        queue.async {
            buffer.withUnsafeReadableBytes { self.md5.update($0) }
        }
    }

    /// Waits for the buffers appended so far and returns the digest (lowercase hex).
    func finish() -> String {
        queue.sync { md5.finalize().hexString }
    }
}
