import DataFolioSupport

extension Table {
    /// Reads CSV bytes (RFC 4180) with a header row, inferring column types.
    ///
    /// Fields may be quoted with `"` (doubled inside to mean one quote) and then hold
    /// delimiters and line breaks; lines end in LF, CRLF or CR; a UTF-8 byte order mark
    /// and blank lines are skipped. An empty unquoted field is null; `""` is an empty
    /// string in a text column and null in any other. Each column gets the first of these
    /// types that holds every non-null value: `int64`, `double`, `bool` (`true`/`false`,
    /// `True`/`False`, `TRUE`/`FALSE`), `date32[day]` (`YYYY-MM-DD`), `timestamp[us]` (ISO 8601 with `T`
    /// or a space, optional seconds, fraction and offset; `[ns]` when a value has more than
    /// six fraction digits; a column with offsets becomes UTC instants with time zone
    /// `UTC`), and otherwise `string`.
    ///
    /// ```swift
    /// let table = try Table(csv: Array("id,name\n1,Ada\n2,\"Hopper, Grace\"\n".utf8))
    /// ```
    /// - Throws: `corruptData` for rows with the wrong number of fields or an unclosed
    ///   quote (naming the line), `typeMismatch` when a value does not fit an explicit
    ///   column type, `invalidArgument` for a bad delimiter or an unknown column in
    ///   ``CSVReadOptions/columnTypes``.
    public init(csv bytes: [UInt8], options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        var result: Result<Table, DataFolioError> = .success(Table())
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                result = .success(try CSVReader.read(raw, options: options))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    /// Reads CSV from bytes in memory (for example a memory-mapped file); see ``init(csv:options:)``.
    ///
    /// ```swift
    /// let table = try bytes.withUnsafeBytes { try Table(csv: $0) }
    /// ```
    public init(csv buffer: UnsafeRawBufferPointer, options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        self = try CSVReader.read(buffer, options: options)
    }

    /// Reads CSV text; see ``init(csv:options:)-([UInt8],_)``.
    ///
    /// ```swift
    /// let table = try Table(csvText: "a;b\n1;2\n", options: CSVReadOptions(delimiter: ";"))
    /// ```
    public init(csvText: String, options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        try self.init(csv: Array(csvText.utf8), options: options)
    }

    /// Reads a CSV file, memory-mapped; see ``init(csv:options:)-([UInt8],_)``.
    ///
    /// ```swift
    /// let table = try Table(csvFile: "data/people.csv")
    /// ```
    /// - Throws: `fileNotFound` or `ioFailure` when the file cannot be read, and the
    ///   errors of ``init(csv:options:)-([UInt8],_)`` (with the path set).
    public init(csvFile path: String, options: CSVReadOptions = CSVReadOptions()) throws(DataFolioError) {
        let file = try MappedFile(path: path)
        do {
            self = try withExtendedLifetime(file) { () throws(DataFolioError) -> Table in
                try CSVReader.read(file.bytes, options: options)
            }
        } catch {
            var located = error
            located.message = "\(path): \(error.message)"
            located.path = path
            throw located
        }
    }

    /// The table as CSV bytes; see ``csvText(options:)``.
    ///
    /// ```swift
    /// try Data(try table.csvBytes()).write(to: URL(fileURLWithPath: "out.csv"))
    /// ```
    public func csvBytes(options: CSVWriteOptions = CSVWriteOptions()) throws(DataFolioError) -> [UInt8] {
        try CSVWriter.write(self, options: options)
    }

    /// The table as CSV text: a header row, then one line per row.
    ///
    /// Fields are quoted only when needed (they contain the delimiter, a quote or a line
    /// break, or are empty strings, which `""` tells apart from null; in a one-column table a
    /// null is also written `""` so its line is not blank); nulls are written as
    /// ``CSVWriteOptions/nullText``; numbers as the shortest text that reads back exactly;
    /// dates as `YYYY-MM-DD`; timestamps as ISO 8601 (`Z`-suffixed UTC when the column has a
    /// time zone); decimals exactly; binary as base64; lists in brackets.
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
