import DataFolioSupport
import Foundation

/// Chooses the store for a location string: a path or `file://` URL is a local folder;
/// any other scheme (`s3://`, `https://`) opens through the store registered for it.
///
/// The core library knows only local folders, so it carries no networking code. The
/// `DataFolioS3` product registers S3-compatible object stores and read-only HTTP(S):
///
/// ```swift
/// import DataFolio
/// import DataFolioS3
///
/// RemoteStorage.register()                           // once, at start-up
/// let folio = try DataFolio(at: "s3://lab/experiments/churn")
/// ```
public enum FolioLocations {
    /// Makes a store for a location of a scheme.
    public typealias Opener = @Sendable (String) throws(DataFolioError) -> any FolioStorage

    private static let registry = LockedRegistry()

    /// Registers the store that opens locations of `scheme` (`"s3"`, `"https"`),
    /// replacing an earlier registration.
    public static func register(scheme: String, _ opener: @escaping Opener) {
        registry.set(scheme.lowercased(), opener)
    }

    /// The store for a location: a local folder, or a registered remote store.
    ///
    /// - Throws: `unsupportedFeature` for a scheme nothing registered.
    public static func storage(for location: String) throws(DataFolioError) -> any FolioStorage {
        guard let scheme = scheme(of: location), scheme != "file" else {
            return LocalFolioStorage(path: location)
        }
        guard let opener = registry.get(scheme) else {
            throw DataFolioError(
                .unsupportedFeature,
                "'\(location)' is a \(scheme):// location, and no store for \(scheme):// is registered in this program. Remote folios need the DataFolioS3 library: add its product, import DataFolioS3 and call RemoteStorage.register() once.",
                path: location)
        }
        return try opener(location)
    }

    /// The URL scheme of a location (`s3` for `s3://…`), or `nil` for a plain path.
    public static func scheme(of location: String) -> String? {
        guard let separator = location.range(of: "://") else { return nil }
        let scheme = location[..<separator.lowerBound]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        return scheme.lowercased()
    }

    private final class LockedRegistry: @unchecked Sendable {
        // Guarded by `lock`.
        private var openers: [String: Opener] = [:]
        private let lock = NSLock()

        func set(_ scheme: String, _ opener: @escaping Opener) {
            lock.withLock { openers[scheme] = opener }
        }

        func get(_ scheme: String) -> Opener? {
            lock.withLock { openers[scheme] }
        }
    }
}
