import ArgumentParser
import DataFolio
import Foundation

struct MetaSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set one metadata key (the value is JSON when it parses as JSON, else text).")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The key.")
    var key: String

    @Argument(help: "The value: JSON (0.01, true, [1, 2], {\"a\": 1}) or text.")
    var value: String

    @Flag(help: "Store the value as text even when it parses as JSON.")
    var text = false

    func run() throws {
        guard !key.isEmpty else { throw CommandFailure("The key cannot be empty.") }
        if MetaCommand.bookkeepingKeys.contains(key) {
            throw CommandFailure("'\(key)' is maintained by the folio itself and cannot be set.")
        }
        let parsed: JSONValue = text ? .string(value) : ((try? JSONValue(parsing: value)) ?? .string(value))
        let folio = try folioOptions.open()
        try folio.setMetadata(key, parsed)
        let shown: String
        if case .string(let string) = parsed { shown = "'\(string)' (text)" } else { shown = parsed.formatted(indented: false) }
        Terminal.print("✓ \(key) = \(shown)")
    }
}
