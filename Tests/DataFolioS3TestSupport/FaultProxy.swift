#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioTestSupport
import Foundation

/// An HTTP proxy on 127.0.0.1 in front of a test server that injects faults into the next
/// requests: answers `503 SlowDown` without forwarding, resets the connection part-way
/// through the request body, or resets it part-way through the response body.
///
/// Each client connection carries one request (the proxy asks the upstream server to close
/// after answering), so faults line up with requests exactly. Request bodies must have a
/// `Content-Length`.
///
/// ```swift
/// let proxy = try FaultProxy(upstreamPort: server.s3Port)
/// proxy.inject(.slowDown, count: 2)
/// ```
public final class FaultProxy: @unchecked Sendable {
    /// What to do to a request.
    public enum Fault: Sendable, Equatable {
        /// Answer `503 Service Unavailable` with S3's `SlowDown` error, forwarding nothing.
        case slowDown
        /// Forward the head and this many body bytes, then reset both connections.
        case dropRequest(afterBodyBytes: Int)
        /// Forward the request, pass this many bytes of the answer, then reset.
        case dropResponse(afterBytes: Int)
        /// Read the request and never answer (until the proxy stops).
        case stall
    }

    /// The proxy's port.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var faults: [Fault] = []
    private var requests = 0
    private var injected = 0
    private var stopped = false
    private var stripsConditions = false
    private var bytesFromUpstream = 0
    private var bytesToUpstream = 0

    /// Starts a proxy to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        (listener, port) = try LoopbackSockets.listenLoopback()
        let thread = Thread { [unowned self] in self.acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Applies `fault` to the next `count` requests (after those already queued).
    public func inject(_ fault: Fault, count: Int = 1) {
        lock.lock()
        faults += Array(repeating: fault, count: count)
        lock.unlock()
    }

    /// Removes `If-Match` and `If-None-Match` from every request from now on, playing a
    /// store that ignores conditional writes. (Only unsigned requests survive this: the
    /// headers are part of a signature.)
    public func stripConditionalHeaders() {
        lock.lock()
        stripsConditions = true
        lock.unlock()
    }

    /// Requests seen so far.
    public var requestCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    /// Faults applied so far.
    public var faultsInjected: Int {
        lock.lock()
        defer { lock.unlock() }
        return injected
    }

    /// Bytes the server sent back through the proxy so far (heads and bodies of
    /// answers): what a client downloaded.
    public var responseBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return bytesFromUpstream
    }

    /// Bytes of request bodies forwarded to the server so far: what a client uploaded.
    public var requestBodyBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return bytesToUpstream
    }

    /// Drops the faults still queued.
    public func clearFaults() {
        lock.lock()
        faults.removeAll()
        lock.unlock()
    }

    /// Faults still queued.
    public var pendingFaults: Int {
        lock.lock()
        defer { lock.unlock() }
        return faults.count
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Stops accepting connections.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread.detachNewThread { self.handle(client) }
        }
    }

    private func nextFault() -> Fault? {
        lock.lock()
        defer { lock.unlock() }
        requests += 1
        guard !faults.isEmpty else { return nil }
        injected += 1
        return faults.removeFirst()
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let (head, bodyStart) = readHead(client) else {
            close(client)
            return
        }
        let contentLength = Self.contentLength(head)
        let fault = nextFault()
        if fault == .slowDown {
            var remaining = contentLength - bodyStart.count
            while remaining > 0 {
                let chunk = LoopbackSockets.read(client)
                if chunk.isEmpty { break }
                remaining -= chunk.count
            }
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
            let answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            LoopbackSockets.writeAll(client, Array(answer.utf8))
            close(client)
            return
        }
        if fault == .stall {
            while !isStopped { usleep(50_000) }
            close(client)
            return
        }
        guard let upstream = LoopbackSockets.connectLoopback(port: upstreamPort) else {
            LoopbackSockets.reset(client)
            return
        }
        lock.lock()
        let strip = stripsConditions
        lock.unlock()
        LoopbackSockets.writeAll(upstream, Self.closingHead(head, strippingConditions: strip))
        var forwarded = 0
        var body = bodyStart
        var remaining = contentLength
        while true {
            if case .dropRequest(let limit) = fault, forwarded + body.count >= limit {
                LoopbackSockets.writeAll(upstream, Array(body.prefix(max(0, limit - forwarded))))
                LoopbackSockets.reset(upstream)
                LoopbackSockets.reset(client)
                return
            }
            if !body.isEmpty {
                LoopbackSockets.writeAll(upstream, body)
                forwarded += body.count
                remaining -= body.count
                count(toUpstream: body.count)
            }
            if remaining <= 0 { break }
            body = LoopbackSockets.read(client)
            if body.isEmpty { break }
        }
        var passed = 0
        while true {
            let chunk = LoopbackSockets.read(upstream)
            if chunk.isEmpty { break }
            if case .dropResponse(let limit) = fault, passed + chunk.count >= limit {
                LoopbackSockets.writeAll(client, Array(chunk.prefix(max(0, limit - passed))))
                LoopbackSockets.reset(upstream)
                LoopbackSockets.reset(client)
                return
            }
            LoopbackSockets.writeAll(client, chunk)
            passed += chunk.count
            count(fromUpstream: chunk.count)
        }
        close(upstream)
        close(client)
    }

    private func count(toUpstream: Int = 0, fromUpstream: Int = 0) {
        lock.lock()
        bytesToUpstream += toUpstream
        bytesFromUpstream += fromUpstream
        lock.unlock()
    }

    /// The request head (through the blank line) and the body bytes read with it.
    private func readHead(_ fd: Int32) -> ([UInt8], [UInt8])? {
        var data = [UInt8]()
        let separator: [UInt8] = [13, 10, 13, 10]
        while data.count < 1 << 20 {
            let chunk = LoopbackSockets.read(fd)
            if chunk.isEmpty { return nil }
            let searchStart = max(0, data.count - 3)
            data += chunk
            if data.count >= 4 {
                for index in searchStart...(data.count - 4) where Array(data[index..<index + 4]) == separator {
                    return (Array(data[..<(index + 4)]), Array(data[(index + 4)...]))
                }
            }
        }
        return nil
    }

    private static func headerLines(_ head: [UInt8]) -> [String] {
        String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
    }

    private static func contentLength(_ head: [UInt8]) -> Int {
        for line in headerLines(head) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return 0
    }

    /// The head with `Connection: close`, so the upstream server ends the exchange (and
    /// without conditions when they are stripped).
    private static func closingHead(_ head: [UInt8], strippingConditions: Bool) -> [UInt8] {
        let dropped = ["connection:"] + (strippingConditions ? ["if-match:", "if-none-match:"] : [])
        let lines = headerLines(head).filter { line in
            !line.isEmpty && !dropped.contains { line.lowercased().hasPrefix($0) }
        }
        return Array((lines.joined(separator: "\r\n") + "\r\nConnection: close\r\n\r\n").utf8)
    }
}
