import ArgumentParser
import DataFolio
import Foundation

struct FoliosForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Remove a folio from the recently used list (its aliases are kept).",
        discussion: "Example: datafolio folios forget ~/scratch/tmp-folio")

    @OptionGroup(visibility: .hidden) var folioOptions: FolioOptions

    @Argument(help: "The folio's path or URL.", completion: .directory)
    var path: String

    func run() throws {
        guard try FolioRegistry().forget(path) else {
            throw CommandFailure("Not in the recent list: \(path)")
        }
        Terminal.print("\(Terminal.paint("✓", .green)) Forgot \(path)")
    }
}
