import DataFolioJSON
import DataFolioSupport

extension DataFolio {
    /// Opens the folio registered under `alias` in the ``FolioRegistry`` (see
    /// ``init(at:options:metadata:)-(String,_,_)`` for the options).
    ///
    /// ```swift
    /// try FolioRegistry().setAlias("churn", to: "experiments/churn-v3")
    /// let folio = try DataFolio(alias: "churn", options: .doNotCreate)
    /// ```
    ///
    /// - Throws: `aliasNotFound` when no folio is registered under the alias.
    public convenience init(alias: String, options: OpenOptions = [], registry: FolioRegistry = FolioRegistry()) throws(DataFolioError) {
        try self.init(at: try registry.location(ofAlias: alias), options: options)
    }

    /// Registers this folio under `alias` in the ``FolioRegistry``, so that
    /// ``init(alias:options:registry:)``, the command line's `-a` and ``FolioSearch``
    /// know it — in Swift and in Python.
    ///
    /// ```swift
    /// try folio.setAlias("churn")
    /// ```
    ///
    /// - Parameter overwrite: Point an alias that names another folio at this one.
    /// - Returns: The location recorded for the alias.
    /// - Throws: `invalidName` or `aliasExists` (see ``FolioRegistry/setAlias(_:to:overwrite:)``).
    @discardableResult
    public func setAlias(_ alias: String, overwrite: Bool = false, registry: FolioRegistry = FolioRegistry()) throws(DataFolioError) -> String {
        try registry.setAlias(alias, to: registryLocation, overwrite: overwrite)
    }

    /// The folio's location as the registry records it: the absolute folder of a local
    /// folio (fixed when it was opened), or its URL.
    var registryLocation: String {
        (storage as? LocalFolioStorage)?.root ?? location
    }
}
