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

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let report = folio.validate()
        if json {
            let items: [JSONValue] = report.results.map { result in
                [
                    "name": .string(result.name),
                    "status": .string(result.validation.status.rawValue),
                    "problem": result.validation.problem.map(JSONValue.string) ?? .null,
                ]
            }
            Terminal.printJSON(["valid": .bool(report.isValid), "items": .array(items)])
        } else if report.isValid {
            Terminal.print("✓ Valid folio: \(folio.path)")
            let unchecked = report.results.filter { $0.validation.status == .unchecked }
            Terminal.print("  Items: \(report.results.count) (all payloads verified\(unchecked.isEmpty ? "" : ", \(unchecked.count) remote not checked"))")
        } else {
            Terminal.print("✗ Invalid folio: \(folio.path)")
            Terminal.print("  Items: \(report.results.count) (\(report.damagedItems.count) failing)")
            for result in report.results where !result.validation.isValid {
                Terminal.print("  ✗ \(result.name): \(result.validation.problem ?? "missing or corrupt payload")")
            }
        }
        if !report.isValid { throw ExitCode(1) }
    }
}
