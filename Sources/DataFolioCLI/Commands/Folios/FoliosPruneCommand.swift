import ArgumentParser
import DataFolio
import Foundation

struct FoliosPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Drop aliases and recent entries whose local folder no longer exists.",
        discussion: "Remote folios are never pruned (checking them needs the network).")

    @OptionGroup(visibility: .hidden) var folioOptions: FolioOptions

    func run() throws {
        let removed = try FolioRegistry().prune()
        guard !removed.isEmpty else {
            Terminal.print("Nothing to prune.")
            return
        }
        for path in removed { Terminal.print("  \(Terminal.paint("✗", .red)) \(path)") }
        Terminal.print("\(Terminal.paint("✓", .green)) Pruned \(removed.count) missing folio(s)")
    }
}
