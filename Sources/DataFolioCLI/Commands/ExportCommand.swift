import ArgumentParser
import DataFolio
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an item's content to a file, or to standard output with --to -.",
        discussion: """
            The format follows the target's extension: tables → .csv, .json (a list of row objects;
            timestamps as ISO 8601, nulls as null) or .parquet; JSON items → .json; arrays → .npy or .json
            (nested lists); files → a copy (a folder item → a new folder); timestamps → .json or .txt;
            PyTorch models and tensor sets → .pt, .safetensors or .npz; other models → a copy of their file.
            Copies of stored files are checked against the catalog's MD5 while they are written
            (--no-verify skips the check). With --to -, the content goes to standard output (as the
            stored file, or as JSON for tables, JSON items, arrays and timestamps).

            An existing file is replaced only with --force; a symbolic link is then written through to
            the file it points at, and FIFOs and devices are written to, never replaced.

            Examples:
              datafolio export config --to config.json
              datafolio export embeddings --to emb.npy
              datafolio export clean --to - | head
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The item name.", completion: .custom(Completions.itemNames))
    var name: String

    @Option(name: [.short, .long], help: "Export the item as a snapshot froze it.", completion: .custom(Completions.snapshotNames))
    var snapshot: String?

    @Option(help: "The file to write, or - for standard output.", completion: .file())
    var to: String

    @Flag(help: "Replace the target file if it exists.")
    var force = false

    @Flag(name: .customLong("no-verify"), help: "Do not check stored files against their MD5 while copying.")
    var noVerify = false

    func run() throws {
        let folio = try folioOptions.open(snapshot: snapshot)
        let item = try folio.item(name)
        if item.kind == .artifact, item.fields["is_directory"]?.boolValue == true {
            guard to != "-" else { throw CommandFailure("'\(name)' is a folder; export it to a new folder path.") }
            try folio.copyFolderPayload(of: name, to: URL(fileURLWithPath: to))
            Terminal.print("✓ Exported \(name) to \(to)")
            return
        }
        let target = try ExportTarget(to, force: force)
        let ext = to == "-" ? "" : URL(fileURLWithPath: to).pathExtension.lowercased()
        let value = try folio.value(name)
        let copyStored = { () throws in try target.write { output in try folio.readPayload(of: name, into: output, verifyingChecksum: !noVerify) } }
        if let table = value.table {
            switch ext {
            case "csv": try target.write(try table.csvBytes())
            case "json", "": try target.write(TableExport.json(table).formattedBytes() + [0x0A])
            case "parquet":
                if item.kind == .includedTable { try copyStored() } else { try target.write(try table.parquetData()) }
            default: throw CommandFailure("Tables export to .csv, .json or .parquet, not '.\(ext)'.")
            }
        } else if let json = value.json {
            try target.write(json.formattedBytes() + [0x0A])
        } else if let array = value.array {
            switch ext {
            case "npy": try copyStored()
            case "json", "": try target.write(try array.jsonValue().formattedBytes() + [0x0A])
            default: throw CommandFailure("Arrays export to .npy or .json, not '.\(ext)'.")
            }
        } else if value.date != nil {
            let iso = item.fields["iso_string"]?.stringValue ?? ""
            if ext == "json" || ext == "" {
                try target.write(JSONValue.object(["iso_string": .string(iso)]).formattedBytes() + [0x0A])
            } else {
                try target.write(Array((iso + "\n").utf8))
            }
        } else if let tensors = value.tensors {
            let storedExtension = URL(fileURLWithPath: item.filename ?? "").pathExtension.lowercased()
            switch ext {
            case _ where ext == storedExtension || ext == "": try copyStored()
            case "pt", "pth": try target.write { output in try TorchFile.write(.stateDictionary(tensors), to: output) }
            case "safetensors": try target.write { output in try SafetensorsFile(tensors: tensors).write(to: output) }
            case "npz": try target.write { output in try NDArray.writeNPZ(tensors.map { ($0.name, $0.array) }, to: output, compressed: false) }
            default: throw CommandFailure("Tensors export to .pt, .safetensors or .npz, not '.\(ext)'.")
            }
        } else if value.model != nil || value.fileURL != nil {
            try copyStored()
        } else {
            throw CommandFailure("Items of type '\(item.itemType)' cannot be exported by this version.")
        }
        let message = "✓ Exported \(name) to \(to == "-" ? "standard output" : to)"
        if target.isStandardOutput { Terminal.printError(message) } else { Terminal.print(message) }
    }
}
