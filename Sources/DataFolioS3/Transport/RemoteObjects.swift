import DataFolioSupport
import Foundation
import NIOHTTP1

/// Facts about a stored object, from a HEAD or GET answer or a listing.
///
/// ```swift
/// if let info = try client.headObject("run/items.json") {
///     print(info.size, info.etag ?? "-")
/// }
/// ```
public struct RemoteObjectInfo: Sendable, Hashable {
    /// The object's size in bytes.
    public var size: Int
    /// The entity tag exactly as the server sent it, quotes included (e.g. `"5d41…"`), for
    /// `If-Match`; nil when the server sent none.
    public var etag: String?
    /// When the object was last written.
    public var lastModified: Date?
    /// The `Content-Type` it was stored with.
    public var contentType: String?
    /// User metadata stored with the object (the `x-amz-meta-` headers, names in lowercase
    /// without the prefix).
    public var metadata: [String: String]

    /// Creates object facts.
    ///
    /// ```swift
    /// let info = RemoteObjectInfo(size: 12, etag: "\"5d41402abc4b2a76b9719d911017c592\"")
    /// ```
    public init(size: Int, etag: String? = nil, lastModified: Date? = nil, contentType: String? = nil, metadata: [String: String] = [:]) {
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.metadata = metadata
    }

    /// The entity tag without quotes or a weak-tag prefix; for a single-part upload to S3
    /// this is the hex MD5 of the content.
    public var etagValue: String? {
        guard var tag = etag else { return nil }
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = String(tag.dropFirst().dropLast()) }
        return tag
    }
}

/// Bytes read from an object, with the facts of the answer that carried them.
///
/// ```swift
/// let object = try client.getObjectWithInfo("run/items.json", range: nil)
/// print(object.bytes.count, object.info.etag ?? "-")
/// ```
public struct RemoteObject: Sendable, Hashable {
    /// The bytes (all of them, or the range asked for).
    public var bytes: [UInt8]
    /// The object's facts; ``RemoteObjectInfo/size`` is the whole object's size even for a
    /// range.
    public var info: RemoteObjectInfo

    /// Creates a value.
    ///
    /// ```swift
    /// let object = RemoteObject(bytes: [1, 2], info: RemoteObjectInfo(size: 2))
    /// ```
    public init(bytes: [UInt8], info: RemoteObjectInfo) {
        self.bytes = bytes
        self.info = info
    }

    /// The content of a GET answer: a partial answer as it is, a full one cut to the range
    /// asked for (servers may ignore `Range`), nothing for a range past the end.
    init(
        _ response: CollectedResponse, range: ByteRange?, describe: (CollectedResponse) -> DataFolioError
    ) throws(DataFolioError) {
        var info = response.headers.objectInfo()
        switch response.status.code {
        case 200:
            let bytes = response.bodyBytes
            info.size = bytes.count
            self.init(bytes: range.map { Array(bytes[$0.resolved(size: bytes.count)]) } ?? bytes, info: info)
        case 206:
            self.init(bytes: response.bodyBytes, info: info)
        case 416:
            self.init(bytes: [], info: info)
        default:
            throw describe(response)
        }
    }
}

/// Which bytes of an object to read.
///
/// ```swift
/// let footer = try client.getObject("t.parquet", range: .last(8))
/// let chunk = try client.getObject("t.parquet", range: .bytes(4..<1028))
/// ```
public enum ByteRange: Sendable, Hashable {
    /// The bytes at these offsets (clipped to the object's end).
    case bytes(Range<Int>)
    /// Everything from this offset to the end.
    case from(Int)
    /// The last `n` bytes (the whole object when it is shorter).
    case last(Int)

    /// The `Range` header value, or nil when no bytes are wanted.
    var headerValue: String? {
        switch self {
        case .bytes(let range):
            guard !range.isEmpty else { return nil }
            return "bytes=\(range.lowerBound)-\(range.upperBound - 1)"
        case .from(let offset):
            return "bytes=\(offset)-"
        case .last(let count):
            guard count > 0 else { return nil }
            return "bytes=-\(count)"
        }
    }

    func validated() throws(DataFolioError) -> ByteRange {
        switch self {
        case .bytes(let range) where range.lowerBound < 0:
            throw DataFolioError(.invalidArgument, "A byte range cannot start before 0 (got \(range)).")
        case .from(let offset) where offset < 0:
            throw DataFolioError(.invalidArgument, "A byte range cannot start before 0 (got \(offset)).")
        case .last(let count) where count < 0:
            throw DataFolioError(.invalidArgument, "Cannot read the last \(count) bytes.")
        default:
            return self
        }
    }

    /// The offsets wanted in an object of `size` bytes.
    func resolved(size: Int) -> Range<Int> {
        switch self {
        case .bytes(let range): return min(range.lowerBound, size)..<min(range.upperBound, size)
        case .from(let offset): return min(offset, size)..<size
        case .last(let count): return max(0, size - count)..<size
        }
    }

    /// The same range after `consumed` bytes of it were already received.
    func advanced(by consumed: Int, objectSize: Int?) -> ByteRange {
        switch self {
        case .bytes(let range): return .bytes(min(range.lowerBound + consumed, range.upperBound)..<range.upperBound)
        case .from(let offset): return .from(offset + consumed)
        case .last(let count):
            if let objectSize {
                return .bytes(resolved(size: objectSize).lowerBound + consumed..<objectSize)
            }
            return .last(max(0, count - consumed))
        }
    }
}

/// Reads objects over HTTP: implemented by ``S3Client`` and ``HTTPReader``, so code that
/// only reads does not care where the bytes come from.
///
/// ```swift
/// func footer(of key: String, from store: some RemoteObjectReading) throws(DataFolioError) -> [UInt8] {
///     try store.getObject(key, range: .last(8))
/// }
/// ```
public protocol RemoteObjectReading: Sendable {
    /// The whole object, or the bytes in `range`. Throws `fileNotFound` when it does not exist.
    func getObject(_ key: String, range: ByteRange?) throws(DataFolioError) -> [UInt8]
    /// The bytes with the facts (size, ETag) of the same answer.
    func getObjectWithInfo(_ key: String, range: ByteRange?) throws(DataFolioError) -> RemoteObject
    /// Streams the object (or a range) to `sink` in chunks, with memory bounded by a few
    /// chunks, resuming after a broken connection; returns the object's facts.
    func getObject(
        _ key: String, range: ByteRange?, into sink: (UnsafeRawBufferPointer) throws(DataFolioError) -> Void
    ) throws(DataFolioError) -> RemoteObjectInfo
    /// Facts about an object, or nil when it does not exist.
    func headObject(_ key: String) throws(DataFolioError) -> RemoteObjectInfo?
}

extension RemoteObjectReading {
    /// The whole object. Throws `fileNotFound` when it does not exist.
    ///
    /// ```swift
    /// let catalog = try client.getObject("run/items.json")
    /// ```
    public func getObject(_ key: String) throws(DataFolioError) -> [UInt8] {
        try getObject(key, range: nil)
    }

    /// Streams the object (or a range) into a new local file, failing if the file exists.
    ///
    /// ```swift
    /// let info = try client.download("run/tables/big--r1.parquet", to: "/tmp/big.parquet")
    /// ```
    @discardableResult
    public func download(_ key: String, range: ByteRange? = nil, to path: String) throws(DataFolioError) -> RemoteObjectInfo {
        let writer = try FileWriter(creating: path, computeMD5: false)
        do {
            let info = try getObject(key, range: range) { (bytes: UnsafeRawBufferPointer) throws(DataFolioError) in
                try writer.write(bytes)
            }
            try writer.finish(sync: false)
            return info
        } catch {
            writer.abandon()
            throw error
        }
    }
}

/// Parses the HTTP dates servers send (`Mon, 07 Dec 2026 01:22:58 GMT`) and the ISO 8601
/// times in S3 listings (`2026-12-07T01:22:58.000Z`).
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        epochSeconds(text).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    static func epochSeconds(_ text: String) -> Int64? {
        // ISO 8601 starts with the year ("2026-"); HTTP dates with the weekday ("Mon, ").
        let isISO = text.utf8.count > 4 && Array(text.utf8.prefix(5))[4] == UInt8(ascii: "-")
        return isISO ? parseISO(text) : parseRFC1123(text)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func parseRFC1123(_ text: String) -> Int64? {
        // "Sun, 06 Nov 1994 08:49:37 GMT"
        let parts = text.split(separator: " ")
        guard parts.count >= 5, let day = Int64(parts[1]),
            let month = months.firstIndex(of: parts[2].lowercased()), let year = Int64(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int64(clock[0]), let minute = Int64(clock[1]), let second = Int64(clock[2]) else {
            return nil
        }
        return CivilDate.days(year: year, month: Int64(month + 1), day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func parseISO(_ text: String) -> Int64? {
        // "2026-12-07T01:22:58.000Z"
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int64? { Int64(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        return CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }
}

extension HTTPHeaders {
    /// The facts about an object in a GET or HEAD answer. For a partial answer the size
    /// comes from `Content-Range` (`bytes 0-9/1234`).
    func objectInfo() -> RemoteObjectInfo {
        var size = self.first(name: "content-length").flatMap { Int($0) } ?? 0
        if let range = self.first(name: "content-range"), let slash = range.lastIndex(of: "/"),
            let total = Int(range[range.index(after: slash)...])
        {
            size = total
        }
        var metadata = [String: String]()
        for (name, value) in self where name.count > 11 && name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst(11))] = value
        }
        return RemoteObjectInfo(
            size: size, etag: self.first(name: "etag"),
            lastModified: self.first(name: "last-modified").flatMap(HTTPDate.parse),
            contentType: self.first(name: "content-type"), metadata: metadata)
    }
}

extension RemoteObjectReading {
    /// The bytes of `range` in the object at `key`, exactly: a shorter answer means the
    /// object is shorter than the folio's catalog says, which is an error naming `location`.
    /// What both folio stores answer for `read(_:range:)`.
    func exactBytes(
        _ key: String, range: Range<Int>, path: String, location: String
    ) throws(DataFolioError) -> [UInt8] {
        guard range.lowerBound >= 0 else {
            throw DataFolioError(.invalidArgument, "A byte range cannot start before 0 (got \(range)).", path: path)
        }
        if range.isEmpty { return [] }
        let object = try getObjectWithInfo(key, range: .bytes(range))
        guard object.bytes.count == range.count else {
            throw DataFolioError(
                .truncatedData,
                "\(location)/\(path) has \(object.info.size) bytes; bytes \(range.lowerBound)..<\(range.upperBound) were asked for. It is truncated.",
                path: path)
        }
        return object.bytes
    }

    /// Streams the whole object at `key` into `output`.
    func copyObject(_ key: String, into output: any ByteOutput) throws(DataFolioError) {
        _ = try getObject(key, range: nil) { (bytes: UnsafeRawBufferPointer) throws(DataFolioError) in
            try output.write(bytes)
        }
    }
}
