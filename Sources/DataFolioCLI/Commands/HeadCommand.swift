import ArgumentParser
import DataFolio
import Foundation

struct HeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print a table's first rows, aligned.",
        discussion: """
            Examples:
              datafolio head clean -n 20
              datafolio head clean --columns id,city --json
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The table item.", completion: .custom(Completions.itemNames))
    var name: String

    @Option(name: [.short, .long], help: "Read the table as a snapshot froze it.", completion: .custom(Completions.snapshotNames))
    var snapshot: String?

    @Option(name: [.customShort("n"), .customLong("rows")], help: "How many rows.")
    var count = 10

    @Option(help: ArgumentHelp("Only these columns, comma-separated.", valueName: "a,b"))
    var columns: String?

    @Flag(help: "Print the rows as a JSON list of objects.")
    var json = false

    func run() throws {
        guard count >= 0 else { throw CommandFailure("-n must be zero or more.") }
        let folio = try folioOptions.open(snapshot: snapshot)
        let selected = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let table = try selected.map { try folio.get(name, columns: $0) } ?? folio.get(name, as: Table.self)
        let shown = min(count, table.rowCount)
        if json {
            Terminal.printJSON(TableExport.json(table, rows: 0..<shown))
            return
        }
        let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 120
        Terminal.print(table.rows(0..<shown).preview(maxRows: shown, maxWidth: width))
        if table.rowCount > shown { Terminal.print("(\(shown) of \(table.rowCount) rows)") }
    }
}
