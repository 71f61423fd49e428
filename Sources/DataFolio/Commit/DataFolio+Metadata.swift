import DataFolioJSON
import DataFolioSupport

extension DataFolio {
    /// The folio-level metadata: your keys plus `created_at`, `updated_at` and
    /// `_datafolio`.
    public var metadata: JSONObject { catalog.metadata }

    /// Changes the folio metadata in one commit.
    ///
    /// ```swift
    /// try folio.updateMetadata { $0["experiment"] = "baseline"; $0["lr"] = 0.01 }
    /// ```
    ///
    /// `updated_at` is set by every commit; a value you assign to it is replaced.
    public func updateMetadata(_ body: (inout JSONObject) throws -> Void) throws {
        var failure: (any Error)?
        try commit { transaction throws(DataFolioError) in
            try transaction.updateMetadata { metadata in
                do { try body(&metadata) } catch { failure = error }
            }
            if let failure {
                throw (failure as? DataFolioError) ?? DataFolioError(.invalidArgument, "The metadata update failed: \(failure)")
            }
        }
    }

    /// Sets (or, with `nil`, removes) one metadata key in one commit.
    ///
    /// ```swift
    /// try folio.setMetadata("experiment", "baseline")
    /// try folio.setMetadata("draft", nil)
    /// ```
    public func setMetadata(_ key: String, _ value: JSONValue?) throws(DataFolioError) {
        try commit { transaction throws(DataFolioError) in
            try transaction.apply(.setMetadata(key: key, value: value))
        }
    }
}
