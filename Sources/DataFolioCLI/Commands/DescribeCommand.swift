import ArgumentParser
import DataFolio
import Foundation

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Summarize the folio: metadata, snapshots and every item.",
        discussion: """
            Examples:
              datafolio describe
              datafolio describe --pattern 'runs/*' --show-paths
              datafolio describe --json | jq '.items[].name'
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Option(name: .customLong("max-metadata"), help: "How many metadata keys to show.")
    var maxMetadata = 10

    @Option(help: "Only items whose names match this shell pattern ('*' also matches '/').", completion: .custom(Completions.itemNames))
    var pattern: String?

    @Flag(name: .customLong("show-paths"), help: "Show the path of each item's payload.")
    var showPaths = false

    @Flag(name: .customLong("show-empty"), help: "Show sections that have no items.")
    var showEmpty = false

    @Flag(name: .customLong("include-archived"), help: "Also show archived items.")
    var includeArchived = false

    @Option(name: [.short, .long], help: "Describe a snapshot instead: its own items, descriptions and metadata.",
            completion: .custom(Completions.snapshotNames))
    var snapshot: String?

    @Flag(help: "Print a JSON document instead of text (the shape is documented in the README).")
    var json = false

    func run() throws {
        var folio = try folioOptions.open(readOnly: true)
        if let snapshot { folio = try folio.snapshot(snapshot) }
        if json {
            Terminal.printJSON(DescribeCommand.document(folio, pattern: pattern, includeArchived: includeArchived))
            return
        }
        let options = DescribeOptions(
            maxMetadataFields: maxMetadata, showEmpty: showEmpty, includeArchived: includeArchived, pattern: pattern,
            showPaths: showPaths)
        Terminal.print(DescribeText.colored(folio.describe(options)))
        if let pattern, folio.items(matching: pattern, includeArchived: includeArchived).isEmpty {
            let archived = includeArchived ? [] : folio.items(matching: pattern, includeArchived: true)
            Terminal.print("")
            Terminal.print(Terminal.paint("No items match '\(pattern)'", .yellow)
                + (archived.isEmpty ? "." : " (\(archived.count) archived item(s) do; add --include-archived)."))
        }
    }

    /// `{"path", "revision", "metadata", "items": [...], "snapshots": [...]}`.
    static func document(_ folio: DataFolio, pattern: String?, includeArchived: Bool) -> JSONValue {
        let items = folio.items(matching: pattern ?? "*", includeArchived: includeArchived)
        let snapshots: [JSONValue] = folio.snapshots.map { snapshot in
            [
                "name": .string(snapshot.name),
                "timestamp": SnapshotText.timestampText(snapshot),
                "description": snapshot.description.map(JSONValue.string) ?? .null,
                "tags": .array(snapshot.tags.map(JSONValue.string)),
                "item_count": .int(Int64(snapshot.itemCount)),
            ]
        }
        let sizes = folio.payloadSizes(of: items)
        return [
            "path": .string(folio.location),
            "revision": .int(Int64(folio.revision)),
            "metadata": .object(folio.metadata),
            "items": .array(items.map { ItemSummary.json($0, in: folio, sizes: sizes) }),
            "snapshots": .array(snapshots),
        ]
    }
}
