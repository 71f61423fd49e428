import DataFolioSupport

/// Encodes Thrift compact-protocol structures.
///
/// Fields must be written in increasing id order within a struct (the delta form of the
/// field header relies on it); ``beginStruct()``/``endStruct()`` keep the last id of
/// each open struct.
struct ThriftCompactWriter {
    var out: ByteWriter
    private var lastIDs: [Int16] = [0]

    init(capacity: Int = 256) {
        out = ByteWriter(capacity: capacity)
    }

    var bytes: [UInt8] { out.bytes }

    // MARK: Structs

    mutating func fieldHeader(_ id: Int16, _ type: CompactType) {
        let last = lastIDs[lastIDs.count - 1]
        let delta = id - last
        if delta > 0 && delta <= 15 {
            out.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            out.append(type.rawValue)
            out.appendZigZag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    /// Starts a nested struct value (after its field header or as a list element).
    mutating func beginStruct() {
        lastIDs.append(0)
    }

    /// Ends the current struct with a stop marker.
    mutating func endStruct() {
        out.append(0)
        lastIDs.removeLast()
    }

    mutating func structField(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        beginStruct()
        body(&self)
        endStruct()
    }

    // MARK: Scalar fields

    mutating func boolField(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func i8Field(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        out.append(UInt8(bitPattern: value))
    }

    mutating func i16Field(_ id: Int16, _ value: Int16) {
        fieldHeader(id, .i16)
        out.appendZigZag(Int64(value))
    }

    mutating func i32Field(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        out.appendZigZag(Int64(value))
    }

    mutating func i64Field(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        out.appendZigZag(value)
    }

    mutating func binaryField(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        binary(value)
    }

    mutating func stringField(_ id: Int16, _ value: String) {
        fieldHeader(id, .binary)
        string(value)
    }

    // MARK: Values (list elements)

    mutating func binary(_ value: [UInt8]) {
        out.appendULEB128(UInt64(value.count))
        out.append(contentsOf: value)
    }

    mutating func string(_ value: String) {
        let utf8 = value.utf8
        out.appendULEB128(UInt64(utf8.count))
        out.append(contentsOf: utf8)
    }

    mutating func i32(_ value: Int32) {
        out.appendZigZag(Int64(value))
    }

    mutating func i64(_ value: Int64) {
        out.appendZigZag(value)
    }

    // MARK: Lists

    mutating func listHeader(_ count: Int, _ element: CompactType) {
        if count < 15 {
            out.append(UInt8(count) << 4 | element.rawValue)
        } else {
            out.append(0xF0 | element.rawValue)
            out.appendULEB128(UInt64(count))
        }
    }

    mutating func listField<T>(
        _ id: Int16, _ element: CompactType, _ values: [T], _ body: (inout ThriftCompactWriter, T) -> Void
    ) {
        fieldHeader(id, .list)
        listHeader(values.count, element)
        for value in values {
            if element == .structure { beginStruct() }
            body(&self, value)
            if element == .structure { endStruct() }
        }
    }
}
