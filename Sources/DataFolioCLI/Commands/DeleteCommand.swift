import ArgumentParser
import DataFolio
import Foundation

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete items (versions pinned by snapshots are kept for them).",
        discussion: """
            Every name is checked first: if one does not exist, nothing is deleted.

            Examples:
              datafolio delete tmp1 tmp2 --yes
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The items to delete.", completion: .custom(Completions.itemNames))
    var names: [String]

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        let folio = try folioOptions.open()
        for name in names where !folio.contains(name) {
            throw CommandFailure("No item named '\(name)'; nothing was deleted.")
        }
        if !yes {
            guard isatty(STDIN_FILENO) != 0 else {
                throw CommandFailure("Refusing to delete without confirmation; pass --yes.")
            }
            FileHandle.standardOutput.write(Data("Delete \(names.count) item(s): \(names.joined(separator: ", "))? [y/N] ".utf8))
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                Terminal.print("Cancelled")
                return
            }
        }
        try folio.delete(names)
        Terminal.print("✓ Deleted \(names.joined(separator: ", "))")
    }
}
