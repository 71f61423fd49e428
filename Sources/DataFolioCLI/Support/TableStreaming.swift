import ArgumentParser
import DataFolio
import DataFolioArrow
import Foundation

/// `add`'s options for CSV and TSV files.
struct CSVImportOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The CSV field separator: one character, or 'tab' (default: detected among , ; tab and |; tab for .tsv).",
        valueName: "char"))
    var delimiter: String?

    @Option(name: .customLong("na-values"), help: ArgumentHelp(
        "Texts that also mean a missing value, comma-separated, besides pandas' defaults (empty, NA, N/A, null, NaN, None…); the option may repeat.",
        valueName: "a,b"))
    var naValues: [String] = []

    @Option(help: ArgumentHelp(
        "A CSV column's type instead of the inferred one, e.g. zip=string or price=decimal(10,2); the option may repeat.",
        valueName: "column=type"))
    var dtype: [String] = []

    @Option(help: ArgumentHelp("The CSV file's encoding: utf-8 (default) or latin-1.", valueName: "name"))
    var encoding: String?

    @Flag(name: .customLong("no-header"), help: "The CSV file has no header row (columns are named column_1, column_2, …).")
    var noHeader = false

    /// The reader options these flags ask for.
    func readOptions() throws -> CSVReadOptions {
        var options = CSVReadOptions()
        if let delimiter {
            switch delimiter.lowercased() {
            case "tab", "\\t", "\t": options.delimiter = "\t"
            default:
                guard delimiter.count == 1, let character = delimiter.first else {
                    throw CommandFailure("--delimiter takes one character (or 'tab'), not '\(delimiter)'.")
                }
                options.delimiter = character
            }
        }
        options.hasHeader = !noHeader
        options.nullSpellings = naValues.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for entry in dtype {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw CommandFailure("--dtype takes COLUMN=TYPE (for example zip=string), not '\(entry)'.")
            }
            let column = String(entry[..<equals])
            options.columnTypes[column] = try ColumnType(parsing: String(entry[entry.index(after: equals)...]))
        }
        if let encoding { options.encoding = try CSVEncoding(named: encoding) }
        return options
    }

    /// Whether any CSV option was given (they make no sense for other files).
    var isUsed: Bool { delimiter != nil || !naValues.isEmpty || !dtype.isEmpty || encoding != nil || noHeader }
}

/// A count written by a reading thread and read by the progress display.
final class SharedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func set(_ value: Int) {
        lock.lock()
        stored = value
        lock.unlock()
    }
}

/// A reader that records how far its base has read (bytes of a file) after each batch,
/// so progress can be shown while another thread reads.
struct MeasuredBatchReader<Base: TableBatchReader>: TableBatchReader {
    var base: Base
    let count: SharedCount
    let measure: (Base) -> Int

    var schema: TableSchema { base.schema }

    mutating func next() throws(DataFolioError) -> Table? {
        let batch = try base.next()
        count.set(measure(base))
        return batch
    }
}

/// Table files `add` streams into Parquet.
enum TableImport {
    /// Whether a file with this extension is a table `add` streams in.
    static func isStreamed(_ ext: String) -> Bool {
        ["csv", "tsv", "tab", "arrow", "feather", "ipc", "arrows"].contains(ext)
    }

    /// Streams the CSV, TSV or Arrow IPC file at `path` into a new table item, one batch
    /// at a time (the next batch is parsed while the current one is encoded).
    static func add(
        _ path: String, ext: String, as name: String, to folio: DataFolio, csv: CSVImportOptions,
        description: String?, inputs: [String], overwrite: Bool, quiet: Bool
    ) throws -> CatalogItem {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        let count = SharedCount()
        let bar = ProgressBar("Adding \(name)", total: size, unit: .bytes, quiet: quiet)
        defer { bar.finish() }
        if ["arrow", "feather", "ipc", "arrows"].contains(ext) {
            guard !csv.isUsed else { throw CommandFailure("--delimiter, --na-values, --dtype, --encoding and --no-header apply to CSV files only.") }
            let arrow = try ArrowIPCReader(path: path)
            let batches = PrefetchingBatchReader(MeasuredBatchReader(base: arrow, count: count, measure: { $0.bytesRead }))
            return try folio.add(name, batches: batches, description: description, inputs: inputs, overwrite: overwrite) { _ in
                bar.update(count.value)
            }
        }
        let scanBar = ProgressBar("Reading types of \(name)", total: size, unit: .bytes, quiet: quiet)
        let reader = try CSVReader(path: path, options: try csv.readOptions()) { scanned in scanBar.update(scanned) }
        scanBar.finish()
        let batches = PrefetchingBatchReader(MeasuredBatchReader(base: reader, count: count, measure: { $0.bytesRead }))
        return try folio.add(name, batches: batches, description: description, inputs: inputs, overwrite: overwrite) { _ in
            bar.update(count.value)
        }
    }
}

extension TableImport {
    /// Streams CSV from standard input into a new table item. A pipe is read once, so the
    /// column types come from its first batch; a redirected file is scanned whole first.
    static func addStandardInput(
        as name: String, to folio: DataFolio, csv: CSVImportOptions, description: String?, inputs: [String], overwrite: Bool,
        quiet: Bool
    ) throws -> CatalogItem {
        let count = SharedCount()
        let bar = ProgressBar("Adding \(name)", total: nil, unit: .bytes, quiet: quiet)
        defer { bar.finish() }
        let reader = try CSVReader(fileDescriptor: STDIN_FILENO, name: "standard input", options: try csv.readOptions())
        let batches = PrefetchingBatchReader(MeasuredBatchReader(base: reader, count: count, measure: { $0.bytesRead }))
        return try folio.add(name, batches: batches, description: description, inputs: inputs, overwrite: overwrite) { _ in
            bar.update(count.value)
        }
    }
}

/// `export` of a table, batch by batch.
enum TableExportStream {
    /// Writes the batches of `reader` to `output` as CSV, JSON (an array), JSON Lines or
    /// Parquet; returns the number of rows written.
    @discardableResult
    static func write<Reader: TableBatchReader>(
        _ reader: Reader, format: String, to output: any ByteOutput, progress: (Int) -> Void
    ) throws -> Int {
        let batches = PrefetchingBatchReader(reader)
        var writer: any TableBatchWriter
        switch format {
        case "csv": writer = try CSVTableWriter(output: output, schema: batches.schema)
        case "jsonl", "ndjson": writer = JSONTableWriter(output: output, schema: batches.schema, format: .lines)
        case "parquet", "pq": writer = try ParquetWriter(output: output)
        default: writer = JSONTableWriter(output: output, schema: batches.schema, format: .array)
        }
        var rows = 0
        var wroteAny = false
        while let batch = try batches.next() {
            try writer.write(batch)
            wroteAny = true
            rows += batch.rowCount
            progress(rows)
        }
        if !wroteAny { try writer.write(Table(schema: batches.schema)) }
        try writer.finish()
        return rows
    }
}
