/// A coding key for object members and array positions that have no `CodingKey`
/// type of their own (``JSONValue`` members, dictionary keys, array indices, `super`).
struct JSONCodingKey: CodingKey, Hashable {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = Int(stringValue)
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }

    /// The key of the element at `index` of an unkeyed container, spelled like
    /// Foundation's (`Index 3`) so paths render the same whichever coder built them.
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    static let superKey = JSONCodingKey(stringValue: "super")
}

/// The coding path as a linked list: descending one level costs one small node
/// instead of a copy of the whole path, and the array form is only built when asked.
indirect enum CodingPathNode {
    case root
    case node(parent: CodingPathNode, key: any CodingKey, depth: Int)

    /// How many keys lead here.
    var depth: Int {
        switch self {
        case .root: return 0
        case .node(_, _, let depth): return depth
        }
    }

    func appending(_ key: any CodingKey) -> CodingPathNode {
        .node(parent: self, key: key, depth: depth + 1)
    }

    func appending(index: Int) -> CodingPathNode {
        appending(JSONCodingKey(index: index))
    }

    /// The path from the top-level value.
    var keys: [any CodingKey] {
        var keys = [any CodingKey]()
        keys.reserveCapacity(depth)
        var node = self
        while case .node(let parent, let key, _) = node {
            keys.append(key)
            node = parent
        }
        return keys.reversed()
    }

    /// The path for messages, e.g. `runs[2].config.learning_rate`, or `the top level`.
    var rendered: String { CodingPathNode.render(keys) }

    static func render(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "the top level" }
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return "'\(text)'"
    }
}

extension JSONValue {
    /// A short description of the kind of value for error messages: "a string",
    /// "an integer (12)", "null".
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return "a boolean (\(flag))"
        case .int(let number): return "an integer (\(number))"
        case .double(let number): return "a number (\(JSONNumberFormatting.string(for: number)))"
        case .string(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "a string (\"\(shown)\")"
        case .array(let elements): return "an array of \(elements.count) element\(elements.count == 1 ? "" : "s")"
        case .object(let object): return "an object with \(object.count) member\(object.count == 1 ? "" : "s")"
        }
    }
}

/// The deepest nesting the coders follow before reporting an error, so that a cyclic
/// object graph or runaway recursion fails cleanly instead of exhausting the stack.
let maximumCodingDepth = 512
