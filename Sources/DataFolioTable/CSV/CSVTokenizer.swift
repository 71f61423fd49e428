import DataFolioSupport

/// Where the text of one field is: a range of the input window, or (for quoted fields
/// whose text differs from the bytes between the quotes) a range of the unescaped buffer.
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

    /// The span of a missing trailing field.
    static let missing = CSVSpan(start: 0, length: 0, flags: CSVSpan.empty)
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

/// The spans of the data fields of one batch, one buffer per column sharing one row count.
///
/// A value over memory that a ``CSVSpanStorage`` owns, so that the tokenizer's per-field
/// store is one write through a pointer, with no reference counting or exclusivity check.
/// Copies share the buffers: keep one copy in use at a time.
struct CSVSpanTable: CSVSpanSink {
    let columnCount: Int
    /// The buffer of each column (owned by ``storage``).
    private let columns: UnsafeMutablePointer<UnsafeMutablePointer<CSVSpan>>
    private(set) var capacity: Int
    /// The number of complete records.
    private(set) var rowCount = 0
    private let storage: CSVSpanStorage

    init(columnCount: Int, capacity: Int) {
        self.columnCount = columnCount
        self.capacity = max(capacity, 16)
        storage = CSVSpanStorage(columnCount: columnCount, capacity: self.capacity)
        columns = storage.columns
    }

    /// Forgets every record, keeping the buffers.
    mutating func removeAll() { rowCount = 0 }

    /// Makes room for one more record.
    @inline(__always)
    mutating func reserveRecord() {
        guard rowCount == capacity else { return }
        let newCapacity = capacity * 2
        for column in 0..<columnCount {
            let old = columns[column]
            let new = UnsafeMutablePointer<CSVSpan>.allocate(capacity: newCapacity)
            new.moveInitialize(from: old, count: rowCount)
            old.deallocate()
            columns[column] = new
        }
        capacity = newCapacity
    }

    @inline(__always)
    mutating func store(_ span: CSVSpan, column: Int) -> Bool {
        guard column < columnCount else { return false }
        (columns[column] + rowCount).initialize(to: span)
        return true
    }

    /// Marks fields `from..<columnCount` of the current record as missing (null).
    mutating func storeMissing(from first: Int) {
        for column in first..<columnCount { (columns[column] + rowCount).initialize(to: .missing) }
    }

    /// Counts the current record as complete.
    @inline(__always)
    mutating func finishRecord() { rowCount += 1 }

    /// Moves every span that points into the input window `distance` bytes towards its
    /// start, after the window dropped that many bytes in front.
    func shiftSpans(by distance: Int) {
        guard distance != 0 else { return }
        for column in 0..<columnCount {
            let buffer = columns[column]
            for row in 0..<rowCount where buffer[row].flags & (CSVSpan.unescaped | CSVSpan.empty) == 0 {
                buffer[row].start -= distance
            }
        }
    }

    /// The spans of a column.
    func spans(_ column: Int) -> UnsafeBufferPointer<CSVSpan> {
        UnsafeBufferPointer(start: columns[column], count: rowCount)
    }
}

/// Owns the column buffers of a ``CSVSpanTable`` and frees them.
final class CSVSpanStorage {
    let columns: UnsafeMutablePointer<UnsafeMutablePointer<CSVSpan>>
    let columnCount: Int

    init(columnCount: Int, capacity: Int) {
        self.columnCount = columnCount
        columns = UnsafeMutablePointer<UnsafeMutablePointer<CSVSpan>>.allocate(capacity: max(columnCount, 1))
        for column in 0..<columnCount {
            (columns + column).initialize(to: UnsafeMutablePointer<CSVSpan>.allocate(capacity: capacity))
        }
    }

    deinit {
        for column in 0..<columnCount { columns[column].deallocate() }
        columns.deallocate()
    }
}

/// Splits CSV bytes (RFC 4180: quoted fields, doubled quotes, embedded delimiters and
/// line breaks, LF / CRLF / CR line ends) into field spans without copying field text.
///
/// The tokenizer works on a window of the input. When the window is not the end of the
/// input (``isFinal`` is false), a record that reaches the window's end is reported as
/// incomplete, and the caller refills the window and asks again from the record's start.
struct CSVTokenizer {
    var input: UnsafeBufferPointer<UInt8>
    /// Whether the window ends where the input ends.
    var isFinal: Bool
    let delimiter: UInt8
    var position = 0
    /// The 1-based line at ``position``.
    var line = 1

    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    init(input: UnsafeBufferPointer<UInt8>, isFinal: Bool, delimiter: UInt8) {
        self.input = input
        self.isFinal = isFinal
        self.delimiter = delimiter
    }

    /// What ``skipBlankLines()`` found.
    enum Start {
        /// A record starts at ``position``.
        case record
        /// The input has no more records.
        case end
        /// The window ends first; refill and call again.
        case needMore
    }

    /// Skips blank lines, and lines of only spaces and tabs (as pandas does).
    mutating func skipBlankLines() -> Start {
        let n = input.count
        while position < n {
            let byte = input[position]
            if byte == CSVTokenizer.lf {
                position += 1
                line += 1
            } else if byte == CSVTokenizer.cr {
                if position + 1 >= n && !isFinal { return .needMore }
                position += 1
                if position < n && input[position] == CSVTokenizer.lf { position += 1 }
                line += 1
            } else if (byte == CSVTokenizer.space || byte == CSVTokenizer.tab) && byte != delimiter {
                // Only a line of nothing but blanks is skipped.
                var i = position + 1
                while i < n && (input[i] == CSVTokenizer.space || input[i] == CSVTokenizer.tab) && input[i] != delimiter { i += 1 }
                if i >= n {
                    if !isFinal { return .needMore }
                    position = n
                    return .end
                }
                guard input[i] == CSVTokenizer.lf || input[i] == CSVTokenizer.cr else { return .record }
                position = i
            } else {
                return .record
            }
        }
        return isFinal ? .end : .needMore
    }

    /// Reads the fields of one record (at a non-blank position) into `sink`, returning
    /// how many there were, one more than the sink takes when it overflows, or `nil`
    /// when the record runs past the window (``position`` and ``line`` are then
    /// unspecified: the caller restores them).
    mutating func readRecord<Sink: CSVSpanSink>(into sink: inout Sink, unescaped: inout [UInt8]) throws(DataFolioError) -> Int? {
        let n = input.count
        let delimiter = self.delimiter
        let final = isFinal
        var i = position
        var count = 0
        while true {
            var span: CSVSpan
            if i < n && input[i] == CSVTokenizer.quote {
                guard let (quoted, next) = try readQuoted(from: i, into: &unescaped) else { return nil }
                span = quoted
                i = next
            } else {
                let start = i
                i = CSVTokenizer.fieldEnd(input, from: i, delimiter: delimiter)
                if i >= n && !final { return nil }
                span = CSVSpan(start: start, length: try CSVTokenizer.length(i - start), flags: i == start ? CSVSpan.empty : 0)
            }
            guard sink.store(span, column: count) else {
                // Find the end of the record so the error can count its fields.
                position = i
                return count + 1
            }
            count += 1
            if i < n {
                let byte = input[i]
                i += 1
                if byte == delimiter { continue }
                if byte == CSVTokenizer.cr {
                    if i >= n && !final { return nil }
                    if i < n && input[i] == CSVTokenizer.lf { i += 1 }
                }
                line += 1
            }
            position = i
            return count
        }
    }

    /// The first position at or after `start` holding the delimiter, LF or CR (or the
    /// end), checking eight bytes at a time.
    @inline(__always)
    static func fieldEnd(_ input: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        let n = input.count
        var i = start
        guard let base = input.baseAddress else { return i }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let lfs = ones &* UInt64(lf)
        let crs = ones &* UInt64(cr)
        while i + 8 <= n {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            // A byte of `x` is zero where the word holds the byte looked for; the lowest
            // flagged byte is exact (borrows only flag bytes above a true zero).
            let a = word ^ delimiters, b = word ^ lfs, c = word ^ crs
            let found = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < n {
            let byte = base[i]
            if byte == delimiter || byte == lf || byte == cr { break }
            i += 1
        }
        return i
    }

    private static func length(_ value: Int) throws(DataFolioError) -> UInt32 {
        guard let length = UInt32(exactly: value) else {
            throw DataFolioError(.limitExceeded, "CSV: a field is longer than 4 GB.")
        }
        return length
    }

    /// Advances `i` to the next quote, counting the line breaks passed.
    @inline(__always)
    private mutating func scanToQuote(_ i: inout Int) {
        let n = input.count
        var breaks = 0
        let bytes = input
        while i < n {
            let byte = bytes[i]
            if byte == CSVTokenizer.quote { break }
            if byte == CSVTokenizer.lf {
                breaks += 1
            } else if byte == CSVTokenizer.cr && (i + 1 >= n || bytes[i + 1] != CSVTokenizer.lf) {
                breaks += 1
            }
            i += 1
        }
        line += breaks
    }

    /// Reads a quoted field starting at the opening quote; returns its span and the
    /// position after it, or `nil` when the window ends inside it.
    private mutating func readQuoted(from opening: Int, into unescaped: inout [UInt8]) throws(DataFolioError) -> (CSVSpan, Int)? {
        let n = input.count
        let openingLine = line
        var i = opening + 1
        let contentStart = i
        scanToQuote(&i)
        guard i < n else {
            if !isFinal { return nil }
            throw unclosed(openingLine)
        }
        let contentEnd = i
        i += 1
        if i >= n && !isFinal { return nil }
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
            scanToQuote(&i)
            guard i < n else {
                if !isFinal { return nil }
                throw unclosed(openingLine)
            }
            unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: input[segment..<i]))
            i += 1
            if i >= n && !isFinal { return nil }
        }
        // Text between the closing quote and the delimiter is kept as it is (as pandas does).
        let rest = i
        while i < n {
            let byte = input[i]
            if byte == delimiter || byte == CSVTokenizer.lf || byte == CSVTokenizer.cr { break }
            i += 1
        }
        if i >= n && !isFinal { return nil }
        unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: input[rest..<i]))
        let span = CSVSpan(
            start: start, length: try CSVTokenizer.length(unescaped.count - start), flags: CSVSpan.quoted | CSVSpan.unescaped)
        return (span, i)
    }

    private func unclosed(_ openingLine: Int) -> DataFolioError {
        DataFolioError(
            .corruptData,
            "CSV: the quoted field that starts on line \(openingLine) is never closed. Check for a missing '\"'.",
            location: DataFolioError.Location(line: openingLine))
    }

    /// The number of line breaks (LF, CRLF or a lone CR) in `range` of the window.
    func lineBreaks(in range: Range<Int>) -> Int {
        var count = 0
        let n = input.count
        let bytes = input
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = bytes[i]
            if byte == CSVTokenizer.lf {
                count += 1
            } else if byte == CSVTokenizer.cr && (i + 1 >= n || bytes[i + 1] != CSVTokenizer.lf) {
                count += 1
            }
            i += 1
        }
        return count
    }
}
