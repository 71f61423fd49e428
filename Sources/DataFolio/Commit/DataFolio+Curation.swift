import DataFolioJSON
import DataFolioSupport

extension DataFolio {
    /// Hides items from listings without deleting them: `describe`, ``items(matching:includeArchived:)``
    /// with `includeArchived: false`, the command line's `list`, ``FolioSearch`` and
    /// ``copy(to:options:)`` leave them out unless asked to include archived items. An
    /// archived item is still read by `get`, still checked by `validate`, and still frozen by
    /// snapshots.
    ///
    /// Each element is an item name or a shell pattern (`*`, `?`, `[…]`; `*` also matches
    /// `/`). A name must exist; a pattern may match nothing. The catalog records
    /// `archived: true`, as the Python datafolio does; a version a snapshot pins is kept
    /// for it, and the archived copy becomes a new version sharing the payload file.
    ///
    /// ```swift
    /// try folio.archive(["debug_output", "intermediate/*"])
    /// let everything = folio.items(matching: "*", includeArchived: true)
    /// ```
    ///
    /// - Returns: The names of the items archived, in catalog order (nothing is committed
    ///   when a pattern matches nothing).
    /// - Throws: `itemNotFound` (nothing changed) when a name does not exist.
    @discardableResult
    public func archive(_ namesOrPatterns: [String]) throws(DataFolioError) -> [String] {
        try setArchived(true, namesOrPatterns)
    }

    /// Archives one item, or the items matching a shell pattern (see ``archive(_:)-([String])``).
    ///
    /// ```swift
    /// try folio.archive("scratch/*")
    /// ```
    @discardableResult
    public func archive(_ nameOrPattern: String) throws(DataFolioError) -> [String] {
        try setArchived(true, [nameOrPattern])
    }

    /// Shows archived items in listings again: removes `archived` from their catalog
    /// entries (see ``archive(_:)-([String])`` for names and patterns).
    ///
    /// ```swift
    /// try folio.unarchive("debug_output")
    /// ```
    ///
    /// - Returns: The names of the items changed, in catalog order.
    @discardableResult
    public func unarchive(_ namesOrPatterns: [String]) throws(DataFolioError) -> [String] {
        try setArchived(false, namesOrPatterns)
    }

    /// Unarchives one item, or the items matching a shell pattern.
    ///
    /// ```swift
    /// try folio.unarchive("scratch/*")
    /// ```
    @discardableResult
    public func unarchive(_ nameOrPattern: String) throws(DataFolioError) -> [String] {
        try setArchived(false, [nameOrPattern])
    }

    private func setArchived(_ archived: Bool, _ namesOrPatterns: [String]) throws(DataFolioError) -> [String] {
        // A pattern that matches nothing commits nothing, as in Python.
        guard !(try DataFolio.resolve(namesOrPatterns, in: catalog)).isEmpty else { return [] }
        return try commit { transaction throws(DataFolioError) -> [String] in
            let names = try DataFolio.resolve(namesOrPatterns, in: transaction.catalog)
            for name in names {
                try transaction.apply(.edit(name) { fields in
                    if archived {
                        fields["archived"] = .bool(true)
                    } else {
                        fields.removeValue(forKey: "archived")
                    }
                })
            }
            return names
        }
    }

    /// The current items named or matched: names must exist, patterns may match nothing.
    static func resolve(_ namesOrPatterns: [String], in catalog: Catalog) throws(DataFolioError) -> [String] {
        var wanted = Set<String>()
        for entry in namesOrPatterns {
            if GlobPattern.isPattern(entry) {
                let glob = GlobPattern(entry)
                wanted.formUnion(catalog.currentNames.filter { glob.matches($0) })
            } else {
                guard catalog.current(entry) != nil else {
                    throw DataFolioError.noSuchItem(entry, available: Array(catalog.currentNames))
                }
                wanted.insert(entry)
            }
        }
        return catalog.currentNames.filter { wanted.contains($0) }
    }

    /// Changes an item's description or inputs without writing it again (Python's
    /// `update_item`).
    ///
    /// `nil` leaves a field as it is; `""` removes the description and `[]` removes the
    /// inputs. When a snapshot pins the current version, the snapshot keeps it unchanged
    /// and the edit becomes a new version that shares the payload file.
    ///
    /// ```swift
    /// try folio.updateItem("predictions", description: "Model predictions on the test set")
    /// try folio.updateItem("final_model", inputs: ["train_data", "val_data"])
    /// try folio.updateItem("temp", description: "")     // no description any more
    /// ```
    ///
    /// - Returns: The item's new catalog entry.
    /// - Throws: `itemNotFound`; `invalidArgument` for an empty input name or an item
    ///   listed as its own input. Inputs that are not in the folio are recorded as given,
    ///   with a warning.
    @discardableResult
    public func updateItem(_ name: String, description: String? = nil, inputs: [String]? = nil) throws(DataFolioError) -> CatalogItem {
        for input in inputs ?? [] where input.isEmpty {
            throw DataFolioError(.invalidArgument, "An input name of '\(name)' is empty.")
        }
        if inputs?.contains(name) == true {
            throw DataFolioError(.invalidArgument, "'\(name)' lists itself as an input; an item cannot be made from itself.", path: name)
        }
        guard description != nil || inputs != nil else { return try requireItem(name) }
        let newInputs = inputs
        var unknownInputs = [String]()
        let item = try commit { transaction throws(DataFolioError) -> CatalogItem in
            unknownInputs = (newInputs ?? []).filter { transaction.catalog.current($0) == nil }
            try transaction.apply(.edit(name) { fields in
                if let description {
                    if description.isEmpty {
                        fields.removeValue(forKey: "description")
                    } else {
                        fields["description"] = .string(description)
                    }
                }
                if let newInputs {
                    if newInputs.isEmpty {
                        fields.removeValue(forKey: "inputs")
                    } else {
                        fields["inputs"] = .array(newInputs.map(JSONValue.string))
                    }
                }
            })
            guard let updated = transaction.catalog.current(name) else { throw DataFolioError.noSuchItem(name) }
            return updated
        }
        if !unknownInputs.isEmpty {
            emit(FolioWarning(
                kind: .brokenLineage, item: name,
                message: "'\(name)' lists inputs that are not in this folio: \(unknownInputs.joined(separator: ", ")). Check the names (lineage is recorded as given)."))
        }
        return item
    }
}
