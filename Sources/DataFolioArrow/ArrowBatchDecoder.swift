import DataFolioCompression
import DataFolioSupport
import DataFolioTable

/// The codec of a record batch body.
enum ArrowBodyCodec {
    case lz4Frame, zstd
}

/// Turns the body of a record batch (or of a dictionary batch) into columns, walking the
/// field nodes and buffers in schema order.
struct ArrowBatchDecoder {
    private let body: [UInt8]
    private let message: FlatBufferReader
    private let nodes: (start: Int, count: Int)
    private let buffers: (start: Int, count: Int)
    private let variadicCounts: [Int64]
    private let codec: ArrowBodyCodec?
    private var nextNode = 0
    private var nextBuffer = 0
    private var nextVariadic = 0
    /// Decompressed bytes so far, against ``maximumBytes``.
    private var decompressed = 0
    let length: Int
    static let maximumBytes = 1 << 36

    /// Reads the layout of a `RecordBatch` table whose body is `body`.
    init(recordBatch table: FlatBufferReader, body: [UInt8]) throws(DataFolioError) {
        self.body = body
        message = table
        let length = table.i64(0)
        guard length >= 0, length <= Int64(Int32.max) * 64 else {
            throw DataFolioError.corrupt("Arrow IPC", "a record batch declares \(length) rows")
        }
        self.length = Int(length)
        guard let nodes = table.structs(1, stride: 16) else {
            throw DataFolioError.corrupt("Arrow IPC", "a record batch has no field nodes")
        }
        guard let buffers = table.structs(2, stride: 16) else {
            throw DataFolioError.corrupt("Arrow IPC", "a record batch has no buffer list")
        }
        self.nodes = nodes
        self.buffers = buffers
        variadicCounts = table.int64s(4) ?? []
        if let compression = table.table(3) {
            guard compression.u8(1) == 0 else { throw DataFolioError.unsupported("Arrow IPC", "a body compression method other than per buffer") }
            switch compression.u8(0) {
            case 0: codec = .lz4Frame
            case 1: codec = .zstd
            default: throw DataFolioError.unsupported("Arrow IPC", "body compression codec number \(compression.u8(0))")
            }
        } else {
            codec = nil
        }
    }

    // MARK: Nodes and buffers

    private mutating func node(_ field: ArrowField) throws(DataFolioError) -> (length: Int, nullCount: Int) {
        guard nextNode < nodes.count else {
            throw DataFolioError.corrupt("Arrow IPC", "a record batch has fewer field nodes than the schema needs (at '\(field.name)')")
        }
        let at = nodes.start + 16 * nextNode
        nextNode += 1
        let length = Int64(bitPattern: FlatBufferReader.u64(message.bytes, at) ?? 0)
        let nulls = Int64(bitPattern: FlatBufferReader.u64(message.bytes, at + 8) ?? 0)
        guard length >= 0, length <= Int64(Int32.max) * 64, nulls >= 0, nulls <= length else {
            throw DataFolioError.corrupt("Arrow IPC", "column '\(field.name)' declares \(length) values with \(nulls) nulls")
        }
        return (Int(length), Int(nulls))
    }

    /// The bytes of the next buffer, decompressed.
    private mutating func buffer(_ field: ArrowField) throws(DataFolioError) -> [UInt8] {
        guard nextBuffer < buffers.count else {
            throw DataFolioError.corrupt("Arrow IPC", "a record batch has fewer buffers than the schema needs (at '\(field.name)')")
        }
        let at = buffers.start + 16 * nextBuffer
        nextBuffer += 1
        let offset = Int64(bitPattern: FlatBufferReader.u64(message.bytes, at) ?? 0)
        let size = Int64(bitPattern: FlatBufferReader.u64(message.bytes, at + 8) ?? 0)
        guard offset >= 0, size >= 0, offset <= Int64(body.count), size <= Int64(body.count) - offset else {
            throw DataFolioError.corrupt(
                "Arrow IPC", "a buffer of column '\(field.name)' lies at \(offset)+\(size), outside the \(body.count)-byte body")
        }
        let range = Int(offset)..<Int(offset + size)
        guard let codec, size > 0 else { return Array(body[range]) }
        guard size >= 8 else {
            throw DataFolioError.corrupt("Arrow IPC", "a compressed buffer of column '\(field.name)' has only \(size) bytes")
        }
        var declared: Int64 = 0
        for k in 0..<8 { declared |= Int64(body[range.lowerBound + k]) << Int64(8 * k) }
        let payload = range.lowerBound + 8..<range.upperBound
        if declared == -1 { return Array(body[payload]) }
        // No codec expands data beyond these ratios; a larger claim is a lie.
        let ratio = codec == .lz4Frame ? 256 : 32_768
        guard declared >= 0, declared <= Int64(payload.count) * Int64(ratio) + (1 << 17),
            declared <= Int64(ArrowBatchDecoder.maximumBytes - decompressed)
        else {
            throw DataFolioError.corrupt(
                "Arrow IPC", "a buffer of column '\(field.name)' claims to decompress from \(payload.count) to \(declared) bytes")
        }
        decompressed += Int(declared)
        let count = Int(declared)
        var failure: DataFolioError?
        let result = [UInt8](uninitializedCapacity: count) { output, initialized in
            initialized = 0
            body.withUnsafeBytes { raw in
                let input = UnsafeRawBufferPointer(rebasing: raw[payload])
                do throws(DataFolioError) {
                    let produced: Int
                    switch codec {
                    case .lz4Frame: produced = try LZ4.decompressFrames(input, into: UnsafeMutableRawBufferPointer(output))
                    case .zstd: produced = try Zstandard.decompress(input, into: UnsafeMutableRawBufferPointer(output))
                    }
                    guard produced == count else {
                        throw DataFolioError.corrupt("Arrow IPC", "a buffer decompresses to \(produced) bytes instead of \(count)")
                    }
                    initialized = count
                } catch {
                    failure = error
                }
            }
        }
        if let failure {
            var error = failure
            error.problem = "Arrow IPC: column '\(field.name)': \(failure.problem)"
            throw error
        }
        return result
    }

    /// Skips the next buffer without reading it.
    private mutating func skipBuffer(_ field: ArrowField) throws(DataFolioError) {
        guard nextBuffer < buffers.count else {
            throw DataFolioError.corrupt("Arrow IPC", "a record batch has fewer buffers than the schema needs (at '\(field.name)')")
        }
        nextBuffer += 1
    }

    private mutating func variadicCount(_ field: ArrowField) throws(DataFolioError) -> Int {
        guard nextVariadic < variadicCounts.count else {
            throw DataFolioError.corrupt("Arrow IPC", "column '\(field.name)' has no count of data buffers")
        }
        let count = variadicCounts[nextVariadic]
        nextVariadic += 1
        guard count >= 0, count <= Int64(buffers.count) else {
            throw DataFolioError.corrupt("Arrow IPC", "column '\(field.name)' declares \(count) data buffers")
        }
        return Int(count)
    }

    // MARK: Skipping

    /// Moves past a field (and its children) without decoding it.
    mutating func skip(_ field: ArrowField) throws(DataFolioError) {
        _ = try node(field)
        if field.dictionary != nil {
            for _ in 0..<2 { try skipBuffer(field) }
            return
        }
        let own: Int
        switch field.type {
        case .null, .runEndEncoded: own = 0
        case .structure, .fixedSizeList: own = 1
        case .union(let dense): own = dense ? 2 : 1
        case .bool, .int, .floatingPoint, .fixedSizeBinary, .decimal, .date, .timestamp, .fixedWidthOther, .list, .largeList, .map:
            own = 2
        case .binary, .largeBinary, .utf8, .largeUtf8, .listView, .largeListView: own = 3
        case .binaryView, .utf8View: own = 2 + (try variadicCount(field))
        }
        for _ in 0..<own { try skipBuffer(field) }
        for child in field.children { try skip(child) }
    }

    // MARK: Decoding

    /// Decodes the next field into a column named `name`; dictionary-encoded fields take
    /// their values from `dictionaries`.
    mutating func column(
        _ field: ArrowField, name: String, type: ColumnType, dictionaries: [Int64: Column]
    ) throws(DataFolioError) -> Column {
        let (count, nulls) = try node(field)
        if field.type == .null && field.dictionary == nil {
            // A null array has no buffers at all.
            return Column.nulls(name: name, type: .string, count: count)
        }
        let validityBytes = try buffer(field)
        var validity: Bitmap?
        if nulls > 0 {
            guard validityBytes.count >= (count + 7) / 8 else {
                throw DataFolioError.corrupt(
                    "Arrow IPC", "column '\(name)' has \(nulls) nulls but a validity bitmap of \(validityBytes.count) bytes for \(count) values")
            }
            validity = try Bitmap(bytes: validityBytes, count: count)
        }
        func make(_ type: ColumnType, _ data: ColumnData, _ validity: Bitmap?) throws(DataFolioError) -> Column {
            do {
                return try Column(name: name, type: type, count: count, data: data, validity: validity)
            } catch {
                throw DataFolioError.corrupt("Arrow IPC", error.message)
            }
        }
        func values<T>(_ bytes: [UInt8], _: T.Type) throws(DataFolioError) -> [T] {
            let needed = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
            guard !needed.overflow, bytes.count >= needed.partialValue else {
                throw DataFolioError.corrupt(
                    "Arrow IPC", "column '\(name)' needs \(count) values of \(MemoryLayout<T>.stride) bytes but its buffer has \(bytes.count)")
            }
            return [T](uninitializedCapacity: count) { target, initialized in
                bytes.withUnsafeBytes { source in
                    if let from = source.baseAddress, let to = target.baseAddress, count > 0 {
                        UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: needed.partialValue)
                    }
                }
                initialized = count
            }
        }

        func offsetValues<T: FixedWidthInteger>(_ bytes: [UInt8], _: T.Type, extra: Int) throws(DataFolioError) -> [T] {
            let total = count + extra
            let needed = total.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
            if count == 0 && bytes.isEmpty { return [0] }
            guard !needed.overflow, bytes.count >= needed.partialValue else {
                throw DataFolioError.corrupt(
                    "Arrow IPC", "column '\(name)' needs \(total) offsets but its buffer has \(bytes.count) bytes")
            }
            return [T](uninitializedCapacity: total) { target, initialized in
                bytes.withUnsafeBytes { source in
                    if let from = source.baseAddress, let to = target.baseAddress {
                        UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: needed.partialValue)
                    }
                }
                initialized = total
            }
        }

        if let encoding = field.dictionary {
            let raw = try buffer(field)
            let indices: [Int32]
            switch (encoding.indexBits, encoding.indexSigned) {
            case (8, true): indices = try values(raw, Int8.self).map { Int32($0) }
            case (8, false): indices = try values(raw, UInt8.self).map { Int32($0) }
            case (16, true): indices = try values(raw, Int16.self).map { Int32($0) }
            case (16, false): indices = try values(raw, UInt16.self).map { Int32($0) }
            case (32, true): indices = try values(raw, Int32.self)
            case (32, false): indices = try values(raw, UInt32.self).map { Int32(truncatingIfNeeded: min($0, UInt32(Int32.max))) }
            default: indices = try values(raw, Int64.self).map { Int32(truncatingIfNeeded: max(min($0, Int64(Int32.max)), -1)) }
            }
            guard let dictionary = dictionaries[encoding.id] else {
                throw DataFolioError.corrupt("Arrow IPC", "column '\(name)' uses dictionary \(encoding.id), which the stream never sent")
            }
            let valueType: ColumnType
            if case .dictionary(let inner, _) = type { valueType = inner } else { valueType = type }
            let encoded = try make(
                .dictionary(valueType, ordered: encoding.ordered),
                .dictionary(indices: indices, dictionary: dictionary.renamed(name)), validity)
            if case .dictionary = type { return encoded }
            return encoded.decodingDictionary()
        }

        switch field.type {
        case .bool:
            let bits = try buffer(field)
            guard bits.count >= (count + 7) / 8 else {
                throw DataFolioError.corrupt("Arrow IPC", "column '\(name)' needs \(count) bits but its buffer has \(bits.count) bytes")
            }
            let flags = (0..<count).map { bits[$0 >> 3] & (1 << UInt8($0 & 7)) != 0 }
            return try make(.bool, .bool(flags), validity)
        case .int(let bits, let signed):
            let raw = try buffer(field)
            switch (bits, signed) {
            case (8, true): return try make(.int8, .int8(try values(raw, Int8.self)), validity)
            case (16, true): return try make(.int16, .int16(try values(raw, Int16.self)), validity)
            case (32, true): return try make(.int32, .int32(try values(raw, Int32.self)), validity)
            case (64, true): return try make(.int64, .int64(try values(raw, Int64.self)), validity)
            case (8, false): return try make(.uint8, .uint8(try values(raw, UInt8.self)), validity)
            case (16, false): return try make(.uint16, .uint16(try values(raw, UInt16.self)), validity)
            case (32, false): return try make(.uint32, .uint32(try values(raw, UInt32.self)), validity)
            default: return try make(.uint64, .uint64(try values(raw, UInt64.self)), validity)
            }
        case .floatingPoint(let precision):
            let raw = try buffer(field)
            switch precision {
            case 0: return try make(.float16, .float16(try values(raw, UInt16.self)), validity)
            case 1: return try make(.float32, .float32(try values(raw, Float.self)), validity)
            default: return try make(.float64, .float64(try values(raw, Double.self)), validity)
            }
        case .date(let milliseconds):
            let raw = try buffer(field)
            guard milliseconds else { return try make(.date, .int32(try values(raw, Int32.self)), validity) }
            let stamps = try values(raw, Int64.self)
            var days = [Int32](repeating: 0, count: count)
            for row in 0..<count where validity?[row] ?? true {
                let (day, rest) = stamps[row].quotientAndRemainder(dividingBy: 86_400_000)
                guard rest == 0, let narrow = Int32(exactly: day) else {
                    throw DataFolioError(
                        .unsupportedFeature,
                        "Arrow IPC: column '\(name)' is date64 and row \(row) holds a time of day (\(stamps[row]) ms); DataFolio dates are whole days.")
                }
                days[row] = narrow
            }
            return try make(.date, .int32(days), validity)
        case .timestamp(let unit, let zone):
            let raw = try buffer(field)
            return try make(.timestamp(unit, timeZone: zone), .int64(try values(raw, Int64.self)), validity)
        case .decimal(let precision, let scale, _):
            let raw = try buffer(field)
            let needed = count.multipliedReportingOverflow(by: 16)
            guard !needed.overflow, raw.count >= needed.partialValue else {
                throw DataFolioError.corrupt("Arrow IPC", "column '\(name)' needs \(count) decimals but its buffer has \(raw.count) bytes")
            }
            return try make(.decimal(precision: precision, scale: scale), .fixedBytes(width: 16, values: Array(raw[0..<needed.partialValue])), validity)
        case .fixedSizeBinary(let width):
            let raw = try buffer(field)
            let needed = count.multipliedReportingOverflow(by: width)
            guard !needed.overflow, raw.count >= needed.partialValue else {
                throw DataFolioError.corrupt("Arrow IPC", "column '\(name)' needs \(count) values of \(width) bytes but its buffer has \(raw.count)")
            }
            return try make(.fixedSizeBinary(width), .fixedBytes(width: width, values: Array(raw[0..<needed.partialValue])), validity)
        case .binary, .utf8, .largeBinary, .largeUtf8:
            let large = field.type == .largeBinary || field.type == .largeUtf8
            let rawOffsets = try buffer(field)
            let offsets: [Int64] = large
                ? try offsetValues(rawOffsets, Int64.self, extra: 1)
                : try offsetValues(rawOffsets, Int32.self, extra: 1).map { Int64($0) }
            let data = try buffer(field)
            let (rebased, bytes) = try ArrowBatchDecoder.rebase(offsets, data, column: name)
            let columnType: ColumnType = field.type == .utf8 || field.type == .largeUtf8 ? .string : .binary
            return try make(columnType, .bytes(offsets: rebased, values: bytes), validity)
        case .binaryView, .utf8View:
            let views = try buffer(field)
            let dataCount = try variadicCount(field)
            var data: [[UInt8]] = []
            for _ in 0..<dataCount { data.append(try buffer(field)) }
            let columnType: ColumnType = field.type == .utf8View ? .string : .binary
            return try make(columnType, try ArrowBatchDecoder.fromViews(views, data, count: count, validity: validity, column: name), validity)
        case .list, .largeList:
            let rawOffsets = try buffer(field)
            let offsets: [Int64] = field.type == .largeList
                ? try offsetValues(rawOffsets, Int64.self, extra: 1)
                : try offsetValues(rawOffsets, Int32.self, extra: 1).map { Int64($0) }
            guard case .list(let elementType) = type, let child = field.children.first else {
                throw DataFolioError.corrupt("Arrow IPC", "list column '\(name)' has no element field")
            }
            var elements = try column(child, name: child.name.isEmpty ? "element" : child.name, type: elementType, dictionaries: dictionaries)
            guard let first = offsets.first, let last = offsets.last, first >= 0, first <= last, last <= Int64(elements.count) else {
                throw DataFolioError.corrupt("Arrow IPC", "list column '\(name)' has offsets outside its \(elements.count) elements")
            }
            var rebased = offsets
            if first != 0 || last != Int64(elements.count) {
                elements = elements.rows(Int(first)..<Int(last))
                rebased = offsets.map { $0 - first }
            }
            return try make(.list(elementType), .list(offsets: rebased, values: elements), validity)
        default:
            throw DataFolioError.unsupported("Arrow IPC", "column '\(name)' of type \(field.type.name)")
        }

    }

    /// Offsets that start at zero, and the bytes they cover.
    private static func rebase(_ offsets: [Int64], _ data: [UInt8], column: String) throws(DataFolioError) -> ([Int64], [UInt8]) {
        guard let first = offsets.first, let last = offsets.last, first >= 0, first <= last, last <= Int64(data.count) else {
            throw DataFolioError.corrupt("Arrow IPC", "column '\(column)' has offsets outside its \(data.count) bytes of data")
        }
        if first == 0 { return (offsets, last == Int64(data.count) ? data : Array(data[0..<Int(last)])) }
        return (offsets.map { $0 - first }, Array(data[Int(first)..<Int(last)]))
    }

    /// Offsets and bytes from Arrow's string views (16 bytes each: a length, then the
    /// text inline when it has at most 12 bytes, else a prefix, a buffer number and an offset).
    private static func fromViews(
        _ views: [UInt8], _ data: [[UInt8]], count: Int, validity: Bitmap?, column: String
    ) throws(DataFolioError) -> ColumnData {
        let needed = count.multipliedReportingOverflow(by: 16)
        guard !needed.overflow, views.count >= needed.partialValue else {
            throw DataFolioError.corrupt("Arrow IPC", "column '\(column)' needs \(count) views but its buffer has \(views.count) bytes")
        }
        func int32(_ at: Int) -> Int {
            Int(Int32(bitPattern: UInt32(views[at]) | UInt32(views[at + 1]) << 8 | UInt32(views[at + 2]) << 16 | UInt32(views[at + 3]) << 24))
        }
        var offsets: [Int64] = [0]
        offsets.reserveCapacity(count + 1)
        var bytes: [UInt8] = []
        for row in 0..<count {
            if validity?[row] ?? true {
                let at = row * 16
                let length = int32(at)
                guard length >= 0 else { throw DataFolioError.corrupt("Arrow IPC", "column '\(column)' has a view of length \(length)") }
                if length <= 12 {
                    bytes.append(contentsOf: views[(at + 4)..<(at + 4 + length)])
                } else {
                    let index = int32(at + 8)
                    let offset = int32(at + 12)
                    guard index >= 0, index < data.count, offset >= 0, offset <= data[index].count - length else {
                        throw DataFolioError.corrupt("Arrow IPC", "column '\(column)' has a view outside its data buffers")
                    }
                    bytes.append(contentsOf: data[index][offset..<(offset + length)])
                }
            }
            offsets.append(Int64(bytes.count))
        }
        return .bytes(offsets: offsets, values: bytes)
    }
}
