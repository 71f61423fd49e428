import ArgumentParser
import DataFolio
import Foundation

struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the folio to a new location (a fork of its current items).",
        discussion: """
            The copy gets the current version of every item (stored files checked against their MD5
            on the way), with descriptions, lineage and version ids as they are, and the folio
            metadata with --set changes on top. Archived items stay behind unless --include-archived
            is given, and snapshot history stays behind unless --with-snapshots is given (which copies
            the whole folio). The destination may be a new or empty folder, or any URL a store is
            registered for (s3://…).

            --include and --exclude take item names or shell patterns ('*' also matches '/') and may
            repeat; --follow-lineage adds everything the included items were made from.

            Examples:
              datafolio copy ../churn-v4 --set status=in_progress
              datafolio copy results --include final_model --include test_results --follow-lineage
              datafolio copy backup --with-snapshots
              datafolio copy slim --exclude 'scratch/*'
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "Where to create the copy (a new or empty folder, or a URL).", completion: .directory)
    var destination: String

    @Option(help: ArgumentHelp("Only these items (a name or shell pattern; repeat for several).", valueName: "pattern"),
            completion: .custom(Completions.itemNames))
    var include: [String] = []

    @Option(help: ArgumentHelp("Leave these items out (a name or shell pattern; repeat for several).", valueName: "pattern"),
            completion: .custom(Completions.itemNames))
    var exclude: [String] = []

    @Flag(name: .customLong("follow-lineage"), help: "With --include, also copy what the included items were made from.")
    var followLineage = false

    @Flag(name: .customLong("include-archived"), help: "Copy archived items too.")
    var includeArchived = false

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a metadata key in the copy: KEY=VALUE (VALUE is JSON when it parses as JSON, else text; repeat for several).",
        valueName: "key=value"))
    var metadataUpdates: [String] = []

    @Flag(name: .customLong("with-snapshots"), help: "Keep the snapshots and the versions they need (copies every item).")
    var withSnapshots = false

    @Flag(name: .customLong("random-suffix"), help: "Append -<adjective>-<color>-<noun> to the destination name.")
    var randomSuffix = false

    func run() throws {
        var updates = JSONObject()
        for assignment in metadataUpdates {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw CommandFailure("--set takes KEY=VALUE, not '\(assignment)'.")
            }
            let key = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            updates[key] = (try? JSONValue(parsing: text)) ?? .string(text)
        }
        let options = CopyOptions(
            include: include.isEmpty ? nil : include, exclude: exclude, followLineage: followLineage,
            includeArchived: includeArchived, metadataUpdates: updates, keepSnapshots: withSnapshots, randomSuffix: randomSuffix)
        let folio = try folioOptions.open(readOnly: true)
        let copy = try folio.copy(to: destination, options: options)
        let snapshots = copy.snapshots.count
        Terminal.print("✓ Copied \(copy.itemNames.count) item(s) to \(copy.location)" + (snapshots > 0 ? " with \(snapshots) snapshot(s)" : ""))
    }
}
