import ArgumentParser
import DataFolio
import Foundation

struct SnapshotRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Make the current state equal to a snapshot again (needs --yes).",
        discussion: "Items deleted since come back; items added since go (their versions stay if other snapshots pin them).")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot to restore.")
    var name: String

    @Flag(name: [.short, .long], help: "Confirm: the current state is replaced.")
    var yes = false

    func run() throws {
        guard yes else {
            throw CommandFailure("Restoring replaces the current items and metadata; pass --yes to confirm.")
        }
        let folio = try folioOptions.open()
        try folio.restoreSnapshot(name, confirmed: true)
        Terminal.print("✓ Restored snapshot '\(name)' (\(folio.itemNames.count) items)")
    }
}

struct SnapshotDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a snapshot.")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot to delete.")
    var name: String

    @Flag(help: "Also remove the versions that no remaining snapshot needs.")
    var cleanup = false

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        let folio = try folioOptions.open()
        _ = try folio.snapshotRecord(name)
        if !yes {
            guard isatty(STDIN_FILENO) != 0 else {
                throw CommandFailure("Refusing to delete snapshot '\(name)' without confirmation; pass --yes.")
            }
            FileHandle.standardOutput.write(Data("Delete snapshot '\(name)'? [y/N] ".utf8))
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                Terminal.print("Cancelled")
                return
            }
        }
        let removed = try folio.deleteSnapshot(name, removingOrphans: cleanup)
        Terminal.print("✓ Deleted snapshot '\(name)'")
        if cleanup { Terminal.print("  Removed \(removed.count) orphaned file(s)") }
    }
}

struct SnapshotGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Remove versions no snapshot needs and files nothing refers to.")

    @OptionGroup var folioOptions: FolioOptions

    @Flag(name: .customLong("dry-run"), help: "Only list what would be removed.")
    var dryRun = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: dryRun)
        let removed = try folio.collectGarbage(dryRun: dryRun)
        if removed.isEmpty {
            Terminal.print("No orphaned versions found")
        } else if dryRun {
            Terminal.print("Would delete \(removed.count) orphaned version(s):")
            for path in removed.prefix(10) { Terminal.print("  \(path)") }
            if removed.count > 10 { Terminal.print("  ... and \(removed.count - 10) more") }
        } else {
            Terminal.print("✓ Deleted \(removed.count) orphaned version(s)")
        }
    }
}

struct SnapshotExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a snapshot out as a new standalone folio.")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot to export.")
    var name: String

    @Option(help: "Where to create the new folio (must not exist).")
    var to: String

    @Flag(name: .customLong("no-source"), help: "Do not record _source_snapshot in the new folio's metadata.")
    var noSource = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let exported = try folio.exportSnapshot(name, to: to, recordingSource: !noSource)
        Terminal.print("✓ Exported snapshot '\(name)' to \(exported.path) (\(exported.itemNames.count) items)")
    }
}
