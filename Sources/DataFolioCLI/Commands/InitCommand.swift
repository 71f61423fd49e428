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

            With --alias NAME (or -a NAME), the folio is also registered under that
            name (see 'datafolio folios'), so other commands can target it with
            -a NAME from anywhere.

            Examples:
              datafolio init runs/baseline -d "Baseline model"
              datafolio init runs/baseline --alias baseline
              mkdir demo && cd demo && datafolio init
            """)

    @Argument(help: "Where to create the folio (default: -f, $DATAFOLIO_PATH or the current folder).")
    var location: String?

    @Option(name: [.short, .long], help: "A description, stored in the folio metadata.")
    var description: String?

    @Flag(name: .customLong("allow-existing"), help: "Create the folio in a folder that already holds other files.")
    var allowExisting = false

    // -f gives the location as an option; -a/--alias names the alias to register (there is
    // no folio to look up yet).
    @OptionGroup(visibility: .hidden) var folioOptions: FolioOptions

    func run() throws {
        let alias = folioOptions.alias
        if let alias { try FolioRegistry.validateAlias(alias) }
        let target = location ?? folioOptions.folio ?? ProcessInfo.processInfo.environment["DATAFOLIO_PATH"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.currentDirectoryPath
        if let existing = try InitCommand.existingFolio(at: target) {
            Terminal.print("Folio already exists at \(target) (\(existing.itemNames.count) items); nothing was changed.")
            if description != nil {
                Terminal.print("The description was not applied; change it with: datafolio meta set description TEXT")
            }
            if let alias { try registerAlias(alias, of: existing) }
            return
        }
        var metadata: JSONObject = [:]
        if let description { metadata["description"] = .string(description) }
        let folio = try DataFolio(at: target, options: allowExisting ? [.allowExistingFolder] : [], metadata: metadata)
        Terminal.print("✓ Created folio at \(folio.location)")
        if let description { Terminal.print("  Description: \(description)") }
        if let alias {
            try registerAlias(alias, of: folio)
            Terminal.print("  Add items with: datafolio -a \(alias) add FILE")
        } else {
            Terminal.print("  Add items with: datafolio -f \(folio.location) add FILE")
        }
        RecentFolios.note(folio.location)
    }

    private func registerAlias(_ alias: String, of folio: DataFolio) throws {
        let recorded = try folio.setAlias(alias)
        Terminal.print("  Alias: \(alias) → \(recorded)")
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
