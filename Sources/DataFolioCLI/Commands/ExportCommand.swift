import ArgumentParser
import DataFolio
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an item's content to a file.",
        discussion: """
            The format follows the target's extension: tables → .csv, .json (a list of row objects;
            timestamps as ISO 8601, nulls as null) or .parquet; JSON items → .json; arrays → .npy or .json
            (nested lists); files → a copy; timestamps → .json or .txt; PyTorch models and tensor
            sets → .pt, .safetensors or .npz; other models → a copy of their file.

            Examples:
              datafolio export config --to config.json
              datafolio export embeddings --to emb.npy
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The item name.")
    var name: String

    @Option(help: "The file to write.")
    var to: String

    @Flag(help: "Replace the target file if it exists.")
    var force = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let item = try folio.item(name)
        let target = URL(fileURLWithPath: to)
        if FileManager.default.fileExists(atPath: target.path) && !force {
            throw CommandFailure("\(to) already exists; pass --force to replace it.")
        }
        let ext = target.pathExtension.lowercased()
        switch item.kind {
        case .includedTable?, .referencedTable?:
            let table: Table = try folio.get(name)
            switch ext {
            case "csv":
                try write(try table.csvBytes(), to: target)
            case "json":
                try write(TableExport.json(table).formattedBytes() + [0x0A], to: target)
            case "parquet":
                if item.kind == .includedTable, let source = folio.location(of: item) {
                    try copy(URL(fileURLWithPath: source), to: target)
                } else {
                    try write(try table.parquetData(), to: target)
                }
            default:
                throw CommandFailure("Tables export to .csv, .json or .parquet, not '.\(ext)'.")
            }
        case .jsonData?:
            let value: JSONValue = try folio.get(name)
            try write(value.formattedBytes() + [0x0A], to: target)
        case .numpyArray?:
            let array: NDArray = try folio.get(name)
            switch ext {
            case "npy": try write(try array.npyData(), to: target)
            case "json": try write(try array.jsonValue().formattedBytes() + [0x0A], to: target)
            default: throw CommandFailure("Arrays export to .npy or .json, not '.\(ext)'.")
            }
        case .timestamp?:
            let date: Date = try folio.get(name)
            let iso = item.fields["iso_string"]?.stringValue ?? "\(date)"
            if ext == "json" {
                try write(JSONValue.object(["iso_string": .string(iso)]).formattedBytes() + [0x0A], to: target)
            } else {
                try write(Array((iso + "\n").utf8), to: target)
            }
        case _ where item.kind == .pytorchModel || (item.kind == .artifact && item.filename?.hasSuffix(".safetensors") == true):
            let tensors: TensorDictionary = try folio.get(name)
            switch ext {
            case "pt", "pth":
                if item.kind == .pytorchModel, let source = folio.location(of: item) {
                    try copy(URL(fileURLWithPath: source), to: target)
                } else {
                    try TorchFile.write(.stateDictionary(tensors), to: target.path)
                }
            case "safetensors":
                try SafetensorsFile(tensors: tensors).write(to: target.path)
            case "npz":
                try NDArray.writeNPZ(tensors.map { ($0.name, $0.array) }, toFile: target.path, compressed: false)
            default:
                throw CommandFailure("Tensors export to .pt, .safetensors or .npz, not '.\(ext)'.")
            }
        case .model?:
            guard let source = folio.location(of: item) else { throw CommandFailure("'\(name)' has no file.") }
            try copy(URL(fileURLWithPath: source), to: target)
        case .artifact?:
            let source: URL = try folio.get(name)
            try copy(source, to: target)
        default:
            throw CommandFailure("Items of type '\(item.itemType)' cannot be exported yet.")
        }
        Terminal.print("✓ Exported \(name) to \(to)")
    }

    private func copy(_ source: URL, to target: URL) throws {
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.copyItem(at: source, to: target)
    }

    private func write(_ bytes: [UInt8], to url: URL) throws {
        try LocalFile.writeAtomically(bytes, to: url.path, sync: false)
    }
}
