import ArgumentParser
import DataFolio
import Foundation

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a file to the folio as the right kind of item.",
        discussion: """
            The kind follows the extension: .csv → table (types inferred), .parquet → table (the file
            is imported as is), .npy → array, .json → JSON value, .pt → PyTorch model
            (a state dict, with the class and init arguments when the file has them),
            .safetensors → tensor set, anything else → file (a copy; folders too).
            --as-file stores any file as a plain file; --reference records a .parquet or .csv file
            (or a folder of .parquet shards, or an s3:// / gs:// URI) without copying it.

            Examples:
              datafolio add results.json --name results --description "Per-run scores"
              datafolio add emb.npy --inputs clean,config
              datafolio add report.pdf --category reports
              datafolio add sales.csv --name sales
              datafolio add /data/events --reference --name events
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The file (or folder) to add.")
    var file: String

    @Option(name: [.short, .long], help: "The item name (default: the file name without its extension).")
    var name: String?

    @Option(name: [.short, .long], help: "One sentence about the item.")
    var description: String?

    @Option(help: ArgumentHelp("Names of the items this one was made from, comma-separated.", valueName: "a,b"))
    var inputs: String?

    @Option(help: "A category for plain files (shown by describe).")
    var category: String?

    @Flag(help: "Replace an existing item of the same name.")
    var overwrite = false

    @Flag(name: .customLong("as-file"), help: "Store the file as a plain file whatever its extension.")
    var asFile = false

    @Flag(help: "Record a table file, folder or URI without copying it.")
    var reference = false

    func run() throws {
        let folio = try folioOptions.open()
        if reference {
            let lowered = file.lowercased()
            let itemName = name ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let inputList = (inputs ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let item = try folio.add(
                itemName, reference: file, format: lowered.hasSuffix(".csv") ? .csv : .parquet, description: description,
                inputs: inputList, overwrite: overwrite)
            Terminal.print("✓ Added \(item.name) (\(item.itemType)) to '\(folio.location)'")
            return
        }
        let url = URL(fileURLWithPath: file)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw CommandFailure("File not found: \(file)")
        }
        let ext = url.pathExtension.lowercased()
        let itemName = name ?? url.deletingPathExtension().lastPathComponent
        let inputList = (inputs ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let item: CatalogItem
        switch (asFile || isFolder.boolValue) ? "" : ext {
        case "npy":
            let array = try NDArray(contentsOfNPY: url.path)
            item = try folio.add(itemName, array, description: description, inputs: inputList, overwrite: overwrite)
        case "csv":
            let table = try Table(csvFile: url.path)
            item = try folio.add(itemName, table, description: description, inputs: inputList, overwrite: overwrite)
        case "parquet", "pq":
            item = try folio.addParquetFile(itemName, from: url, description: description, inputs: inputList, overwrite: overwrite)
        case "pt", "pth":
            let value = try TorchFile.read(at: url.path)
            if let checkpoint = try? TorchModelCheckpoint(value) {
                item = try folio.addPyTorch(
                    itemName, stateDict: checkpoint.stateDictionary, modelClass: checkpoint.modelClass,
                    modelModule: checkpoint.modelModule, initArguments: checkpoint.initArguments.objectValue ?? [:],
                    description: description, inputs: inputList, overwrite: overwrite)
            } else {
                item = try folio.addPyTorch(
                    itemName, stateDict: try value.stateDictionary(), description: description, inputs: inputList, overwrite: overwrite)
            }
        case "safetensors":
            let file = try SafetensorsFile(contentsOf: url.path)
            item = try folio.add(
                itemName, tensors: file.tensors, metadata: file.metadata, description: description, inputs: inputList, overwrite: overwrite)
        case "json":
            let value = try JSONValue(parsing: try LocalFile.read(url.path), options: JSONParsingOptions(sourceName: file))
            item = try folio.add(itemName, value, description: description, inputs: inputList, overwrite: overwrite)
        default:
            item = try folio.addFile(
                itemName, from: url, category: category, description: description, inputs: inputList, overwrite: overwrite)
        }
        Terminal.print("✓ Added \(item.name) (\(item.itemType)) to '\(folio.location)'")
    }
}
