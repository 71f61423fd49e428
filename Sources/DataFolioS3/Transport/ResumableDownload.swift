import DataFolioSupport
import Foundation
import NIOCore
import NIOHTTP1

/// A streamed GET that survives broken connections: after a failure it asks for the rest
/// (a range starting at the next byte), conditional on the first answer's ETag so that a
/// replaced object is reported instead of being spliced together from two versions.
enum ResumableDownload {
    static func run(
        transport: HTTPTransport,
        policy: RetryPolicy,
        range: ByteRange?,
        prepare: (_ range: ByteRange?, _ ifMatch: String?) throws(DataFolioError) -> PreparedRequest,
        describe: (CollectedResponse) -> DataFolioError,
        networkError: (TransportFailure) -> DataFolioError,
        sink: (UnsafeRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> RemoteObjectInfo {
        var delivered = 0
        var info: RemoteObjectInfo?
        var validator: String?
        var expected: Int?
        var attempt = 1
        let started = Date()
        var random = SystemRandomNumberGenerator()

        func waitBeforeRetry() -> Bool {
            attempt += 1
            let delay = policy.delay(beforeAttempt: attempt, using: &random)
            guard policy.allows(attempt: attempt, elapsed: -started.timeIntervalSinceNow, delay: delay) else { return false }
            Thread.sleep(forTimeInterval: delay)
            return true
        }

        while true {
            let current: ByteRange? =
                delivered == 0 ? range : (range ?? .from(0)).advanced(by: delivered, objectSize: info?.size)
            if let current, current.headerValue == nil, info != nil {
                // Nothing left to ask for (e.g. a range that ended exactly here).
                return info ?? RemoteObjectInfo(size: 0)
            }
            let request = try prepare(current, delivered == 0 ? nil : validator)
            // When a server ignores Range (answers 200 with everything), skip and cut here.
            var skip = 0
            var remaining = Int.max
            var emptyRange = false
            let outcome: StreamOutcome
            do throws(TransportFailure) {
                outcome = try transport.streamOnce(
                    request,
                    accept: { (head: HTTPResponseHead) throws(DataFolioError) -> Bool in
                        switch head.status.code {
                        case 200, 206:
                            let headInfo = head.headers.objectInfo()
                            if info == nil {
                                info = headInfo
                                validator = Self.validator(head.headers)
                            }
                            if head.status.code == 200, let current {
                                let wanted = current.resolved(size: headInfo.size)
                                skip = wanted.lowerBound
                                remaining = wanted.count
                            } else if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }) {
                                remaining = length
                            }
                            if expected == nil, remaining != Int.max { expected = remaining }
                            return true
                        case 416:
                            emptyRange = true
                            if info == nil, let total = head.headers.first(name: "content-range")?.split(separator: "/").last.flatMap({ Int($0) }) {
                                info = RemoteObjectInfo(size: total, etag: head.headers.first(name: "etag"))
                            }
                            return false
                        default:
                            return false
                        }
                    },
                    sink: { (buffer: ByteBuffer) throws(DataFolioError) in
                        var error: DataFolioError?
                        buffer.withUnsafeReadableBytes { raw in
                            var slice = raw
                            if skip > 0 {
                                let dropped = min(skip, slice.count)
                                skip -= dropped
                                slice = UnsafeRawBufferPointer(rebasing: slice[dropped...])
                            }
                            if slice.count > remaining { slice = UnsafeRawBufferPointer(rebasing: slice[..<remaining]) }
                            guard !slice.isEmpty else { return }
                            do throws(DataFolioError) {
                                try sink(slice)
                            } catch let failure {
                                error = failure
                                return
                            }
                            remaining -= slice.count
                            delivered += slice.count
                        }
                        if let error { throw error }
                    })
            } catch {
                if error.isRetryable, waitBeforeRetry() { continue }
                throw networkError(error)
            }
            switch outcome {
            case .delivered:
                if let expected, delivered < expected {
                    // The body ended early without an error from the HTTP layer.
                    guard waitBeforeRetry() else {
                        throw DataFolioError(.connectionFailed, "The download ended after \(delivered) of \(expected) bytes on every attempt.")
                    }
                    continue
                }
                return info ?? RemoteObjectInfo(size: delivered)
            case .refused(let response):
                if emptyRange { return info ?? RemoteObjectInfo(size: 0) }
                if response.status.code == 412, delivered > 0 {
                    throw DataFolioError(
                        .preconditionFailed, "The object was replaced while it was being read; read it again.")
                }
                if [500, 502, 503, 504, 429].contains(response.status.code), waitBeforeRetry() { continue }
                throw describe(response)
            }
        }
    }

    /// A strong ETag to resume against; nil for weak or missing tags.
    static func validator(_ headers: HTTPHeaders) -> String? {
        guard let etag = headers.first(name: "etag"), !etag.hasPrefix("W/") else { return nil }
        return etag
    }
}
