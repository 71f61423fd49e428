import ArgumentParser
import DataFolio
import Foundation

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show or clear the local cache of remote payloads.",
        discussion: """
            Payloads of remote folios that are memory-mapped or handed out as files (arrays, tensors,
            models, files) are kept in a local cache: $DATAFOLIO_CACHE_DIR, else $XDG_CACHE_HOME/datafolio
            or ~/.cache/datafolio (~/Library/Caches/datafolio on macOS). Its size limit is
            $DATAFOLIO_CACHE_SIZE (e.g. 20G; default 10 GiB); the least recently used entries go first.

            Examples:
              datafolio cache info
              datafolio cache clear
            """,
        subcommands: [CacheInfoCommand.self, CacheClearCommand.self],
        defaultSubcommand: CacheInfoCommand.self)
}
