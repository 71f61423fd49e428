import DataFolioSupport

/// The result of ``DataFolio/validate()-7v4k7``: one verdict per current item, and one per
/// older version that a snapshot still needs.
public struct ValidationReport: Sendable, Hashable, Codable {
    /// Each checked version's verdict: current items in catalog order, then the retained
    /// versions snapshots pin.
    public var results: [ItemValidation]

    /// Whether nothing is damaged.
    public var isValid: Bool { results.allSatisfy(\.isValid) }

    /// The names of the damaged current items.
    public var damagedItems: [String] { results.filter { $0.isCurrent && !$0.isValid }.map(\.name) }

    /// The damaged versions, current or retained.
    public var damaged: [ItemValidation] { results.filter { !$0.isValid } }

    /// The verdict for a current item.
    public subscript(name: String) -> ItemValidation? {
        results.first { $0.isCurrent && $0.name == name }
    }
}

/// The outcome of checking one item version.
public struct ItemValidation: Sendable, Hashable, Codable {
    /// What the check found.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The payload (or referenced data) is present and matches its checksum.
        case valid
        /// The payload is missing, unreadable or changed.
        case damaged
        /// The data could not be checked (for example a reference to a cloud store).
        case unchecked
    }

    /// The item name.
    public var name: String
    /// The version id, when the entry has one.
    public var versionID: String?
    /// Whether this is the current version (`false`: a version kept for snapshots).
    public var isCurrent: Bool
    /// What the check found.
    public var status: Status
    /// Why the item is damaged or unchecked.
    public var problem: String?

    /// Whether the version passed (unchecked ones are not counted as failures).
    public var isValid: Bool { status != .damaged }
}

/// A verdict before it is attached to an entry.
struct PayloadVerdict: Sendable, Hashable {
    var status: ItemValidation.Status
    var problem: String?

    static let valid = PayloadVerdict(status: .valid, problem: nil)
    static func invalid(_ problem: String) -> PayloadVerdict { PayloadVerdict(status: .damaged, problem: problem) }
    static func unchecked(_ reason: String) -> PayloadVerdict { PayloadVerdict(status: .unchecked, problem: reason) }
}

extension DataFolio {
    /// Checks every current item, and every older version a snapshot pins: payloads must
    /// exist and hash to the recorded MD5 (every byte is re-read, through a bounded
    /// buffer), referenced local data must exist. It never throws: problems are reported
    /// per version.
    ///
    /// ```swift
    /// let report = folio.validate()
    /// if !report.isValid { print("Damaged:", report.damaged.map(\.name)) }
    /// ```
    public func validate() -> ValidationReport {
        let catalog = self.catalog
        let pinnedRetained = catalog.items.filter { !$0.isCurrent && catalog.isPinned($0) }
        return ValidationReport(results: (catalog.currentItems + pinnedRetained).map { item in
            let verdict = verdict(for: item)
            return ItemValidation(
                name: item.name, versionID: item.versionID, isCurrent: item.isCurrent, status: verdict.status, problem: verdict.problem)
        })
    }

    /// The verdict on one entry's payload.
    func verdict(for item: CatalogItem) -> PayloadVerdict {
        guard let handler = ItemHandlers.handler(for: item) else {
            return .unchecked("the item kind '\(item.itemType)' is not known to this version of DataFolio")
        }
        return handler.validate(item, in: self)
    }

    /// The generic payload check: the object exists and, when a checksum is recorded,
    /// its MD5 matches.
    func validatePayload(of item: CatalogItem) -> PayloadVerdict {
        guard let path = try? payloadObjectPath(of: item) else { return .invalid("it has no payload file") }
        let status: StoredObject?
        do {
            status = try storage.status(path)
        } catch {
            return .invalid("the payload cannot be inspected: \(error.problem)")
        }
        switch status?.kind {
        case nil: return .invalid("the payload file is missing (\(path))")
        case .symbolicLink?: return .invalid("the payload (\(path)) is a symbolic link, which folios never follow")
        case .folder?, .other?: return .invalid("the payload (\(path)) is not a regular file")
        case .object?: break
        }
        guard let checksum = item.checksum else { return .valid }
        do {
            let actual = try storage.md5(of: path)
            return actual == checksum ? .valid : .invalid("the payload's MD5 is \(actual), the catalog records \(checksum)")
        } catch {
            return .invalid("the payload cannot be read: \(error.problem)")
        }
    }
}
