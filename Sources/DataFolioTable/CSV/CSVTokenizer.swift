import DataFolioSupport

/// Where the text of one field is: a range of the input, or (for quoted fields whose
/// text differs from the bytes between the quotes) a range of the unescaped buffer.
struct CSVSpan {
    var start: Int
    var length: UInt32
    var flags: UInt8

    /// An empty, unquoted field: null.
    static let empty: UInt8 = 1
    /// A quoted field (so `""` is an empty string, not null).
    static let quoted: UInt8 = 2
    /// The text is in the unescaped buffer rather than the input.
    static let unescaped: UInt8 = 4
}

/// Receives the field spans of records as the tokenizer finds them.
protocol CSVSpanSink {
    /// Stores field `column` of the current record; returns false when the record has
    /// more fields than the sink takes.
    mutating func store(_ span: CSVSpan, column: Int) -> Bool
}

/// The fields of one record, for the header.
struct CSVRecordSpans: CSVSpanSink {
    var spans: [CSVSpan] = []

    mutating func store(_ span: CSVSpan, column _: Int) -> Bool {
        spans.append(span)
        return true
    }
}

/// The spans of every data field, one buffer per column sharing one row count.
///
/// Writing through raw buffers keeps the per-field cost of the tokenizer to one store;
/// all columns grow together at the start of a record.
final class CSVSpanTable: CSVSpanSink {
    let columnCount: Int
    private(set) var buffers: [UnsafeMutablePointer<CSVSpan>]
    private(set) var capacity: Int
    /// The number of complete records.
    private(set) var rowCount = 0

    init(columnCount: Int, capacity: Int) {
        self.columnCount = columnCount
        self.capacity = max(capacity, 16)
        buffers = (0..<columnCount).map { _ in UnsafeMutablePointer<CSVSpan>.allocate(capacity: max(capacity, 16)) }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Makes room for one more record.
    func reserveRecord() {
        guard rowCount == capacity else { return }
        let newCapacity = capacity * 2
        buffers = buffers.map { old in
            let new = UnsafeMutablePointer<CSVSpan>.allocate(capacity: newCapacity)
            new.moveInitialize(from: old, count: rowCount)
            old.deallocate()
            return new
        }
        capacity = newCapacity
    }

    @inline(__always)
    func store(_ span: CSVSpan, column: Int) -> Bool {
        guard column < columnCount else { return false }
        (buffers[column] + rowCount).initialize(to: span)
        return true
    }

    /// Counts the current record as complete.
    func finishRecord() { rowCount += 1 }

    /// The spans of a column.
    func spans(_ column: Int) -> UnsafeBufferPointer<CSVSpan> {
        UnsafeBufferPointer(start: buffers[column], count: rowCount)
    }
}

/// Splits CSV bytes (RFC 4180: quoted fields, doubled quotes, embedded delimiters and
/// line breaks, LF / CRLF / CR line ends) into field spans without copying field text.
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

    /// Reads the fields of one record (at a non-blank position) into `sink`, returning
    /// how many there were, or one more than the sink takes when it overflows.
    mutating func readRecord<Sink: CSVSpanSink>(into sink: inout Sink, unescaped: inout [UInt8]) throws(DataFolioError) -> Int {
        let n = input.count
        let delimiter = self.delimiter
        var i = position
        var count = 0
        while true {
            var span: CSVSpan
            if i < n && input[i] == CSVTokenizer.quote {
                (span, i) = try readQuoted(from: i, into: &unescaped)
            } else {
                let start = i
                while i < n {
                    let byte = input[i]
                    if byte == delimiter || byte == CSVTokenizer.lf || byte == CSVTokenizer.cr { break }
                    i += 1
                }
                span = CSVSpan(start: start, length: try CSVTokenizer.length(i - start), flags: i == start ? CSVSpan.empty : 0)
            }
            guard sink.store(span, column: count) else {
                position = i
                return count + 1
            }
            count += 1
            if i < n {
                let byte = input[i]
                i += 1
                if byte == delimiter { continue }
                if byte == CSVTokenizer.cr && i < n && input[i] == CSVTokenizer.lf { i += 1 }
            }
            position = i
            return count
        }
    }

    private static func length(_ value: Int) throws(DataFolioError) -> UInt32 {
        guard let length = UInt32(exactly: value) else {
            throw DataFolioError(.limitExceeded, "CSV: a field is longer than 4 GB.")
        }
        return length
    }

    /// Reads a quoted field starting at the opening quote; returns its span and the
    /// position after it.
    private func readQuoted(from opening: Int, into unescaped: inout [UInt8]) throws(DataFolioError) -> (CSVSpan, Int) {
        let n = input.count
        var i = opening + 1
        let contentStart = i
        while i < n && input[i] != CSVTokenizer.quote { i += 1 }
        guard i < n else { throw unclosed(opening) }
        let contentEnd = i
        i += 1
        // The common case: no doubled quote and nothing after the closing quote.
        if i >= n || input[i] == delimiter || input[i] == CSVTokenizer.lf || input[i] == CSVTokenizer.cr {
            return (CSVSpan(start: contentStart, length: try CSVTokenizer.length(contentEnd - contentStart), flags: CSVSpan.quoted), i)
        }
        // Undo doubled quotes into the side buffer.
        let start = unescaped.count
        unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: input[contentStart..<contentEnd]))
        while i < n && input[i] == CSVTokenizer.quote {
            unescaped.append(CSVTokenizer.quote)
            i += 1
            let segment = i
            while i < n && input[i] != CSVTokenizer.quote { i += 1 }
            guard i < n else { throw unclosed(opening) }
            unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: input[segment..<i]))
            i += 1
        }
        // Text between the closing quote and the delimiter is kept as it is.
        let rest = i
        while i < n {
            let byte = input[i]
            if byte == delimiter || byte == CSVTokenizer.lf || byte == CSVTokenizer.cr { break }
            i += 1
        }
        unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: input[rest..<i]))
        let span = CSVSpan(
            start: start, length: try CSVTokenizer.length(unescaped.count - start), flags: CSVSpan.quoted | CSVSpan.unescaped)
        return (span, i)
    }

    private func unclosed(_ opening: Int) -> DataFolioError {
        DataFolioError(
            .corruptData,
            "CSV: the quoted field that starts on line \(lineNumber(at: opening)) is never closed. Check for a missing '\"'.")
    }
}
