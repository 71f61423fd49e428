import ArgumentParser
import DataFolio
import Foundation

struct SnapshotRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Make the current state equal to a snapshot again.",
        discussion: """
            Items deleted since come back; items added or changed since are replaced (their versions
            stay if other snapshots pin them). On a terminal the command lists what will be discarded
            and asks; elsewhere it needs --yes.
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot to restore.", completion: .custom(Completions.snapshotNames))
    var name: String

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        let folio = try folioOptions.open()
        let plan = try folio.changes(since: name)
        if !yes {
            guard Terminal.canAsk else {
                throw CommandFailure("Restoring snapshot '\(name)' replaces the current items and metadata; pass --yes to confirm.")
            }
            if plan.isEmpty {
                Terminal.print("The folio already matches snapshot '\(name)'; nothing to restore.")
                return
            }
            Terminal.printError("Restoring snapshot '\(name)' discards the current state:")
            for item in plan.added { Terminal.printError("  - \(item) (added since; removed)") }
            for item in plan.modified { Terminal.printError("  ~ \(item) (changed since; the snapshot's version comes back)") }
            for item in plan.removed { Terminal.printError("  + \(item) (deleted since; comes back)") }
            for change in plan.metadataChanges { Terminal.printError("  ~ metadata '\(change.key)'") }
            guard Terminal.confirm("Restore '\(name)'?") else {
                Terminal.printError("Cancelled; nothing was changed.")
                throw ExitCode(1)
            }
        }
        try folio.restoreSnapshot(name)
        Terminal.print("✓ Restored snapshot '\(name)' (\(folio.itemNames.count) items)")
    }
}

struct SnapshotDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a snapshot.")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot to delete.", completion: .custom(Completions.snapshotNames))
    var name: String

    @Flag(help: "Also remove the versions that no remaining snapshot needs.")
    var cleanup = false

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        let folio = try folioOptions.open()
        _ = try folio.snapshotSummary(name)
        if !yes {
            guard Terminal.canAsk else {
                throw CommandFailure("Refusing to delete snapshot '\(name)' without confirmation; pass --yes.")
            }
            guard Terminal.confirm("Delete snapshot '\(name)'?") else {
                Terminal.printError("Cancelled; nothing was changed.")
                throw ExitCode(1)
            }
        }
        let collected = try folio.deleteSnapshot(name, removingOrphans: cleanup)
        Terminal.print("✓ Deleted snapshot '\(name)'")
        if cleanup { GarbageText.print(collected, dryRun: false) }
    }
}

struct SnapshotGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove versions no snapshot needs, and files the folio's writers left behind.",
        discussion: """
            Only files the folio's writers create are removed (payloads named <name>--r<N>.<ext> that no
            catalog entry refers to, and tmp*.tmp files of crashed writes); anything else found in
            tables/, models/ or artifacts/ is listed as not part of the folio and left alone.
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Flag(name: .customLong("dry-run"), help: "Only list what would be removed.")
    var dryRun = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: dryRun)
        GarbageText.print(try folio.collectGarbage(dryRun: dryRun), dryRun: dryRun)
    }
}

/// The report of a garbage collection.
enum GarbageText {
    static func print(_ collected: GarbageCollection, dryRun: Bool) {
        let verb = dryRun ? "Would remove" : "Removed"
        func list(_ title: String, _ paths: [String]) {
            guard !paths.isEmpty else { return }
            Terminal.print("\(title) (\(paths.count)):")
            for path in paths.prefix(10) { Terminal.print("  \(path)") }
            if paths.count > 10 { Terminal.print("  ... and \(paths.count - 10) more") }
        }
        if collected.removed.isEmpty {
            Terminal.print("Nothing to remove")
        } else {
            list("\(verb): versions no snapshot needs", collected.unpinnedVersions)
            list("\(verb): payloads no entry refers to", collected.orphanedPayloads)
            list("\(verb): temporary files of interrupted writes", collected.temporaryFiles)
        }
        list("Not part of the folio (left alone)", collected.foreignFiles)
    }
}

struct SnapshotExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a snapshot out as a new standalone folio.")

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The snapshot to export.", completion: .custom(Completions.snapshotNames))
    var name: String

    @Option(help: "Where to create the new folio (must not exist).")
    var to: String

    @Flag(name: .customLong("no-source"), help: "Do not record _source_snapshot in the new folio's metadata.")
    var noSource = false

    @Flag(help: "Show no progress bar (one shows on a terminal while payloads are copied).")
    var quiet = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let bar = TransferProgressBar(enabled: !quiet)
        let exported: DataFolio
        do {
            exported = try folio.exportSnapshot(name, to: to, recordingSource: !noSource) { bar.update($0) }
        } catch {
            bar.finish()
            throw error
        }
        bar.finish()
        Terminal.print("✓ Exported snapshot '\(name)' to \(exported.location) (\(exported.itemNames.count) items)")
    }
}
