import DataFolioSupport

/// Writes table batches as CSV text: a header row once, then one line per row, in
/// bounded memory (rows are rendered a chunk at a time, column by column).
///
/// Fields are quoted only when needed (they contain the delimiter, a quote or a line
/// break, or are empty strings, which `""` tells apart from null; in a one-column table a
/// null, and text of only blanks, is also quoted so its line is not blank); nulls are written as
/// ``CSVWriteOptions/nullText``; numbers as the shortest text that reads back exactly
/// (whole doubles with `.0`, as Python prints them); dates as `YYYY-MM-DD`; timestamps
/// as ISO 8601 (`Z`-suffixed UTC when the column has a time zone); decimals exactly;
/// binary as base64; lists in brackets.
///
/// ```swift
/// let writer = try CSVTableWriter(path: "out.csv", schema: reader.schema)
/// while let batch = try reader.next() { try writer.write(batch) }
/// try writer.finish()
/// ```
public final class CSVTableWriter: TableBatchWriter {
    /// The columns every batch must have.
    public let schema: TableSchema
    /// The options in effect.
    public let options: CSVWriteOptions
    /// The number of rows written so far.
    public private(set) var rowsWritten = 0
    private let output: any ByteOutput
    /// The file this writer created, closed by ``finish()``.
    private let ownedFile: FileWriter?
    private let delimiter: UInt8
    private let lineEnding: [UInt8]
    private let nullText: [UInt8]
    private var wroteHeader = false
    private var finished = false
    private var cells = RenderedCells()
    private var buffer: [UInt8] = []
    /// Rows rendered at a time; enough for tight loops, small enough to keep memory flat.
    static let chunkRows = 8192

    /// Writes CSV for batches with the columns of `schema` to `output` (which is not
    /// closed by ``finish()``).
    /// - Throws: `invalidArgument` for a bad delimiter.
    public init(output: any ByteOutput, schema: TableSchema, options: CSVWriteOptions = CSVWriteOptions()) throws(DataFolioError) {
        delimiter = try CSVReader.delimiterByte(options.delimiter)
        self.output = output
        ownedFile = nil
        self.schema = schema
        self.options = options
        lineEnding = Array(options.lineEnding.utf8)
        nullText = Array(options.nullText.utf8)
    }

    /// Creates the file at `path` (which must not exist yet) and writes CSV to it;
    /// ``finish()`` closes it.
    /// - Throws: `invalidArgument` for a bad delimiter, `ioFailure` when the file exists
    ///   or cannot be created.
    public init(path: String, schema: TableSchema, options: CSVWriteOptions = CSVWriteOptions()) throws(DataFolioError) {
        delimiter = try CSVReader.delimiterByte(options.delimiter)
        let file = try FileWriter(creating: path, computeMD5: false)
        output = file
        ownedFile = file
        self.schema = schema
        self.options = options
        lineEnding = Array(options.lineEnding.utf8)
        nullText = Array(options.nullText.utf8)
    }

    private func writeHeaderIfNeeded() throws(DataFolioError) {
        guard !wroteHeader else { return }
        wroteHeader = true
        guard options.includeHeader && !schema.fields.isEmpty else { return }
        var header = [UInt8]()
        for (index, field) in schema.fields.enumerated() {
            if index > 0 { header.append(delimiter) }
            CSVTableWriter.appendText(Array(field.name.utf8)[...], delimiter: delimiter, to: &header)
        }
        header.append(contentsOf: lineEnding)
        try output.write(header)
    }

    /// Writes the rows of `batch`.
    /// - Throws: `invalidArgument` when its columns differ from ``schema``, or an error of the output.
    public func write(_ batch: Table) throws(DataFolioError) {
        guard !finished else {
            throw DataFolioError(.invalidArgument, "CSV: the writer is finished; create a new one to write more.")
        }
        guard schema.matches(batch) else {
            throw DataFolioError(
                .invalidArgument, "CSV: every batch needs the columns \(schema); this one has \(TableSchema(of: batch)).")
        }
        try writeHeaderIfNeeded()
        guard !batch.columns.isEmpty else { return }
        var start = 0
        while start < batch.rowCount {
            let end = min(batch.rowCount, start + CSVTableWriter.chunkRows)
            renderRows(batch, start..<end)
            try output.write(buffer)
            start = end
        }
        rowsWritten += batch.rowCount
    }

    /// Writes the header if no batch came, closes a file the writer created, and marks
    /// the writer finished.
    public func finish() throws(DataFolioError) {
        guard !finished else { return }
        try writeHeaderIfNeeded()
        finished = true
        try ownedFile?.finish(sync: false)
    }

    /// Renders `range` of `table` into ``buffer``.
    private func renderRows(_ table: Table, _ range: Range<Int>) {
        var cells = RenderedCells()
        swap(&cells, &self.cells)
        defer { swap(&cells, &self.cells) }
        cells.removeAll()
        for column in table.columns { cells.render(column, rows: range, delimiter: delimiter, nullText: nullText) }
        let rows = range.count
        let columns = table.columns.count
        // A lone field that is empty or only blanks would make a blank line, which
        // readers skip: quote it.
        var loneBlank = [Bool]()
        if columns == 1 {
            loneBlank = (0..<rows).map { k in
                cells.bytes[cells.ends[k]..<cells.ends[k + 1]].allSatisfy { $0 == 0x20 || $0 == 0x09 }
            }
        }
        let total = cells.bytes.count + rows * (lineEnding.count + columns - 1) + 2 * loneBlank.count
        // Build in a local array: appending to a stored property checks exclusivity each time.
        var buffer: [UInt8] = []
        swap(&buffer, &self.buffer)
        defer { swap(&buffer, &self.buffer) }
        let delimiter = self.delimiter
        let lineEnding = self.lineEnding
        buffer = [UInt8](uninitializedCapacity: total) { out, initialized in
            guard let base = out.baseAddress else { return }
            var at = 0
            @inline(__always) func copy(_ source: UnsafeBufferPointer<UInt8>) {
                guard let from = source.baseAddress, source.count > 0 else { return }
                (base + at).initialize(from: from, count: source.count)
                at += source.count
            }
            lineEnding.withUnsafeBufferPointer { ending in
                cells.bytes.withUnsafeBufferPointer { bytes in
                    cells.ends.withUnsafeBufferPointer { ends in
                        for row in 0..<rows {
                            for column in 0..<columns {
                                if column > 0 {
                                    base[at] = delimiter
                                    at += 1
                                }
                                let k = column * rows + row
                                let text = UnsafeBufferPointer(rebasing: bytes[ends[k]..<ends[k + 1]])
                                if columns == 1 && loneBlank[row] {
                                    base[at] = UInt8(ascii: "\"")
                                    at += 1
                                    copy(text)
                                    base[at] = UInt8(ascii: "\"")
                                    at += 1
                                } else {
                                    copy(text)
                                }
                            }
                            copy(ending)
                        }
                    }
                }
            }
            initialized = at
        }
    }

    /// Appends text, quoting it when it holds the delimiter, a quote or a line break, or is empty.
    static func appendText(_ text: ArraySlice<UInt8>, delimiter: UInt8, to out: inout [UInt8]) {
        text.withUnsafeBufferPointer { appendText($0, delimiter: delimiter, to: &out) }
    }

    static func appendText(_ text: UnsafeBufferPointer<UInt8>, delimiter: UInt8, to out: inout [UInt8]) {
        var needsQuotes = text.isEmpty
        if !needsQuotes {
            for byte in text where byte == delimiter || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            out.append(contentsOf: text)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a signed integer in base 10.
    @inline(__always)
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendUnsigned(value.magnitude, to: &out)
    }

    @inline(__always)
    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var n = 0
            var rest = value
            while rest > 0 {
                buffer[23 - n] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                rest /= 10
                n += 1
            }
            return n
        }
        withUnsafeBytes(of: &digits) { buffer in
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: [UInt8(ascii: "N"), UInt8(ascii: "a"), UInt8(ascii: "N")])
        } else if value.isInfinite {
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: [UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f")])
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            // Whole numbers print as "3.0", the way Python prints floats.
            if value.sign == .minus { out.append(UInt8(ascii: "-")) }
            appendUnsigned(UInt64(abs(value)), to: &out)
            out.append(UInt8(ascii: "."))
            out.append(UInt8(ascii: "0"))
        } else {
            // Swift prints the shortest text that reads back as the same double.
            out.append(contentsOf: value.description.utf8)
        }
    }
}

/// The texts of cells, back to back: cell `k` is `bytes[ends[k]..<ends[k + 1]]`.
struct RenderedCells {
    var bytes: [UInt8] = []
    var ends: [Int] = [0]

    /// Appends the bytes of a literal, without making an array.
    @inline(__always)
    static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The texts of a cell range rendered earlier.
    func text(_ k: Int) -> ArraySlice<UInt8> { bytes[ends[k]..<ends[k + 1]] }

    /// Forgets every cell, keeping the buffers.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        ends.append(0)
    }

    /// Appends the texts of the cells of `column` in `range` (all rows by default).
    mutating func render(_ column: Column, rows range: Range<Int>? = nil, delimiter: UInt8, nullText: [UInt8]) {
        let range = range ?? 0..<column.count
        ends.reserveCapacity(ends.count + range.count)
        bytes.reserveCapacity(bytes.count + range.count * 8)
        let validity = column.validity
        // Renders each row with `cell`, writing the null text at null rows.
        func each(_ cell: (Int, inout [UInt8]) -> Void) {
            for row in range {
                if let validity, !validity[row] {
                    bytes.append(contentsOf: nullText)
                } else {
                    cell(row, &bytes)
                }
                ends.append(bytes.count)
            }
        }
        switch column.data {
        case .bool(let v):
            v.withUnsafeBufferPointer { v in
                each { row, out in
                    RenderedCells.append(v[row] ? "true" : "false", to: &out)
                }
            }
        case .int8(let v): v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendInteger(Int64(v[$0]), to: &$1) } }
        case .int16(let v): v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendInteger(Int64(v[$0]), to: &$1) } }
        case .int32(let v):
            if case .date = column.type {
                v.withUnsafeBufferPointer { v in each { CivilCalendar.appendDate(days: Int(v[$0]), to: &$1) } }
            } else {
                v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendInteger(Int64(v[$0]), to: &$1) } }
            }
        case .int64(let v):
            if case .timestamp(let unit, let timeZone) = column.type {
                v.withUnsafeBufferPointer { v in
                    each { CivilCalendar.appendTimestamp(v[$0], unit: unit, utcSuffix: timeZone != nil, to: &$1) }
                }
            } else {
                v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendInteger(v[$0], to: &$1) } }
            }
        case .uint8(let v): v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendUnsigned(UInt64(v[$0]), to: &$1) } }
        case .uint16(let v): v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendUnsigned(UInt64(v[$0]), to: &$1) } }
        case .uint32(let v): v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendUnsigned(UInt64(v[$0]), to: &$1) } }
        case .uint64(let v): v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendUnsigned(v[$0], to: &$1) } }
        case .float16(let v):
            v.withUnsafeBufferPointer { v in
                each { CSVTableWriter.appendDouble(Double(HalfPrecision.float(fromFloat16: v[$0])), to: &$1) }
            }
        case .float32(let v):
            v.withUnsafeBufferPointer { v in
                each { row, out in
                    // Print the float's own shortest text, not that of its widened double.
                    let value = v[row]
                    if value.isFinite && value != value.rounded(.towardZero) {
                        out.append(contentsOf: value.description.utf8)
                    } else {
                        CSVTableWriter.appendDouble(Double(value), to: &out)
                    }
                }
            }
        case .float64(let v): v.withUnsafeBufferPointer { v in each { CSVTableWriter.appendDouble(v[$0], to: &$1) } }
        case .bytes(let offsets, let values):
            let isBinary = column.type == .binary
            offsets.withUnsafeBufferPointer { offsets in
                values.withUnsafeBufferPointer { values in
                    each { row, out in
                        let text = UnsafeBufferPointer(rebasing: values[Int(offsets[row])..<Int(offsets[row + 1])])
                        if isBinary {
                            CSVTableWriter.appendText(Array(Base64.encode(Array(text)).utf8)[...], delimiter: delimiter, to: &out)
                        } else {
                            CSVTableWriter.appendText(text, delimiter: delimiter, to: &out)
                        }
                    }
                }
            }
        case .dictionary(let indices, let dictionary):
            if dictionary.count <= 2 * range.count {
                // Render each distinct value once.
                var distinct = RenderedCells()
                distinct.render(dictionary, delimiter: delimiter, nullText: nullText)
                indices.withUnsafeBufferPointer { indices in
                    each { row, out in out.append(contentsOf: distinct.text(Int(indices[row]))) }
                }
            } else {
                // A dictionary much larger than the rows: render only the values used.
                var single = RenderedCells()
                indices.withUnsafeBufferPointer { indices in
                    each { row, out in
                        let index = Int(indices[row])
                        single.removeAll()
                        single.render(dictionary, rows: index..<index + 1, delimiter: delimiter, nullText: nullText)
                        out.append(contentsOf: single.text(0))
                    }
                }
            }
        case .fixedBytes, .list, .struct:
            each { row, out in
                let cell = column[row]
                let text: String
                if case .binary(let bytes) = cell {
                    text = Base64.encode(bytes)
                } else {
                    text = column.type.isNested ? column.csvText(at: row) : cell.description
                }
                CSVTableWriter.appendText(Array(text.utf8)[...], delimiter: delimiter, to: &out)
            }
        }
    }
}
