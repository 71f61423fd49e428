import ArgumentParser
import DataFolio
import Foundation

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Copy a whole folio from a bucket or web server to a local folder.",
        discussion: """
            Copies the catalog, every item, every version kept for snapshots, and the snapshots.
            Payloads go first and the catalog last; files already in the folder with the same MD5 are
            skipped, so pulling again after an interruption (or to update a copy) only moves what is
            missing. The folder must be new, a partial copy, or an earlier copy of the same folio.

            A progress bar (bytes, rate, time left) is shown on standard error when it is a terminal.

            Examples:
              datafolio pull s3://lab/runs/baseline runs/baseline
              datafolio pull https://data.example.org/folios/churn churn --quiet
            """)

    @Argument(help: "The folio to copy (s3://…, https://… or a folder).")
    var source: String

    @Argument(help: "The local folder to copy it to.")
    var destination: String

    @Flag(name: [.short, .long], help: "Show no progress bar and no summary.")
    var quiet = false

    @Flag(help: "Replace another folio (or other files) in the folder.")
    var replace = false

    func run() throws {
        try FolioCopyCommand.run(from: source, to: destination, quiet: quiet, replace: replace, verb: "Pulled")
    }
}
