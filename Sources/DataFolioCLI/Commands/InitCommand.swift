import ArgumentParser
import DataFolio
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new folio.",
        discussion: """
            Creates the folio folder (or uses an empty existing one) with its catalog items.json.
            An existing folio is left unchanged.

            Examples:
              datafolio init runs/baseline -d "Baseline model"
              mkdir demo && cd demo && datafolio init
            """)

    @Argument(help: "The folder to create the folio in (default: -f, $DATAFOLIO_PATH or the current folder).")
    var path: String?

    @Option(name: [.short, .long], help: "A description, stored in the folio metadata.")
    var description: String?

    @OptionGroup var folioOptions: FolioOptions

    func run() throws {
        let target = path ?? folioOptions.resolvedPath
        let itemsFile = target + "/items.json"
        if FileManager.default.fileExists(atPath: itemsFile) || FileManager.default.fileExists(atPath: target + "/metadata.json") {
            let folio = try DataFolio(at: target, options: .readOnly)
            Terminal.print("Folio already exists at \(target) (\(folio.itemNames.count) items); nothing was changed.")
            if description != nil {
                Terminal.print("The description was not applied; to change it use the folio metadata.")
            }
            return
        }
        var metadata: JSONObject = [:]
        if let description { metadata["description"] = .string(description) }
        let folio = try DataFolio(at: target, metadata: metadata)
        Terminal.print("✓ Created folio at \(folio.location)")
        if let description { Terminal.print("  Description: \(description)") }
        Terminal.print("  Add items with: datafolio -f \(folio.location) add FILE")
    }
}
