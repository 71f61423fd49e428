import ArgumentParser
import DataFolio
import Foundation

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Create, inspect, compare, restore and clean up snapshots.",
        discussion: """
            A snapshot freezes the folio (which version of every item, and the metadata) without
            copying data.

            Examples:
              datafolio snapshot create v1 -d "Baseline" -t paper
              datafolio snapshot list
              datafolio snapshot diff            # what changed since the newest snapshot
              datafolio snapshot compare v1 v2
              datafolio snapshot restore v1 --yes
            """,
        subcommands: [
            SnapshotCreateCommand.self, SnapshotListCommand.self, SnapshotShowCommand.self, SnapshotCompareCommand.self,
            SnapshotDiffCommand.self, SnapshotStatusCommand.self, SnapshotRestoreCommand.self, SnapshotDeleteCommand.self,
            SnapshotGCCommand.self, SnapshotExportCommand.self,
        ])
}

/// Text output shared by the snapshot commands.
enum SnapshotText {
    static func comparison(_ comparison: SnapshotComparison, title: String, unchangedLimit: Int = 5) -> [String] {
        var lines = [String]()
        func section(_ name: String, _ mark: String, _ items: [String], limit: Int? = nil) {
            guard !items.isEmpty else { return }
            lines.append("")
            lines.append(Terminal.paint("\(name) (\(items.count)):", .bold))
            for item in items.prefix(limit ?? items.count) { lines.append(marked(mark, item)) }
            if let limit, items.count > limit { lines.append("  ... and \(items.count - limit) more") }
        }
        lines.append("")
        lines.append(Terminal.paint(title, .bold))
        lines.append(String(repeating: "=", count: 60))
        section("Added", "+", comparison.added)
        section("Removed", "-", comparison.removed)
        section("Modified", "~", comparison.modified)
        section("Unchanged", "=", comparison.unchanged, limit: unchangedLimit)
        if !comparison.metadataChanges.isEmpty {
            lines.append("")
            lines.append("Metadata Changes (\(comparison.metadataChanges.count)):")
            for change in comparison.metadataChanges.prefix(5) {
                lines.append("  \(change.key): \(change.old.map(describe) ?? "(absent)") → \(change.new.map(describe) ?? "(absent)")")
            }
            if comparison.metadataChanges.count > 5 { lines.append("  ... and \(comparison.metadataChanges.count - 5) more") }
        }
        lines.append("")
        lines.append("Summary:")
        lines.append("  Added: \(comparison.added.count)")
        lines.append("  Removed: \(comparison.removed.count)")
        lines.append("  Modified: \(comparison.modified.count)")
        lines.append("  Unchanged: \(comparison.unchanged.count)")
        return lines
    }

    /// `  + item`, coloured by what happened to the item.
    static func marked(_ mark: String, _ item: String) -> String {
        let style: TextStyle
        switch mark {
        case "+": style = .green
        case "-": style = .red
        case "~": style = .yellow
        default: style = .dim
        }
        return "  " + Terminal.paint("\(mark) \(item)", style)
    }

    static func describe(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.formatted(indented: false)
    }

    static func date(_ date: Date?, format: String) -> String {
        guard let date else { return "?" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// The warning for snapshots that include referenced tables (standard error).
    static func warnAboutReferences(_ summary: SnapshotSummary) {
        guard !summary.mutableReferences.isEmpty else { return }
        Terminal.printError(
            Terminal.paint("warning:", .yellow, standardError: true)
                + " '\(summary.name)' includes referenced tables (\(summary.mutableReferences.joined(separator: ", "))). "
                + SnapshotSummary.mutableReferenceWarning)
    }

    /// The snapshot's time as the catalog records it.
    static func timestampText(_ snapshot: SnapshotSummary) -> JSONValue {
        snapshot.record["timestamp"] ?? .null
    }
}
