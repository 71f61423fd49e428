import AsyncHTTPClient
import DataFolioSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP connections behind ``S3Client`` and ``HTTPReader``: one pooled
/// AsyncHTTPClient, whose event-loop threads do all network work.
///
/// ## Threading
/// The clients' methods are synchronous: they start requests on the transport's event loops
/// and block the calling thread until the answer is complete (`EventLoopFuture.wait()`).
/// No work runs on the Swift concurrency thread pool, so calling them from inside an
/// `async` function blocks that one thread but cannot deadlock. They must not be called
/// from an event-loop thread of SwiftNIO (they report an error instead of blocking it).
///
/// ## Lifetime
/// ``shared(timeouts:)`` returns transports that live for the whole process (one per
/// distinct connect/read timeout), so most code never creates one. A transport made with
/// ``init(timeouts:maxConnectionsPerHost:)`` should be closed with ``shutdown()`` when no
/// longer needed; if it is not, it is shut down in the background when released.
///
/// ```swift
/// let transport = HTTPTransport(timeouts: Timeouts(connect: 5, request: 30))
/// defer { try? transport.shutdown() }
/// let client = S3Client(bucket: "lab", configuration: configuration, transport: transport)
/// ```
public final class HTTPTransport: Sendable {
    let client: HTTPClient
    let timeouts: Timeouts
    private let isShutDown = NIOLockedValueBox(false)
    private let isProcessWide: Bool

    /// Creates a transport with its own connection pool.
    ///
    /// ```swift
    /// let transport = HTTPTransport(timeouts: Timeouts(connect: 3, request: 30), maxConnectionsPerHost: 32)
    /// ```
    public convenience init(timeouts: Timeouts = Timeouts(), maxConnectionsPerHost: Int = 16) {
        self.init(timeouts: timeouts, maxConnectionsPerHost: maxConnectionsPerHost, processWide: false)
    }

    private init(timeouts: Timeouts, maxConnectionsPerHost: Int, processWide: Bool) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(timeouts.connect), read: Self.amount(timeouts.request)),
            decompression: .disabled)
        // Failed connection attempts are reported at once so that the client's own retry
        // policy (bounded in attempts and time) decides, rather than waiting for the connect
        // timeout on a refused port.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, maxConnectionsPerHost)
        configuration.connectionPool.idleTimeout = .seconds(30)
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        self.timeouts = timeouts
        self.isProcessWide = processWide
    }

    deinit {
        if !isProcessWide && !isShutDown.withLockedValue({ $0 }) {
            client.shutdown { _ in }
        }
    }

    private static let sharedTransports = NIOLockedValueBox<[Timeouts: HTTPTransport]>([:])

    /// The process-wide transport for these timeouts (created on first use, never shut down).
    ///
    /// ```swift
    /// let transport = HTTPTransport.shared(timeouts: configuration.timeouts)
    /// ```
    public static func shared(timeouts: Timeouts = Timeouts()) -> HTTPTransport {
        sharedTransports.withLockedValue { transports in
            if let existing = transports[timeouts] { return existing }
            let transport = HTTPTransport(timeouts: timeouts, maxConnectionsPerHost: 16, processWide: true)
            transports[timeouts] = transport
            return transport
        }
    }

    /// Closes every connection and stops accepting requests. Blocks until done; not for
    /// process-wide transports (it does nothing for them).
    ///
    /// ```swift
    /// try transport.shutdown()
    /// ```
    public func shutdown() throws(DataFolioError) {
        guard !isProcessWide else { return }
        let first = isShutDown.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        try Self.checkNotOnEventLoop()
        do {
            try client.shutdown().wait()
        } catch {
            throw DataFolioError(.ioFailure, "Closing HTTP connections failed: \(error).")
        }
    }

    static func amount(_ seconds: Double) -> TimeAmount {
        guard seconds.isFinite, seconds > 0 else { return .hours(24) }
        return .nanoseconds(Int64(min(seconds, 86_400) * 1e9))
    }

    /// Blocking on an event-loop thread would deadlock it; SwiftNIO would trap.
    static func checkNotOnEventLoop() throws(DataFolioError) {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            throw DataFolioError(
                .invalidArgument,
                "S3 and HTTP calls block until they finish and cannot run on a SwiftNIO event-loop thread; call them from another thread.")
        }
    }

    /// Waits for a future from a thread that is allowed to block.
    static func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws(TransportFailure) -> T {
        do {
            return try future.wait()
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw TransportFailure.network(error)
        }
    }
}

/// A request ready to send: method, full URL (already encoded), headers and body.
struct PreparedRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: HTTPHeaders
    var body: ByteBuffer?

    func makeClientRequest() throws(TransportFailure) -> HTTPClient.Request {
        do {
            return try HTTPClient.Request(
                url: url, method: method, headers: headers, body: body.map { .byteBuffer($0) })
        } catch {
            throw TransportFailure.invalidRequest("\(error)")
        }
    }
}

/// A complete answer: status, headers and the whole body.
struct CollectedResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
    /// Which attempt produced it (1 for the first). A later attempt of a write may follow
    /// one that the server carried out without the answer arriving.
    var attempt: Int

    var bodyBytes: [UInt8] { Array(body.readableBytesView) }
}

/// Why a request got no usable answer, before it is turned into a `DataFolioError` with
/// the operation's context.
enum TransportFailure: Error {
    /// The network or the HTTP layer failed (refused, reset, timed out, …).
    case network(any Error)
    /// The request could not be built.
    case invalidRequest(String)
    /// A protocol-level failure decided by the caller (e.g. a status it cannot accept).
    case rejected(DataFolioError)
    /// Blocking was not allowed on this thread.
    case wrongThread(DataFolioError)

    /// Broken connections and transient network errors, which a retry can fix.
    var isRetryable: Bool {
        guard case .network(let error) = self else { return false }
        return Self.isRetryableNetworkError(error)
    }

    static func isRetryableNetworkError(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            switch error {
            case .remoteConnectionClosed, .readTimeout, .writeTimeout, .connectTimeout, .uncleanShutdown, .bodyLengthMismatch:
                return true
            default:
                return false
            }
        }
        if let error = error as? IOError {
            return [ECONNRESET, ECONNREFUSED, EPIPE, ECONNABORTED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ENETDOWN]
                .contains(error.errnoCode)
        }
        if let error = error as? ChannelError {
            switch error {
            case .ioOnClosedChannel, .eof, .outputClosed, .inputClosed, .alreadyClosed: return true
            case .connectTimeout: return true
            default: return false
            }
        }
        if error is NIOConnectionError { return true }
        return false
    }

    /// A one-line explanation of a network failure, for `endpoint`.
    func describe(endpoint: String, timeouts: Timeouts, hint: String) -> DataFolioError {
        switch self {
        case .rejected(let error), .wrongThread(let error):
            return error
        case .invalidRequest(let detail):
            return DataFolioError(.invalidArgument, "Cannot build a request to \(endpoint): \(detail).")
        case .network(let error):
            if let error = error as? HTTPClientError {
                switch error {
                case .deadlineExceeded, .readTimeout:
                    return DataFolioError(
                        .timedOut,
                        "\(endpoint) did not answer within \(Self.seconds(timeouts.request)); check the network, or raise the request timeout (DATAFOLIO_S3_TIMEOUT).")
                case .connectTimeout:
                    return DataFolioError(
                        .timedOut,
                        "Could not connect to \(endpoint) within \(Self.seconds(timeouts.connect)); check the network and the endpoint (\(hint)).")
                case .remoteConnectionClosed:
                    return DataFolioError(
                        .connectionFailed, "\(endpoint) closed the connection before answering, on every attempt; check the server and the network.")
                default:
                    break
                }
            }
            if Self.isRefused(error) {
                return DataFolioError(
                    .connectionFailed, "Cannot connect to \(endpoint): connection refused. Is the server running? Check the endpoint (\(hint)).")
            }
            if let error = error as? IOError, error.errnoCode == ECONNRESET || error.errnoCode == EPIPE {
                return DataFolioError(
                    .connectionFailed, "The connection to \(endpoint) was reset on every attempt; check the server and the network.")
            }
            return DataFolioError(.connectionFailed, "Request to \(endpoint) failed: \(error). Check the endpoint (\(hint)) and the network.")
        }
    }

    static func isRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.contains { isRefused($0.error) }
        }
        return false
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
