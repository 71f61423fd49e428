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
        // Widths in characters, counted once per item.
        let nameCounts = items.map { $0.name.count }
        let typeCounts = items.map { $0.itemType.count }
        let nameWidth = nameCounts.max() ?? 0
        let typeWidth = typeCounts.max() ?? 0
        // One buffer and one write for the whole listing, not one per line.
        var listing = [UInt8]()
        listing.reserveCapacity(items.count * (nameWidth + typeWidth + 48))
        let spaces = [UInt8](repeating: 0x20, count: max(nameWidth, typeWidth) + 2)
        for (index, item) in items.enumerated() {
            if index > 0 { listing.append(0x0A) }
            let description = item.description ?? ""
            listing.append(contentsOf: Terminal.paint(item.name, .cyan).utf8)
            listing.append(contentsOf: spaces[0..<(nameWidth - nameCounts[index] + 2)])
            listing.append(contentsOf: Terminal.paint(item.itemType, .dim).utf8)
            if !description.isEmpty {
                listing.append(contentsOf: spaces[0..<(typeWidth - typeCounts[index] + 2)])
                listing.append(contentsOf: description.utf8)
            }
            while listing.last == 0x20 { listing.removeLast() }
        }
        Terminal.print(String(decoding: listing, as: UTF8.self))
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
