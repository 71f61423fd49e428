import DataFolioSupport
import Foundation

/// Whether a store enforces conditional writes, found by trying them on a scratch key.
///
/// ```swift
/// let support = try client.probeConditionalWrites(under: location.folderPrefix)
/// if !support.isEnforced { print("this store ignores If-None-Match/If-Match") }
/// ```
public struct ConditionalWriteSupport: Sendable, Hashable {
    /// A second `If-None-Match: *` PUT on an existing key was refused.
    public var ifNoneMatch: Bool
    /// A PUT with `If-Match` on an outdated ETag was refused.
    public var ifMatch: Bool

    /// Both conditions are enforced, so writers cannot overwrite each other.
    public var isEnforced: Bool { ifNoneMatch && ifMatch }
}

extension S3Client {
    /// Creates a scratch object under `prefix` with `If-None-Match: *`, repeats that
    /// conditional PUT (which must be refused), tries an `If-Match` PUT with a wrong ETag
    /// (which must be refused too), and deletes the object. A store that answers a
    /// condition with "not implemented" counts as not enforcing it.
    ///
    /// ```swift
    /// guard try client.probeConditionalWrites(under: "run/").isEnforced else { … }
    /// ```
    public func probeConditionalWrites(under prefix: String) throws(DataFolioError) -> ConditionalWriteSupport {
        let key = "\(prefix).datafolio-probe-\(UUID().uuidString.lowercased())"
        let first = Array("probe 1\n".utf8)
        let etag = try putObject(key, bytes: first, options: S3PutOptions(condition: .ifNoneMatch))
        defer { try? deleteObject(key) }
        let ifNoneMatch = try isRefused { () throws(DataFolioError) in
            try putObject(key, bytes: Array("probe 2\n".utf8), options: S3PutOptions(condition: .ifNoneMatch))
        }
        var staleTag = "\"00000000000000000000000000000000\""
        if staleTag == etag { staleTag = "\"11111111111111111111111111111111\"" }
        let ifMatch = try isRefused { () throws(DataFolioError) in
            try putObject(key, bytes: Array("probe 3\n".utf8), options: S3PutOptions(condition: .ifMatch(staleTag)))
        }
        return ConditionalWriteSupport(ifNoneMatch: ifNoneMatch, ifMatch: ifMatch)
    }

    private func isRefused(_ write: () throws(DataFolioError) -> Void) throws(DataFolioError) -> Bool {
        do {
            try write()
            return false
        } catch where error.code == .preconditionFailed {
            return true
        } catch where error.code == .unsupportedFeature {
            return false
        }
    }
}
