import ArgumentParser
import DataFolio
import Foundation

struct CacheInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show where the cache is, what it holds and its size limit.",
        discussion: """
            Examples:
              datafolio cache info
              datafolio cache info --json
            """)

    @Flag(help: "Print a JSON document: {\"folder\", \"entries\", \"bytes\", \"limit_bytes\"}.")
    var json = false

    func run() throws {
        let info = try PayloadCache.standard.info()
        if json {
            Terminal.printJSON([
                "folder": .string(info.folder), "entries": .int(Int64(info.entryCount)),
                "bytes": .int(Int64(info.totalBytes)), "limit_bytes": .int(Int64(info.sizeLimit)),
            ])
            return
        }
        Terminal.print("Cache:   \(info.folder)")
        Terminal.print("Entries: \(info.entryCount)")
        Terminal.print("Size:    \(ByteCountText.text(info.totalBytes)) of \(ByteCountText.text(info.sizeLimit))")
    }
}
