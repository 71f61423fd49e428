import DataFolioJSON

extension TableValue {
    /// A one-line, JSON-like rendering for terminals: lists in brackets, structs as
    /// `{x: 1, name: "a"}` (field names bare when they are identifiers), maps as
    /// `{"a": 1}`, strings inside containers quoted with JSON escapes, other scalars as
    /// their ``description``, null as `null`. A scalar at the top renders as its description.
    ///
    /// With `maxWidth`, the text is cut to that many terminal columns and ends in `…`;
    /// rendering stops as soon as the limit is passed, so a huge list costs no more than
    /// what is shown.
    ///
    /// ```swift
    /// let cell: TableValue = .struct([("x", 1), ("tags", ["a", "b"])])
    /// cell.compactText()               // {x: 1, tags: ["a", "b"]}
    /// cell.compactText(maxWidth: 10)   // {x: 1, ta…
    /// ```
    public func compactText(maxWidth: Int? = nil) -> String {
        var renderer = CompactRenderer(limit: maxWidth.map { max($0, 0) } ?? Int.max)
        switch self {
        case .list, .struct, .map: renderer.render(self)
        default: renderer.emit(description)
        }
        guard let maxWidth, renderer.width > maxWidth else { return renderer.out }
        return DisplayWidth.truncate(renderer.out, to: maxWidth)
    }

    /// The value as JSON: numbers, text, booleans and null as they are; dates as
    /// `YYYY-MM-DD`, timestamps as ISO 8601, decimals as exact text and binary as base64
    /// text; lists as arrays, structs as objects, and maps as objects when every key is
    /// text, otherwise as `[[key, value], …]` pairs (``Column/jsonValue(at:)`` decides by
    /// the key type instead, so that every row of a column has the same shape).
    ///
    /// ```swift
    /// TableValue.map([(1, "a")]).jsonValue       // [[1, "a"]]
    /// TableValue.map([("k", 2)]).jsonValue       // {"k": 2}
    /// ```
    public var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .uint(let number): number <= UInt64(Int64.max) ? .int(Int64(number)) : .double(Double(number))
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .binary(let bytes): .string(Base64.encode(bytes))
        case .date, .timestamp, .decimal: .string(description)
        case .list(let items): .array(items.map(\.jsonValue))
        case .struct(let fields): .object(JSONObject(fields.map { ($0.name, $0.value.jsonValue) }))
        case .map(let entries):
            TableValue.mapJSON(entries, keysAreText: entries.allSatisfy { if case .string = $0.key { true } else { false } }) {
                $0.jsonValue
            }
        }
    }

    static func mapJSON(
        _ entries: [(key: TableValue, value: TableValue)], keysAreText: Bool, _ convert: (TableValue) -> JSONValue
    ) -> JSONValue {
        if keysAreText {
            return .object(JSONObject(entries.map { entry in
                if case .string(let text) = entry.key { return (text, convert(entry.value)) }
                return (entry.key.description, convert(entry.value))
            }))
        }
        return .array(entries.map { .array([$0.key.jsonValue, convert($0.value)]) })
    }

    /// The JSON text of a nested value with spaces after separators, as Python's
    /// `json.dumps` writes it (`[1, 2]`, `{"x": 1}`); how CSV holds a nested cell.
    static func spacedJSONText(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        appendSpacedJSON(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendSpacedJSON(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                appendSpacedJSON(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                JSONValue.string(member.key).write(into: &out, indented: false)
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                appendSpacedJSON(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        default:
            value.write(into: &out, indented: false)
        }
    }
}

extension Column {
    /// The cell at `row` as JSON (see ``TableValue/jsonValue``), with maps rendered by
    /// their key type: objects when keys are text (or text categories), `[[key, value], …]`
    /// pairs otherwise, so every row has the same shape.
    ///
    /// ```swift
    /// for row in 0..<table.rowCount {
    ///     let object = JSONObject(table.columns.map { ($0.name, $0.jsonValue(at: row)) })
    /// }
    /// ```
    public func jsonValue(at row: Int) -> JSONValue {
        Column.json(self[row], type: type)
    }

    private static func json(_ value: TableValue, type: ColumnType) -> JSONValue {
        switch (value, type) {
        case (.list(let items), _):
            guard let element = type.listElementType else { return value.jsonValue }
            return .array(items.map { json($0, type: element) })
        case (.struct(let fields), .struct(let types)) where fields.count == types.count:
            return .object(JSONObject(zip(fields, types).map { ($0.name, json($0.value, type: $1.type)) }))
        case (.map(let entries), .map(let keyType, let valueType)):
            let textKeys: Bool
            switch keyType {
            case .string, .dictionary(.string, _): textKeys = true
            default: textKeys = false
            }
            return TableValue.mapJSON(entries, keysAreText: textKeys) { json($0, type: valueType) }
        default:
            return value.jsonValue
        }
    }

    /// The text CSV holds for a nested cell: its JSON with spaces after separators.
    func csvText(at row: Int) -> String {
        TableValue.spacedJSONText(jsonValue(at: row))
    }
}

/// Renders nested values for terminals, stopping once past the width limit.
private struct CompactRenderer {
    var out = ""
    var width = 0
    let limit: Int

    var isFull: Bool { width > limit }

    mutating func emit(_ text: String) {
        guard !isFull else { return }
        out += text
        width += DisplayWidth.of(text)
    }

    mutating func render(_ value: TableValue) {
        guard !isFull else { return }
        switch value {
        case .string(let text): quoted(text)
        case .list(let items):
            emit("[")
            for (index, item) in items.enumerated() {
                if isFull { return }
                if index > 0 { emit(", ") }
                render(item)
            }
            emit("]")
        case .struct(let fields):
            emit("{")
            for (index, field) in fields.enumerated() {
                if isFull { return }
                if index > 0 { emit(", ") }
                if CompactRenderer.isIdentifier(field.name) { emit(field.name) } else { quoted(field.name) }
                emit(": ")
                render(field.value)
            }
            emit("}")
        case .map(let entries):
            emit("{")
            for (index, entry) in entries.enumerated() {
                if isFull { return }
                if index > 0 { emit(", ") }
                render(entry.key)
                emit(": ")
                render(entry.value)
            }
            emit("}")
        default:
            emit(value.description)
        }
    }

    mutating func quoted(_ text: String) {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        emit(escaped + "\"")
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}

extension ColumnType {
    /// The type as an indented tree, one line per field, for showing a nested schema:
    ///
    /// ```swift
    /// let type = ColumnType.list(.struct([.init("ts", .int64), .init("tags", .map(key: .string, value: .int32))]))
    /// print(type.schemaTree(name: "events"))
    /// // events: list
    /// // └─ element: struct
    /// //    ├─ ts: int64
    /// //    └─ tags: map
    /// //       ├─ key: string not null
    /// //       └─ value: int32
    /// ```
    /// Flat types give one line, `name: arrowName`.
    public func schemaTree(name: String) -> String {
        var lines: [String] = []
        ColumnType.appendTree(name: name, type: self, nullable: true, prefix: "", connector: "", into: &lines)
        return lines.joined(separator: "\n")
    }

    /// The word shown for a type in a schema tree: the Arrow name for flat types, the
    /// kind (`struct`, `list`, `map`, …) for nested ones.
    ///
    /// ```swift
    /// ColumnType.map(key: .string, value: .int64).treeLabel   // "map"
    /// ColumnType.int64.treeLabel                              // "int64"
    /// ```
    public var treeLabel: String {
        switch self {
        case .list: "list"
        case .largeList: "large_list"
        case .fixedSizeList(_, let size): "fixed_size_list[\(size)]"
        case .struct: "struct"
        case .map: "map"
        default: arrowName
        }
    }

    private static func appendTree(
        name: String, type: ColumnType, nullable: Bool, prefix: String, connector: String, into lines: inout [String]
    ) {
        lines.append(prefix + connector + "\(name): \(type.treeLabel)\(nullable ? "" : " not null")")
        let children: [(name: String, type: ColumnType, nullable: Bool)]
        switch type {
        case .list(let element), .largeList(let element), .fixedSizeList(let element, _):
            children = [("element", element, true)]
        case .struct(let fields):
            children = fields.map { ($0.name, $0.type, $0.isNullable) }
        case .map(let key, let value):
            children = [("key", key, false), ("value", value, true)]
        default:
            children = []
        }
        let childPrefix = prefix + (connector.isEmpty ? "" : connector == "└─ " ? "   " : "│  ")
        for (index, child) in children.enumerated() {
            appendTree(
                name: child.name, type: child.type, nullable: child.nullable, prefix: childPrefix,
                connector: index == children.count - 1 ? "└─ " : "├─ ", into: &lines)
        }
    }
}

extension Table {
    /// Every column's type as a tree (see ``ColumnType/schemaTree(name:)``), one column
    /// after the other.
    ///
    /// ```swift
    /// print(table.schemaTree)
    /// // id: int64
    /// // point: struct
    /// // ├─ x: double
    /// // └─ y: double
    /// ```
    public var schemaTree: String {
        columns.map { $0.type.schemaTree(name: $0.name) }.joined(separator: "\n")
    }
}
