import ArgumentParser
import DataFolio
import Foundation

/// `-f/--folio`: which folio a command works on.
struct FolioOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .long], help: ArgumentHelp(
        "The folio folder (default: $DATAFOLIO_PATH, else the current folder).", valueName: "path"))
    var folio: String?

    /// The folio path after applying the resolution order.
    var resolvedPath: String {
        if let folio { return folio }
        if let environment = ProcessInfo.processInfo.environment["DATAFOLIO_PATH"], !environment.isEmpty { return environment }
        return FileManager.default.currentDirectoryPath
    }

    /// Opens the existing folio; never creates one.
    func open(readOnly: Bool = false) throws -> DataFolio {
        let path = resolvedPath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CommandFailure("Folio not found: \(path)")
        }
        guard isFolder.boolValue,
              FileManager.default.fileExists(atPath: path + "/items.json") || FileManager.default.fileExists(atPath: path + "/metadata.json")
        else {
            throw CommandFailure("Not a folio: \(path) has no items.json. Create one with 'datafolio init \(path)', or pass -f PATH.")
        }
        let folio = try DataFolio(at: path, options: readOnly ? [.readOnly] : [.doNotCreate])
        folio.warningHandler = { warning in Terminal.printError("warning: " + warning.message) }
        return folio
    }
}
