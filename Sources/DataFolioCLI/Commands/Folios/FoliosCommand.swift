import ArgumentParser
import DataFolio
import Foundation

struct FoliosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folios",
        abstract: "Manage folio aliases and the list of recently used folios.",
        discussion: """
            The registry is $DATAFOLIO_HOME/registry.json (default ~/.datafolio/registry.json), the same
            file the Python datafolio uses: an alias set by either works in both. Folios used from the
            command line are remembered as recently used; 'datafolio find' searches them all.

            Examples:
              datafolio folios alias churn ~/analysis/churn-v3
              datafolio -a churn describe
              datafolio folios list
              datafolio folios prune
            """,
        subcommands: [
            FoliosListCommand.self, FoliosAliasCommand.self, FoliosUnaliasCommand.self, FoliosForgetCommand.self,
            FoliosPruneCommand.self,
        ])
}
