import ArgumentParser
import DataFolio
import Foundation

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change an item's description or inputs without adding it again.",
        discussion: """
            -d "" removes the description and --inputs "" removes the inputs. When a snapshot includes
            the item, the snapshot keeps it as it was and the edit becomes a new version (sharing the
            stored file).

            Examples:
              datafolio edit predictions -d "Model predictions on the test set"
              datafolio edit final_model --inputs train_data,val_data
              datafolio edit temp -d ""
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The item.", completion: .custom(Completions.itemNames))
    var name: String

    @Option(name: [.short, .long], help: "The new description (\"\" removes it).")
    var description: String?

    @Option(help: ArgumentHelp(
        "The items this one was made from: comma-separated, and the option may repeat (\"\" removes them).", valueName: "a,b"))
    var inputs: [String] = []

    func run() throws {
        let newInputs: [String]? = inputs.isEmpty ? nil : NameList.parse(inputs)
        guard description != nil || newInputs != nil else {
            throw CommandFailure("Nothing to change: pass -d/--description or --inputs.")
        }
        let folio = try folioOptions.open()
        let item = try folio.updateItem(name, description: description, inputs: newInputs)
        Terminal.print("✓ Updated \(name)")
        Terminal.print("  Description: \(item.description ?? "(none)")")
        Terminal.print("  Inputs: \(item.inputs.isEmpty ? "(none)" : item.inputs.joined(separator: ", "))")
    }
}
