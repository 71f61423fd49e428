import DataFolioSupport

/// The result of ``DataFolio/validate(progress:)-8tcan``: one verdict per current item, and one per
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

/// How far ``DataFolio/validate(progress:)-8tcan`` has got.
public struct ValidationProgress: Sendable, Hashable {
    /// Versions to check: current items and the older versions snapshots pin.
    public var totalVersions: Int
    /// Versions checked so far.
    public var checkedVersions: Int = 0
    /// The size of the payload files to hash (a folder item's files are not counted).
    public var totalBytes: Int
    /// Bytes of payload files hashed so far.
    public var hashedBytes: Int = 0

    /// Progress before the first version is checked.
    ///
    /// ```swift
    /// let start = ValidationProgress(totalVersions: 12, totalBytes: 48_000_000)
    /// ```
    public init(totalVersions: Int, totalBytes: Int) {
        self.totalVersions = totalVersions
        self.totalBytes = totalBytes
    }
}

/// Counts what a validation has done and reports it, after every version and, while a
/// payload is hashed, every few megabytes.
final class ValidationMeter {
    private var progress: ValidationProgress
    private let handler: ((ValidationProgress) -> Void)?

    init(_ progress: ValidationProgress, handler: ((ValidationProgress) -> Void)?) {
        self.progress = progress
        self.handler = handler
    }

    func hashed(_ count: Int) {
        guard let handler else { return }
        progress.hashedBytes += count
        handler(progress)
    }

    func checkedVersion() {
        guard let handler else { return }
        progress.checkedVersions += 1
        handler(progress)
    }
}

extension DataFolio {
    /// Checks every current item, and every older version a snapshot pins: payloads must
    /// exist and hash to the recorded MD5 (every byte is re-read, through a bounded
    /// buffer), referenced local data must exist. It never throws: problems are reported
    /// per version.
    ///
    /// ```swift
    /// let report = folio.validate { progress in
    ///     print("\(progress.hashedBytes) of \(progress.totalBytes) bytes checked")
    /// }
    /// if !report.isValid { print("Damaged:", report.damaged.map(\.name)) }
    /// ```
    ///
    /// - Parameter progress: Called on the calling thread after every version and every
    ///   few megabytes hashed.
    public func validate(progress: ((ValidationProgress) -> Void)? = nil) -> ValidationReport {
        let catalog = self.catalog
        let pinnedRetained = catalog.items.filter { !$0.isCurrent && catalog.isPinned($0) }
        let versions = catalog.currentItems + pinnedRetained
        var start = ValidationProgress(totalVersions: versions.count, totalBytes: 0)
        if progress != nil {
            // A folder item's files are hashed but not counted: its size is not known without a walk.
            start.totalBytes = versions.reduce(0) { total, item in
                item.fields["is_directory"]?.boolValue == true ? total : total + (payloadSize(of: item) ?? 0)
            }
        }
        let meter = ValidationMeter(start, handler: progress)
        return ValidationReport(results: versions.map { item in
            let verdict = verdict(for: item, meter: meter)
            meter.checkedVersion()
            return ItemValidation(
                name: item.name, versionID: item.versionID, isCurrent: item.isCurrent, status: verdict.status, problem: verdict.problem)
        })
    }

    /// The verdict on one entry's payload.
    func verdict(for item: CatalogItem, meter: ValidationMeter? = nil) -> PayloadVerdict {
        guard let handler = ItemHandlers.handler(for: item) else {
            return .unchecked("the item kind '\(item.itemType)' is not known to this version of DataFolio")
        }
        return handler.validate(item, in: self, meter: meter)
    }

    /// The generic payload check: the object exists and, when a checksum is recorded,
    /// its MD5 matches.
    func validatePayload(of item: CatalogItem, meter: ValidationMeter?) -> PayloadVerdict {
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
            let actual = try storage.md5(of: path, counting: meter.map { meter in { meter.hashed($0) } })
            return actual == checksum ? .valid : .invalid("the payload's MD5 is \(actual), the catalog records \(checksum)")
        } catch {
            return .invalid("the payload cannot be read: \(error.problem)")
        }
    }
}
