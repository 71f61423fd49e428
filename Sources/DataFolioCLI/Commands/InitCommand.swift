import ArgumentParser
import DataFolio
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new folio.",
        discussion: """
            Creates the folio folder (or uses an empty existing one) with its catalog items.json.
            An existing folio is left unchanged. A folder that holds other files is refused unless
            --allow-existing is given.

            Examples:
              datafolio init runs/baseline -d "Baseline model"
              mkdir demo && cd demo && datafolio init
            """)

    @Argument(help: "Where to create the folio (default: -f, $DATAFOLIO_PATH or the current folder).")
    var location: String?

    @Option(name: [.short, .long], help: "A description, stored in the folio metadata.")
    var description: String?

    @Flag(name: .customLong("allow-existing"), help: "Create the folio in a folder that already holds other files.")
    var allowExisting = false

    @OptionGroup var folioOptions: FolioOptions

    func run() throws {
        let target = location ?? folioOptions.resolvedLocation
        if let existing = try InitCommand.existingFolio(at: target) {
            Terminal.print("Folio already exists at \(target) (\(existing.itemNames.count) items); nothing was changed.")
            if description != nil {
                Terminal.print("The description was not applied; change the folio metadata instead.")
            }
            return
        }
        var metadata: JSONObject = [:]
        if let description { metadata["description"] = .string(description) }
        let folio = try DataFolio(at: target, options: allowExisting ? [.allowExistingFolder] : [], metadata: metadata)
        Terminal.print("✓ Created folio at \(folio.location)")
        if let description { Terminal.print("  Description: \(description)") }
        Terminal.print("  Add items with: datafolio -f \(folio.location) add FILE")
    }

    /// The folio at `location`, or `nil` when there is none yet.
    static func existingFolio(at location: String) throws(DataFolioError) -> DataFolio? {
        do {
            return try DataFolio(at: location, options: .readOnly)
        } catch {
            if error.code == .notAFolio { return nil }
            throw error
        }
    }
}
