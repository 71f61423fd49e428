import DataFolioSupport

/// The raw text of one CSV column: field bytes back to back (quotes removed and
/// doubled quotes undone), like a string column's buffers, plus a flag per field.
struct CSVFieldColumn {
    static let plain: UInt8 = 0
    /// An empty, unquoted field: null.
    static let empty: UInt8 = 1
    /// A quoted field (so `""` is an empty string, not null).
    static let quoted: UInt8 = 2

    var bytes: [UInt8] = []
    var offsets: [Int64] = [0]
    var flags: [UInt8] = []

    var count: Int { flags.count }

    init(capacity: Int = 0, byteCapacity: Int = 0) {
        offsets.reserveCapacity(capacity + 1)
        flags.reserveCapacity(capacity)
        bytes.reserveCapacity(byteCapacity)
    }

    func text(_ index: Int) -> String {
        String(decoding: bytes[Int(offsets[index])..<Int(offsets[index + 1])], as: UTF8.self)
    }
}

/// Splits CSV bytes (RFC 4180: quoted fields, doubled quotes, embedded delimiters and
/// line breaks, LF / CRLF / CR line ends) into columns of raw field text.
struct CSVTokenizer {
    let input: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    var position = 0

    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    init(input: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        self.input = input
        self.delimiter = delimiter
        // Skip a UTF-8 byte order mark.
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { position = 3 }
    }

    var isAtEnd: Bool { position >= input.count }

    /// Skips blank lines; returns false at the end of the input.
    mutating func skipBlankLines() -> Bool {
        while position < input.count {
            let byte = input[position]
            if byte == CSVTokenizer.lf || byte == CSVTokenizer.cr {
                position += 1
            } else {
                return true
            }
        }
        return false
    }

    /// The 1-based line number of a byte offset, for error messages.
    func lineNumber(at offset: Int) -> Int {
        var line = 1
        var i = 0
        let end = min(offset, input.count)
        while i < end {
            if input[i] == CSVTokenizer.lf { line += 1 }
            i += 1
        }
        return line
    }

    /// Reads one field into `column` and reports what ends it: `true` for a delimiter
    /// (another field follows), `false` for a line end or the end of the input.
    mutating func readField(into column: inout CSVFieldColumn) throws(DataFolioError) -> Bool {
        let base = input.baseAddress
        let n = input.count
        var i = position
        var flag = CSVFieldColumn.plain
        if i < n && input[i] == CSVTokenizer.quote {
            flag = CSVFieldColumn.quoted
            let opening = i
            i += 1
            while true {
                let start = i
                while i < n && input[i] != CSVTokenizer.quote { i += 1 }
                guard i < n else {
                    throw DataFolioError(
                        .corruptData,
                        "CSV: the quoted field that starts on line \(lineNumber(at: opening)) is never closed. "
                            + "Check for a missing '\"'.")
                }
                if i > start, let base {
                    column.bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
                }
                i += 1
                if i < n && input[i] == CSVTokenizer.quote {
                    column.bytes.append(CSVTokenizer.quote)
                    i += 1
                } else {
                    break
                }
            }
            // Text between the closing quote and the delimiter is kept as it is.
            let start = i
            while i < n {
                let byte = input[i]
                if byte == delimiter || byte == CSVTokenizer.lf || byte == CSVTokenizer.cr { break }
                i += 1
            }
            if i > start, let base {
                column.bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
            }
        } else {
            let start = i
            while i < n {
                let byte = input[i]
                if byte == delimiter || byte == CSVTokenizer.lf || byte == CSVTokenizer.cr { break }
                i += 1
            }
            if i > start, let base {
                column.bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
            } else {
                flag = CSVFieldColumn.empty
            }
        }
        column.offsets.append(Int64(column.bytes.count))
        column.flags.append(flag)
        if i < n {
            let byte = input[i]
            i += 1
            if byte == delimiter {
                position = i
                return true
            }
            if byte == CSVTokenizer.cr && i < n && input[i] == CSVTokenizer.lf { i += 1 }
        }
        position = i
        return false
    }

}
