import ArgumentParser
import DataFolio
import Foundation

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Hide items from listings without deleting them.",
        discussion: """
            Archived items are left out of list, describe, find and copy unless --include-archived is
            given; they can still be read, exported and validated, and snapshots still include them.
            Each argument is an item name or a shell pattern ('*' also matches '/'). Every name must
            exist; a pattern may match nothing.

            Examples:
              datafolio archive debug_output
              datafolio archive 'intermediate/*'
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "Item names or shell patterns.", completion: .custom(Completions.itemNames))
    var names: [String]

    func run() throws {
        try ArchiveCommand.change(archiving: true, names, folioOptions: folioOptions)
    }

    static func change(archiving: Bool, _ names: [String], folioOptions: FolioOptions) throws {
        guard !names.isEmpty else { throw CommandFailure("Name at least one item or pattern.") }
        let folio = try folioOptions.open()
        let changed = archiving ? try folio.archive(names) : try folio.unarchive(names)
        if changed.isEmpty {
            Terminal.print("No items match \(names.map { "'\($0)'" }.joined(separator: ", ")); nothing was changed.")
            return
        }
        Terminal.print("✓ \(archiving ? "Archived" : "Unarchived") \(changed.joined(separator: ", "))")
    }
}
