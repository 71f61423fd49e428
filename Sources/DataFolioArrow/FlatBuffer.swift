import DataFolioSupport

/// A FlatBuffers table to serialize: scalar fields and references to other objects,
/// keyed by vtable slot.
package struct FlatTable {
    package indirect enum Value {
        case u8(UInt8)
        case bool(Bool)
        case i16(Int16)
        case i32(Int32)
        case i64(Int64)
        case table(FlatTable)
        case string(String)
        case tables([FlatTable])

        var size: Int {
            switch self {
            case .u8, .bool: 1
            case .i16: 2
            case .i32, .table, .string, .tables: 4
            case .i64: 8
            }
        }
    }

    package var fields: [(slot: Int, value: Value)] = []

    package init(_ fields: [(slot: Int, value: Value)] = []) {
        self.fields = fields
    }
}

/// Serializes FlatBuffers front to back: every object is written after the object that
/// refers to it, so all references are the forward unsigned offsets the format requires,
/// and each vtable sits just before its table.
package struct FlatBufferWriter {
    private(set) var bytes: [UInt8] = []

    /// The buffer for `root`: a root offset followed by the objects.
    package static func serialize(_ root: FlatTable) -> [UInt8] {
        var writer = FlatBufferWriter()
        writer.bytes = [0, 0, 0, 0]
        let position = writer.write(root)
        writer.patch(at: 0, target: position)
        writer.align(8)
        return writer.bytes
    }

    private mutating func align(_ n: Int) {
        while bytes.count % n != 0 { bytes.append(0) }
    }

    private mutating func put<T: FixedWidthInteger>(_ value: T, at position: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (k, byte) in raw.enumerated() { bytes[position + k] = byte }
        }
    }

    private mutating func patch(at position: Int, target: Int) {
        put(UInt32(target - position), at: position)
    }

    /// Writes a table (vtable first) and everything it refers to; returns the table's position.
    private mutating func write(_ table: FlatTable) -> Int {
        // Lay out fields by decreasing size so each is naturally aligned: the table starts
        // on an 8-byte boundary with its 4-byte vtable offset, then 4 bytes of padding
        // when 8-byte fields follow.
        let ordered = table.fields.sorted { $0.value.size > $1.value.size }
        var layout: [(slot: Int, value: FlatTable.Value, offset: Int)] = []
        var cursor = 4
        if ordered.first?.value.size == 8 { cursor = 8 }
        for field in ordered {
            let size = field.value.size
            while cursor % size != 0 { cursor += 1 }
            layout.append((field.slot, field.value, cursor))
            cursor += size
        }
        let tableSize = cursor
        let slotCount = (table.fields.map(\.slot).max() ?? -1) + 1
        let vtableSize = 4 + 2 * slotCount

        // Place the vtable so that the table after it is 8-byte aligned.
        align(2)
        var vtableStart = bytes.count
        while (vtableStart + vtableSize) % 8 != 0 { vtableStart += 2 }
        bytes.append(contentsOf: repeatElement(0, count: vtableStart - bytes.count))
        bytes.append(contentsOf: repeatElement(0, count: vtableSize))
        put(UInt16(vtableSize), at: vtableStart)
        put(UInt16(tableSize), at: vtableStart + 2)
        for entry in layout {
            put(UInt16(entry.offset), at: vtableStart + 4 + 2 * entry.slot)
        }
        let tableStart = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: tableSize))
        put(Int32(tableStart - vtableStart), at: tableStart)

        var pending: [(position: Int, value: FlatTable.Value)] = []
        for entry in layout {
            let position = tableStart + entry.offset
            switch entry.value {
            case .u8(let v): bytes[position] = v
            case .bool(let v): bytes[position] = v ? 1 : 0
            case .i16(let v): put(v, at: position)
            case .i32(let v): put(v, at: position)
            case .i64(let v): put(v, at: position)
            case .table, .string, .tables: pending.append((position, entry.value))
            }
        }
        for (position, value) in pending {
            switch value {
            case .table(let child):
                patch(at: position, target: write(child))
            case .string(let text):
                align(4)
                let start = bytes.count
                let utf8 = Array(text.utf8)
                bytes.append(contentsOf: repeatElement(0, count: 4))
                put(UInt32(utf8.count), at: start)
                bytes.append(contentsOf: utf8)
                bytes.append(0)
                patch(at: position, target: start)
            case .tables(let children):
                align(4)
                let start = bytes.count
                bytes.append(contentsOf: repeatElement(0, count: 4 + 4 * children.count))
                put(UInt32(children.count), at: start)
                patch(at: position, target: start)
                for (k, child) in children.enumerated() {
                    patch(at: start + 4 + 4 * k, target: write(child))
                }
            default:
                break
            }
        }
        return tableStart
    }
}

/// Bounds-checked access to a FlatBuffers table; anything out of range reads as absent.
package struct FlatBufferReader {
    package let bytes: [UInt8]
    /// Where the table starts in ``bytes``.
    package let position: Int
    private let vtable: Int
    private let vtableSize: Int

    /// The root table of `bytes`, or `nil` when the buffer is malformed.
    package init?(root bytes: [UInt8]) {
        guard let offset = FlatBufferReader.u32(bytes, 0) else { return nil }
        self.init(bytes: bytes, position: Int(offset))
    }

    package init?(bytes: [UInt8], position: Int) {
        guard let soffset = FlatBufferReader.u32(bytes, position) else { return nil }
        let vtable = position - Int(Int32(bitPattern: soffset))
        guard let size = FlatBufferReader.u16(bytes, vtable), size >= 4, vtable + Int(size) <= bytes.count else { return nil }
        self.bytes = bytes
        self.position = position
        self.vtable = vtable
        self.vtableSize = Int(size)
    }

    package static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32? {
        guard at >= 0, at <= bytes.count - 4 else { return nil }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    package static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16? {
        guard at >= 0, at <= bytes.count - 2 else { return nil }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    package static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64? {
        guard let low = u32(bytes, at), let high = u32(bytes, at + 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    /// The absolute position of a field, or `nil` when it is absent.
    private func field(_ slot: Int) -> Int? {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize, let offset = FlatBufferReader.u16(bytes, vtable + entry), offset != 0 else { return nil }
        return position + Int(offset)
    }

    /// Whether the field in `slot` is present.
    package func has(_ slot: Int) -> Bool { field(slot) != nil }

    package func u8(_ slot: Int, default value: UInt8 = 0) -> UInt8 {
        guard let at = field(slot), at < bytes.count else { return value }
        return bytes[at]
    }

    package func bool(_ slot: Int, default value: Bool = false) -> Bool {
        guard let at = field(slot), at < bytes.count else { return value }
        return bytes[at] != 0
    }

    package func i16(_ slot: Int, default value: Int16 = 0) -> Int16 {
        guard let at = field(slot), let raw = FlatBufferReader.u16(bytes, at) else { return value }
        return Int16(bitPattern: raw)
    }

    package func i32(_ slot: Int, default value: Int32 = 0) -> Int32 {
        guard let at = field(slot), let raw = FlatBufferReader.u32(bytes, at) else { return value }
        return Int32(bitPattern: raw)
    }

    package func i64(_ slot: Int, default value: Int64 = 0) -> Int64 {
        guard let at = field(slot), let raw = FlatBufferReader.u64(bytes, at) else { return value }
        return Int64(bitPattern: raw)
    }

    package func table(_ slot: Int) -> FlatBufferReader? {
        guard let at = field(slot), let offset = FlatBufferReader.u32(bytes, at) else { return nil }
        return FlatBufferReader(bytes: bytes, position: at + Int(offset))
    }

    package func string(_ slot: Int) -> String? {
        guard let at = field(slot), let offset = FlatBufferReader.u32(bytes, at) else { return nil }
        let start = at + Int(offset)
        guard let length = FlatBufferReader.u32(bytes, start), Int(length) <= bytes.count - start - 4 else { return nil }
        return String(decoding: bytes[(start + 4)..<(start + 4 + Int(length))], as: UTF8.self)
    }

    package func tables(_ slot: Int) -> [FlatBufferReader] {
        guard let at = field(slot), let offset = FlatBufferReader.u32(bytes, at) else { return [] }
        let start = at + Int(offset)
        guard let count = FlatBufferReader.u32(bytes, start), Int(count) <= (bytes.count - start) / 4 else { return [] }
        return (0..<Int(count)).compactMap { k in
            let slotPosition = start + 4 + 4 * k
            guard let element = FlatBufferReader.u32(bytes, slotPosition) else { return nil }
            return FlatBufferReader(bytes: bytes, position: slotPosition + Int(element))
        }
    }

    /// Where a vector of inline structs of `stride` bytes starts and how many it holds,
    /// checked to lie inside the buffer; `nil` when absent or out of range.
    package func structs(_ slot: Int, stride: Int) -> (start: Int, count: Int)? {
        guard stride > 0, let at = field(slot), let offset = FlatBufferReader.u32(bytes, at) else { return nil }
        let start = at + Int(offset)
        guard let count = FlatBufferReader.u32(bytes, start), Int(count) <= (bytes.count - start - 4) / stride else { return nil }
        return (start + 4, Int(count))
    }

    /// The elements of a vector of 64-bit integers; `nil` when absent or out of range.
    package func int64s(_ slot: Int) -> [Int64]? {
        guard let (start, count) = structs(slot, stride: 8) else { return nil }
        return (0..<count).map { Int64(bitPattern: FlatBufferReader.u64(bytes, start + 8 * $0) ?? 0) }
    }
}
