/// How ``Table/init(csv:options:)-([UInt8],_)`` reads CSV text.
///
/// ```swift
/// var options = CSVReadOptions()
/// options.delimiter = ";"
/// options.columnTypes = ["zip": .string]       // keep leading zeros
/// options.nullSpellings = ["NA", "n/a"]
/// let table = try Table(csvFile: "people.csv", options: options)
/// ```
public struct CSVReadOptions: Sendable, Equatable {
    /// The field separator; must be a single ASCII character other than `"`, CR or LF.
    public var delimiter: Character = ","
    /// Whether the first record holds the column names. Without a header, columns are
    /// named `column_1`, `column_2`, ….
    public var hasHeader = true
    /// Types for some columns by name, used instead of inference (e.g. `.string` to keep
    /// leading zeros, `.int32`, `.decimal(precision: 10, scale: 2)`, `.dictionary(.string, ordered: false)`).
    public var columnTypes: [String: ColumnType] = [:]
    /// Whether to infer column types; when `false`, columns without an explicit type are strings.
    public var inferTypes = true
    /// Field texts that also mean null (an empty unquoted field is always null), e.g. `["NA", "null"]`.
    public var nullSpellings: [String] = []

    /// Options with the defaults: comma-separated, a header row, inferred types.
    public init() {}

    /// Options with a delimiter and header setting.
    ///
    /// ```swift
    /// let table = try Table(csvText: "a;b\n1;2\n", options: CSVReadOptions(delimiter: ";"))
    /// ```
    public init(delimiter: Character = ",", hasHeader: Bool = true, columnTypes: [String: ColumnType] = [:], nullSpellings: [String] = []) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.columnTypes = columnTypes
        self.nullSpellings = nullSpellings
    }
}

/// How ``Table/csvBytes(options:)`` writes CSV text.
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
