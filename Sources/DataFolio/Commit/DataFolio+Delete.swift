import DataFolioSupport

extension DataFolio {
    /// Deletes items in one commit.
    ///
    /// Every name is checked first; if one is missing nothing is deleted. Deleting an
    /// item that others list as an input is allowed but produces a warning (returned,
    /// and passed to ``warningHandler``). A version pinned by a snapshot is kept for
    /// that snapshot; other payload files are removed after the commit.
    ///
    /// ```swift
    /// let warnings = try folio.delete(["tmp1", "tmp2"])
    /// ```
    @discardableResult
    public func delete(_ names: [String], warnAboutDependents: Bool = true) throws(DataFolioError) -> [FolioWarning] {
        var unique = [String]()
        for name in names where !unique.contains(name) { unique.append(name) }
        guard !unique.isEmpty else { return [] }
        let warnings = try commit { transaction throws(DataFolioError) -> [FolioWarning] in
            let catalog = transaction.catalog
            let missing = unique.filter { catalog.current($0) == nil }
            if !missing.isEmpty {
                throw DataFolioError(
                    .itemNotFound,
                    "Nothing was deleted: no item named \(missing.map { "'\($0)'" }.joined(separator: ", ")) in this folio.")
            }
            var warnings = [FolioWarning]()
            if warnAboutDependents {
                let deleted = Set(unique)
                for name in unique {
                    let users = catalog.currentItems.filter { !deleted.contains($0.name) && $0.inputs.contains(name) }.map(\.name)
                    if !users.isEmpty {
                        warnings.append(FolioWarning(
                            kind: .brokenLineage, item: name,
                            message: "Deleting '\(name)' which is used by: \(users.joined(separator: ", ")). Those items may have broken lineage."))
                    }
                }
            }
            try transaction.apply(.delete(unique))
            return warnings
        }
        warnings.forEach(emit)
        return warnings
    }

    /// Deletes one item (see ``delete(_:warnAboutDependents:)-9mdtc``).
    ///
    /// ```swift
    /// try folio.delete("scratch")
    /// ```
    @discardableResult
    public func delete(_ name: String, warnAboutDependents: Bool = true) throws(DataFolioError) -> [FolioWarning] {
        try delete([name], warnAboutDependents: warnAboutDependents)
    }
}
