import DataFolioJSON

/// Random JSON values of every shape, for comparing whole documents with Python.
enum RandomJSON {
    static func value(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let leafOnly = depth <= 0
        switch Int.random(in: 0..<(leafOnly ? 6 : 9), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator))
        case 3:
            let value = Double(bitPattern: generator.next())
            return .double(value.isFinite ? value : Double(Int.random(in: -1000...1000, using: &generator)) / 8)
        case 4: return .double(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 100)
        case 5: return .string(string(using: &generator))
        case 6, 7:
            let count = Int.random(in: 0...5, using: &generator)
            return .array((0..<count).map { _ in value(depth: depth - 1, using: &generator) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                object[string(using: &generator)] = value(depth: depth - 1, using: &generator)
            }
            return .object(object)
        }
    }

    static func string(using generator: inout SeededGenerator) -> String {
        let alphabet: [String] = ["a", "b", "Z", "0", " ", "_", "é", "日", "😀", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{7F}", "\u{2028}", "[", "}"]
        let count = Int.random(in: 0...8, using: &generator)
        return (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }.joined()
    }

    /// Arrays nested `depth` deep around a small object: `[[[…{"k": [1, {}]}…]]]`.
    static func nested(depth: Int) -> JSONValue {
        var value: JSONValue = ["k": [1, [:], []], "s": "deep"]
        for level in 0..<depth {
            value = level.isMultiple(of: 2) ? .array([value]) : .object(["level": .int(Int64(level)), "next": value])
        }
        return value
    }
}
