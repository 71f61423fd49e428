import DataFolioSupport
import DataFolioTable

/// An Arrow type as the IPC schema states it.
indirect enum ArrowType: Equatable {
    case null
    case bool
    case int(bits: Int, signed: Bool)
    /// 0 half, 1 single, 2 double.
    case floatingPoint(precision: Int)
    case binary, largeBinary, utf8, largeUtf8, binaryView, utf8View
    case fixedSizeBinary(Int)
    case decimal(precision: Int, scale: Int, bits: Int)
    case date(milliseconds: Bool)
    case timestamp(ColumnType.TimeUnit, timeZone: String?)
    case list, largeList, listView, largeListView
    case fixedSizeList(Int)
    case structure, map
    case union(dense: Bool)
    case runEndEncoded
    /// A type with validity and one data buffer that tables cannot hold (time, duration, interval).
    case fixedWidthOther(name: String)

    /// The type's name as Arrow prints it, for messages.
    var name: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int(let bits, let signed): "\(signed ? "" : "u")int\(bits)"
        case .floatingPoint(let precision): ["halffloat", "float", "double"][min(max(precision, 0), 2)]
        case .binary: "binary"
        case .largeBinary: "large_binary"
        case .utf8: "string"
        case .largeUtf8: "large_string"
        case .binaryView: "binary_view"
        case .utf8View: "string_view"
        case .fixedSizeBinary(let width): "fixed_size_binary[\(width)]"
        case .decimal(let precision, let scale, let bits): "decimal\(bits)(\(precision), \(scale))"
        case .date(let milliseconds): milliseconds ? "date64[ms]" : "date32[day]"
        case .timestamp(let unit, let zone): ColumnType.timestamp(unit, timeZone: zone).arrowName
        case .list: "list"
        case .largeList: "large_list"
        case .listView: "list_view"
        case .largeListView: "large_list_view"
        case .fixedSizeList(let size): "fixed_size_list[\(size)]"
        case .structure: "struct"
        case .map: "map"
        case .union(let dense): dense ? "dense_union" : "sparse_union"
        case .runEndEncoded: "run_end_encoded"
        case .fixedWidthOther(let name): name
        }
    }
}

/// How a field's values are dictionary-encoded.
struct ArrowDictionaryEncoding: Equatable {
    var id: Int64
    var indexBits: Int
    var indexSigned: Bool
    var ordered: Bool
}

/// A field of an Arrow schema.
struct ArrowField: Equatable {
    var name: String
    var nullable: Bool
    var type: ArrowType
    var dictionary: ArrowDictionaryEncoding?
    var children: [ArrowField]

    /// Fields nest no deeper than this; deeper schemas are refused.
    static let maximumDepth = 64

    /// Reads a `Field` table.
    init(_ table: FlatBufferReader, depth: Int = 0) throws(DataFolioError) {
        guard depth < ArrowField.maximumDepth else {
            throw DataFolioError.corrupt("Arrow IPC", "the schema nests deeper than \(ArrowField.maximumDepth) levels")
        }
        name = table.string(0) ?? ""
        nullable = table.bool(1)
        let typeTable = table.table(3)
        type = try ArrowField.type(id: table.u8(2), typeTable, field: name)
        if let encoding = table.table(4) {
            var bits = 32
            var signed = true
            if let index = encoding.table(1) {
                bits = Int(index.i32(0, default: 32))
                signed = index.bool(1)
            }
            guard [8, 16, 32, 64].contains(bits) else {
                throw DataFolioError.corrupt("Arrow IPC", "field '\(name)' has dictionary indices of \(bits) bits")
            }
            dictionary = ArrowDictionaryEncoding(id: encoding.i64(0), indexBits: bits, indexSigned: signed, ordered: encoding.bool(2))
        }
        var children: [ArrowField] = []
        for child in table.tables(5) { children.append(try ArrowField(child, depth: depth + 1)) }
        self.children = children
    }

    private static func type(id: UInt8, _ table: FlatBufferReader?, field: String) throws(DataFolioError) -> ArrowType {
        func unit(_ code: Int16) throws(DataFolioError) -> ColumnType.TimeUnit {
            switch code {
            case 0: return .second
            case 1: return .millisecond
            case 2: return .microsecond
            case 3: return .nanosecond
            default: throw DataFolioError.corrupt("Arrow IPC", "field '\(field)' has time unit \(code)")
            }
        }
        switch id {
        case 1: return .null
        case 2:
            let bits = Int(table?.i32(0) ?? 0)
            guard [8, 16, 32, 64].contains(bits) else {
                throw DataFolioError.corrupt("Arrow IPC", "field '\(field)' is an integer of \(bits) bits")
            }
            return .int(bits: bits, signed: table?.bool(1) ?? false)
        case 3:
            let precision = Int(table?.i16(0) ?? 0)
            guard (0...2).contains(precision) else {
                throw DataFolioError.corrupt("Arrow IPC", "field '\(field)' has floating-point precision \(precision)")
            }
            return .floatingPoint(precision: precision)
        case 4: return .binary
        case 5: return .utf8
        case 6: return .bool
        case 7:
            return .decimal(
                precision: Int(table?.i32(0) ?? 0), scale: Int(table?.i32(1) ?? 0), bits: Int(table?.i32(2, default: 128) ?? 128))
        case 8: return .date(milliseconds: (table?.i16(0, default: 1) ?? 1) == 1)
        case 9:
            let bits = Int(table?.i32(1, default: 32) ?? 32)
            return .fixedWidthOther(name: "time\(bits)")
        case 10: return .timestamp(try unit(table?.i16(0) ?? 0), timeZone: table?.string(1))
        case 11: return .fixedWidthOther(name: "interval")
        case 12: return .list
        case 13: return .structure
        case 14: return .union(dense: (table?.i16(0) ?? 0) == 1)
        case 15:
            let width = Int(table?.i32(0) ?? -1)
            guard width >= 0 else { throw DataFolioError.corrupt("Arrow IPC", "field '\(field)' has a fixed width of \(width)") }
            return .fixedSizeBinary(width)
        case 16:
            let size = Int(table?.i32(0) ?? -1)
            guard size >= 0 else { throw DataFolioError.corrupt("Arrow IPC", "field '\(field)' has a list size of \(size)") }
            return .fixedSizeList(size)
        case 17: return .map
        case 18: return .fixedWidthOther(name: "duration")
        case 19: return .largeBinary
        case 20: return .largeUtf8
        case 21: return .largeList
        case 22: return .runEndEncoded
        case 23: return .binaryView
        case 24: return .utf8View
        case 25: return .listView
        case 26: return .largeListView
        default:
            throw DataFolioError.unsupported("Arrow IPC", "field '\(field)' of type number \(id) (written by a newer Arrow)")
        }
    }

    /// The table column type, or why there is none.
    func columnType() -> Result<ColumnType, DataFolioError> {
        if let dictionary {
            guard dictionary.indexSigned || dictionary.indexBits < 64 else {
                return .failure(unsupported("a dictionary with unsigned 64-bit indices"))
            }
            var plain = self
            plain.dictionary = nil
            let valueType: ColumnType
            switch plain.columnType() {
            case .success(let type): valueType = type
            case .failure(let error): return .failure(error)
            }
            if case .list = valueType { return .failure(unsupported("a dictionary of lists")) }
            // Text categories stay dictionary-encoded (a pandas categorical); others are
            // decoded to plain values.
            return .success(valueType == .string ? .dictionary(.string, ordered: dictionary.ordered) : valueType)
        }
        switch type {
        case .null, .utf8, .largeUtf8, .utf8View: return .success(.string)
        case .bool: return .success(.bool)
        case .int(let bits, let signed):
            switch (bits, signed) {
            case (8, true): return .success(.int8)
            case (16, true): return .success(.int16)
            case (32, true): return .success(.int32)
            case (64, true): return .success(.int64)
            case (8, false): return .success(.uint8)
            case (16, false): return .success(.uint16)
            case (32, false): return .success(.uint32)
            default: return .success(.uint64)
            }
        case .floatingPoint(let precision): return .success([.float16, .float32, .float64][precision])
        case .binary, .largeBinary, .binaryView: return .success(.binary)
        case .fixedSizeBinary(let width): return .success(.fixedSizeBinary(width))
        case .decimal(let precision, let scale, let bits):
            guard bits == 128 else { return .failure(unsupported("a \(bits)-bit decimal")) }
            guard precision >= 1, precision <= 38, scale >= 0, scale <= precision else {
                return .failure(DataFolioError.corrupt("Arrow IPC", "field '\(name)' is a decimal with precision \(precision) and scale \(scale)"))
            }
            return .success(.decimal(precision: precision, scale: scale))
        case .date: return .success(.date)
        case .timestamp(let unit, let zone): return .success(.timestamp(unit, timeZone: zone))
        case .list, .largeList:
            guard children.count == 1, let child = children.first else {
                return .failure(DataFolioError.corrupt("Arrow IPC", "list field '\(name)' has \(children.count) children"))
            }
            guard child.dictionary == nil else { return .failure(unsupported("a list of dictionary-encoded values")) }
            switch child.columnType() {
            case .success(.list): return .failure(unsupported("a list of lists"))
            case .success(let element): return .success(.list(element))
            case .failure: return .failure(unsupported("a list of \(child.type.name)"))
            }
        default:
            return .failure(unsupported(type.name))
        }
    }

    private func unsupported(_ what: String) -> DataFolioError {
        DataFolioError(
            .unsupportedFeature,
            "Arrow IPC: column '\(name)' is \(what), which DataFolio tables cannot hold yet. "
                + "Read the other columns (ArrowIPCReader's columns option), or convert the column with pyarrow first.")
    }
}

/// An Arrow schema message.
struct ArrowSchemaMessage {
    var fields: [ArrowField]
    var metadata: [String: String]

    init(_ table: FlatBufferReader) throws(DataFolioError) {
        guard table.i16(0) == 0 else {
            throw DataFolioError.unsupported("Arrow IPC", "big-endian data")
        }
        var fields: [ArrowField] = []
        for field in table.tables(1) { fields.append(try ArrowField(field)) }
        self.fields = fields
        var metadata: [String: String] = [:]
        for pair in table.tables(2) {
            if let key = pair.string(0) { metadata[key] = pair.string(1) ?? "" }
        }
        self.metadata = metadata
    }
}
