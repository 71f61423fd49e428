import ArgumentParser
import DataFolio
import Foundation

struct MetaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta",
        abstract: "Show or change the folio metadata.",
        discussion: """
            Values given to 'meta set' are read as JSON when they are valid JSON (0.01, true, [1, 2],
            {"a": 1}, "quoted text") and as text otherwise; --text keeps them as text.

            Examples:
              datafolio meta
              datafolio meta set experiment baseline
              datafolio meta set lr 0.01
              datafolio meta set layers '[64, 32]'
              datafolio meta unset lr
            """,
        subcommands: [MetaShowCommand.self, MetaSetCommand.self, MetaUnsetCommand.self],
        defaultSubcommand: MetaShowCommand.self)

    /// Keys every commit or the creating library maintains.
    static let bookkeepingKeys = ["updated_at", "_datafolio"]
}

struct MetaShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the folio metadata.")

    @OptionGroup var folioOptions: FolioOptions

    @Option(name: [.short, .long], help: "Show the metadata a snapshot recorded.", completion: .custom(Completions.snapshotNames))
    var snapshot: String?

    @Flag(help: "Print the metadata as a JSON object.")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(snapshot: snapshot)
        let metadata = folio.metadata
        if json {
            Terminal.printJSON(.object(metadata))
            return
        }
        if metadata.isEmpty {
            Terminal.print("No metadata.")
            return
        }
        let width = metadata.keys.map(\.count).max() ?? 0
        for (key, value) in metadata {
            let text: String
            if case .string(let string) = value { text = string } else { text = value.formatted(indented: false) }
            Terminal.print(Terminal.paint(key.padding(toLength: width, withPad: " ", startingAt: 0), .cyan) + "  " + text)
        }
    }
}
