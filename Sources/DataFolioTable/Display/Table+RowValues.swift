extension Table {
    /// The cells of one row as (column name, value) pairs, in column order, for
    /// exporting rows (for example as JSON objects). An index out of range traps.
    ///
    /// ```swift
    /// for (name, value) in table.rowValues(0) { print(name, value.exportValue) }
    /// ```
    public func rowValues(_ row: Int) -> [(name: String, value: TableValue)] {
        precondition(row >= 0 && row < rowCount, "Table row \(row) out of range 0..<\(rowCount)")
        return columns.map { ($0.name, $0[row]) }
    }
}

extension TableValue {
    /// The value in terms JSON can hold: null, bool, int, uint, double, string, lists and
    /// structs (as objects).
    ///
    /// Dates become `YYYY-MM-DD`, timestamps ISO 8601 text (ending in `Z` when they carry a
    /// time zone, as UTC instants), decimals their exact text, binary base64 text; numbers,
    /// text and null stay as they are; maps become structs when every key is text and
    /// lists of `[key, value]` pairs otherwise (``jsonValue`` gives the JSON directly).
    ///
    /// ```swift
    /// TableValue.date(daysSinceEpoch: 1).exportValue   // .string("1970-01-02")
    /// ```
    public var exportValue: TableValue {
        switch self {
        case .null, .bool, .int, .uint, .double, .string: self
        case .date, .timestamp, .decimal: .string(description)
        case .binary(let bytes): .string(Base64.encode(bytes))
        case .list(let items): .list(items.map(\.exportValue))
        case .struct(let fields): .struct(fields.map { ($0.name, $0.value.exportValue) })
        case .map(let entries):
            if entries.allSatisfy({ if case .string = $0.key { true } else { false } }) {
                .struct(entries.map { ($0.key.description, $0.value.exportValue) })
            } else {
                .list(entries.map { .list([$0.key.exportValue, $0.value.exportValue]) })
            }
        }
    }
}

/// Standard base64 with padding.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            var n = UInt32(bytes[i]) << 16
            if rest == 2 { n |= UInt32(bytes[i + 1]) << 8 }
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
