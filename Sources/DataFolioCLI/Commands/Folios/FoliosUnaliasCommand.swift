import ArgumentParser
import DataFolio
import Foundation

struct FoliosUnaliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unalias",
        abstract: "Remove an alias (the folio itself is untouched).",
        discussion: "Example: datafolio folios unalias churn")

    @OptionGroup(visibility: .hidden) var folioOptions: FolioOptions

    @Argument(help: "The alias.", completion: .custom(Completions.aliases))
    var name: String

    func run() throws {
        try FolioRegistry().removeAlias(name)
        Terminal.print("\(Terminal.paint("✓", .green)) Removed alias \(name)")
    }
}
