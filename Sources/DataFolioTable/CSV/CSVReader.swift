import DataFolioSupport

/// Reads CSV bytes into a table: tokenizes into raw column text, then types each column.
enum CSVReader {
    static func read(_ input: UnsafeRawBufferPointer, options: CSVReadOptions) throws(DataFolioError) -> Table {
        let delimiter = try delimiterByte(options.delimiter)
        let bytes = input.assumingMemoryBound(to: UInt8.self)
        var tokenizer = CSVTokenizer(input: bytes, delimiter: delimiter)
        guard tokenizer.skipBlankLines() else { return Table() }

        // The first record gives the names (or, without a header, the column count).
        let firstRecord = tokenizer.position
        var header = CSVFieldColumn()
        while try tokenizer.readField(into: &header) {}
        let columnCount = header.count
        var names: [String]
        if options.hasHeader {
            names = uniqueNames((0..<columnCount).map { header.text($0) })
        } else {
            names = (1...columnCount).map { "column_\($0)" }
            tokenizer.position = firstRecord
        }

        // Guess the rows from the first data line to size the buffers once.
        let estimatedRows = max(16, min(bytes.count / max(tokenizer.position - firstRecord, 1) + 1, 1 << 26))
        let bytesPerColumn = bytes.count / max(columnCount, 1)
        var columns = [CSVFieldColumn](
            repeating: CSVFieldColumn(capacity: estimatedRows, byteCapacity: bytesPerColumn), count: columnCount)
        // Where each record starts, sampled sparsely, for line numbers in error messages.
        var rowCount = 0
        while tokenizer.skipBlankLines() {
            let recordStart = tokenizer.position
            var column = 0
            while true {
                guard column < columnCount else {
                    throw raggedRow(tokenizer, recordStart: recordStart, found: "more than \(columnCount)", expected: columnCount, hasHeader: options.hasHeader)
                }
                let more = try tokenizer.readField(into: &columns[column])
                column += 1
                if !more { break }
            }
            guard column == columnCount else {
                throw raggedRow(tokenizer, recordStart: recordStart, found: "\(column)", expected: columnCount, hasHeader: options.hasHeader)
            }
            rowCount += 1
        }

        let nullSpellings = options.nullSpellings.map { Array($0.utf8) }
        var result: [Column] = []
        result.reserveCapacity(columnCount)
        for (index, name) in names.enumerated() {
            let converter = CSVColumnConverter(name: name, fields: columns[index], nullSpellings: nullSpellings)
            // Release the raw text as soon as its column is built.
            columns[index] = CSVFieldColumn()
            if let type = options.columnTypes[name] {
                let firstDataRecord = options.hasHeader ? tokenizer.lineNumber(at: firstRecord) + 1 : 1
                result.append(try converter.converted(to: type) { row in
                    // Exact for files without blank lines or quoted line breaks.
                    firstDataRecord + row
                })
            } else if options.inferTypes {
                result.append(converter.inferred())
            } else {
                result.append(converter.stringColumn(converter.fieldsValidity()))
            }
        }
        let unknown = Set(options.columnTypes.keys).subtracting(names)
        if let missing = unknown.sorted().first {
            throw DataFolioError(
                .invalidArgument,
                "CSV: a type was given for column '\(missing)', but the header has no such column. "
                    + "The columns are: \(names.map { "'\($0)'" }.joined(separator: ", ")).")
        }
        _ = rowCount
        return try Table(result)
    }

    static func delimiterByte(_ delimiter: Character) throws(DataFolioError) -> UInt8 {
        guard let ascii = delimiter.asciiValue, ascii != UInt8(ascii: "\""), ascii != 10, ascii != 13 else {
            throw DataFolioError(
                .invalidArgument,
                "CSV: the delimiter must be one ASCII character other than a quote or a line break, not '\(delimiter)'.")
        }
        return ascii
    }

    private static func raggedRow(
        _ tokenizer: CSVTokenizer, recordStart: Int, found: String, expected: Int, hasHeader: Bool
    ) -> DataFolioError {
        let line = tokenizer.lineNumber(at: recordStart)
        return DataFolioError(
            .corruptData,
            "CSV: line \(line) has \(found) fields but \(hasHeader ? "the header has" : "the first line has") \(expected). "
                + "Every row needs the same number of fields; quote fields that contain the delimiter.")
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

extension CSVColumnConverter {
    /// The null flags without the bytes in hand.
    func fieldsValidity() -> Bitmap {
        fields.bytes.withUnsafeBufferPointer { validity($0) }
    }
}
