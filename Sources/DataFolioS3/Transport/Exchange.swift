import AsyncHTTPClient
import DataFolioSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

extension HTTPTransport {
    /// Sends a request, building it afresh for each attempt (so every attempt is signed
    /// with the current time), and retries broken connections and answers that
    /// `shouldRetry` accepts, as `policy` allows. The future completes with the last answer.
    ///
    /// All work runs on one event loop; nothing blocks.
    func send(
        policy: RetryPolicy,
        build: @escaping @Sendable () throws(TransportFailure) -> PreparedRequest,
        shouldRetry: @escaping @Sendable (CollectedResponse) -> Bool
    ) -> EventLoopFuture<CollectedResponse> {
        let exchange = RetryingExchange(
            transport: self, loop: client.eventLoopGroup.next(), policy: policy, build: build, shouldRetry: shouldRetry)
        return exchange.start()
    }

    /// ``send(policy:build:shouldRetry:)`` and wait for the answer.
    func sendAndWait(
        policy: RetryPolicy,
        build: @escaping @Sendable () throws(TransportFailure) -> PreparedRequest,
        shouldRetry: @escaping @Sendable (CollectedResponse) -> Bool
    ) throws(TransportFailure) -> CollectedResponse {
        do {
            try Self.checkNotOnEventLoop()
        } catch {
            throw .wrongThread(error)
        }
        return try Self.wait(send(policy: policy, build: build, shouldRetry: shouldRetry))
    }
}

/// One request with its retries; its state lives on `loop`.
private final class RetryingExchange: @unchecked Sendable {
    let transport: HTTPTransport
    let loop: any EventLoop
    let policy: RetryPolicy
    let build: @Sendable () throws(TransportFailure) -> PreparedRequest
    let shouldRetry: @Sendable (CollectedResponse) -> Bool
    let promise: EventLoopPromise<CollectedResponse>
    var attempt = 0
    let started = NIODeadline.now()
    var random = SystemRandomNumberGenerator()

    init(
        transport: HTTPTransport, loop: any EventLoop, policy: RetryPolicy,
        build: @escaping @Sendable () throws(TransportFailure) -> PreparedRequest,
        shouldRetry: @escaping @Sendable (CollectedResponse) -> Bool
    ) {
        self.transport = transport
        self.loop = loop
        self.policy = policy
        self.build = build
        self.shouldRetry = shouldRetry
        self.promise = loop.makePromise()
    }

    func start() -> EventLoopFuture<CollectedResponse> {
        loop.execute { self.run() }
        return promise.futureResult
    }

    private func run() {
        attempt += 1
        let request: HTTPClient.Request
        do {
            request = try build().makeClientRequest()
        } catch {
            promise.fail(error)
            return
        }
        let deadline = NIODeadline.now() + HTTPTransport.amount(transport.timeouts.request)
        let attemptNumber = attempt
        transport.client.execute(request: request, eventLoop: .delegate(on: loop), deadline: deadline)
            .hop(to: loop)
            .whenComplete { result in
                switch result {
                case .success(let response):
                    let collected = CollectedResponse(
                        status: response.status, headers: response.headers, body: response.body ?? ByteBuffer(),
                        attempt: attemptNumber)
                    if self.shouldRetry(collected), self.scheduleRetry() { return }
                    self.promise.succeed(collected)
                case .failure(let error):
                    let failure = TransportFailure.network(error)
                    if failure.isRetryable, self.scheduleRetry() { return }
                    self.promise.fail(failure)
                }
            }
    }

    private func scheduleRetry() -> Bool {
        let next = attempt + 1
        let delay = policy.delay(beforeAttempt: next, using: &random)
        let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        guard policy.allows(attempt: next, elapsed: elapsed, delay: delay) else { return false }
        loop.scheduleTask(in: HTTPTransport.amount(max(delay, 0.000_001))) { self.run() }
        return true
    }
}

// MARK: - Streaming answers

/// What one streamed attempt ended with.
enum StreamOutcome {
    /// The server answered with a status the caller accepted; the body went to the sink.
    case delivered(HTTPResponseHead)
    /// The server answered with another status; its (bounded) body is kept for the error.
    case refused(CollectedResponse)
}

extension HTTPTransport {
    /// Sends one request and hands the body of an accepted answer to `sink`, on the calling
    /// thread, chunk by chunk. At most a few chunks wait in memory: the network is paused
    /// while the sink is busy. `accept` sees the head first and decides whether the body
    /// is content (true) or an error answer to collect (false).
    ///
    /// Throws ``TransportFailure/network(_:)`` when the connection fails, after `sink` may
    /// already have seen part of the body; the caller resumes with a range request.
    func streamOnce(
        _ prepared: PreparedRequest,
        accept: (HTTPResponseHead) throws(DataFolioError) -> Bool,
        sink: (ByteBuffer) throws(DataFolioError) -> Void
    ) throws(TransportFailure) -> StreamOutcome {
        do {
            try Self.checkNotOnEventLoop()
        } catch {
            throw .wrongThread(error)
        }
        let request = try prepared.makeClientRequest()
        let handoff = StreamHandoff()
        let task = client.execute(request: request, delegate: StreamingDelegate(handoff: handoff))
        var accepted: Bool?
        var head: HTTPResponseHead?
        var errorBody = ByteBuffer()
        defer {
            // The sink may have thrown: stop the transfer and release a paused connection.
            handoff.close()
            task.cancel()
        }
        while true {
            switch handoff.next() {
            case .head(let received):
                head = received
                do {
                    accepted = try accept(received)
                } catch {
                    throw .rejected(error)
                }
            case .chunk(var buffer):
                if accepted == true {
                    do {
                        try sink(buffer)
                    } catch {
                        throw .rejected(error)
                    }
                } else if errorBody.readableBytes < 65_536 {
                    errorBody.writeBuffer(&buffer)
                }
            case .end:
                guard let head else { throw .network(HTTPClientError.remoteConnectionClosed) }
                if accepted == true { return .delivered(head) }
                return .refused(CollectedResponse(status: head.status, headers: head.headers, body: errorBody, attempt: 1))
            case .failure(let error):
                throw .network(error)
            }
        }
    }
}

/// Passes events from the event loop to the one thread that consumes them, pausing the
/// network (by withholding the future a body part returns) while too many chunks wait.
final class StreamHandoff: @unchecked Sendable {
    enum Event {
        case head(HTTPResponseHead)
        case chunk(ByteBuffer)
        case end
        case failure(any Error)
    }

    private let condition = NSCondition()
    private var events: [Event] = []
    private var readIndex = 0
    private var paused: [EventLoopPromise<Void>] = []
    private var closed = false
    private let capacity = 4

    /// Adds an event; for a chunk, returns the future that releases the network.
    func push(_ event: Event, on loop: any EventLoop) -> EventLoopFuture<Void> {
        condition.lock()
        defer { condition.unlock() }
        if closed { return loop.makeSucceededVoidFuture() }
        events.append(event)
        condition.signal()
        if case .chunk = event, events.count - readIndex > capacity {
            let promise = loop.makePromise(of: Void.self)
            paused.append(promise)
            return promise.futureResult
        }
        return loop.makeSucceededVoidFuture()
    }

    /// The next event, waiting for it.
    func next() -> Event {
        condition.lock()
        while readIndex == events.count { condition.wait() }
        let event = events[readIndex]
        readIndex += 1
        if readIndex > 64 && readIndex * 2 > events.count {
            events.removeFirst(readIndex)
            readIndex = 0
        }
        var resume: EventLoopPromise<Void>?
        if !paused.isEmpty && events.count - readIndex <= capacity { resume = paused.removeFirst() }
        condition.unlock()
        resume?.succeed(())
        return event
    }

    /// Stops accepting events and releases a paused network.
    func close() {
        condition.lock()
        closed = true
        let waiting = paused
        paused = []
        events = []
        readIndex = 0
        condition.unlock()
        for promise in waiting { promise.succeed(()) }
    }
}

private final class StreamingDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void
    let handoff: StreamHandoff

    init(handoff: StreamHandoff) { self.handoff = handoff }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        handoff.push(.head(head), on: task.eventLoop)
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        handoff.push(.chunk(buffer), on: task.eventLoop)
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        _ = handoff.push(.failure(error), on: task.eventLoop)
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        _ = handoff.push(.end, on: task.eventLoop)
    }
}
