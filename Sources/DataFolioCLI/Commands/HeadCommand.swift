import ArgumentParser
import DataFolio
import Foundation

struct HeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print a table's first rows, aligned.",
        discussion: """
            A stored table is read only as far as the rows shown: its footer and the first row
            group of the columns shown. The rows fit the terminal's width (--wide shows every column).

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

    @Flag(help: "Show every column, however wide the rows get.")
    var wide = false

    func run() throws {
        guard count >= 0 else { throw CommandFailure("-n must be zero or more.") }
        let folio = try folioOptions.open(snapshot: snapshot)
        let selected = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let table: Table
        let total: Int
        let streamed = try folio.item(name).kind == .includedTable
            && (selected ?? []).allSatisfy { (try? folio.tableSchema(name))?[$0] != nil }
        if streamed {
            // Only the first row groups of the shown columns are read (nested field paths
            // such as `point.x` go through the whole-table reader instead).
            var batches = try folio.tableBatches(name, columns: selected).prefix(count)
            table = try batches.readAll()
            total = try folio.tableSchema(name).rowCount ?? table.rowCount
        } else {
            table = try selected.map { try folio.get(name, columns: $0) } ?? folio.get(name, as: Table.self)
            total = table.rowCount
        }
        let shown = min(count, table.rowCount)
        if json {
            Terminal.printJSON(TableExport.json(table, rows: 0..<shown))
            return
        }
        let width = wide ? Int.max : Terminal.width
        Terminal.print(table.rows(0..<shown).preview(maxRows: shown, maxWidth: width))
        if total > shown { Terminal.print("(\(shown) of \(total) rows)") }
    }
}
