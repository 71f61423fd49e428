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
        // One string and one write for the whole listing, not one per line.
        var listing = ""
        listing.reserveCapacity(items.count * (nameWidth + typeWidth + 40))
        for item in items {
            if !listing.isEmpty { listing += "\n" }
            let line = Terminal.paint(item.name.padded(to: nameWidth), .cyan) + "  " + Terminal.paint(item.itemType.padded(to: typeWidth), .dim)
                + "  " + (item.description ?? "")
            listing += line.trimmingTrailingSpaces
        }
        Terminal.print(listing)
    }
}

extension String {
    /// The text followed by spaces up to `width` characters.
    func padded(to width: Int) -> String {
        let missing = width - count
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }

    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
