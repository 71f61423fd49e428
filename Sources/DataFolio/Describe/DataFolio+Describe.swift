import DataFolioJSON
import DataFolioSupport
import Foundation

/// Options of ``DataFolio/describe(_:)-kpry``.
public struct DescribeOptions: Sendable {
    /// The most metadata keys to list (sorted); the rest are counted.
    public var maxMetadataFields = 10
    /// Whether to print sections that have no items, as `Name (0):` / `(none)`.
    public var showEmpty = false
    /// Whether to list archived items too.
    public var includeArchived = false
    /// Only list items whose names match this shell pattern (`*` also matches `/`).
    public var pattern: String?
    /// Whether to print each item's payload path.
    public var showPaths = false
    /// The time "Today" and "Yesterday" are relative to; `nil` means now.
    public var now: Date?
    /// The time zone timestamps are shown in.
    public var timeZone: TimeZone = .current

    /// Default options.
    ///
    /// ```swift
    /// print(folio.describe(DescribeOptions(showEmpty: true, pattern: "clean*")))
    /// ```
    public init(
        maxMetadataFields: Int = 10, showEmpty: Bool = false, includeArchived: Bool = false, pattern: String? = nil,
        showPaths: Bool = false, now: Date? = nil, timeZone: TimeZone = .current
    ) {
        self.maxMetadataFields = maxMetadataFields
        self.showEmpty = showEmpty
        self.includeArchived = includeArchived
        self.pattern = pattern
        self.showPaths = showPaths
        self.now = now
        self.timeZone = timeZone
    }
}

/// Lines joined by newlines as they come: a folio of many items makes hundreds of
/// thousands of lines, which need not be kept one string each.
struct JoinedLines {
    private(set) var text = ""
    private var isEmpty = true

    /// Room for about `bytes` of text, so a long listing is not copied as it grows.
    init(reservingCapacity bytes: Int = 0) {
        text.reserveCapacity(bytes)
    }

    mutating func append(_ line: String) {
        if !isEmpty { text += "\n" }
        text += line
        isEmpty = false
    }

    static func += (lines: inout JoinedLines, more: [String]) {
        for line in more { lines.append(line) }
    }
}

/// What item kinds need to write their `describe` lines.
struct DescribeContext {
    let folio: DataFolio
    let options: DescribeOptions
    /// Whether sizes are shown: remote folios show none (as in Python).
    let showsSizes: Bool
    /// Payload sizes by item name of the items whose entry records none (Python writes
    /// none for most kinds), listed folder by folder.
    let measuredSizes: [String: Int]

    init(folio: DataFolio, options: DescribeOptions, items: [CatalogItem]) {
        self.folio = folio
        self.options = options
        showsSizes = folio.storage.isLocal
        // A summary, not a check (`validate` is): a recorded size (`size_bytes`, which
        // this library writes for every payload, or `file_size`) is shown as it is,
        // which spares a folio of many items a look at every payload.
        let unrecorded = showsSizes ? items.filter { $0.kind != .referencedTable && $0.recordedSize == nil } : []
        measuredSizes = unrecorded.isEmpty ? [:] : folio.payloadSizes(of: unrecorded)
    }

    /// `size: 1.7 KB` for an item with a local payload.
    func sizeLine(_ item: CatalogItem) -> String? {
        guard showsSizes, item.kind != .referencedTable, let size = item.recordedSize ?? measuredSizes[item.name] else { return nil }
        return "size: " + ByteCountText.text(size)
    }

    /// The size line followed by the inputs line, as most kinds show them.
    func sizeAndInputs(_ item: CatalogItem) -> [String] {
        var lines = [String]()
        if let size = sizeLine(item) { lines.append(size) }
        if let inputs = inputsLine(item) { lines.append(inputs) }
        return lines
    }

    /// `inputs: a, b` from the item's own `inputs` list.
    func inputsLine(_ item: CatalogItem) -> String? {
        let inputs = item.ownInputs
        return inputs.isEmpty ? nil : "inputs: " + inputs.joined(separator: ", ")
    }

    /// `k=v, k=v, k=v, ... (n more)` for hyperparameter-like objects.
    static func keyValues(_ object: JSONObject) -> String {
        var text = object.members.prefix(3).map { "\($0.key)=\(PythonText.str($0.value))" }.joined(separator: ", ")
        if object.count > 3 { text += ", ... (\(object.count - 3) more)" }
        return text
    }
}

extension DataFolio {
    /// A human-readable summary of the folio: metadata, snapshots, and every item by
    /// kind with its description, size, shape or type, and inputs — the same text the
    /// Python datafolio prints.
    ///
    /// ```swift
    /// print(folio.describe())
    /// print(folio.describe(DescribeOptions(pattern: "runs/*", showPaths: true)))
    /// ```
    public func describe(_ options: DescribeOptions = DescribeOptions()) -> String {
        let catalog = self.catalog
        let current = catalog.currentItems
        let context = DescribeContext(folio: self, options: options, items: current)
        let human = HumanTime(now: options.now ?? Date(), timeZone: options.timeZone)
        // Some 120 bytes per item: its line, its details.
        var lines = JoinedLines(reservingCapacity: 128 * current.count)
        if let snapshotName, let record = catalog.snapshots[snapshotName]?.objectValue {
            lines += snapshotHeader(snapshotName, record: record, human: human)
        }
        let title = "DataFolio: \(location)"
        lines += [title, String(repeating: "=", count: title.count), ""]
        let metadata = catalog.metadata
        var printedTimes = false
        if let created = metadata["created_at"] {
            lines.append("Created: " + human.describe(PythonText.str(created)))
            printedTimes = true
        }
        if let updated = metadata["updated_at"] {
            lines.append("Updated: " + human.describe(PythonText.str(updated)))
            printedTimes = true
        }
        if let parent = metadata["parent_bundle"] {
            lines.append("Parent: " + PythonText.str(parent))
            printedTimes = true
        }
        if printedTimes { lines.append("") }

        let hidden: Set<String> = ["created_at", "updated_at", "parent_bundle", "_datafolio"]
        let custom = metadata.members.filter { !hidden.contains($0.key) }
        if !custom.isEmpty {
            lines.append("Metadata (\(custom.count) fields):")
            let sorted = custom.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            for member in sorted.prefix(max(0, options.maxMetadataFields)) {
                lines.append("  • \(member.key): \(DataFolio.describeMetadataValue(member.value))")
            }
            if sorted.count > options.maxMetadataFields {
                lines.append("  ... (\(sorted.count - max(0, options.maxMetadataFields)) more fields)")
            }
            lines.append("")
        }

        let snapshots = snapshotHeadlines(catalog)
        if !snapshots.isEmpty || options.showEmpty {
            lines.append("Snapshots (\(snapshots.count)):")
            for snapshot in snapshots.prefix(5) {
                lines.append("  • \(snapshot.name): \(snapshot.description ?? "(no description)")")
                lines.append("    ↳ created: \(human.describe(snapshot.timestampText)), items: \(snapshot.itemCount)")
                if !snapshot.tags.isEmpty { lines.append("    ↳ tags: " + snapshot.tags.joined(separator: ", ")) }
            }
            if snapshots.count > 5 { lines.append("  ... (\(snapshots.count - 5) more snapshots)") }
            if snapshots.isEmpty { lines.append("  (none)") }
            lines.append("")
        }

        let glob = options.pattern.map(GlobPattern.init)
        let visible = current.filter { item in
            (options.includeArchived || !item.isArchived) && (glob?.matches(item.name) ?? true)
        }
        func bullet(_ item: CatalogItem, suffix: String = "") -> String {
            "  • \(item.name)\(suffix): \(item.description ?? "(no description)")"
        }
        // Every item goes to the section of its handler; sections come in the Python
        // datafolio's order, empty ones only with `showEmpty`.
        var sections = [DescribeSection: [(CatalogItem, (any ItemHandler.Type)?)]]()
        for item in visible {
            let handler = ItemHandlers.handler(for: item)
            sections[handler?.describeSection ?? .other, default: []].append((item, handler))
        }
        let order = Set(ItemHandlers.all.map { $0.describeSection } + [.other]).sorted { $0.rank < $1.rank }
        for (position, section) in order.enumerated() {
            var entries = sections[section] ?? []
            if section == .other && entries.isEmpty { continue }
            if section == .tables {
                // References first, as Python lists them.
                entries = entries.filter { $0.0.kind == .referencedTable } + entries.filter { $0.0.kind != .referencedTable }
            }
            guard !entries.isEmpty || options.showEmpty else { continue }
            lines.append("\(section.title) (\(entries.count)):")
            if entries.isEmpty { lines.append("  (none)") }
            for (item, handler) in entries {
                guard let handler else {
                    lines.append(bullet(item, suffix: " (\(item.itemType))"))
                    lines.append("    ↳ not readable by this version of DataFolio")
                    continue
                }
                var suffix = ""
                if item.kind == .referencedTable { suffix = " (reference)" }
                if item.kind == .artifact, let category = item.field("category")?.stringValue, !category.isEmpty { suffix = " (\(category))" }
                lines.append(bullet(item, suffix: suffix))
                var detail = [String]()
                if options.showPaths, item.kind != .referencedTable, let path = location(of: item) { detail.append("path: " + path) }
                detail += handler.describeDetails(item, context: context)
                for line in detail { lines.append("    ↳ " + line) }
            }
            if position < order.count - 1 { lines.append("") }
        }
        return lines.text
    }

    /// The `Metadata` section's rendering of one value.
    static func describeMetadataValue(_ value: JSONValue) -> String {
        let limit = 60
        switch value {
        case .string(let text):
            let characters = Array(text)
            if characters.count <= limit { return text }
            return String(characters[..<limit]) + "... (\(characters.count - limit) more chars)"
        case .array(let elements):
            if elements.count <= 5 { return PythonText.repr(value) }
            let preview = PythonText.repr(.array(Array(elements.prefix(5))))
            return preview.dropLast() + ", ...] (\(elements.count - 5) more items)"
        case .object(let object):
            if object.count <= 3 { return PythonText.repr(value) }
            let preview = PythonText.repr(.object(JSONObject(object.members.prefix(3).map { ($0.key, $0.value) })))
            return preview.dropLast() + ", ...} (\(object.count - 3) more fields)"
        default:
            let text = Array(PythonText.str(value))
            if text.count <= limit { return String(text) }
            return String(text[..<limit]) + "... (\(text.count - limit) more chars)"
        }
    }

    private func snapshotHeader(_ name: String, record: JSONObject, human: HumanTime) -> [String] {
        var lines = ["Snapshot: \(name)"]
        if let timestamp = record["timestamp"]?.stringValue { lines.append("Created: \(timestamp)") }
        if let description = record["description"]?.stringValue, !description.isEmpty { lines.append("Description: \(description)") }
        let tags = record["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !tags.isEmpty { lines.append("Tags: " + tags.joined(separator: ", ")) }
        lines += ["", "[READ-ONLY MODE]", ""]
        return lines
    }
}
