import DataFolioSupport

/// The unit of a TIME or TIMESTAMP logical type.
enum LogicalTimeUnit: Hashable, Sendable {
    case millis, micros, nanos

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var unit: LogicalTimeUnit?
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            try r.skip(field.type)
        }
        guard let unit else {
            throw DataFolioError.corrupt("Parquet", "a time unit in the schema names no unit")
        }
        self = unit
    }

    func write(to writer: inout ThriftCompactWriter) {
        let id: Int16
        switch self {
        case .millis: id = 1
        case .micros: id = 2
        case .nanos: id = 3
        }
        writer.structField(id) { _ in }
    }
}

/// The logical type annotation of a schema node (the `LogicalType` union of parquet-format).
enum LogicalType: Hashable, Sendable {
    case string
    case map
    case list
    case enumeration
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(unit: LogicalTimeUnit, isAdjustedToUTC: Bool)
    case timestamp(unit: LogicalTimeUnit, isAdjustedToUTC: Bool)
    case integer(bitWidth: Int8, isSigned: Bool)
    case null
    case json
    case bson
    case uuid
    case float16
    /// A member of the union this library does not interpret (variant, geometry, …).
    case other(id: Int16)

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var result: LogicalType?
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            guard field.type == .structure else {
                try r.skip(field.type)
                return
            }
            switch field.id {
            case 1: result = .string; try r.skip(field.type)
            case 2: result = .map; try r.skip(field.type)
            case 3: result = .list; try r.skip(field.type)
            case 4: result = .enumeration; try r.skip(field.type)
            case 5:
                var scale: Int32 = 0
                var precision: Int32 = 0
                try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(DataFolioError) in
                    switch f.id {
                    case 1: scale = try r.readI32(f.type)
                    case 2: precision = try r.readI32(f.type)
                    default: try r.skip(f.type)
                    }
                }
                result = .decimal(scale: scale, precision: precision)
            case 6: result = .date; try r.skip(field.type)
            case 7, 8:
                var adjusted = false
                var unit = LogicalTimeUnit.millis
                try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(DataFolioError) in
                    switch f.id {
                    case 1: adjusted = try r.readBool(f.type)
                    case 2: unit = try LogicalTimeUnit(from: &r)
                    default: try r.skip(f.type)
                    }
                }
                result = field.id == 7 ? .time(unit: unit, isAdjustedToUTC: adjusted)
                    : .timestamp(unit: unit, isAdjustedToUTC: adjusted)
            case 10:
                var bitWidth: Int8 = 0
                var signed = true
                try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(DataFolioError) in
                    switch f.id {
                    case 1: bitWidth = try r.readI8(f.type)
                    case 2: signed = try r.readBool(f.type)
                    default: try r.skip(f.type)
                    }
                }
                result = .integer(bitWidth: bitWidth, isSigned: signed)
            case 11: result = .null; try r.skip(field.type)
            case 12: result = .json; try r.skip(field.type)
            case 13: result = .bson; try r.skip(field.type)
            case 14: result = .uuid; try r.skip(field.type)
            case 15: result = .float16; try r.skip(field.type)
            default: result = .other(id: field.id); try r.skip(field.type)
            }
        }
        self = result ?? .other(id: 0)
    }

    func write(to writer: inout ThriftCompactWriter) {
        switch self {
        case .string: writer.structField(1) { _ in }
        case .map: writer.structField(2) { _ in }
        case .list: writer.structField(3) { _ in }
        case .enumeration: writer.structField(4) { _ in }
        case .decimal(let scale, let precision):
            writer.structField(5) { w in
                w.i32Field(1, scale)
                w.i32Field(2, precision)
            }
        case .date: writer.structField(6) { _ in }
        case .time(let unit, let adjusted):
            writer.structField(7) { w in
                w.boolField(1, adjusted)
                w.structField(2) { w in unit.write(to: &w) }
            }
        case .timestamp(let unit, let adjusted):
            writer.structField(8) { w in
                w.boolField(1, adjusted)
                w.structField(2) { w in unit.write(to: &w) }
            }
        case .integer(let bitWidth, let signed):
            writer.structField(10) { w in
                w.i8Field(1, bitWidth)
                w.boolField(2, signed)
            }
        case .null: writer.structField(11) { _ in }
        case .json: writer.structField(12) { _ in }
        case .bson: writer.structField(13) { _ in }
        case .uuid: writer.structField(14) { _ in }
        case .float16: writer.structField(15) { _ in }
        case .other(let id): writer.structField(id) { _ in }
        }
    }
}
