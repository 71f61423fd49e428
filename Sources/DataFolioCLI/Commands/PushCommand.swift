import ArgumentParser
import DataFolio
import Foundation

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy a whole folio to a bucket (or any other location).",
        discussion: """
            Copies the catalog, every item, every version kept for snapshots, and the snapshots.
            Payloads go first and the catalog last, so the copy appears at once; files already at
            the destination with the same MD5 are skipped, so running the command again after an
            interruption (or after changing the folio) only copies what is missing. The destination
            must be new, a partial copy, or an earlier copy of the same folio.

            A progress bar (bytes, rate, time left) is shown on standard error when it is a terminal.

            Examples:
              datafolio push runs/baseline s3://lab/runs/baseline
              datafolio push runs/baseline s3://http://127.0.0.1:8333/lab/baseline --quiet
            """)

    @Argument(help: "The folio to copy (usually a local folder).")
    var source: String

    @Argument(help: "Where to copy it (usually s3://bucket/prefix).")
    var destination: String

    @Flag(name: [.short, .long], help: "Show no progress bar and no summary.")
    var quiet = false

    @Flag(help: "Replace another folio (or other files) at the destination.")
    var replace = false

    func run() throws {
        try FolioCopyCommand.run(from: source, to: destination, quiet: quiet, replace: replace, verb: "Pushed")
    }
}
