import ArgumentParser
import DataFolio
import Foundation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the items: name, type and description, one per line.")

    @OptionGroup var folioOptions: FolioOptions

    @Flag(name: .customLong("include-archived"), help: "Also list archived items.")
    var includeArchived = false

    @Flag(help: "Print a JSON array of item summaries.")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let items = folio.items.filter { includeArchived || !$0.isArchived }
        if json {
            let sizes = folio.payloadSizes(of: items)
            Terminal.printJSON(.array(items.map { ItemSummary.json($0, in: folio, sizes: sizes) }))
            return
        }
        if items.isEmpty {
            Terminal.print("No items. Add one with: datafolio add FILE")
            return
        }
        let nameWidth = items.map(\.name.count).max() ?? 0
        let typeWidth = items.map(\.itemType.count).max() ?? 0
        // One write for the whole listing, not one per line.
        var lines = [String]()
        lines.reserveCapacity(items.count)
        for item in items {
            let name = item.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let type = item.itemType.padding(toLength: typeWidth, withPad: " ", startingAt: 0)
            let line = "\(Terminal.paint(name, .cyan))  \(Terminal.paint(type, .dim))  \(item.description ?? "")"
            lines.append(line.trimmingTrailingSpaces)
        }
        Terminal.print(lines.joined(separator: "\n"))
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
