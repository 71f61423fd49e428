import DataFolioSupport
import DataFolioTable

/// The `ARROW:schema` key-value metadata: an Arrow IPC schema message (FlatBuffers),
/// base64-encoded. pyarrow uses it to restore Arrow types that Parquet cannot express
/// (dictionary columns, time zones, second-unit timestamps).
enum ArrowSchema {
    /// What the Arrow schema says about one field.
    struct FieldHint: Sendable, Equatable {
        var name = ""
        var isDictionary = false
        var ordered = false
        var timeZone: String?
        /// Whether the Arrow type is a timestamp in seconds (Parquet stores milliseconds).
        var isSeconds = false
        /// The Arrow type, when it is one this library tells apart when reading.
        var type: TypeID?
        /// The size of a fixed-size list.
        var listSize = 0
        /// The child fields of a nested type (a list's element, a struct's fields, a map's
        /// entries struct).
        var children: [FieldHint] = []

        /// The child field named `name`, or `nil`.
        func child(named name: String) -> FieldHint? { children.first { $0.name == name } }
    }

    // Arrow's `Type` union members used here.
    enum TypeID: UInt8, Sendable {
        case int = 2, floatingPoint = 3, binary = 4, utf8 = 5, bool = 6, decimal = 7, date = 8, timestamp = 10
        case list = 12, `struct` = 13, fixedSizeBinary = 15, fixedSizeList = 16, map = 17, largeBinary = 19, largeUtf8 = 20
        case largeList = 21
    }

    // MARK: Writing

    /// The base64 text for a table with these columns (all nullable, as written) and
    /// schema-level metadata (pyarrow keeps the `pandas` key there too, and uses this
    /// copy when the Arrow schema is present).
    static func encode(columns: [(name: String, type: ColumnType)], metadata: [ParquetKeyValue] = []) -> String {
        // A top-level dictionary column takes its position as id; dictionaries inside nested
        // columns take the ids after the last column, so no two share one.
        var nestedID = columns.count
        let fields = columns.enumerated().map { index, column in
            field(name: column.name, type: column.type, nullable: true, ownID: index, nextDictionaryID: &nestedID)
        }
        var schemaFields: [(slot: Int, value: FlatTable.Value)] = [(1, .tables(fields))]
        if !metadata.isEmpty {
            schemaFields.append(
                (2, .tables(metadata.map { FlatTable([(0, .string($0.key)), (1, .string($0.value ?? ""))]) })))
        }
        let schema = FlatTable(schemaFields)
        let message = FlatTable([
            (0, .i16(4)),          // MetadataVersion.V5
            (1, .u8(1)),           // MessageHeader.Schema
            (2, .table(schema)),
            (3, .i64(0)),          // bodyLength
        ])
        let flat = FlatBufferWriter.serialize(message)
        var framed: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        let length = UInt32(flat.count)
        framed += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
        framed += flat
        return Base64.encode(framed)
    }

    /// The Arrow field; a dictionary takes `ownID` when given, otherwise the next free id.
    private static func field(
        name: String, type: ColumnType, nullable: Bool, ownID: Int? = nil, nextDictionaryID: inout Int
    ) -> FlatTable {
        var fields: [(slot: Int, value: FlatTable.Value)] = [(0, .string(name)), (1, .bool(nullable))]
        var valueType = type
        if case .dictionary(let value, let ordered) = type {
            valueType = value
            let index = FlatTable([(0, .i32(32)), (1, .bool(true))])
            let id: Int
            if let ownID {
                id = ownID
            } else {
                id = nextDictionaryID
                nextDictionaryID += 1
            }
            fields.append((4, .table(FlatTable([(0, .i64(Int64(id))), (1, .table(index)), (2, .bool(ordered))]))))
        }
        let (id, body) = typeTable(valueType)
        fields.append((2, .u8(id.rawValue)))
        fields.append((3, .table(body)))
        var children: [FlatTable] = []
        switch valueType {
        case .list(let element), .largeList(let element), .fixedSizeList(let element, _):
            children = [field(name: "element", type: element, nullable: true, nextDictionaryID: &nextDictionaryID)]
        case .struct(let members):
            for member in members {
                children.append(field(name: member.name, type: member.type, nullable: member.isNullable, nextDictionaryID: &nextDictionaryID))
            }
        case .map(let key, let value):
            children = [
                field(
                    name: "entries", type: .mapEntry(key: key, value: value), nullable: false, nextDictionaryID: &nextDictionaryID)
            ]
        default:
            break
        }
        fields.append((5, .tables(children)))
        return FlatTable(fields)
    }

    private static func typeTable(_ type: ColumnType) -> (TypeID, FlatTable) {
        func integer(_ bits: Int32, _ signed: Bool) -> (TypeID, FlatTable) { (.int, FlatTable([(0, .i32(bits)), (1, .bool(signed))])) }
        func unit(_ unit: ColumnType.TimeUnit) -> Int16 {
            switch unit {
            case .second: 0
            case .millisecond: 1
            case .microsecond: 2
            case .nanosecond: 3
            }
        }
        switch type {
        case .bool: return (.bool, FlatTable())
        case .int8: return integer(8, true)
        case .int16: return integer(16, true)
        case .int32: return integer(32, true)
        case .int64: return integer(64, true)
        case .uint8: return integer(8, false)
        case .uint16: return integer(16, false)
        case .uint32: return integer(32, false)
        case .uint64: return integer(64, false)
        case .float16: return (.floatingPoint, FlatTable([(0, .i16(0))]))
        case .float32: return (.floatingPoint, FlatTable([(0, .i16(1))]))
        case .float64: return (.floatingPoint, FlatTable([(0, .i16(2))]))
        case .string, .dictionary: return (.utf8, FlatTable())
        case .binary: return (.binary, FlatTable())
        case .fixedSizeBinary(let width): return (.fixedSizeBinary, FlatTable([(0, .i32(Int32(width)))]))
        case .date: return (.date, FlatTable([(0, .i16(0))]))
        case .timestamp(let u, let timeZone):
            var fields: [(slot: Int, value: FlatTable.Value)] = [(0, .i16(unit(u)))]
            if let timeZone { fields.append((1, .string(timeZone))) }
            return (.timestamp, FlatTable(fields))
        case .decimal(let precision, let scale):
            return (.decimal, FlatTable([(0, .i32(Int32(precision))), (1, .i32(Int32(scale))), (2, .i32(128))]))
        case .list: return (.list, FlatTable())
        case .largeList: return (.largeList, FlatTable())
        case .fixedSizeList(_, let size): return (.fixedSizeList, FlatTable([(0, .i32(Int32(clamping: size)))]))
        case .struct: return (.struct, FlatTable())
        case .map: return (.map, FlatTable([(0, .bool(false))]))
        }
    }

    // MARK: Reading

    /// Field hints by name, or `nil` when the metadata cannot be decoded (it is then
    /// ignored: a broken `ARROW:schema` must not make the file unreadable).
    static func hints(base64 text: String) -> [String: FieldHint]? {
        guard let framed = Base64.decode(text), framed.count >= 8 else { return nil }
        var start = 0
        if framed[0] == 0xFF && framed[1] == 0xFF && framed[2] == 0xFF && framed[3] == 0xFF {
            start = 8
        } else {
            start = 4   // pre-1.0 framing: only the length
        }
        let flat = Array(framed[start...])
        guard let message = FlatBufferReader(root: flat), message.u8(1) == 1, let schema = message.table(2) else { return nil }
        var hints: [String: FieldHint] = [:]
        for field in schema.tables(1) {
            guard let hint = hint(field, depth: 0) else { continue }
            hints[hint.name] = hint
        }
        return hints
    }

    private static func hint(_ field: FlatBufferReader, depth: Int) -> FieldHint? {
        guard let name = field.string(0) else { return nil }
        var hint = FieldHint(name: name)
        if let dictionary = field.table(4) {
            hint.isDictionary = true
            hint.ordered = dictionary.u8(2) != 0
        }
        hint.type = TypeID(rawValue: field.u8(2))
        if hint.type == .timestamp, let type = field.table(3) {
            hint.timeZone = type.string(1)
            hint.isSeconds = type.i16(0) == 0
        }
        if hint.type == .fixedSizeList, let type = field.table(3) {
            hint.listSize = Int(type.i32(0))
        }
        // The schema is metadata: a hostile depth just loses the hints below it.
        if depth < SchemaTree.maximumDepth {
            hint.children = field.tables(5).compactMap { self.hint($0, depth: depth + 1) }
        }
        return hint
    }
}

/// Standard base64 (RFC 4648) with padding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(v >> 18)], alphabet[Int((v >> 12) & 63)], alphabet[Int((v >> 6) & 63)], alphabet[Int(v & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            out += [alphabet[Int(v >> 18)], alphabet[Int((v >> 12) & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(v >> 18)], alphabet[Int((v >> 12) & 63)], alphabet[Int((v >> 6) & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64, ignoring whitespace; `nil` on any other invalid character.
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let value: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            default: return nil
            }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
