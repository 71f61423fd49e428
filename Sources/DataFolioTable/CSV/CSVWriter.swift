import DataFolioSupport

/// Writes a table as CSV text, row by row from the columnar buffers.
enum CSVWriter {
    static func write(_ table: Table, options: CSVWriteOptions) throws(DataFolioError) -> [UInt8] {
        let delimiter = try CSVReader.delimiterByte(options.delimiter)
        let lineEnding = Array(options.lineEnding.utf8)
        let nullText = Array(options.nullText.utf8)
        var out = [UInt8]()
        out.reserveCapacity(estimatedSize(table))
        if options.includeHeader && !table.columns.isEmpty {
            for (index, column) in table.columns.enumerated() {
                if index > 0 { out.append(delimiter) }
                appendText(Array(column.name.utf8)[...], delimiter: delimiter, to: &out)
            }
            out.append(contentsOf: lineEnding)
        }
        guard !table.columns.isEmpty else { return out }
        let writers = table.columns.map { CellWriter(column: $0, delimiter: delimiter, nullText: nullText) }
        for row in 0..<table.rowCount {
            for (index, writer) in writers.enumerated() {
                if index > 0 { out.append(delimiter) }
                writer.append(row: row, to: &out)
            }
            out.append(contentsOf: lineEnding)
        }
        return out
    }

    private static func estimatedSize(_ table: Table) -> Int {
        var total = 0
        for column in table.columns {
            switch column.data {
            case .bytes(_, let values): total += values.count + 3 * column.count
            default: total += 12 * column.count
            }
        }
        return min(total, 1 << 32)
    }

    /// Appends text, quoting it when it holds the delimiter, a quote or a line break, or is empty.
    static func appendText(_ text: ArraySlice<UInt8>, delimiter: UInt8, to out: inout [UInt8]) {
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
            out.append(contentsOf: value < 0 ? Array("-inf".utf8) : Array("inf".utf8))
        } else if value == value.rounded(), abs(value) < 1e15 {
            // Whole numbers print as "3.0", the way Python prints floats.
            appendInteger(Int64(value), to: &out)
            if value == 0 && value.sign == .minus { out.insert(UInt8(ascii: "-"), at: out.count - 1) }
            out.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
        } else {
            // Swift prints the shortest text that reads back as the same double.
            out.append(contentsOf: value.description.utf8)
        }
    }
}

/// Formats the cells of one column.
struct CellWriter {
    let column: Column
    let delimiter: UInt8
    let nullText: [UInt8]

    func append(row: Int, to out: inout [UInt8]) {
        if let validity = column.validity, !validity[row] {
            out.append(contentsOf: nullText)
            return
        }
        switch column.data {
        case .bool(let v): out.append(contentsOf: v[row] ? Array("true".utf8) : Array("false".utf8))
        case .int8(let v): CSVWriter.appendInteger(Int64(v[row]), to: &out)
        case .int16(let v): CSVWriter.appendInteger(Int64(v[row]), to: &out)
        case .int32(let v):
            if case .date = column.type {
                CivilCalendar.appendDate(days: Int(v[row]), to: &out)
            } else {
                CSVWriter.appendInteger(Int64(v[row]), to: &out)
            }
        case .int64(let v):
            if case .timestamp(let unit, let timeZone) = column.type {
                CivilCalendar.appendTimestamp(v[row], unit: unit, utcSuffix: timeZone != nil, to: &out)
            } else {
                CSVWriter.appendInteger(v[row], to: &out)
            }
        case .uint8(let v): CSVWriter.appendUnsigned(UInt64(v[row]), to: &out)
        case .uint16(let v): CSVWriter.appendUnsigned(UInt64(v[row]), to: &out)
        case .uint32(let v): CSVWriter.appendUnsigned(UInt64(v[row]), to: &out)
        case .uint64(let v): CSVWriter.appendUnsigned(v[row], to: &out)
        case .float16(let v): CSVWriter.appendDouble(Double(HalfPrecision.float(fromFloat16: v[row])), to: &out)
        case .float32(let v):
            // Print the float's own shortest text, not that of its widened double.
            let value = v[row]
            if value.isFinite && value != value.rounded() {
                out.append(contentsOf: value.description.utf8)
            } else {
                CSVWriter.appendDouble(Double(value), to: &out)
            }
        case .float64(let v): CSVWriter.appendDouble(v[row], to: &out)
        case .bytes(let offsets, let values):
            let slice = values[Int(offsets[row])..<Int(offsets[row + 1])]
            if case .binary = column.type {
                CSVWriter.appendText(Array(Base64.encode(Array(slice)).utf8)[...], delimiter: delimiter, to: &out)
            } else {
                CSVWriter.appendText(slice, delimiter: delimiter, to: &out)
            }
        case .fixedBytes, .dictionary, .list:
            let cell = column[row]
            let text: String
            switch cell {
            case .binary(let bytes): text = Base64.encode(bytes)
            default: text = cell.description
            }
            CSVWriter.appendText(Array(text.utf8)[...], delimiter: delimiter, to: &out)
        }
    }
}
