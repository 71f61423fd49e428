import ArgumentParser
import DataFolio
import Foundation

struct MetaUnsetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove one metadata key.")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The key.")
    var key: String

    func run() throws {
        if MetaCommand.bookkeepingKeys.contains(key) || key == "created_at" {
            throw CommandFailure("'\(key)' is maintained by the folio itself and cannot be removed.")
        }
        let folio = try folioOptions.open()
        guard folio.metadata[key] != nil else {
            let keys = folio.metadata.keys.filter { !MetaCommand.bookkeepingKeys.contains($0) && $0 != "created_at" }
            throw CommandFailure("The folio metadata has no key '\(key)'." + (keys.isEmpty ? "" : " Keys: \(keys.joined(separator: ", "))."))
        }
        try folio.setMetadata(key, nil)
        Terminal.print("✓ Removed \(key)")
    }
}
