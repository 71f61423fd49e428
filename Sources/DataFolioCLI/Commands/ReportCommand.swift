import ArgumentParser
import DataFolio
import DataFolioReport
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report: lineage graph, item previews, snapshots.",
        discussion: """
            The report is one HTML file with everything inline (nothing is loaded from the network), so
            it can be mailed, attached to a CI run or kept next to the data. It shows the folio's
            metadata, the lineage graph (click a box to see the item), one card per item with a
            preview of its content, and the snapshots with what changed between them.

            An existing file is replaced only when it is a report written by this command, or with --force.

            Examples:
              datafolio report
              datafolio -f runs/baseline report --to baseline.html --open
              datafolio report --snapshot paper-v1 --to paper-v1.html
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Option(help: ArgumentHelp("The file to write (default: report.html in the current folder).", valueName: "file"))
    var to: String = "report.html"

    @Option(help: "Report a snapshot instead of the current state.")
    var snapshot: String?

    @Flag(help: "Open the report in the default browser (xdg-open, or open on macOS).")
    var open = false

    @Flag(help: "Replace the file even when it is not a report written by this command.")
    var force = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let target = URL(fileURLWithPath: to)
        try ReportOutput.checkReplaceable(target, force: force)
        let model = try ReportModel(folio: folio, snapshot: snapshot)
        let html = model.html()
        try ReportOutput.write(html, to: target)
        let count = model.items.count
        Terminal.print("✓ Wrote a report of \(count) item\(count == 1 ? "" : "s") to \(to) (\(ReportOutput.size(html.utf8.count)))")
        if open { ReportOutput.openInBrowser(target) }
    }
}

/// Writing report and lineage pages for the commands.
enum ReportOutput {
    /// Refuses to replace a link, a folder, or a file that is not a report (unless forced).
    static func checkReplaceable(_ target: URL, force: Bool) throws {
        let path = target.path
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
            let type = attributes[.type] as? FileAttributeType
            if type == .typeSymbolicLink {
                throw CommandFailure("\(path) is a symbolic link; reports are never written through links. Choose another file.")
            }
            if type == .typeDirectory {
                throw CommandFailure("\(path) is a folder; pass a file name such as \(path)/report.html.")
            }
            if !force {
                let head = (try? FileHandle(forReadingFrom: target).read(upToCount: 2048)).flatMap { $0 }.map { Array($0) } ?? []
                if !ReportModel.isReportPage(head) {
                    throw CommandFailure("\(path) already exists and is not a DataFolio report; pass --force to replace it.")
                }
            }
        }
    }

    /// Writes the page next to the target and renames it into place, so a reader never
    /// sees half a file.
    static func write(_ text: String, to target: URL) throws {
        let folder = target.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure("The folder \(folder.path) does not exist.")
        }
        do {
            try Data(text.utf8).write(to: target, options: .atomic)
        } catch {
            throw CommandFailure("Could not write \(target.path): \(error.localizedDescription)")
        }
    }

    /// Opens a file with the system's opener, or says how to open it.
    static func openInBrowser(_ target: URL) {
        #if os(macOS)
        let openers = ["open"]
        #else
        let openers = ["xdg-open"]
        #endif
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for opener in openers {
            for folder in searchPath.split(separator: ":") {
                let candidate = String(folder) + "/" + opener
                guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
                let process = Process()
                process.executableURL = URL(fileURLWithPath: candidate)
                process.arguments = [target.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                do {
                    try process.run()
                    process.waitUntilExit()
                    if process.terminationStatus == 0 {
                        Terminal.print("Opened it with \(opener).")
                        return
                    }
                } catch {}
                Terminal.printError("warning: \(opener) could not open \(target.path); open it in a browser.")
                return
            }
        }
        Terminal.printError("warning: no \(openers.joined(separator: " or ")) found to open the report; open \(target.path) in a browser.")
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024 ? "\((bytes + 1023) / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// `lineage --format svg`: the drawing alone, as an SVG document.
    static func lineageSVG(_ folio: DataFolio) throws -> String {
        try folio.lineageDiagram().svg()
    }

    /// `lineage --format html`: the drawing in a self-contained page.
    static func lineageHTML(_ folio: DataFolio) throws -> String {
        let location = folio.location.hasSuffix("/") ? String(folio.location.dropLast()) : folio.location
        let name = location.split(separator: "/").last.map(String.init) ?? location
        return try folio.lineageDiagram().htmlDocument(title: "Lineage of " + name)
    }
}
