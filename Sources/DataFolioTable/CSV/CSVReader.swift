import DataFolioSupport
import Dispatch

/// Reads CSV text in batches of rows, with memory bounded by one batch.
///
/// The reader follows pandas' `read_csv` with its default options: `"` quotes fields
/// (doubled inside to mean one quote), which may then hold delimiters and line breaks;
/// lines end in LF, CRLF or CR; a UTF-8 byte order mark and blank lines are skipped; a
/// row with fewer fields than the header gets nulls for the missing ones, a row with
/// more is an error; pandas' spellings of missing values (``CSVReadOptions/defaultNullSpellings``)
/// are null, quoted or not, and so is an empty unquoted field.
///
/// Column types are inferred the way pandas does for numbers and booleans:
/// - `int64` when every value is an integer (an optional sign, digits, surrounding
///   blanks ignored); `uint64` when some are above `Int64.max` and none is negative;
///   text when they do not fit 64 bits. Missing values keep the column `int64` (as
///   pandas' nullable `Int64`), never turn it into doubles.
/// - `double` when every value is a number (decimal point, exponent, `inf`, `nan`).
/// - `bool` for `True`/`true`/`TRUE` and `False`/`false`/`FALSE`.
/// - `date32[day]` for `YYYY-MM-DD` dates and `timestamp[us]` for ISO 8601 date-times
///   (`T` or a space, optional seconds and fraction; `[ns]` with more than six fraction
///   digits; with `Z` or offsets, UTC instants with time zone `UTC`; a column that
///   mixes naive times and offsets stays text). pandas leaves these as text unless
///   asked to parse them; pyarrow reads them as dates and timestamps, as here.
/// - `double` for a column with no value at all (pandas' choice), and text otherwise.
///
/// Types are inferred from every row: a first pass scans the input, a second converts
/// it, so a value on line 4,000,000 cannot break a conversion. An input that can be read
/// only once (standard input, a pipe) is typed from its first batch instead; a later
/// value that does not fit is an error with code `inferredTypeMismatch` and a
/// `DataFolioError.location` naming the column, line and value. Explicit types
/// (``CSVReadOptions/columnTypes``) are never guessed.
///
/// Where this reader differs from pandas on purpose: a quoted empty field `""` in a
/// text column is an empty string, not null (so text written by ``CSVTableWriter``
/// reads back unchanged); integers stay integers when values are missing; text that
/// is not valid UTF-8 is refused with its line number instead of being replaced.
///
/// ```swift
/// let reader = try CSVReader(path: "big.csv")
/// print(reader.schema)
/// while let batch = try reader.next() {
///     print(batch.rowCount)
/// }
/// ```
public final class CSVReader: TableBatchReader {
    /// The columns of every batch.
    public private(set) var schema = TableSchema([])
    /// The field separator in use (given or detected).
    public private(set) var delimiter: Character = ","
    /// Whether the inferred types come from a scan of the whole input (rather than from
    /// the first batch of an input that can be read only once).
    public private(set) var typesInferredFromWholeInput = true
    /// The number of rows returned so far.
    public private(set) var rowsRead = 0
    /// The number of input bytes consumed so far in the converting pass, for progress.
    public var bytesRead: Int { window.bytesRead }
    /// The size of the input in bytes, when known.
    public let inputSize: Int?

    private let options: CSVReadOptions
    private let window: CSVInputWindow
    private let name: String?
    private let nulls: CSVNullSpellings
    private var tokenizer = CSVTokenizer(input: UnsafeBufferPointer(start: nil, count: 0), isFinal: true, delimiter: 44)
    private var spans = CSVSpanTable(columnCount: 0, capacity: 16)
    private var unescaped: [UInt8] = []
    private var rowLines: [Int] = []
    private var types: [ColumnType] = []
    private var origins: [CSVTypeOrigin] = []
    /// Whether ``spans`` hold a batch read while inferring types, not yet returned.
    private var pending = false
    private var finished = false
    private var columnCount = 0

    /// Opens the CSV file at `path` and reads its header and, to infer the column
    /// types, all of it once (`scanProgress`, if given, is told how many bytes have been
    /// scanned).
    ///
    /// A `.tsv` or `.tab` file is tab-separated unless ``CSVReadOptions/delimiter`` says
    /// otherwise. A path that is a FIFO is read once (types from the first batch).
    ///
    /// ```swift
    /// let reader = try CSVReader(path: "data.tsv")
    /// ```
    /// - Throws: `fileNotFound`/`ioFailure` for an unreadable file, `corruptData` for
    ///   malformed CSV or invalid UTF-8 (naming the line), `invalidArgument` for options
    ///   that do not fit the file. Messages start with the path.
    public convenience init(
        path: String, options: CSVReadOptions = CSVReadOptions(), scanProgress: ((_ bytesScanned: Int) -> Void)? = nil
    ) throws(DataFolioError) {
        var options = options
        if options.delimiter == nil {
            let lowered = path.lowercased()
            if lowered.hasSuffix(".tsv") || lowered.hasSuffix(".tab") { options.delimiter = "\t" }
        }
        try self.init(input: try FileInput(path: path), options: options, name: path, scanProgress: scanProgress)
    }

    /// Reads CSV from a descriptor that is already open, such as standard input (0); it
    /// is not closed. A pipe or a terminal is read once (types from the first batch); a
    /// regular file is read from its current offset and scanned whole first.
    ///
    /// ```swift
    /// let reader = try CSVReader(fileDescriptor: 0, name: "standard input")
    /// ```
    public convenience init(
        fileDescriptor: Int32, name: String, options: CSVReadOptions = CSVReadOptions(),
        scanProgress: ((_ bytesScanned: Int) -> Void)? = nil
    ) throws(DataFolioError) {
        try self.init(
            input: FileInput(fileDescriptor: fileDescriptor, name: name), options: options, name: name, scanProgress: scanProgress)
    }

    /// Reads CSV from any byte input (one that can be rewound is scanned whole first).
    ///
    /// ```swift
    /// let reader = try CSVReader(input: myInput)
    /// ```
    public convenience init(
        input: any ByteInput, options: CSVReadOptions = CSVReadOptions(), scanProgress: ((_ bytesScanned: Int) -> Void)? = nil
    ) throws(DataFolioError) {
        try self.init(input: input, options: options, name: nil, scanProgress: scanProgress)
    }

    private init(
        input: any ByteInput, options: CSVReadOptions, name: String?, scanProgress: ((Int) -> Void)?
    ) throws(DataFolioError) {
        self.options = options
        self.name = name
        nulls = CSVNullSpellings(options)
        inputSize = input.size
        let start = min(max(options.batchByteLimit, 1 << 16), 8 << 20)
        window = CSVInputWindow(input: input, encoding: options.encoding, capacity: start * 2)
        try located { () throws(DataFolioError) in try prepare(scanProgress: scanProgress) }
    }

    /// Reads CSV bytes held in memory (they must stay valid while the reader is used;
    /// `owner` is kept alive for that).
    init(memory: UnsafeRawBufferPointer, owner: AnyObject?, options: CSVReadOptions, name: String?) throws(DataFolioError) {
        var options = options
        options.batchRowCount = Int.max
        options.batchByteLimit = Int.max
        self.options = options
        self.name = name
        nulls = CSVNullSpellings(options)
        inputSize = memory.count
        window = CSVInputWindow(memory: memory, encoding: options.encoding, owner: owner)
        try located { () throws(DataFolioError) in try prepare(scanProgress: nil) }
    }

    /// Runs `body`, putting the input's path in front of any error message.
    private func located<T>(_ body: () throws(DataFolioError) -> T) throws(DataFolioError) -> T {
        do {
            return try body()
        } catch {
            guard let name, error.path == nil else { throw error }
            var located = error
            located.problem = "\(name): \(error.problem)"
            located.path = name
            throw located
        }
    }

    // MARK: Batches

    /// The next batch of at most ``CSVReadOptions/batchRowCount`` rows, or `nil` after the last.
    ///
    /// - Throws: `corruptData` for malformed CSV or invalid UTF-8, `typeMismatch` when a
    ///   value does not fit an explicit column type, `inferredTypeMismatch` when it does
    ///   not fit an inferred one. Each names the line.
    public func next() throws(DataFolioError) -> Table? {
        guard !finished else { return nil }
        return try located { () throws(DataFolioError) -> Table? in
            // After an error the position is unknown: nothing more can be read.
            finished = true
            if !pending {
                guard try readBatch() > 0 else {
                    finished = true
                    return nil
                }
            }
            pending = false
            let batch = try convertBatch()
            rowsRead += batch.rowCount
            finished = false
            return batch
        }
    }

    // MARK: Setup

    private func prepare(scanProgress: ((Int) -> Void)?) throws(DataFolioError) {
        // Enough of the input to see the byte order mark and guess the delimiter.
        while window.count < (64 << 10), try window.fill() {}
        let dataStart = skipByteOrderMark()
        try checkForUTF16()
        let delimiterByte: UInt8
        if let given = options.delimiter {
            delimiterByte = try CSVReader.delimiterByte(given)
        } else {
            delimiterByte = CSVDelimiterDetection.detect(window.bytes, from: dataStart, isFinal: window.isFinal)
        }
        delimiter = Character(Unicode.Scalar(delimiterByte))
        tokenizer = CSVTokenizer(input: window.bytes, isFinal: window.isFinal, delimiter: delimiterByte)
        tokenizer.position = dataStart
        guard let header = try readHeader() else {
            finished = true
            return
        }
        columnCount = header.count
        let names: [String] = options.hasHeader ? CSVReader.uniqueNames(header) : (1...header.count).map { "column_\($0)" }
        let unknown = Set(options.columnTypes.keys).subtracting(names)
        if let missing = unknown.sorted().first {
            var error = TableSchema.unknownColumn(missing, in: names)
            error.problem = "CSV: a type was given for a column that the file does not have. " + error.problem
            throw error
        }
        for (column, type) in options.columnTypes.sorted(by: { $0.key < $1.key }) where !CSVColumnConverter.canConvert(to: type) {
            throw CSVColumnConverter.unsupported(column, type)
        }
        spans = CSVSpanTable(columnCount: columnCount, capacity: min(options.batchRowCount, 4096))
        types = names.map { options.columnTypes[$0] ?? .string }
        origins = names.map { _ in .explicit }
        let inferred = options.inferTypes ? names.indices.filter { options.columnTypes[names[$0]] == nil } : []
        if !inferred.isEmpty {
            try inferTypes(of: inferred, scanProgress: scanProgress)
        }
        schema = TableSchema(zip(names, types).map { TableSchema.Field(name: $0, type: $1) })
    }

    /// Skips a UTF-8 byte order mark; returns where the text starts.
    private func skipByteOrderMark() -> Int {
        let bytes = window.bytes
        if options.encoding == .utf8, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return 3 }
        return 0
    }

    private func checkForUTF16() throws(DataFolioError) {
        let bytes = window.bytes
        guard options.encoding == .utf8, bytes.count >= 2 else { return }
        if (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw DataFolioError(
                .corruptData,
                "CSV: the text is UTF-16 (it starts with a UTF-16 byte order mark); convert it to UTF-8 first.",
                location: DataFolioError.Location(line: 1))
        }
    }

    /// Reads the first record; returns its fields, or `nil` for an input without records.
    /// Without a header, the position stays at the start of the record.
    private func readHeader() throws(DataFolioError) -> [String]? {
        var record = CSVRecordSpans()
        while true {
            switch tokenizer.skipBlankLines() {
            case .end: return nil
            case .needMore:
                try refill(keeping: tokenizer.position, &tokenizer, &spans)
                continue
            case .record: break
            }
            let start = tokenizer.position
            let line = tokenizer.line
            record.spans.removeAll()
            unescaped.removeAll(keepingCapacity: true)
            guard let count = try tokenizer.readRecord(into: &record, unescaped: &unescaped) else {
                tokenizer.position = start
                tokenizer.line = line
                try refill(keeping: start, &tokenizer, &spans)
                continue
            }
            try checkUTF8(start..<tokenizer.position, firstLine: line, tokenizer)
            let bytes = window.bytes
            let fields = record.spans.prefix(count).map { span -> String in
                let range = span.start..<span.start + Int(span.length)
                if span.flags & CSVSpan.unescaped != 0 { return String(decoding: unescaped[range], as: UTF8.self) }
                if span.length == 0 { return "" }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            unescaped.removeAll(keepingCapacity: true)
            if !options.hasHeader {
                tokenizer.position = start
                tokenizer.line = line
            }
            return fields
        }
    }

    /// Infers the types of `columns`: over the whole input when it can be read twice,
    /// otherwise over the first batch.
    private func inferTypes(of columns: [Int], scanProgress: ((Int) -> Void)?) throws(DataFolioError) {
        var states = [CSVTypeInference](repeating: CSVTypeInference(), count: columnCount)
        let wholeInput = options.inferenceScope == .wholeInput && window.canRewind
        typesInferredFromWholeInput = wholeInput
        let dataStart = tokenizer.position
        let dataLine = tokenizer.line
        var batches = 0
        while true {
            let rows = try readBatch()
            if rows == 0 { break }
            batches += 1
            try withAccess { (access) throws(DataFolioError) in
                // Columns are independent: look at them side by side.
                let accesses = UnsafeSendableBox(columns.map { (column: $0, access: access($0)) })
                let nulls = UnsafeSendableBox(self.nulls)
                states.withUnsafeMutableBufferPointer { buffer in
                    let out = UnsafeSendableBox(buffer)
                    DispatchQueue.concurrentPerform(iterations: accesses.value.count) { k in
                        let (column, access) = accesses.value[k]
                        out.value[column].observe(access, nulls: nulls.value)
                    }
                }
            }
            if !wholeInput {
                pending = true
                for column in columns {
                    types[column] = states[column].resolved(emptyIsText: true)
                    origins[column] = .firstRows(rows)
                }
                return
            }
            scanProgress?(window.bytesRead)
            if batches == 1 && atEndOfInput() {
                // The whole input fit in one batch: convert it as it is, without a second pass.
                pending = true
                break
            }
        }
        for column in columns {
            // Columns of an input without rows are text, as in pandas; with rows but no
            // value, double.
            types[column] = states[column].resolved(emptyIsText: batches == 0)
            origins[column] = .wholeInput
        }
        if !pending && batches > 0 {
            try window.rewind()
            while window.count < (64 << 10), try window.fill() {}
            tokenizer.input = window.bytes
            tokenizer.isFinal = window.isFinal
            tokenizer.position = skipByteOrderMark()
            tokenizer.line = 1
            // Past the header, or (without one) to the first record.
            _ = try readHeader()
            guard tokenizer.position == dataStart, tokenizer.line == dataLine else {
                throw DataFolioError(
                    .corruptData, "CSV: the input changed while it was read (its header moved). Read it again.")
            }
        }
    }

    /// Whether only blank lines are left in an input that is wholly in the window.
    private func atEndOfInput() -> Bool {
        guard window.isFinal else { return false }
        var probe = tokenizer
        return probe.skipBlankLines() == .end
    }

    // MARK: Tokenizing

    /// Drops the window's bytes before `offset`, reads more, and points the tokenizer
    /// (and the spans of the batch being read) at the moved bytes.
    private func refill(
        keeping offset: Int, _ tokenizer: inout CSVTokenizer, _ spans: inout CSVSpanTable
    ) throws(DataFolioError) {
        let moved = window.discard(before: offset)
        if moved > 0 {
            spans.shiftSpans(by: moved)
            tokenizer.position -= moved
        }
        try window.fill()
        tokenizer.input = window.bytes
        tokenizer.isFinal = window.isFinal
    }

    /// Reads up to a batch of records into ``spans``; returns how many.
    private func readBatch() throws(DataFolioError) -> Int {
        // The hot loop works on local copies (no exclusivity checks on every field).
        var tokenizer = self.tokenizer
        var spans = self.spans
        var unescaped: [UInt8] = []
        var rowLines: [Int] = []
        swap(&unescaped, &self.unescaped)
        swap(&rowLines, &self.rowLines)
        defer {
            self.tokenizer = tokenizer
            self.spans = spans
            swap(&unescaped, &self.unescaped)
            swap(&rowLines, &self.rowLines)
        }
        spans.removeAll()
        unescaped.removeAll(keepingCapacity: true)
        rowLines.removeAll(keepingCapacity: true)
        var batchStart = tokenizer.position
        let batchLine = tokenizer.line
        let rowLimit = options.batchRowCount
        let byteLimit = options.batchByteLimit
        let columnCount = self.columnCount
        records: while spans.rowCount < rowLimit && tokenizer.position - batchStart < byteLimit {
            switch tokenizer.skipBlankLines() {
            case .end: break records
            case .needMore:
                let before = tokenizer.position
                try refill(keeping: batchStart, &tokenizer, &spans)
                batchStart -= before - tokenizer.position
                continue
            case .record: break
            }
            let start = tokenizer.position
            let line = tokenizer.line
            let unescapedCount = unescaped.count
            spans.reserveRecord()
            guard let found = try tokenizer.readRecord(into: &spans, unescaped: &unescaped) else {
                tokenizer.position = start
                tokenizer.line = line
                unescaped.removeSubrange(unescapedCount...)
                try refill(keeping: batchStart, &tokenizer, &spans)
                batchStart -= start - tokenizer.position
                continue
            }
            if found > columnCount {
                throw DataFolioError(
                    .corruptData,
                    "CSV: line \(line) has more than \(columnCount) fields but \(options.hasHeader ? "the header has" : "the first line has") \(columnCount). "
                        + "Quote fields that contain the delimiter (\(CSVReader.describe(tokenizer.delimiter))).",
                    location: DataFolioError.Location(line: line))
            }
            if found < columnCount { spans.storeMissing(from: found) }
            spans.finishRecord()
            rowLines.append(line)
        }
        try checkUTF8(batchStart..<tokenizer.position, firstLine: batchLine, tokenizer)
        return spans.rowCount
    }

    /// Refuses bytes that are not UTF-8, naming the line.
    private func checkUTF8(_ range: Range<Int>, firstLine: Int, _ tokenizer: CSVTokenizer) throws(DataFolioError) {
        guard options.encoding == .utf8, let bad = UTF8Check.firstInvalid(window.bytes, in: range) else { return }
        let line = firstLine + tokenizer.lineBreaks(in: range.lowerBound..<bad)
        let byte = window.bytes[bad]
        let hex = String(byte, radix: 16, uppercase: true)
        throw DataFolioError(
            .corruptData,
            "CSV: line \(line) is not valid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex) at offset \(window.streamOffset + bad)).",
            remedy: .csvEncoding, location: DataFolioError.Location(line: line))
    }

    // MARK: Converting

    /// Calls `body` with a function giving the field access of each column of the batch.
    private func withAccess(
        _ body: ((Int) -> CSVFieldAccess) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        let input = window.bytes.baseAddress
        let spans = self.spans
        try unescaped.withBufferTyped { (buffer) throws(DataFolioError) in
            try body { column in CSVFieldAccess(spans: spans.spans(column), input: input, unescaped: buffer.baseAddress) }
        }
    }

    private func convertBatch() throws(DataFolioError) -> Table {
        let names = schema.names
        let lines = rowLines
        let count = columnCount
        var results = [Result<Column, DataFolioError>?](repeating: nil, count: count)
        try withAccess { access in
            let converters = (0..<count).map { column in
                CSVColumnConverter(
                    name: names[column], access: access(column), nulls: nulls, origin: origins[column],
                    lineOfRow: { lines[$0] })
            }
            // Columns are independent: convert them side by side.
            let work = UnsafeSendableBox((converters, types))
            results.withUnsafeMutableBufferPointer { buffer in
                let out = UnsafeSendableBox(buffer)
                DispatchQueue.concurrentPerform(iterations: count) { column in
                    out.value[column] = Result(catching: { () throws(DataFolioError) -> Column in
                        try work.value.0[column].converted(to: work.value.1[column])
                    })
                }
            }
        }
        var columns: [Column] = []
        columns.reserveCapacity(count)
        // Of several bad values, report the first in the input.
        var failure: (line: Int, error: DataFolioError)?
        for result in results {
            switch result {
            case .success(let column)?:
                columns.append(column)
            case .failure(let error)?:
                let line = error.location?.line ?? Int.max
                if failure.map({ line < $0.line }) ?? true { failure = (line, error) }
            case nil:
                break
            }
        }
        if let failure { throw failure.error }
        return try Table(columns)
    }

    // MARK: Helpers

    static func delimiterByte(_ delimiter: Character) throws(DataFolioError) -> UInt8 {
        guard let ascii = delimiter.asciiValue, ascii != UInt8(ascii: "\""), ascii != 10, ascii != 13 else {
            throw DataFolioError(
                .invalidArgument,
                "CSV: the delimiter must be one ASCII character other than a quote or a line break, not '\(delimiter)'.")
        }
        return ascii
    }

    private static func describe(_ delimiter: UInt8) -> String {
        switch delimiter {
        case 9: "a tab"
        case 32: "a space"
        default: "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    /// Names made unique the way pandas does: a repeated `a` becomes `a.1`, `a.2`; an
    /// empty name becomes `Unnamed: <position>`.
    static func uniqueNames(_ raw: [String]) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for (index, name) in raw.enumerated() {
            var candidate = name.isEmpty ? "Unnamed: \(index)" : name
            if seen.contains(candidate) {
                var suffix = 1
                while seen.contains("\(candidate).\(suffix)") { suffix += 1 }
                candidate = "\(candidate).\(suffix)"
            }
            seen.insert(candidate)
            result.append(candidate)
        }
        return result
    }
}
