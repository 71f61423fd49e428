import ArgumentParser
import DataFolio
import Foundation

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a file to the folio as the right kind of item.",
        discussion: """
            The kind follows the extension: .csv and .tsv → table (types inferred from the whole
            file, then converted and written as Parquet batch by batch, in memory bounded by a
            batch), .arrow/.feather → table (streamed the same way), .parquet → table (the file
            is imported as is), .npy → array, .json → JSON value, .pt → PyTorch model
            (a state dict, with the class and init arguments when the file has them),
            .safetensors → tensor set, anything else → file (a copy; folders too).
            FILE '-' reads a CSV table from standard input (--name is then required): a pipe
            is read once, so column types come from its first batch of rows, and a later value
            that does not fit names the --dtype that fixes it.
            --as-file stores any file as a plain file; --reference records a .parquet or .csv file
            (or a folder of .parquet shards, or an s3:// / https:// URI of one) without copying it.

            Examples:
              datafolio add results.json --name results --description "Per-run scores"
              datafolio add emb.npy --inputs clean,config
              datafolio add report.pdf --category reports
              datafolio add sales.csv --name sales
              datafolio add people.csv --dtype zip=string --na-values -,missing
              datafolio add export.txt.csv --delimiter ';' --encoding latin-1
              datafolio add /data/events --reference --name events
              zcat events.csv.gz | datafolio add - --name events
            """)

    @OptionGroup var folioOptions: FolioOptions

    @Argument(help: "The file (or folder) to add; '-' reads a CSV table from standard input.", completion: .file())
    var file: String

    @Option(name: [.short, .long], help: "The item name (default: the file name without its extension).")
    var name: String?

    @Option(name: [.short, .long], help: "One sentence about the item.")
    var description: String?

    @Option(help: ArgumentHelp("Names of the items this one was made from: comma-separated, and the option may repeat.", valueName: "a,b"))
    var inputs: [String] = []

    @Option(help: "A category for plain files (shown by describe).")
    var category: String?

    @Flag(help: "Replace an existing item of the same name.")
    var overwrite = false

    @Flag(name: .customLong("as-file"), help: "Store the file as a plain file whatever its extension.")
    var asFile = false

    @Flag(help: "Record a table file, folder of Parquet shards or URI without copying it.")
    var reference = false

    @OptionGroup(title: "CSV files") var csv: CSVImportOptions

    @Flag(help: "Show no progress bar (one shows on a terminal for long imports).")
    var quiet = false

    func run() throws {
        let folio = try folioOptions.open()
        let inputList = NameList.parse(inputs)
        let item: CatalogItem
        if file == "-" {
            item = try addStandardInput(to: folio, inputs: inputList)
        } else if reference {
            let format = try ReferenceFormat.check(file)
            item = try folio.add(
                name ?? ReferenceFormat.stem(of: file), reference: file, format: format, description: description,
                inputs: inputList, overwrite: overwrite)
        } else {
            item = try addCopy(to: folio, inputs: inputList)
        }
        Terminal.print("✓ Added \(item.name) (\(item.itemType)) to '\(folio.location)'")
    }

    /// `add -`: a CSV table from standard input.
    private func addStandardInput(to folio: DataFolio, inputs inputList: [String]) throws -> CatalogItem {
        guard let name else {
            throw CommandFailure("Reading standard input ('add -') needs the item's name: pass --name NAME.")
        }
        guard !reference, !asFile else {
            throw CommandFailure("Standard input ('add -') is read as a CSV table; --reference and --as-file need a file.")
        }
        return try TableImport.addStandardInput(
            as: name, to: folio, csv: csv, description: description, inputs: inputList, overwrite: overwrite, quiet: quiet)
    }

    private func addCopy(to folio: DataFolio, inputs inputList: [String]) throws -> CatalogItem {
        let url = URL(fileURLWithPath: file)
        let isFolder = try SourceCheck.isFolder(file)
        let ext = url.pathExtension.lowercased()
        let itemName = name ?? url.deletingPathExtension().lastPathComponent
        let kind = (asFile || isFolder) ? "" : ext
        if csv.isUsed && !["csv", "tsv", "tab"].contains(kind) {
            throw CommandFailure("--delimiter, --na-values, --dtype, --encoding and --no-header apply to CSV files only.")
        }
        switch kind {
        case "npy":
            let array = try NDArray(contentsOfNPY: url.path)
            return try folio.add(itemName, array, description: description, inputs: inputList, overwrite: overwrite)
        case let ext where TableImport.isStreamed(ext):
            return try TableImport.add(
                url.path, ext: ext, as: itemName, to: folio, csv: csv, description: description, inputs: inputList,
                overwrite: overwrite, quiet: quiet)
        case "parquet", "pq":
            return try folio.add(itemName, tableFile: url, description: description, inputs: inputList, overwrite: overwrite)
        case "pt", "pth":
            let value = try TorchFile.read(at: url.path)
            let model: PyTorchModel
            if let checkpoint = try? TorchModelCheckpoint(value) {
                model = PyTorchModel(
                    stateDict: checkpoint.stateDictionary, modelClass: checkpoint.modelClass, modelModule: checkpoint.modelModule,
                    initArguments: checkpoint.initArguments.objectValue ?? [:])
            } else {
                model = PyTorchModel(stateDict: try value.stateDictionary())
            }
            return try folio.add(itemName, model: model, description: description, inputs: inputList, overwrite: overwrite)
        case "safetensors":
            let tensors = try SafetensorsFile(contentsOf: url.path)
            return try folio.add(
                itemName, tensors.tensors, metadata: tensors.metadata, description: description, inputs: inputList, overwrite: overwrite)
        case "json":
            let bytes = try Data(contentsOf: url)
            let value = try JSONValue(parsing: Array(bytes), options: JSONParsingOptions(sourceName: file, exactNumbers: true))
            return try folio.add(itemName, value, description: description, inputs: inputList, overwrite: overwrite)
        default:
            return try folio.add(itemName, file: url, category: category, description: description, inputs: inputList, overwrite: overwrite)
        }
    }
}

/// What `add` may read: regular files and folders, never FIFOs or devices (a FIFO would
/// block forever, `/dev/zero` never ends).
enum SourceCheck {
    /// Whether `path` is a folder; throws for anything but a regular file or folder.
    static func isFolder(_ path: String) throws -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CommandFailure("File not found: \(path)") }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return true
        case S_IFREG: return false
        default: throw CommandFailure("\(path) is not a regular file or folder (a FIFO, device or socket); copy its content into a file first.")
        }
    }
}

/// What `add --reference` accepts: a Parquet or CSV table, or a folder of Parquet shards.
enum ReferenceFormat {
    static func check(_ location: String) throws -> TableFormat {
        let lowered = location.lowercased()
        if lowered.hasSuffix(".csv") || lowered.hasSuffix(".csv.gz") || lowered.hasSuffix(".tsv") { return .csv }
        if lowered.hasSuffix(".parquet") || lowered.hasSuffix(".pq") { return .parquet }
        let isRemote = FolioLocations.scheme(of: location) != nil && FolioLocations.scheme(of: location) != "file"
        if isRemote && location.hasSuffix("/") { return .parquet }
        if !isRemote, (try? SourceCheck.isFolder(location)) == true { return .parquet }
        throw CommandFailure(
            "--reference records tables only: a .parquet or .csv file, or a folder of .parquet shards; '\(location)' is none of these. Add it without --reference to store a copy.")
    }

    /// The default item name: the last path segment without its extension.
    static func stem(of location: String) -> String {
        let trimmed = location.hasSuffix("/") ? String(location.dropLast()) : location
        let last = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        return URL(fileURLWithPath: last).deletingPathExtension().lastPathComponent
    }
}
