import DataFolioSupport

/// Writes a table as CSV text. Each column is first rendered on its own into one buffer
/// of cell texts (one tight loop per type), then the rows are assembled from those.
enum CSVWriter {
    static func write(_ table: Table, options: CSVWriteOptions) throws(DataFolioError) -> [UInt8] {
        let delimiter = try CSVReader.delimiterByte(options.delimiter)
        let lineEnding = Array(options.lineEnding.utf8)
        let nullText = Array(options.nullText.utf8)
        var header = [UInt8]()
        if options.includeHeader && !table.columns.isEmpty {
            for (index, column) in table.columns.enumerated() {
                if index > 0 { header.append(delimiter) }
                appendText(Array(column.name.utf8)[...], delimiter: delimiter, to: &header)
            }
            header.append(contentsOf: lineEnding)
        }
        guard !table.columns.isEmpty else { return header }
        // All cell texts, column after column: cell k is bytes[ends[k]..<ends[k + 1]].
        var cells = RenderedCells()
        for column in table.columns { cells.render(column, delimiter: delimiter, nullText: nullText) }
        let rows = table.rowCount
        let columns = table.columns.count
        // A lone empty field would make a blank line, which readers skip: quote it.
        var loneEmpty = 0
        if columns == 1 {
            for k in 0..<rows where cells.ends[k] == cells.ends[k + 1] { loneEmpty += 1 }
        }
        let total = header.count + cells.bytes.count + rows * (lineEnding.count + columns - 1) + 2 * loneEmpty
        return [UInt8](uninitializedCapacity: total) { out, initialized in
            guard let base = out.baseAddress else { return }
            var position = 0
            func copy(_ source: UnsafeBufferPointer<UInt8>) {
                guard let from = source.baseAddress, source.count > 0 else { return }
                (base + position).initialize(from: from, count: source.count)
                position += source.count
            }
            header.withUnsafeBufferPointer(copy)
            lineEnding.withUnsafeBufferPointer { ending in
                cells.bytes.withUnsafeBufferPointer { bytes in
                    cells.ends.withUnsafeBufferPointer { ends in
                        for row in 0..<rows {
                            for column in 0..<columns {
                                if column > 0 {
                                    base[position] = delimiter
                                    position += 1
                                }
                                let k = column * rows + row
                                if columns == 1 && ends[k] == ends[k + 1] {
                                    base[position] = UInt8(ascii: "\"")
                                    base[position + 1] = UInt8(ascii: "\"")
                                    position += 2
                                }
                                copy(UnsafeBufferPointer(rebasing: bytes[ends[k]..<ends[k + 1]]))
                            }
                            copy(ending)
                        }
                    }
                }
            }
            initialized = position
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

    /// The texts of a cell range rendered earlier.
    func text(_ k: Int) -> ArraySlice<UInt8> { bytes[ends[k]..<ends[k + 1]] }

    /// Appends the texts of every cell of `column`.
    mutating func render(_ column: Column, delimiter: UInt8, nullText: [UInt8]) {
        let count = column.count
        ends.reserveCapacity(ends.count + count)
        bytes.reserveCapacity(bytes.count + count * 8)
        let validity = column.validity
        // Renders each row with `cell`, writing the null text at null rows.
        func each(_ cell: (Int, inout [UInt8]) -> Void) {
            for row in 0..<count {
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
                    if v[row] {
                        out.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
                    } else {
                        out.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
                    }
                }
            }
        case .int8(let v): v.withUnsafeBufferPointer { v in each { CSVWriter.appendInteger(Int64(v[$0]), to: &$1) } }
        case .int16(let v): v.withUnsafeBufferPointer { v in each { CSVWriter.appendInteger(Int64(v[$0]), to: &$1) } }
        case .int32(let v):
            if case .date = column.type {
                v.withUnsafeBufferPointer { v in each { CivilCalendar.appendDate(days: Int(v[$0]), to: &$1) } }
            } else {
                v.withUnsafeBufferPointer { v in each { CSVWriter.appendInteger(Int64(v[$0]), to: &$1) } }
            }
        case .int64(let v):
            if case .timestamp(let unit, let timeZone) = column.type {
                v.withUnsafeBufferPointer { v in
                    each { CivilCalendar.appendTimestamp(v[$0], unit: unit, utcSuffix: timeZone != nil, to: &$1) }
                }
            } else {
                v.withUnsafeBufferPointer { v in each { CSVWriter.appendInteger(v[$0], to: &$1) } }
            }
        case .uint8(let v): v.withUnsafeBufferPointer { v in each { CSVWriter.appendUnsigned(UInt64(v[$0]), to: &$1) } }
        case .uint16(let v): v.withUnsafeBufferPointer { v in each { CSVWriter.appendUnsigned(UInt64(v[$0]), to: &$1) } }
        case .uint32(let v): v.withUnsafeBufferPointer { v in each { CSVWriter.appendUnsigned(UInt64(v[$0]), to: &$1) } }
        case .uint64(let v): v.withUnsafeBufferPointer { v in each { CSVWriter.appendUnsigned(v[$0], to: &$1) } }
        case .float16(let v):
            v.withUnsafeBufferPointer { v in
                each { CSVWriter.appendDouble(Double(HalfPrecision.float(fromFloat16: v[$0])), to: &$1) }
            }
        case .float32(let v):
            v.withUnsafeBufferPointer { v in
                each { row, out in
                    // Print the float's own shortest text, not that of its widened double.
                    let value = v[row]
                    if value.isFinite && value != value.rounded(.towardZero) {
                        out.append(contentsOf: value.description.utf8)
                    } else {
                        CSVWriter.appendDouble(Double(value), to: &out)
                    }
                }
            }
        case .float64(let v): v.withUnsafeBufferPointer { v in each { CSVWriter.appendDouble(v[$0], to: &$1) } }
        case .bytes(let offsets, let values):
            let isBinary = column.type == .binary
            offsets.withUnsafeBufferPointer { offsets in
                values.withUnsafeBufferPointer { values in
                    each { row, out in
                        let text = UnsafeBufferPointer(rebasing: values[Int(offsets[row])..<Int(offsets[row + 1])])
                        if isBinary {
                            CSVWriter.appendText(Array(Base64.encode(Array(text)).utf8)[...], delimiter: delimiter, to: &out)
                        } else {
                            CSVWriter.appendText(text, delimiter: delimiter, to: &out)
                        }
                    }
                }
            }
        case .dictionary(let indices, let dictionary):
            // Render each distinct value once.
            var distinct = RenderedCells()
            distinct.render(dictionary, delimiter: delimiter, nullText: nullText)
            indices.withUnsafeBufferPointer { indices in
                each { row, out in out.append(contentsOf: distinct.text(Int(indices[row]))) }
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
                CSVWriter.appendText(Array(text.utf8)[...], delimiter: delimiter, to: &out)
            }
        }
    }
}
