import DataFolio
import DataFolioSupport

/// Makes `s3://`, `http://` and `https://` locations open as folios everywhere a location
/// string is accepted: `DataFolio(at:)`, referenced tables, snapshot exports, folio copies.
///
/// Call ``register()`` once when the program starts:
///
/// ```swift
/// import DataFolio
/// import DataFolioS3
///
/// RemoteStorage.register()
/// let folio = try DataFolio(at: "s3://lab/experiments/churn")
/// let published = try DataFolio(at: "https://data.example.org/folios/churn")   // read-only
/// ```
public enum RemoteStorage {
    /// Registers ``S3FolioStorage`` for `s3://` and ``HTTPFolioStorage`` for `http://` and
    /// `https://` with `FolioLocations`. S3 settings (endpoint, region, credentials)
    /// come from the environment and credential files when a location is opened. Calling
    /// it again does no harm.
    ///
    /// ```swift
    /// RemoteStorage.register()
    /// ```
    public static func register() {
        FolioLocations.register(scheme: "s3") { location throws(DataFolioError) in
            try S3FolioStorage(location)
        }
        for scheme in ["http", "https"] {
            FolioLocations.register(scheme: scheme) { location throws(DataFolioError) in
                try HTTPFolioStorage(location)
            }
        }
    }
}
