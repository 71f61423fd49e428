import ArgumentParser
import DataFolio
import Foundation

struct FoliosAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Register an alias for a folio.",
        discussion: """
            PATH defaults to the current folio (-f, $DATAFOLIO_PATH or the current folder). Remote URLs
            are accepted as they are.

            Examples:
              datafolio folios alias churn ~/analysis/churn-v3
              datafolio folios alias shared s3://lab/folios/shared
              datafolio -f ~/analysis/churn-v3 folios alias churn
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The alias: letters, digits, '.', '_' and '-'.", completion: .custom(Completions.aliases))
    var name: String

    @Argument(help: "The folio (default: the current folio).", completion: .directory)
    var path: String?

    @Flag(help: "Point an existing alias at this folio.")
    var overwrite = false

    func run() throws {
        let target = try path ?? folioOptions.location()
        if !FolioRegistry.isRemote(target) {
            // Only an existing folio gets an alias.
            _ = try DataFolio(at: target, options: .readOnly)
            RecentFolios.note(target)
        }
        let recorded = try FolioRegistry().setAlias(name, to: target, overwrite: overwrite)
        Terminal.print("\(Terminal.paint("✓", .green)) \(name) → \(recorded)")
    }
}
