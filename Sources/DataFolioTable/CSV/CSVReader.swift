import DataFolioSupport

/// Reads CSV bytes into a table: splits the input into field spans, then types each column.
enum CSVReader {
    static func read(_ input: UnsafeRawBufferPointer, options: CSVReadOptions) throws(DataFolioError) -> Table {
        let delimiter = try delimiterByte(options.delimiter)
        let bytes = input.assumingMemoryBound(to: UInt8.self)
        var tokenizer = CSVTokenizer(input: bytes, delimiter: delimiter)
        guard tokenizer.skipBlankLines() else { return Table() }

        // The first record gives the names (or, without a header, the column count).
        let firstRecord = tokenizer.position
        var unescaped: [UInt8] = []
        var header = CSVRecordSpans()
        let columnCount = try tokenizer.readRecord(into: &header, unescaped: &unescaped)
        let names: [String]
        if options.hasHeader {
            names = uniqueNames(header.spans.map { span in
                let range = span.start..<span.start + Int(span.length)
                if span.flags & CSVSpan.unescaped != 0 { return String(decoding: unescaped[range], as: UTF8.self) }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            })
        } else {
            names = (1...columnCount).map { "column_\($0)" }
            tokenizer.position = firstRecord
        }
        let unknown = Set(options.columnTypes.keys).subtracting(names)
        if let missing = unknown.sorted().first {
            throw DataFolioError(
                .invalidArgument,
                "CSV: a type was given for column '\(missing)', but the file has no such column. "
                    + "The columns are: \(names.map { "'\($0)'" }.joined(separator: ", ")).")
        }

        // Size the span buffers from the length of the first line, never beyond the most
        // records the input can hold (a record takes at least one byte per field).
        let lineLength = max(tokenizer.position - firstRecord, 1)
        let estimate = bytes.count / lineLength + bytes.count / lineLength / 8 + 16
        var table = CSVSpanTable(columnCount: columnCount, capacity: min(estimate, bytes.count / columnCount + 16))
        while tokenizer.skipBlankLines() {
            let recordStart = tokenizer.position
            table.reserveRecord()
            let found = try tokenizer.readRecord(into: &table, unescaped: &unescaped)
            guard found == columnCount else {
                let line = tokenizer.lineNumber(at: recordStart)
                throw DataFolioError(
                    .corruptData,
                    "CSV: line \(line) has \(found > columnCount ? "more than \(columnCount)" : "\(found)") fields but "
                        + "\(options.hasHeader ? "the header has" : "the first line has") \(columnCount). "
                        + "Every row needs the same number of fields; quote fields that contain the delimiter.")
            }
            table.finishRecord()
        }

        let nullSpellings = options.nullSpellings.map { Array($0.utf8) }
        var columns: [Column] = []
        columns.reserveCapacity(columnCount)
        try unescaped.withUnsafeBufferPointer { unescapedBuffer throws(DataFolioError) in
            for (index, name) in names.enumerated() {
                let access = CSVFieldAccess(spans: table.spans(index), input: bytes.baseAddress, unescaped: unescapedBuffer.baseAddress)
                let converter = CSVColumnConverter(name: name, access: access, nullSpellings: nullSpellings)
                if let type = options.columnTypes[name] {
                    columns.append(try converter.converted(to: type) { row in
                        // Any field of the row that lies in the input tells its line.
                        for column in 0..<columnCount {
                            let span = table.spans(column)[row]
                            if span.flags & CSVSpan.unescaped == 0 { return "line \(tokenizer.lineNumber(at: span.start))" }
                        }
                        return "data row \(row + 1)"
                    })
                } else if options.inferTypes {
                    columns.append(converter.inferred())
                } else {
                    columns.append(converter.stringColumn())
                }
            }
        }
        return try withExtendedLifetime(table) { () throws(DataFolioError) -> Table in try Table(columns) }
    }

    static func delimiterByte(_ delimiter: Character) throws(DataFolioError) -> UInt8 {
        guard let ascii = delimiter.asciiValue, ascii != UInt8(ascii: "\""), ascii != 10, ascii != 13 else {
            throw DataFolioError(
                .invalidArgument,
                "CSV: the delimiter must be one ASCII character other than a quote or a line break, not '\(delimiter)'.")
        }
        return ascii
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

