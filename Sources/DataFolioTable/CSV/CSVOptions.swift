import DataFolioSupport

/// How ``CSVReader`` (and ``Table/init(csv:options:)-([UInt8],_)``) read CSV text.
///
/// The defaults follow pandas' `read_csv`: comma-separated (or detected, see
/// ``delimiter``), a header row, pandas' missing-value spellings, inferred types.
///
/// ```swift
/// var options = CSVReadOptions()
/// options.delimiter = ";"
/// options.columnTypes = ["zip": .string]       // keep leading zeros
/// options.nullSpellings = ["-", "missing"]     // in addition to pandas' list
/// let table = try Table(csvFile: "people.csv", options: options)
/// ```
public struct CSVReadOptions: Sendable, Equatable {
    /// The field separator: a single ASCII character other than `"`, CR or LF. `nil`
    /// detects it: tab for a `.tsv` or `.tab` path, otherwise whichever of `,` `;` tab
    /// and `|` splits the first lines into the same number of fields (`,` when in doubt).
    public var delimiter: Character? = nil
    /// Whether the first record holds the column names. Without a header, columns are
    /// named `column_1`, `column_2`, ….
    public var hasHeader = true
    /// Types for some columns by name, used instead of inference (e.g. `.string` to keep
    /// leading zeros, `.int32`, `.decimal(precision: 10, scale: 2)`, `.dictionary(.string, ordered: false)`).
    public var columnTypes: [String: ColumnType] = [:]
    /// Whether to infer column types; when `false`, columns without an explicit type are strings.
    public var inferTypes = true
    /// Field texts that also mean null, in addition to pandas' list when
    /// ``usesDefaultNullSpellings`` is on (an empty unquoted field is always null).
    public var nullSpellings: [String] = []
    /// Whether pandas' default missing-value spellings mean null: ``defaultNullSpellings``.
    public var usesDefaultNullSpellings = true
    /// The character encoding of the input.
    public var encoding: CSVEncoding = .utf8
    /// Which rows decide the inferred column types.
    public var inferenceScope: CSVInferenceScope = .wholeInput
    /// The most rows in one batch from ``CSVReader/next()``.
    public var batchRowCount = 131_072
    /// The most bytes of CSV text behind one batch; a batch also ends here, so wide
    /// rows make smaller batches and memory stays bounded.
    public var batchByteLimit = 32 << 20

    /// pandas' default missing-value spellings (`pandas._libs.parsers.STR_NA_VALUES`).
    public static let defaultNullSpellings: [String] = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// Options with the defaults: a detected delimiter, a header row, inferred types.
    public init() {}

    /// Options with a delimiter and header setting.
    ///
    /// ```swift
    /// let options = CSVReadOptions(delimiter: "\t", columnTypes: ["zip": .string])
    /// ```
    public init(
        delimiter: Character? = nil, hasHeader: Bool = true, columnTypes: [String: ColumnType] = [:],
        nullSpellings: [String] = [], encoding: CSVEncoding = .utf8
    ) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.columnTypes = columnTypes
        self.nullSpellings = nullSpellings
        self.encoding = encoding
    }
}

/// The character encoding of CSV input.
///
/// ```swift
/// let options = CSVReadOptions(encoding: .latin1)
/// ```
public enum CSVEncoding: String, Sendable, Equatable, CaseIterable {
    /// UTF-8 (a byte order mark at the start is skipped). Invalid bytes are an error
    /// naming the line.
    case utf8 = "utf-8"
    /// ISO-8859-1: every byte is the character of the same number.
    case latin1 = "latin-1"

    /// The encoding named `name` the way Python spells it: `utf-8`, `utf8`, `latin-1`,
    /// `latin1`, `iso-8859-1`, any case.
    ///
    /// ```swift
    /// let encoding = try CSVEncoding(named: "Latin-1")   // .latin1
    /// ```
    /// - Throws: `invalidArgument` naming the encodings that can be read.
    public init(named name: String) throws(DataFolioError) {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8", "utf-8-sig": self = .utf8
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
        default:
            throw DataFolioError(
                .invalidArgument, "CSV: the encoding '\(name)' is not supported; use utf-8 (the default) or latin-1.")
        }
    }
}

/// Which rows decide the type of a column that has no explicit type.
///
/// ```swift
/// var options = CSVReadOptions()
/// options.inferenceScope = .firstBatch   // one pass, like pandas' chunks
/// ```
public enum CSVInferenceScope: Sendable, Equatable {
    /// Every row: the input is scanned once for types, then read again to convert. An
    /// input that can be read only once (standard input, a pipe) falls back to
    /// ``firstBatch``.
    case wholeInput
    /// The first batch only (``CSVReadOptions/batchRowCount`` rows); a later value that
    /// does not fit is an error of code `inferredTypeMismatch`.
    case firstBatch
}

/// How ``CSVTableWriter`` (and ``Table/csvBytes(options:)``) write CSV text.
///
/// ```swift
/// let text = try table.csvText(options: CSVWriteOptions(delimiter: "\t"))
/// ```
public struct CSVWriteOptions: Sendable, Equatable {
    /// The field separator; a single ASCII character other than `"`, CR or LF.
    public var delimiter: Character = ","
    /// Whether to write a header row with the column names.
    public var includeHeader = true
    /// The text written for nulls (empty by default, which CSV readers take as missing).
    public var nullText = ""
    /// The line ending: `"\n"` (default) or `"\r\n"`.
    public var lineEnding = "\n"

    /// Options with the defaults: comma-separated, a header row, LF line endings.
    public init() {}

    /// Options with a delimiter and header setting.
    ///
    /// ```swift
    /// let tsv = try table.csvText(options: CSVWriteOptions(delimiter: "\t", nullText: "NA"))
    /// ```
    public init(delimiter: Character = ",", includeHeader: Bool = true, nullText: String = "", lineEnding: String = "\n") {
        self.delimiter = delimiter
        self.includeHeader = includeHeader
        self.nullText = nullText
        self.lineEnding = lineEnding
    }
}
