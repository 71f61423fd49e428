import ArgumentParser
import DataFolio
import Foundation

struct SnapshotShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one snapshot: items, context, metadata.")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot name.", completion: .custom(Completions.snapshotNames))
    var name: String

    @Flag(help: "Print the snapshot record as JSON.")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let summary = try folio.snapshotSummary(name)
        let record = summary.record
        if json {
            // As Python's get_snapshot_info: the record, plus the references it cannot freeze.
            var document = record
            if !summary.mutableReferences.isEmpty {
                document["mutable_references"] = .array(summary.mutableReferences.map(JSONValue.string))
                document["mutable_reference_warning"] = .string(SnapshotSummary.mutableReferenceWarning)
            }
            Terminal.printJSON(.object(document))
            return
        }
        var lines = ["Snapshot: \(name)", String(repeating: "=", count: 60)]
        if let description = record["description"]?.stringValue { lines.append("Description: \(description)") }
        let tags = record["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !tags.isEmpty { lines.append("Tags: \(tags.joined(separator: ", "))") }
        if summary.timestamp != nil {
            lines.append("Timestamp: " + SnapshotText.date(summary.timestamp, format: "yyyy-MM-dd HH:mm:ss zzz"))
        }
        let versions = record["item_versions"]?.objectValue ?? [:]
        let names = versions.keys.sorted()
        lines.append("")
        lines.append("Items (\(names.count)):")
        for item in names.prefix(10) { lines.append("  • \(item) (\(versions[item]?.stringValue ?? ""))") }
        if names.count > 10 { lines.append("  ... and \(names.count - 10) more") }
        if let git = record["git"]?.objectValue {
            lines.append("")
            lines.append("Git:")
            if let commit = git["commit_short"]?.stringValue { lines.append("  Commit: \(commit)") }
            if let branch = git["branch"]?.stringValue { lines.append("  Branch: \(branch)") }
            if git["dirty"]?.boolValue == true { lines.append("  Status: dirty (uncommitted changes)") }
            if let remote = git["remote"]?.stringValue { lines.append("  Remote: \(remote)") }
        }
        if let environment = record["environment"]?.objectValue {
            lines.append("")
            lines.append("Environment:")
            for (key, value) in environment { lines.append("  \(key): \(SnapshotText.describe(value))") }
        }
        if let execution = record["execution"]?.objectValue {
            lines.append("")
            lines.append("Execution:")
            for (key, value) in execution { lines.append("  \(key): \(SnapshotText.describe(value))") }
        }
        let metadata = (record["metadata_snapshot"]?.objectValue ?? [:]).members.filter {
            !["created_at", "updated_at", "_datafolio"].contains($0.key)
        }
        if !metadata.isEmpty {
            lines.append("")
            lines.append("Metadata:")
            for member in metadata.prefix(5) { lines.append("  \(member.key): \(SnapshotText.describe(member.value))") }
            if metadata.count > 5 { lines.append("  ... and \(metadata.count - 5) more fields") }
        }
        Terminal.print(lines.joined(separator: "\n"))
        SnapshotText.warnAboutReferences(summary)
    }
}
