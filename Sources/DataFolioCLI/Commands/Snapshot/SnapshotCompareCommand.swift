import ArgumentParser
import DataFolio
import Foundation

struct SnapshotCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "What changed between two snapshots (bookkeeping metadata keys ignored).")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The earlier snapshot.", completion: .custom(Completions.snapshotNames))
    var old: String

    @Argument(help: "The later snapshot.", completion: .custom(Completions.snapshotNames))
    var new: String

    @Flag(help: "Print JSON: {\"from\", \"to\", \"added\", \"removed\", \"modified\", \"unchanged\", \"metadata_changes\"}.")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let comparison = try folio.compareSnapshots(old, new)
        if json {
            Terminal.printJSON(comparison.jsonValue)
        } else {
            Terminal.print(SnapshotText.comparison(comparison, title: "Comparing \(old) → \(new)").joined(separator: "\n"))
        }
    }
}

struct SnapshotDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "What changed since a snapshot (default: the newest).")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot (default: the newest).", completion: .custom(Completions.snapshotNames))
    var name: String?

    @Flag(help: "Print JSON (same shape as compare; \"to\" is \"current\").")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let comparison = try folio.changes(since: name)
        if json {
            Terminal.printJSON(comparison.jsonValue)
        } else {
            Terminal.print(SnapshotText.comparison(comparison, title: "Changes since \(comparison.from)").joined(separator: "\n"))
        }
    }
}

struct SnapshotStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The newest snapshot and what changed since.")

    @OptionGroup var folioOptions: FolioOptions

    @Flag(help: "Print JSON: {\"folio\", \"last_snapshot\": {\"name\", \"timestamp\"} or null, \"changes\": the diff --json document or null}.")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        if json {
            let newest = folio.snapshots.first
            let changes = try newest.map { try folio.changes(since: $0.name).jsonValue }
            Terminal.printJSON([
                "folio": .string(folio.location),
                "last_snapshot": newest.map { snapshot -> JSONValue in
                    ["name": .string(snapshot.name), "timestamp": SnapshotText.timestampText(snapshot)]
                } ?? .null,
                "changes": changes ?? .null,
            ])
            return
        }
        Terminal.print("Current folio: \(folio.location)")
        guard let newest = folio.snapshots.first else {
            Terminal.print("No snapshots yet. Create one with: datafolio snapshot create NAME")
            return
        }
        Terminal.print("Last snapshot: \(newest.name) (\(SnapshotText.date(newest.timestamp, format: "yyyy-MM-dd")))")
        let comparison = try folio.changes(since: newest.name)
        if comparison.isEmpty {
            Terminal.print("✓ No changes since last snapshot")
            return
        }
        var lines = ["", "Changes since last snapshot:"]
        for (title, mark, items) in [("Added", "+", comparison.added), ("Removed", "-", comparison.removed), ("Modified", "~", comparison.modified)]
        where !items.isEmpty {
            lines.append("")
            lines.append("\(title) (\(items.count)):")
            lines += items.map { SnapshotText.marked(mark, $0) }
        }
        if !comparison.metadataChanges.isEmpty {
            lines.append("")
            lines.append("Metadata changed: \(comparison.metadataChanges.map(\.key).joined(separator: ", "))")
        }
        lines.append("")
        lines.append("Unchanged: \(comparison.unchanged.count) items")
        Terminal.print(lines.joined(separator: "\n"))
    }
}
