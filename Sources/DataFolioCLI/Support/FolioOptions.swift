import ArgumentParser
import DataFolio
import Foundation

/// `-f/--folio` or `-a/--alias`: which folio a command works on.
struct FolioOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .long], help: ArgumentHelp(
        "The folio: a folder, or a URL such as s3://bucket/prefix (default: $DATAFOLIO_PATH, else the current folder).",
        valueName: "location"),
        completion: .directory)
    var folio: String?

    @Option(name: [.customShort("a"), .long], help: ArgumentHelp(
        "The folio registered under this alias (see 'datafolio folios list').", valueName: "alias"),
        completion: .custom(Completions.aliases))
    var alias: String?

    /// The folio location after applying the resolution order: alias, -f,
    /// $DATAFOLIO_PATH, the current folder.
    func location() throws -> String {
        if folio != nil && alias != nil {
            throw CommandFailure("Pass either --folio/-f or --alias/-a, not both.")
        }
        if let alias { return try FolioRegistry().location(ofAlias: alias) }
        if let folio { return folio }
        if let environment = ProcessInfo.processInfo.environment["DATAFOLIO_PATH"], !environment.isEmpty { return environment }
        return FileManager.default.currentDirectoryPath
    }

    /// Opens the existing folio; never creates one. The folio is remembered as recently
    /// used when the command succeeds.
    func open(readOnly: Bool = false) throws -> DataFolio {
        let folio = try DataFolio(at: try location(), options: readOnly ? [.readOnly] : [.doNotCreate])
        folio.warningHandler = { warning in Terminal.printError("warning: " + warning.message) }
        RecentFolios.note(folio.location)
        OpenedFolios.keep(folio)
        return folio
    }

    /// Opens the folio, or — with a snapshot name — a read-only view of that snapshot.
    func open(snapshot: String?) throws -> DataFolio {
        let folio = try open(readOnly: true)
        guard let snapshot else { return folio }
        return try folio.snapshot(snapshot)
    }
}

/// The folio a command used, recorded in the registry's recents after the command
/// succeeds (as the Python command does).
enum RecentFolios {
    nonisolated(unsafe) private static var used: String?

    static func note(_ location: String) {
        used = location
    }

    /// Records the folio noted, if any. Never fails the command.
    static func record() {
        guard let used else { return }
        FolioRegistry().recordRecent(used)
    }
}

/// The folios a command opened, held until the process exits: freeing the catalog of a
/// folio of 100,000 items entry by entry costs a tenth of a short command's time, and
/// the system takes the memory back at exit anyway.
enum OpenedFolios {
    nonisolated(unsafe) private static var folios: [DataFolio] = []
    private static let lock = NSLock()

    static func keep(_ folio: DataFolio) {
        lock.withLock { folios.append(folio) }
    }
}
