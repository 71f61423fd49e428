import DataFolioSupport

extension Table {
    /// Reads CSV bytes with a header row, inferring column types; see ``CSVReader`` for
    /// the rules (pandas' `read_csv` defaults, with types inferred from every row).
    ///
    /// ```swift
    /// let table = try Table(csv: Array("id,name\n1,Ada\n2,\"Hopper, Grace\"\n".utf8))
    /// ```
    /// - Throws: `corruptData` for rows with too many fields, an unclosed quote or
    ///   invalid UTF-8 (naming the line), `typeMismatch` when a value does not fit an
    ///   explicit column type, `invalidArgument` for a bad delimiter or an unknown column
    ///   in ``CSVReadOptions/columnTypes``.
    public init(csv bytes: [UInt8], options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        self = try bytes.withBytesTyped { (raw) throws(DataFolioError) -> Table in
            try Table(csv: raw, options: options)
        }
    }

    /// Reads CSV from bytes in memory (for example a memory-mapped file); see ``init(csv:options:)``.
    ///
    /// ```swift
    /// let table = try bytes.withUnsafeBytes { try Table(csv: $0) }
    /// ```
    public init(csv buffer: UnsafeRawBufferPointer, options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        let reader = try CSVReader(memory: buffer, owner: nil, options: options, name: nil)
        var batches = reader
        self = try batches.readAll()
    }

    /// Reads CSV text; see ``init(csv:options:)-([UInt8],_)``.
    ///
    /// ```swift
    /// let table = try Table(csvText: "a;b\n1;2\n", options: CSVReadOptions(delimiter: ";"))
    /// ```
    public init(csvText: String, options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        try self.init(csv: Array(csvText.utf8), options: options)
    }

    /// Reads a whole CSV file, memory-mapped; see ``init(csv:options:)-([UInt8],_)``. A `.tsv` or
    /// `.tab` file is tab-separated unless the options say otherwise. For files larger
    /// than memory, read batches with ``CSVReader`` instead.
    ///
    /// ```swift
    /// let table = try Table(csvFile: "data/people.csv")
    /// ```
    /// - Throws: `fileNotFound` or `ioFailure` when the file cannot be read, and the
    ///   errors of ``init(csv:options:)-([UInt8],_)`` (with the path set).
    public init(csvFile path: String, options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        var options = options
        if options.delimiter == nil {
            let lowered = path.lowercased()
            if lowered.hasSuffix(".tsv") || lowered.hasSuffix(".tab") { options.delimiter = "\t" }
        }
        let file = try MappedFile(path: path)
        let reader = try CSVReader(memory: file.bytes, owner: file, options: options, name: path)
        var batches = reader
        self = try withExtendedLifetime(file) { () throws(DataFolioError) -> Table in try batches.readAll() }
    }

    /// The table as CSV bytes; see ``csvText(options:)``.
    ///
    /// ```swift
    /// try Data(try table.csvBytes()).write(to: URL(fileURLWithPath: "out.csv"))
    /// ```
    public func csvBytes(options: CSVWriteOptions = CSVWriteOptions()) throws(DataFolioError) -> [UInt8] {
        let output = MemoryOutput()
        let writer = try CSVTableWriter(output: output, schema: TableSchema(of: self), options: options)
        try writer.write(self)
        try writer.finish()
        return output.bytes
    }

    /// The table as CSV text: a header row, then one line per row; see ``CSVTableWriter``
    /// for how values are written.
    ///
    /// ```swift
    /// print(try table.csvText())
    /// ```
    /// - Throws: `invalidArgument` for a bad delimiter.
    public func csvText(options: CSVWriteOptions = CSVWriteOptions()) throws(DataFolioError) -> String {
        String(decoding: try csvBytes(options: options), as: UTF8.self)
    }

    /// Writes the table as a CSV file, atomically; see ``csvText(options:)``.
    ///
    /// ```swift
    /// try table.writeCSV(to: "out/people.csv")
    /// ```
    public func writeCSV(to path: String, options: CSVWriteOptions = CSVWriteOptions()) throws(DataFolioError) {
        try LocalFile.writeAtomically(try csvBytes(options: options), to: path)
    }
}
