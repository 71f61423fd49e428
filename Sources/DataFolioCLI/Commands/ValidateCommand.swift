import ArgumentParser
import DataFolio
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Re-hash every payload and check references; exit 1 if anything is damaged.")

    @OptionGroup var folioOptions: FolioOptions

    @Flag(help: "Print a JSON document: {\"valid\", \"items\": [{\"name\", \"status\", \"problem\"}]}.")
    var json = false

    @Flag(help: "Show no progress bar (one shows on a terminal when checking takes more than a second).")
    var quiet = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        var bar: ProgressBar?
        let report = folio.validate { progress in
            if bar == nil { bar = ProgressBar("Checking", total: progress.totalBytes, unit: .bytes, quiet: quiet || json) }
            bar?.update(progress.hashedBytes)
        }
        bar?.finish()
        if json {
            let items: [JSONValue] = report.results.map { result in
                [
                    "name": .string(result.name),
                    "version_id": result.versionID.map(JSONValue.string) ?? .null,
                    "current": .bool(result.isCurrent),
                    "status": .string(result.status.rawValue),
                    "problem": result.problem.map(JSONValue.string) ?? .null,
                ]
            }
            Terminal.printJSON(["valid": .bool(report.isValid), "items": .array(items)])
        } else {
            let current = report.results.filter(\.isCurrent)
            let retained = report.results.count - current.count
            let unchecked = report.results.filter { $0.status == .unchecked }
            var counts = "Items: \(current.count)"
            if retained > 0 { counts += ", versions kept for snapshots: \(retained)" }
            if report.isValid {
                Terminal.print("✓ Valid folio: \(folio.location)")
                Terminal.print("  \(counts) (all payloads verified\(unchecked.isEmpty ? "" : ", \(unchecked.count) not checked"))")
            } else {
                Terminal.print("✗ Invalid folio: \(folio.location)")
                Terminal.print("  \(counts) (\(report.damaged.count) failing)")
            }
            for result in report.results where result.status != .valid {
                let mark = result.isValid ? "?" : "✗"
                let version = result.isCurrent ? "" : " (version \(result.versionID ?? "?") kept for a snapshot)"
                Terminal.print("  \(mark) \(result.name)\(version): \(result.problem ?? "missing or corrupt payload")")
            }
        }
        if !report.isValid { throw ExitCode(1) }
    }
}
