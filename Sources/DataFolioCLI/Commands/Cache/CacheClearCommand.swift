import ArgumentParser
import DataFolio
import Foundation

struct CacheClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear",
        abstract: "Remove every cached payload (they are downloaded again when needed).",
        discussion: """
            Examples:
              datafolio cache clear
            """)

    func run() throws {
        let removed = try PayloadCache.standard.clear()
        Terminal.print("✓ Removed \(removed.entryCount) cached payload\(removed.entryCount == 1 ? "" : "s") (\(ByteCountText.text(removed.totalBytes))) from \(removed.folder)")
    }
}
