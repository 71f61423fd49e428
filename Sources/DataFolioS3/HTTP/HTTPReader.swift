import DataFolioSupport
import Foundation
import NIOCore
import NIOHTTP1

/// Reads files from a folder on any web server (`http://` or `https://`): whole files,
/// byte ranges and HEAD. For folios served as static files and public buckets' HTTPS
/// addresses; read-only.
///
/// Keys are paths relative to the location's folder. Servers that ignore `Range` are
/// handled (the wanted bytes are cut from the full answer); redirects are followed up to
/// five times; server errors and broken connections are retried like S3 requests.
///
/// ```swift
/// let reader = HTTPReader(location: try HTTPLocation(parsing: "https://example.org/folios/run-1"))
/// let catalog = try reader.getObject("items.json")
/// let footer = try reader.getObject("tables/t--r1.parquet", range: .last(8))
/// ```
public final class HTTPReader: RemoteObjectReading, Sendable {
    /// The folder read from.
    public let location: HTTPLocation
    /// Timeouts of each request.
    public let timeouts: Timeouts
    /// How failed requests are retried.
    public let retry: RetryPolicy
    /// The connections used.
    public let transport: HTTPTransport

    /// Creates a reader.
    ///
    /// ```swift
    /// let reader = HTTPReader(location: location, timeouts: Timeouts(connect: 5, request: 30))
    /// ```
    public init(location: HTTPLocation, timeouts: Timeouts = Timeouts(), retry: RetryPolicy = RetryPolicy(), transport: HTTPTransport? = nil) {
        self.location = location
        self.timeouts = timeouts
        self.retry = retry
        self.transport = transport ?? .shared(timeouts: timeouts)
    }

    private static let maxRedirects = 5

    /// The whole file, or the bytes in `range`. Throws `fileNotFound` for 404 and 410.
    ///
    /// ```swift
    /// let bytes = try reader.getObject("artifacts/notes--r1.txt", range: nil)
    /// ```
    public func getObject(_ key: String, range: ByteRange?) throws(DataFolioError) -> [UInt8] {
        try getObjectWithInfo(key, range: range).bytes
    }

    /// The file's bytes (or a range of them) with the facts from the same answer.
    ///
    /// ```swift
    /// let catalog = try reader.getObjectWithInfo("items.json", range: nil)
    /// print(catalog.info.lastModified ?? "unknown")
    /// ```
    public func getObjectWithInfo(_ key: String, range: ByteRange?) throws(DataFolioError) -> RemoteObject {
        let range = try range?.validated()
        if let range, range.headerValue == nil {
            guard let info = try headObject(key) else {
                throw DataFolioError(.fileNotFound, "\(location.url(for: key)) does not exist.", path: key)
            }
            return RemoteObject(bytes: [], info: info)
        }
        var headers: [(String, String)] = []
        if let value = range?.headerValue { headers.append(("Range", value)) }
        let (response, url) = try perform(.GET, key: key, headers: headers)
        return try RemoteObject(response, range: range) { self.describe($0, url: url, key: key) }
    }

    /// Streams the file (or a range) to `sink` with bounded memory, resuming after a broken
    /// connection (conditional on the first answer's strong ETag when the server sends one).
    ///
    /// ```swift
    /// let info = try reader.getObject("models/m--r1.joblib", range: nil) { chunk in try file.write(chunk) }
    /// ```
    public func getObject(
        _ key: String, range: ByteRange?, into sink: (UnsafeRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> RemoteObjectInfo {
        let range = try range?.validated()
        // Redirects are resolved once, with a HEAD, so the stream itself goes straight there.
        let url = try resolveRedirects(location.url(for: key), key: key)
        let endpoint = location.server.description
        let timeouts = self.timeouts
        return try ResumableDownload.run(
            transport: transport, policy: retry, range: range,
            prepare: { (range, ifMatch) throws(DataFolioError) -> PreparedRequest in
                var headers = HTTPHeaders()
                if let value = range?.headerValue { headers.add(name: "Range", value: value) }
                if let ifMatch { headers.add(name: "If-Match", value: ifMatch) }
                headers.add(name: "User-Agent", value: "datafolio-swift")
                return PreparedRequest(method: .GET, url: url, headers: headers, body: nil)
            },
            describe: { (response: CollectedResponse) -> DataFolioError in self.describe(response, url: url, key: key) },
            networkError: { $0.describe(endpoint: endpoint, timeouts: timeouts, hint: "the location's URL") },
            sink: sink)
    }

    /// Facts about a file, or nil for 404 and 410.
    ///
    /// ```swift
    /// let size = try reader.headObject("tables/t--r1.parquet")?.size
    /// ```
    public func headObject(_ key: String) throws(DataFolioError) -> RemoteObjectInfo? {
        let (response, url) = try perform(.HEAD, key: key, headers: [])
        switch response.status.code {
        case 200: return response.headers.objectInfo()
        case 404, 410: return nil
        default: throw describe(response, url: url, key: key)
        }
    }

    // MARK: Internals

    private func perform(_ method: HTTPMethod, key: String, headers: [(String, String)]) throws(DataFolioError) -> (CollectedResponse, String) {
        var url = location.url(for: key)
        for _ in 0...Self.maxRedirects {
            let response = try send(method, url: url, headers: headers)
            if let next = redirectTarget(response, from: url) {
                url = next
                continue
            }
            return (response, url)
        }
        throw DataFolioError(.remoteFailure, "\(location.url(for: key)) redirects more than \(Self.maxRedirects) times.")
    }

    private func resolveRedirects(_ start: String, key: String) throws(DataFolioError) -> String {
        var url = start
        for _ in 0...Self.maxRedirects {
            let response = try send(.HEAD, url: url, headers: [])
            guard let next = redirectTarget(response, from: url) else { return url }
            url = next
        }
        throw DataFolioError(.remoteFailure, "\(start) redirects more than \(Self.maxRedirects) times.")
    }

    private func send(_ method: HTTPMethod, url: String, headers: [(String, String)]) throws(DataFolioError) -> CollectedResponse {
        var httpHeaders = HTTPHeaders(headers)
        httpHeaders.add(name: "User-Agent", value: "datafolio-swift")
        let request = PreparedRequest(method: method, url: url, headers: httpHeaders, body: nil)
        do {
            return try transport.sendAndWait(
                policy: retry, build: { () throws(TransportFailure) -> PreparedRequest in request },
                shouldRetry: { [500, 502, 503, 504, 429].contains($0.status.code) })
        } catch {
            throw error.describe(endpoint: location.server.description, timeouts: timeouts, hint: "the location's URL")
        }
    }

    private func redirectTarget(_ response: CollectedResponse, from url: String) -> String? {
        guard [301, 302, 303, 307, 308].contains(response.status.code),
            let target = response.headers.first(name: "location"),
            let base = URL(string: url), let resolved = URL(string: target, relativeTo: base)?.absoluteString,
            resolved.lowercased().hasPrefix("http://") || resolved.lowercased().hasPrefix("https://")
        else { return nil }
        return resolved
    }

    private func describe(_ response: CollectedResponse, url: String, key: String) -> DataFolioError {
        let status = response.status.code
        switch status {
        case 404, 410:
            return DataFolioError(.fileNotFound, "\(url) does not exist (HTTP \(status)).", path: key)
        case 401, 403:
            return DataFolioError(
                .accessDenied,
                "\(url) refused access (HTTP \(status)); HTTP(S) locations are read without credentials. For a private bucket use its s3:// location.",
                path: key)
        case 412:
            return DataFolioError(.preconditionFailed, "\(url) changed while it was being read; read it again.", path: key)
        case 500...599, 429:
            return DataFolioError(
                .remoteFailure, "\(url) kept failing (HTTP \(status)) after \(response.attempt) attempts; try again later.", path: key)
        default:
            return DataFolioError(.remoteFailure, "\(url) answered HTTP \(status) \(response.status.reasonPhrase).", path: key)
        }
    }
}
