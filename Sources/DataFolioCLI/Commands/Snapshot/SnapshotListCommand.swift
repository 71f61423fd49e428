import ArgumentParser
import DataFolio
import Foundation

struct SnapshotListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List snapshots, newest first.")

    @OptionGroup var folioOptions: FolioOptions

    @Option(name: [.customShort("t"), .customLong("tag")], help: "Only snapshots with this tag.")
    var tag: String?

    @Flag(help: "Print a JSON array: [{\"name\", \"timestamp\", \"description\", \"tags\", \"item_count\"}].")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let snapshots = tag.map { folio.snapshots(taggedWith: $0) } ?? folio.snapshots
        if json {
            Terminal.printJSON(.array(snapshots.map { snapshot in
                [
                    "name": .string(snapshot.name), "timestamp": SnapshotText.timestampText(snapshot),
                    "description": snapshot.description.map(JSONValue.string) ?? .null,
                    "tags": .array(snapshot.tags.map(JSONValue.string)), "item_count": .int(Int64(snapshot.itemCount)),
                ]
            }))
            return
        }
        guard !snapshots.isEmpty else {
            Terminal.print("No snapshots found")
            return
        }
        let rows = snapshots.map { snapshot in
            [
                snapshot.name, truncated(snapshot.description ?? "", 100), String(snapshot.itemCount),
                SnapshotText.date(snapshot.timestamp, format: "yyyy-MM-dd HH:mm zzz"), truncated(snapshot.tags.joined(separator: ", "), 60),
            ]
        }
        // The colours of the Python command's table.
        let table = TextTable(
            header: ["Name", "Description", "Items", "Created", "Tags"], rows: rows, styles: [.cyan, nil, .green, .blue, .magenta],
            rightAligned: [2])
        Terminal.print(Terminal.paint("Snapshots (\(snapshots.count))", .bold))
        Terminal.print(table.lines().joined(separator: "\n"))
    }

    private func truncated(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit)) + "..." : text
    }
}
