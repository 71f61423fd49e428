import ArgumentParser
import DataFolio
import Foundation

struct SnapshotCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Freeze the current state under a name.",
        discussion: "Example: datafolio snapshot create paper-v1 -d \"Figures 2–4\" -t paper --env")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot name: letters, digits, '.', '_' and '-' (at most 100).")
    var name: String

    @Option(name: [.short, .long], help: "A description.")
    var description: String?

    @Option(name: [.customShort("t"), .customLong("tag")], help: "A tag (repeat for several).")
    var tags: [String] = []

    @Flag(name: .customLong("no-git"), help: "Do not record the git commit of the current folder.")
    var noGit = false

    @Flag(name: .customLong("env"), help: "Record the Swift version, OS and architecture.")
    var environment = false

    @Flag(name: .customLong("exec"), help: "Record the current folder and command line.")
    var execution = false

    func run() throws {
        let folio = try folioOptions.open()
        var capture: SnapshotCapture = []
        if !noGit { capture.insert(.git) }
        if environment { capture.insert(.environment) }
        if execution { capture.insert(.execution) }
        let summary = try folio.createSnapshot(name, description: description, tags: tags, capture: capture)
        Terminal.print("✓ Created snapshot '\(summary.name)'")
        Terminal.print("  Items: \(summary.itemCount)")
        if let description = summary.description { Terminal.print("  Description: \(description)") }
        if !summary.tags.isEmpty { Terminal.print("  Tags: \(summary.tags.joined(separator: ", "))") }
        SnapshotText.warnAboutReferences(summary)
    }
}
