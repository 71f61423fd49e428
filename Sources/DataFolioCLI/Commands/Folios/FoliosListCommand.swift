import ArgumentParser
import DataFolio
import Foundation

struct FoliosListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List aliases and recently used folios.",
        discussion: "Aliased folios come first (by alias), then recently used folios without one, most recent first.")

    @OptionGroup(visibility: .hidden) var folioOptions: FolioOptions

    @Flag(help: "Print a JSON array: [{\"alias\", \"path\", \"last_accessed\", \"exists\"}].")
    var json = false

    func run() throws {
        let folios = FolioRegistry().folios()
        if json {
            Terminal.printJSON(.array(folios.map { folio in
                [
                    "alias": folio.alias.map(JSONValue.string) ?? .null,
                    "path": .string(folio.location),
                    "last_accessed": folio.lastAccessed.map(JSONValue.string) ?? .null,
                    "exists": folio.exists.map(JSONValue.bool) ?? .null,
                ]
            }))
            return
        }
        guard !folios.isEmpty else {
            Terminal.print("No folios registered yet.")
            Terminal.print("Register one with 'datafolio folios alias NAME PATH'; folios used from the command line are also remembered here.")
            return
        }
        var table = TextTable(header: ["Alias", "Path", "Last used (CLI)", "Exists"], styles: [.cyan, nil, .dim, nil])
        table.rows = folios.map { folio in
            let exists = folio.exists.map { $0 ? "✓" : "✗" } ?? "?"
            let used = String((folio.lastAccessed ?? "").prefix(19)).replacingOccurrences(of: "T", with: " ")
            return [folio.alias ?? "", folio.location, used, exists]
        }
        Terminal.print(Terminal.paint("Folios", .bold))
        Terminal.print(table.lines().joined(separator: "\n"))
    }
}
