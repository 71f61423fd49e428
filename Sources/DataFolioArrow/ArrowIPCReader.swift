import DataFolioJSON
import DataFolioSupport
import DataFolioTable

/// Reads Arrow IPC data — the file format (`.arrow`, and Feather version 2 `.feather`
/// files) and the stream format — one record batch at a time, as `Table` batches.
///
/// Memory stays bounded by one record batch as the writer made it (pyarrow's Feather
/// writer makes batches of 64Ki rows). Bodies compressed with LZ4 frames or Zstandard
/// are decompressed; dictionary batches (also deltas, in streams) are applied;
/// dictionary-encoded text stays a categorical column, other dictionaries are decoded.
///
/// Arrow types map to table types directly: integers, floating point (also half),
/// booleans, text and binary (also the large and view kinds), fixed-size binary,
/// 128-bit decimals, dates (`date64` values must be whole days), timestamps with their
/// unit and time zone, and lists of those. A `null`-typed column becomes text that is
/// all null. Structs, maps, unions, time of day, durations and intervals are refused
/// with an error naming the column; the other columns can still be read with `columns`.
/// Feather version 1 files are refused.
///
/// ```swift
/// let reader = try ArrowIPCReader(path: "data.feather")
/// print(reader.schema)
/// while let batch = try reader.next() { print(batch.rowCount) }
/// ```
public final class ArrowIPCReader: TableBatchReader {
    /// Which of Arrow's two layouts the input has.
    public enum Format: Sendable, Equatable {
        /// The random-access file format (`.arrow`, `.feather`), starting with `ARROW1`.
        case file
        /// The streaming format (`.arrows`, a pipe).
        case stream
    }

    /// The layout of the input.
    public let format: Format
    /// The columns of every batch.
    public private(set) var schema = TableSchema([])
    /// The schema's key-value metadata (pyarrow stores the `pandas` entry there).
    public private(set) var metadata: [String: String] = [:]
    /// The number of rows returned so far.
    public private(set) var rowsRead = 0
    /// The number of input bytes consumed so far, for progress.
    public private(set) var bytesRead = 0
    /// The size of the input in bytes, when known.
    public let inputSize: Int?

    private let input: any ByteInput
    private let name: String
    private var fields: [ArrowField] = []
    /// For each schema field, its column type when it is read, `nil` when skipped.
    private var selected: [ColumnType?] = []
    private var dictionaries: [Int64: Column] = [:]
    private var finished = false
    private var pending: [UInt8] = []

    /// The most bytes a message's metadata may have.
    static let maximumMetadata = 1 << 28

    /// Opens the Arrow IPC or Feather file at `path` (or a stream written to a file).
    ///
    /// ```swift
    /// let reader = try ArrowIPCReader(path: "scores.arrow", columns: ["id", "score"])
    /// ```
    /// - Parameters:
    ///   - path: the file to read.
    ///   - columns: the columns to read, in this order; `nil` reads all.
    /// - Throws: `fileNotFound`/`ioFailure`, `corruptData` for damaged data,
    ///   `unsupportedFeature` for Feather version 1 or a column type tables cannot hold.
    public convenience init(path: String, columns: [String]? = nil) throws(DataFolioError) {
        try self.init(input: try FileInput(path: path), columns: columns)
    }

    /// Reads Arrow IPC data from a descriptor that is already open, such as standard
    /// input (0); it is not closed. The format is detected.
    ///
    /// ```swift
    /// let reader = try ArrowIPCReader(fileDescriptor: 0, name: "standard input")
    /// ```
    public convenience init(fileDescriptor: Int32, name: String, columns: [String]? = nil) throws(DataFolioError) {
        try self.init(input: FileInput(fileDescriptor: fileDescriptor, name: name), columns: columns)
    }

    /// Reads Arrow IPC data from any byte input; the format is detected.
    ///
    /// ```swift
    /// let reader = try ArrowIPCReader(input: myInput)
    /// ```
    public init(input: any ByteInput, columns: [String]? = nil) throws(DataFolioError) {
        self.input = input
        name = input.name
        inputSize = input.size
        let head = try ArrowIPCReader.readUpTo(6, from: input)
        if head == Array("ARROW1".utf8) {
            format = .file
            // The magic is padded to 8 bytes.
            _ = try ArrowIPCReader.readUpTo(2, from: input)
            bytesRead = 8
        } else if head.count >= 4 && Array(head[0..<4]) == Array("FEA1".utf8) {
            throw ArrowIPCReader.located(input.name, DataFolioError(
                .unsupportedFeature,
                "Arrow IPC: this is a Feather version 1 file, which is not supported. Convert it with pyarrow: "
                    + "pyarrow.feather.write_feather(pyarrow.feather.read_table(path), new_path)."))
        } else {
            format = .stream
            pending = head
            bytesRead = head.count
        }
        do throws(DataFolioError) {
            guard let message = try readMessage() else {
                throw DataFolioError.truncated("Arrow IPC", "the input ends before the schema")
            }
            guard message.kind == 1, let header = message.header else {
                throw DataFolioError.corrupt("Arrow IPC", "the first message is not a schema")
            }
            let schemaMessage = try ArrowSchemaMessage(header)
            fields = schemaMessage.fields
            metadata = schemaMessage.metadata
            try select(columns)
        } catch {
            throw ArrowIPCReader.located(name, error)
        }
    }

    /// The error with the input's name in front of its message.
    private static func located(_ name: String, _ error: DataFolioError) -> DataFolioError {
        guard error.path == nil else { return error }
        var located = error
        located.problem = "\(name): \(error.problem)"
        located.path = name
        return located
    }

    private func select(_ columns: [String]?) throws(DataFolioError) {
        let names = fields.map(\.name)
        var wanted: [String] = columns ?? names
        if columns == nil {
            // Arrow allows repeated names; tables do not. Keep the first of each.
            var seen: Set<String> = []
            wanted = names.filter { seen.insert($0).inserted }
        }
        for name in wanted where !names.contains(name) {
            throw DataFolioError(
                .invalidArgument,
                "Arrow IPC: no column named '\(name)'. The columns are: \(names.map { "'\($0)'" }.joined(separator: ", ")).",
                location: DataFolioError.Location(column: name))
        }
        selected = [ColumnType?](repeating: nil, count: fields.count)
        var schemaFields: [TableSchema.Field] = []
        for name in wanted {
            guard let index = fields.firstIndex(where: { $0.name == name }), selected[index] == nil else { continue }
            let type = try fields[index].columnType().get()
            selected[index] = type
            schemaFields.append(TableSchema.Field(name: name, type: type))
        }
        // Columns come out in the order asked for.
        order = wanted.compactMap { name in fields.firstIndex { $0.name == name } }
        schema = TableSchema(schemaFields, indexColumnNames: ArrowIPCReader.pandasIndexColumns(metadata).filter { wanted.contains($0) })
    }

    private var order: [Int] = []

    /// The names of stored pandas index columns in the `pandas` metadata (a range index
    /// is described, not stored, and does not count).
    private static func pandasIndexColumns(_ metadata: [String: String]) -> [String] {
        guard let text = metadata["pandas"], let json = try? JSONValue(parsing: text),
            let columns = json["index_columns"]?.arrayValue
        else { return [] }
        return columns.compactMap(\.stringValue)
    }

    // MARK: Batches

    /// The next record batch, or `nil` at the end of the data. Batches without rows are skipped.
    ///
    /// - Throws: `corruptData`/`truncatedData` for damaged data, `unsupportedFeature` for
    ///   what tables cannot hold.
    public func next() throws(DataFolioError) -> Table? {
        guard !finished else { return nil }
        do throws(DataFolioError) {
            while let message = try readMessage() {
                switch message.kind {
                case 2:
                    try applyDictionary(message)
                case 3:
                    guard let header = message.header else { throw DataFolioError.corrupt("Arrow IPC", "a record batch message has no header") }
                    let table = try decodeBatch(header, body: message.body)
                    if table.rowCount == 0 { continue }
                    rowsRead += table.rowCount
                    return table
                case 1:
                    throw DataFolioError.corrupt("Arrow IPC", "a second schema appears in the data")
                default:
                    throw DataFolioError.unsupported("Arrow IPC", "a message of kind \(message.kind) (tensors)")
                }
            }
            finished = true
            return nil
        } catch {
            finished = true
            throw ArrowIPCReader.located(name, error)
        }
    }

    private func decodeBatch(_ header: FlatBufferReader, body: [UInt8]) throws(DataFolioError) -> Table {
        var decoder = try ArrowBatchDecoder(recordBatch: header, body: body)
        var columns = [Column?](repeating: nil, count: fields.count)
        for (index, field) in fields.enumerated() {
            if let type = selected[index] {
                let column = try decoder.column(field, name: field.name, type: type, dictionaries: dictionaries)
                guard column.count == decoder.length else {
                    throw DataFolioError.corrupt(
                        "Arrow IPC", "column '\(field.name)' has \(column.count) values in a batch of \(decoder.length) rows")
                }
                columns[index] = column
            } else {
                try decoder.skip(field)
            }
        }
        var table = try Table(order.compactMap { columns[$0] })
        table.indexColumnNames = schema.indexColumnNames
        return table
    }

    private func applyDictionary(_ message: Message) throws(DataFolioError) {
        guard let header = message.header, let data = header.table(1) else {
            throw DataFolioError.corrupt("Arrow IPC", "a dictionary batch has no data")
        }
        let id = header.i64(0)
        let isDelta = header.bool(2)
        guard let owner = ArrowIPCReader.field(withDictionary: id, in: fields) else {
            throw DataFolioError.corrupt("Arrow IPC", "a dictionary batch has id \(id), which no column uses")
        }
        var valueField = owner
        valueField.dictionary = nil
        let valueType = try valueField.columnType().get()
        var decoder = try ArrowBatchDecoder(recordBatch: data, body: message.body)
        let values = try decoder.column(valueField, name: owner.name, type: valueType, dictionaries: dictionaries)
        if isDelta, let existing = dictionaries[id] {
            dictionaries[id] = try Table(concatenating: [Table([existing]), Table([values])])[column: 0]
        } else {
            dictionaries[id] = values
        }
    }

    private static func field(withDictionary id: Int64, in fields: [ArrowField]) -> ArrowField? {
        for field in fields {
            if field.dictionary?.id == id { return field }
            if let inner = ArrowIPCReader.field(withDictionary: id, in: field.children) { return inner }
        }
        return nil
    }

    // MARK: Messages

    struct Message {
        var kind: UInt8
        var header: FlatBufferReader?
        var body: [UInt8]
    }

    /// The next message, or `nil` at the end-of-stream marker or the end of the input.
    private func readMessage() throws(DataFolioError) -> Message? {
        let prefix = try read(4)
        if prefix.isEmpty { return nil }
        guard prefix.count == 4 else { throw DataFolioError.truncated("Arrow IPC", "the input ends inside a message length") }
        var length = ArrowIPCReader.int32(prefix)
        if length == -1 {
            let next = try read(4)
            guard next.count == 4 else { throw DataFolioError.truncated("Arrow IPC", "the input ends inside a message length") }
            length = ArrowIPCReader.int32(next)
        }
        if length == 0 { return nil }
        guard length > 0, Int(length) <= ArrowIPCReader.maximumMetadata else {
            throw DataFolioError.corrupt("Arrow IPC", "a message declares \(length) bytes of metadata")
        }
        if let size = inputSize, Int(length) > size - bytesRead + pending.count {
            throw DataFolioError.truncated("Arrow IPC", "a message declares \(length) bytes of metadata but the input ends first")
        }
        let flat = try read(Int(length))
        guard flat.count == Int(length) else { throw DataFolioError.truncated("Arrow IPC", "the input ends inside a message") }
        guard let message = FlatBufferReader(root: flat) else {
            throw DataFolioError.corrupt("Arrow IPC", "a message's metadata is not a valid FlatBuffer")
        }
        let version = message.i16(0)
        guard version >= 3 else {
            throw DataFolioError.unsupported("Arrow IPC", "metadata version \(version + 1) (written by Arrow before 0.8)")
        }
        let bodyLength = message.i64(3)
        guard bodyLength >= 0, bodyLength <= Int64(ArrowBatchDecoder.maximumBytes) else {
            throw DataFolioError.corrupt("Arrow IPC", "a message declares a body of \(bodyLength) bytes")
        }
        if let size = inputSize, bodyLength > Int64(size - bytesRead + pending.count) {
            throw DataFolioError.truncated("Arrow IPC", "a message declares a body of \(bodyLength) bytes but the input ends first")
        }
        let body = try read(Int(bodyLength))
        guard body.count == Int(bodyLength) else { throw DataFolioError.truncated("Arrow IPC", "the input ends inside a message body") }
        return Message(kind: message.u8(1), header: message.table(2), body: body)
    }

    private static func int32(_ bytes: [UInt8]) -> Int32 {
        Int32(bitPattern: UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
    }

    /// Reads up to `count` bytes (fewer only at the end), growing the result as data
    /// arrives so that a lying length cannot make it allocate more than the input holds.
    private func read(_ count: Int) throws(DataFolioError) -> [UInt8] {
        var result: [UInt8] = []
        if !pending.isEmpty {
            let taken = min(count, pending.count)
            result = Array(pending[0..<taken])
            pending.removeFirst(taken)
            if taken == count { return result }
        }
        let rest = try ArrowIPCReader.readUpTo(count - result.count, from: input)
        bytesRead += rest.count
        if result.isEmpty { return rest }
        return result + rest
    }

    static func readUpTo(_ count: Int, from input: any ByteInput) throws(DataFolioError) -> [UInt8] {
        var result = [UInt8]()
        let chunk = 8 << 20
        result.reserveCapacity(min(count, chunk))
        while result.count < count {
            let want = min(count - result.count, chunk)
            let start = result.count
            result.append(contentsOf: repeatElement(0, count: want))
            var got = 0
            var failure: DataFolioError?
            result.withUnsafeMutableBytes { raw in
                do throws(DataFolioError) {
                    got = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + want)]))
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            result.removeLast(want - got)
            if got == 0 { break }
        }
        return result
    }
}
