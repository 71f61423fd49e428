import ArgumentParser
import DataFolio
import Foundation

/// `-f/--folio`: which folio a command works on.
struct FolioOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .long], help: ArgumentHelp(
        "The folio: a folder, or a URL such as s3://bucket/prefix (default: $DATAFOLIO_PATH, else the current folder).",
        valueName: "location"))
    var folio: String?

    /// The folio location after applying the resolution order.
    var resolvedLocation: String {
        if let folio { return folio }
        if let environment = ProcessInfo.processInfo.environment["DATAFOLIO_PATH"], !environment.isEmpty { return environment }
        return FileManager.default.currentDirectoryPath
    }

    /// Opens the existing folio; never creates one.
    func open(readOnly: Bool = false) throws -> DataFolio {
        let folio = try DataFolio(at: resolvedLocation, options: readOnly ? [.readOnly] : [.doNotCreate])
        folio.warningHandler = { warning in Terminal.printError("warning: " + warning.message) }
        return folio
    }
}
