import ArgumentParser
import DataFolio
import Foundation

struct UnarchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unarchive",
        abstract: "Show archived items in listings again.",
        discussion: """
            Each argument is an item name or a shell pattern ('*' also matches '/').

            Examples:
              datafolio unarchive debug_output
              datafolio unarchive 'intermediate/*'
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "Item names or shell patterns.", completion: .custom(Completions.itemNames))
    var names: [String]

    func run() throws {
        try ArchiveCommand.change(archiving: false, names, folioOptions: folioOptions)
    }
}
