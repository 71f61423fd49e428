import DataFolioJSON
import DataFolioSupport

/// How ``JSONTableWriter`` lays out rows.
public enum JSONTableFormat: Sendable, Equatable {
    /// One JSON array of row objects, indented by two spaces the way the Python
    /// datafolio writes JSON (orjson), with a newline after the closing bracket.
    case array
    /// JSON Lines (`.jsonl`): one compact row object per line.
    case lines
}

/// Writes table batches as JSON row objects — an array written batch by batch, or JSON
/// Lines — in bounded memory.
///
/// Each row is an object with the column names as keys, in column order. Values: null;
/// booleans; integers as they are (`uint64` values above `Int64.max` as doubles);
/// floating-point numbers as the shortest text that reads back (integral ones with
/// `.0`), NaN and infinities as `null`; strings and categories as strings; dates as
/// `YYYY-MM-DD`, timestamps as ISO 8601 (ending in `Z` when the column has a time zone);
/// decimals as their exact text in a string; binary as base64 text; lists as arrays.
///
/// ```swift
/// let writer = try JSONTableWriter(path: "out.jsonl", schema: reader.schema, format: .lines)
/// while let batch = try reader.next() { try writer.write(batch) }
/// try writer.finish()
/// ```
public final class JSONTableWriter: TableBatchWriter {
    /// The columns every batch must have.
    public let schema: TableSchema
    /// The layout.
    public let format: JSONTableFormat
    /// The number of rows written so far.
    public private(set) var rowsWritten = 0
    private let output: any ByteOutput
    /// The file this writer created, closed by ``finish()``.
    private let ownedFile: FileWriter?
    /// The text before each column's value in a row (`"name":` and layout), back to
    /// back: column `k`'s is `keys[keyEnds[k]..<keyEnds[k + 1]]`.
    private let keys: [UInt8]
    private let keyEnds: [Int]
    private var finished = false
    private var cells = RenderedCells()
    private var buffer: [UInt8] = []
    static let chunkRows = 8192

    /// Writes batches with the columns of `schema` to `output` (which is not closed by
    /// ``finish()``).
    public convenience init(output: any ByteOutput, schema: TableSchema, format: JSONTableFormat = .array) {
        self.init(output: output, ownedFile: nil, schema: schema, format: format)
    }

    /// Creates the file at `path` (which must not exist yet) and writes JSON to it;
    /// ``finish()`` closes it.
    /// - Throws: `ioFailure` when the file exists or cannot be created.
    public convenience init(path: String, schema: TableSchema, format: JSONTableFormat = .array) throws(DataFolioError) {
        let file = try FileWriter(creating: path, computeMD5: false)
        self.init(output: file, ownedFile: file, schema: schema, format: format)
    }

    private init(output: any ByteOutput, ownedFile: FileWriter?, schema: TableSchema, format: JSONTableFormat) {
        self.output = output
        self.ownedFile = ownedFile
        self.schema = schema
        self.format = format
        var keys = [UInt8]()
        var ends = [0]
        for field in schema.fields {
            if format == .array { keys.append(contentsOf: Array("\n    ".utf8)) }
            JSONText.appendString(Array(field.name.utf8), to: &keys)
            keys.append(UInt8(ascii: ":"))
            if format == .array { keys.append(UInt8(ascii: " ")) }
            ends.append(keys.count)
        }
        self.keys = keys
        keyEnds = ends
    }

    /// Writes the rows of `batch`.
    /// - Throws: `invalidArgument` when its columns differ from ``schema``, or an error of the output.
    public func write(_ batch: Table) throws(DataFolioError) {
        guard !finished else {
            throw DataFolioError(.invalidArgument, "JSON: the writer is finished; create a new one to write more.")
        }
        guard schema.matches(batch) else {
            throw DataFolioError(
                .invalidArgument, "JSON: every batch needs the columns \(schema); this one has \(TableSchema(of: batch)).")
        }
        var start = 0
        while start < batch.rowCount {
            let end = min(batch.rowCount, start + JSONTableWriter.chunkRows)
            renderRows(batch, start..<end)
            try output.write(buffer)
            start = end
        }
    }

    /// Closes the array (`[]` when no row came), closes a file the writer created, and
    /// marks the writer finished.
    public func finish() throws(DataFolioError) {
        guard !finished else { return }
        finished = true
        if format == .array {
            try output.write(rowsWritten == 0 ? Array("[]\n".utf8) : Array("\n]\n".utf8))
        }
        try ownedFile?.finish(sync: false)
    }

    private func renderRows(_ table: Table, _ range: Range<Int>) {
        // Work on local arrays: appending to stored properties checks exclusivity each time.
        var cells = RenderedCells()
        var buffer: [UInt8] = []
        swap(&cells, &self.cells)
        swap(&buffer, &self.buffer)
        defer {
            swap(&cells, &self.cells)
            swap(&buffer, &self.buffer)
        }
        cells.removeAll()
        let indented = format == .array
        for column in table.columns { cells.renderJSON(column, rows: range, indented: indented) }
        let rows = range.count
        let columns = table.columns.count
        // Every row has the same layout around its cells, so the size is known exactly.
        let perRow = (indented ? 4 : 0) + (columns == 0 ? 2 : 2 + keys.count + columns - 1 + (indented ? 3 : 0)) + (indented ? 0 : 1)
        let total = cells.bytes.count + rows * perRow
        var written = rowsWritten
        let keys = self.keys
        let keyEnds = self.keyEnds
        buffer = [UInt8](uninitializedCapacity: total) { out, initialized in
            guard let base = out.baseAddress else { return }
            var at = 0
            @inline(__always) func put(_ byte: UInt8) {
                base[at] = byte
                at += 1
            }
            @inline(__always) func copy(_ source: UnsafeBufferPointer<UInt8>) {
                guard let from = source.baseAddress, source.count > 0 else { return }
                (base + at).initialize(from: from, count: source.count)
                at += source.count
            }
            cells.bytes.withUnsafeBufferPointer { bytes in
                cells.ends.withUnsafeBufferPointer { ends in
                    keys.withUnsafeBufferPointer { keys in
                        keyEnds.withUnsafeBufferPointer { keyEnds in
                            for row in 0..<rows {
                                if indented {
                                    put(written == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
                                    put(0x0A)
                                    put(0x20)
                                    put(0x20)
                                }
                                put(UInt8(ascii: "{"))
                                for column in 0..<columns {
                                    if column > 0 { put(UInt8(ascii: ",")) }
                                    copy(UnsafeBufferPointer(rebasing: keys[keyEnds[column]..<keyEnds[column + 1]]))
                                    let k = column * rows + row
                                    copy(UnsafeBufferPointer(rebasing: bytes[ends[k]..<ends[k + 1]]))
                                }
                                if indented && columns > 0 {
                                    put(0x0A)
                                    put(0x20)
                                    put(0x20)
                                }
                                put(UInt8(ascii: "}"))
                                if !indented { put(0x0A) }
                                written += 1
                            }
                        }
                    }
                }
            }
            initialized = at
        }
        rowsWritten = written
    }
}

extension Table {
    /// The rows as JSON (see ``JSONTableWriter``): an indented array of row objects
    /// followed by a newline, or JSON Lines.
    ///
    /// ```swift
    /// let json = String(decoding: table.jsonBytes(rows: 0..<5), as: UTF8.self)
    /// ```
    /// - Parameters:
    ///   - rows: the rows to write (all by default); a range outside the table traps.
    ///   - format: a JSON array of row objects (the default) or JSON Lines.
    public func jsonBytes(rows: Range<Int>? = nil, format: JSONTableFormat = .array) -> [UInt8] {
        let output = MemoryOutput()
        let writer = JSONTableWriter(output: output, schema: TableSchema(of: self), format: format)
        let part = rows.map { $0 == 0..<rowCount ? self : self.rows($0) } ?? self
        // Neither call can fail: the schema is the table's own and memory takes any bytes.
        try? writer.write(part)
        try? writer.finish()
        return output.bytes
    }
}

/// JSON text pieces, byte for byte as DataFolioJSON's writer makes them.
enum JSONText {
    /// Appends `text` (UTF-8; invalid sequences are replaced by U+FFFD) as a JSON string.
    static func appendString(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if UTF8Check.firstInvalid(text, in: 0..<text.count) != nil {
            var repaired = String(decoding: text, as: UTF8.self)
            repaired.withUTF8 { appendValidString($0, to: &out) }
            return
        }
        appendValidString(text, to: &out)
    }

    static func appendString(_ text: [UInt8], to out: inout [UInt8]) {
        text.withUnsafeBufferPointer { appendString($0, to: &out) }
    }

    private static func appendValidString(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        JSONWriter.writeString(utf8: utf8, into: &out)
    }

    /// Appends a quoted string of ASCII text produced by `body`.
    @inline(__always)
    static func appendQuoted(_ out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        out.append(0x22)
        body(&out)
        out.append(0x22)
    }

}

extension RenderedCells {
    /// Appends the JSON texts of the cells of `column` in `range`; `indented` values sit
    /// at depth 2 (members of row objects inside the top-level array).
    mutating func renderJSON(_ column: Column, rows range: Range<Int>, indented: Bool) {
        ends.reserveCapacity(ends.count + range.count)
        bytes.reserveCapacity(bytes.count + range.count * 8)
        let validity = column.validity
        func each(_ cell: (Int, inout [UInt8]) -> Void) {
            for row in range {
                if let validity, !validity[row] {
                    RenderedCells.append("null", to: &bytes)
                } else {
                    cell(row, &bytes)
                }
                ends.append(bytes.count)
            }
        }
        func integer(_ value: Int64, _ out: inout [UInt8]) { CSVTableWriter.appendInteger(value, to: &out) }
        func unsigned(_ value: UInt64, _ out: inout [UInt8]) {
            if value <= UInt64(Int64.max) {
                CSVTableWriter.appendUnsigned(value, to: &out)
            } else {
                JSONNumberFormatting.appendDouble(Double(value), to: &out)
            }
        }
        switch column.data {
        case .bool(let v):
            v.withUnsafeBufferPointer { v in
                each { row, out in RenderedCells.append(v[row] ? "true" : "false", to: &out) }
            }
        case .int8(let v): v.withUnsafeBufferPointer { v in each { integer(Int64(v[$0]), &$1) } }
        case .int16(let v): v.withUnsafeBufferPointer { v in each { integer(Int64(v[$0]), &$1) } }
        case .int32(let v):
            if case .date = column.type {
                v.withUnsafeBufferPointer { v in
                    each { row, out in JSONText.appendQuoted(&out) { CivilCalendar.appendDate(days: Int(v[row]), to: &$0) } }
                }
            } else {
                v.withUnsafeBufferPointer { v in each { integer(Int64(v[$0]), &$1) } }
            }
        case .int64(let v):
            if case .timestamp(let unit, let timeZone) = column.type {
                let utc = timeZone != nil
                v.withUnsafeBufferPointer { v in
                    each { row, out in
                        JSONText.appendQuoted(&out) { CivilCalendar.appendTimestamp(v[row], unit: unit, utcSuffix: utc, to: &$0) }
                    }
                }
            } else {
                v.withUnsafeBufferPointer { v in each { integer(v[$0], &$1) } }
            }
        case .uint8(let v): v.withUnsafeBufferPointer { v in each { unsigned(UInt64(v[$0]), &$1) } }
        case .uint16(let v): v.withUnsafeBufferPointer { v in each { unsigned(UInt64(v[$0]), &$1) } }
        case .uint32(let v): v.withUnsafeBufferPointer { v in each { unsigned(UInt64(v[$0]), &$1) } }
        case .uint64(let v): v.withUnsafeBufferPointer { v in each { unsigned(v[$0], &$1) } }
        case .float16(let v):
            v.withUnsafeBufferPointer { v in
                each { JSONNumberFormatting.appendDouble(Double(HalfPrecision.float(fromFloat16: v[$0])), to: &$1) }
            }
        case .float32(let v): v.withUnsafeBufferPointer { v in each { JSONNumberFormatting.appendDouble(Double(v[$0]), to: &$1) } }
        case .float64(let v): v.withUnsafeBufferPointer { v in each { JSONNumberFormatting.appendDouble(v[$0], to: &$1) } }
        case .bytes(let offsets, let values):
            let isBinary = column.type == .binary
            offsets.withUnsafeBufferPointer { offsets in
                values.withUnsafeBufferPointer { values in
                    each { row, out in
                        let text = UnsafeBufferPointer(rebasing: values[Int(offsets[row])..<Int(offsets[row + 1])])
                        if isBinary {
                            JSONText.appendQuoted(&out) { $0.append(contentsOf: Base64.encode(Array(text)).utf8) }
                        } else {
                            JSONText.appendString(text, to: &out)
                        }
                    }
                }
            }
        case .dictionary(let indices, let dictionary):
            if dictionary.count <= 2 * range.count {
                var distinct = RenderedCells()
                distinct.renderJSON(dictionary, rows: 0..<dictionary.count, indented: indented)
                indices.withUnsafeBufferPointer { indices in
                    each { row, out in out.append(contentsOf: distinct.text(Int(indices[row]))) }
                }
            } else {
                var single = RenderedCells()
                indices.withUnsafeBufferPointer { indices in
                    each { row, out in
                        let index = Int(indices[row])
                        single.removeAll()
                        single.renderJSON(dictionary, rows: index..<index + 1, indented: indented)
                        out.append(contentsOf: single.text(0))
                    }
                }
            }
        case .fixedBytes, .list, .struct:
            // Decimals, fixed-size binary and nested values: the cell's JSON form.
            each { row, out in column.jsonValue(at: row).write(into: &out, indented: indented, depth: 2) }
        }
    }
}
