import DataFolioSupport

/// The result of ``DataFolio/validate()``: one verdict per current item.
public struct ValidationReport: Sendable {
    /// Each item's name and verdict, in catalog order.
    public var results: [(name: String, validation: ItemValidation)]

    /// Whether no item is damaged.
    public var isValid: Bool { results.allSatisfy(\.validation.isValid) }

    /// The names of the damaged items.
    public var damagedItems: [String] { results.filter { !$0.validation.isValid }.map(\.name) }

    /// The verdict for one item.
    public subscript(name: String) -> ItemValidation? {
        results.first { $0.name == name }?.validation
    }
}

extension DataFolio {
    /// Checks every current item: payloads must exist and hash to the recorded MD5
    /// (every byte is re-read), referenced local data must exist. It never throws:
    /// problems are reported per item.
    ///
    /// ```swift
    /// let report = folio.validate()
    /// if !report.isValid { print("Damaged:", report.damagedItems) }
    /// ```
    public func validate() -> ValidationReport {
        let items = catalog.currentItems
        return ValidationReport(results: items.map { item in
            guard let kind = ItemKinds.kind(for: item.itemType) else {
                return (item.name, .invalid("the item type '\(item.itemType)' is not known to this version of DataFolio"))
            }
            return (item.name, kind.validate(item, in: self))
        })
    }

    /// The generic payload check: the file exists and, when a checksum is recorded,
    /// its MD5 matches.
    func validatePayload(of item: CatalogItem) -> ItemValidation {
        guard let path = try? payloadPath(of: item) else { return .invalid("it has no payload file") }
        guard let status = try? LocalFile.status(path), status.isRegularFile else {
            return .invalid("the payload file is missing (\(item.relativePayloadPath ?? path))")
        }
        guard let expected = item.fields["checksum"], case .string(let checksum) = expected else { return .valid }
        guard let actual = try? FileChecksum.md5(ofFile: path) else { return .invalid("the payload cannot be read") }
        return actual == checksum ? .valid : .invalid("the payload's MD5 is \(actual), the catalog records \(checksum)")
    }
}
