import ArgumentParser
import DataFolio
import Foundation

struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print an item: JSON pretty-printed, text files as they are, tables as their first rows.",
        discussion: """
            JSON items print as indented JSON, text files byte for byte, tables as 'head' shows them,
            arrays as nested JSON lists, timestamps as ISO 8601 text and Swift Codable models as their
            JSON. Binary files and models are refused: write them out with 'datafolio export'.

            Examples:
              datafolio cat config
              datafolio cat notes | less
              datafolio cat clean -n 20
              datafolio cat config --snapshot v1
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The item.", completion: .custom(Completions.itemNames))
    var name: String

    @Option(name: [.short, .long], help: "Print the item as a snapshot froze it.", completion: .custom(Completions.snapshotNames))
    var snapshot: String?

    @Option(name: [.customShort("n"), .customLong("rows")], help: "How many rows of a table.")
    var count = 10

    func run() throws {
        guard count >= 0 else { throw CommandFailure("-n must be zero or more.") }
        let folio = try folioOptions.open(snapshot: snapshot)
        let item = try folio.item(name)
        switch item.kind {
        case .artifact:
            try printFile(item, of: folio)
        case .includedTable, .referencedTable:
            let table = try folio.get(name, as: Table.self)
            let shown = min(count, table.rowCount)
            let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 120
            Terminal.print(table.rows(0..<shown).preview(maxRows: shown, maxWidth: width))
            if table.rowCount > shown { Terminal.print("(\(shown) of \(table.rowCount) rows)") }
        case .timestamp:
            if let text = item.fields["iso_string"]?.stringValue {
                Terminal.print(text)
            } else {
                Terminal.print(ISO8601DateFormatter().string(from: try folio.get(name, as: Date.self)))
            }
        default:
            let value = try folio.value(name)
            if let json = value.json ?? value.model?.json {
                Terminal.printJSON(json)
            } else if let array = value.array {
                Terminal.printJSON(try array.jsonValue())
            } else if let reason = value.unreadableReason {
                throw CommandFailure("'\(name)' cannot be printed: \(reason).")
            } else {
                throw CommandFailure(
                    "'\(name)' is a \(item.kind.displayName) item stored in a binary format; write it out with 'datafolio export \(name) --to FILE'.")
            }
        }
    }

    /// A text file as it is stored; a binary file (a NUL byte in its first 8000 bytes, the
    /// rule git uses) is refused before anything is printed.
    private func printFile(_ item: CatalogItem, of folio: DataFolio) throws {
        if item.fields["is_directory"]?.boolValue == true {
            throw CommandFailure("'\(name)' is a folder; list or copy it with 'datafolio export \(name) --to FOLDER'.")
        }
        let output = TextSniffingOutput(next: DescriptorOutput(descriptor: STDOUT_FILENO, path: "standard output", owned: false))
        do {
            try folio.readPayload(of: name, into: output)
            try output.finish()
        } catch let error as DataFolioError where error.code == .binaryContent {
            throw CommandFailure("'\(name)' is a binary file; write it out with 'datafolio export \(name) --to FILE'.")
        }
    }
}

extension DataFolioError.Code {
    /// Raised by the text check of `cat`.
    fileprivate static let binaryContent = Self("binaryContent")
}

/// Holds back the first 8000 bytes until it is clear they are text, then passes
/// everything through.
private final class TextSniffingOutput: ByteOutput {
    private let next: DescriptorOutput
    private var head: [UInt8] = []
    private var decided = false
    private static let window = 8000

    init(next: DescriptorOutput) {
        self.next = next
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        if decided {
            try next.write(bytes)
            return
        }
        head.append(contentsOf: bytes)
        if head.count >= TextSniffingOutput.window { try decide() }
    }

    /// Decides on what was held back (a short file) and flushes.
    func finish() throws {
        if !decided { try decide() }
        try next.flush()
    }

    private func decide() throws(DataFolioError) {
        if head.prefix(TextSniffingOutput.window).contains(0) {
            throw DataFolioError(.binaryContent, "The file is binary.")
        }
        decided = true
        try next.write(head)
        head = []
    }
}
