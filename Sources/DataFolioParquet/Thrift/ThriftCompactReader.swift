import DataFolioSupport

/// The element types of the Thrift compact protocol.
enum CompactType: UInt8 {
    case stop = 0
    case boolTrue = 1
    case boolFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case structure = 12
}

/// A field header of a struct being decoded.
struct ThriftField {
    var id: Int16
    var type: CompactType
}

/// Decodes Thrift compact-protocol structures (the Parquet footer and page headers).
///
/// The input is hostile: every length is checked against the bytes that remain, list
/// sizes are capped the same way (each element takes at least one byte), nesting is
/// limited, and fields this library does not know are skipped by their type.
struct ThriftCompactReader {
    var input: ByteReader
    private(set) var depth = 0
    static let maximumDepth = 48

    init(_ bytes: UnsafeRawBufferPointer) {
        input = ByteReader(bytes, format: "Parquet")
    }

    var offset: Int { input.offset }

    private func corrupt(_ detail: String) -> DataFolioError {
        DataFolioError.corrupt("Parquet", "metadata (Thrift) \(detail)")
    }

    // MARK: Structs

    /// Enters a struct; pair with ``endStruct()``.
    mutating func beginStruct() throws(DataFolioError) {
        depth += 1
        if depth > ThriftCompactReader.maximumDepth {
            throw DataFolioError(
                .limitExceeded,
                "Parquet: metadata nests deeper than \(ThriftCompactReader.maximumDepth) levels. The file is damaged or hostile.")
        }
    }

    mutating func endStruct() {
        depth -= 1
    }

    /// Reads the next field header, or `nil` at the end of the struct.
    mutating func readFieldHeader(previousID: inout Int16) throws(DataFolioError) -> ThriftField? {
        let byte = try input.readUInt8()
        if byte == 0 { return nil }
        guard let type = CompactType(rawValue: byte & 0x0F), type != .stop else {
            throw corrupt("has an unknown field type \(byte & 0x0F) at offset \(input.offset - 1)")
        }
        let delta = Int16(byte >> 4)
        let id: Int16
        if delta == 0 {
            let raw = try input.readZigZag()
            guard let value = Int16(exactly: raw) else { throw corrupt("has a field id out of range") }
            id = value
        } else {
            id = previousID &+ delta
        }
        previousID = id
        return ThriftField(id: id, type: type)
    }

    /// Decodes a struct by calling `body` for every field; `body` must consume the field's
    /// value (or skip it).
    mutating func readStruct(
        _ body: (inout ThriftCompactReader, ThriftField) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        try beginStruct()
        var previous: Int16 = 0
        while let field = try readFieldHeader(previousID: &previous) {
            try body(&self, field)
        }
        endStruct()
    }

    // MARK: Scalars

    private func expect(_ actual: CompactType, _ expected: CompactType, _ what: String) throws(DataFolioError) {
        if actual != expected {
            throw corrupt("stores \(what) with the wrong type (\(actual) instead of \(expected))")
        }
    }

    /// Reads a boolean. In a field the value is the type itself; in a list it is a byte.
    mutating func readBool(_ type: CompactType, inList: Bool = false) throws(DataFolioError) -> Bool {
        if inList {
            return try input.readUInt8() == 1
        }
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw corrupt("stores a boolean with the wrong type (\(type))")
        }
    }

    mutating func readI8(_ type: CompactType) throws(DataFolioError) -> Int8 {
        try expect(type, .byte, "a byte")
        return Int8(bitPattern: try input.readUInt8())
    }

    mutating func readI16(_ type: CompactType) throws(DataFolioError) -> Int16 {
        try expect(type, .i16, "a 16-bit integer")
        guard let value = Int16(exactly: try input.readZigZag()) else { throw corrupt("has a 16-bit integer out of range") }
        return value
    }

    mutating func readI32(_ type: CompactType) throws(DataFolioError) -> Int32 {
        try expect(type, .i32, "a 32-bit integer")
        guard let value = Int32(exactly: try input.readZigZag()) else { throw corrupt("has a 32-bit integer out of range") }
        return value
    }

    mutating func readI64(_ type: CompactType) throws(DataFolioError) -> Int64 {
        try expect(type, .i64, "a 64-bit integer")
        return try input.readZigZag()
    }

    /// Reads the length of a binary value, checked against the remaining bytes.
    private mutating func readBinaryLength() throws(DataFolioError) -> Int {
        let length = try input.readULEB128()
        guard length <= UInt64(input.remaining) else {
            throw DataFolioError.truncated(
                "Parquet", "metadata declares a \(length)-byte value but only \(input.remaining) bytes remain")
        }
        return Int(length)
    }

    mutating func readBinary(_ type: CompactType) throws(DataFolioError) -> [UInt8] {
        try expect(type, .binary, "a binary value")
        return try input.readArray(try readBinaryLength())
    }

    mutating func readString(_ type: CompactType) throws(DataFolioError) -> String {
        try expect(type, .binary, "a string")
        let bytes = try input.readBytes(try readBinaryLength())
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Containers

    /// Reads a list (or set) header: the element type and a count that is at most the
    /// number of bytes left.
    mutating func readListHeader(_ type: CompactType) throws(DataFolioError) -> (element: CompactType, count: Int) {
        guard type == .list || type == .set else { throw corrupt("stores a list with the wrong type (\(type))") }
        let byte = try input.readUInt8()
        var count = UInt64(byte >> 4)
        if count == 15 { count = try input.readULEB128() }
        guard let element = CompactType(rawValue: byte & 0x0F) else {
            throw corrupt("has a list of unknown element type \(byte & 0x0F)")
        }
        // Every element takes at least one byte, except booleans in some writers' lists,
        // which also take one byte; a larger count is a lie.
        guard count <= UInt64(input.remaining) else {
            throw DataFolioError.truncated(
                "Parquet", "metadata declares a list of \(count) elements but only \(input.remaining) bytes remain")
        }
        return (element, Int(count))
    }

    /// Reads a list by decoding each element with `element`.
    mutating func readList<T>(
        _ type: CompactType,
        _ element: (inout ThriftCompactReader, CompactType) throws(DataFolioError) -> T
    ) throws(DataFolioError) -> [T] {
        let header = try readListHeader(type)
        try beginStruct()
        var result: [T] = []
        result.reserveCapacity(header.count)
        for _ in 0..<header.count {
            result.append(try element(&self, header.element))
        }
        endStruct()
        return result
    }

    /// Reads a list of structs.
    mutating func readStructList<T>(
        _ type: CompactType,
        _ element: (inout ThriftCompactReader) throws(DataFolioError) -> T
    ) throws(DataFolioError) -> [T] {
        try readList(type) { (reader: inout ThriftCompactReader, elementType: CompactType) throws(DataFolioError) -> T in
            guard elementType == .structure else {
                throw reader.corrupt("has a list whose elements should be structs but are \(elementType)")
            }
            return try element(&reader)
        }
    }

    /// Skips a value of any type, including nested containers.
    mutating func skip(_ type: CompactType) throws(DataFolioError) {
        switch type {
        case .stop:
            throw corrupt("has a stray stop marker")
        case .boolTrue, .boolFalse:
            return
        case .byte:
            try input.skip(1)
        case .i16, .i32, .i64:
            _ = try input.readULEB128()
        case .double:
            try input.skip(8)
        case .binary:
            try input.skip(try readBinaryLength())
        case .list, .set:
            let header = try readListHeader(type)
            try beginStruct()
            for _ in 0..<header.count {
                if header.element == .boolTrue || header.element == .boolFalse {
                    try input.skip(1)
                } else {
                    try skip(header.element)
                }
            }
            endStruct()
        case .map:
            let count = try input.readULEB128()
            guard count <= UInt64(input.remaining) else {
                throw DataFolioError.truncated(
                    "Parquet", "metadata declares a map of \(count) entries but only \(input.remaining) bytes remain")
            }
            if count == 0 { return }
            let types = try input.readUInt8()
            guard let key = CompactType(rawValue: types >> 4), let value = CompactType(rawValue: types & 0x0F) else {
                throw corrupt("has a map of unknown element types")
            }
            try beginStruct()
            for _ in 0..<count {
                try skipElement(key)
                try skipElement(value)
            }
            endStruct()
        case .structure:
            try readStruct { (reader: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
                try reader.skip(field.type)
            }
        }
    }

    /// Skips a container element (booleans take one byte there).
    private mutating func skipElement(_ type: CompactType) throws(DataFolioError) {
        if type == .boolTrue || type == .boolFalse {
            try input.skip(1)
        } else {
            try skip(type)
        }
    }
}
