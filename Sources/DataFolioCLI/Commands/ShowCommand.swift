import ArgumentParser
import DataFolio
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one item: its catalog entry, lineage, size and content summary.",
        discussion: """
            Examples:
              datafolio show config
              datafolio show embeddings --json
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The item name.", completion: .custom(Completions.itemNames))
    var name: String

    @Option(name: [.short, .long], help: "Show the item as a snapshot froze it.", completion: .custom(Completions.snapshotNames))
    var snapshot: String?

    @Flag(help: "Print a JSON document (the item summary plus 'entry', the full catalog entry, and 'dependents').")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(snapshot: snapshot)
        let item = try folio.item(name)
        let dependents = try folio.dependents(of: name)
        let details = ItemDetails.lines(for: item, in: folio)
        if json {
            guard case .object(var object) = ItemSummary.json(item, in: folio) else { return }
            object["dependents"] = .array(dependents.map(JSONValue.string))
            object["details"] = ItemDetails.json(for: item, in: folio)
            object["entry"] = .object(item.fields)
            Terminal.printJSON(.object(object))
            return
        }
        var lines = ["\(item.name) (\(item.itemType))"]
        lines.append(String(repeating: "=", count: lines[0].count))
        if let description = item.description { lines.append("Description: \(description)") }
        if let location = folio.location(of: item) { lines.append("Location:    \(location)") }
        if let size = folio.payloadSize(of: item) { lines.append("Size:        \(ByteCountText.text(size))") }
        if let created = item.createdAt { lines.append("Created:     \(created)") }
        if let version = item.versionID { lines.append("Version:     \(version)") }
        lines.append("Inputs:      " + (item.inputs.isEmpty ? "(none)" : item.inputs.joined(separator: ", ")))
        lines.append("Dependents:  " + (dependents.isEmpty ? "(none)" : dependents.joined(separator: ", ")))
        if !details.isEmpty {
            lines.append("")
            lines += details
        }
        lines.append("")
        lines.append("Catalog entry:")
        lines.append(JSONValue.object(item.fields).formatted())
        Terminal.print(lines.joined(separator: "\n"))
    }
}
