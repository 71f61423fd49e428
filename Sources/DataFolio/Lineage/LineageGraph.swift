import Foundation
import DataFolioSupport

/// Which items were made from which: every current item with the names of its inputs.
///
/// Lookups are by hash, and every walk is iterative, so a graph of 100,000 items or a
/// chain 30,000 items deep costs time in proportion to its size and no call stack.
///
/// ```swift
/// let graph = folio.lineage
/// print(graph.inputs(of: "model"))      // ["clean", "config"]
/// print(graph.dependents(of: "clean"))  // ["model", "report"]
/// print(graph.mermaid)
/// ```
public struct LineageGraph: Sendable, Hashable, Codable {
    /// One item and the names of the items it was made from.
    public struct Node: Sendable, Hashable, Codable {
        /// The item name.
        public var name: String
        /// The names of its inputs (which may name items that no longer exist).
        public var inputs: [String]

        /// Creates a node.
        ///
        /// ```swift
        /// let node = LineageGraph.Node(name: "model", inputs: ["clean", "config"])
        /// ```
        public init(name: String, inputs: [String]) {
            self.name = name
            self.inputs = inputs
        }
    }

    /// Each item and its inputs, in catalog order.
    public let nodes: [Node]
    private let positions: [String: Int]
    private let dependentPositions: [String: [Int]]

    /// A graph of these nodes.
    ///
    /// ```swift
    /// let graph = LineageGraph(nodes: [.init(name: "clean", inputs: ["raw"])])
    /// ```
    public init(nodes: [Node]) {
        self.nodes = nodes
        var positions = [String: Int](minimumCapacity: nodes.count)
        var dependents = [String: [Int]]()
        for (index, node) in nodes.enumerated() {
            positions[node.name] = index
            switch node.inputs.count {
            case 0: break
            case 1: dependents[node.inputs[0], default: []].append(index)
            default: for input in Set(node.inputs) { dependents[input, default: []].append(index) }
            }
        }
        self.positions = positions
        self.dependentPositions = dependents
    }

    private enum CodingKeys: String, CodingKey { case nodes }

    /// Decodes a graph from its `nodes`.
    ///
    /// ```swift
    /// let graph = try JSONDecoder().decode(LineageGraph.self, from: json)
    /// ```
    public init(from decoder: any Decoder) throws {
        self.init(nodes: try decoder.container(keyedBy: CodingKeys.self).decode([Node].self, forKey: .nodes))
    }

    /// Encodes the graph as its `nodes`.
    ///
    /// ```swift
    /// let json = try JSONEncoder().encode(folio.lineage)
    /// ```
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodes, forKey: .nodes)
    }

    public static func == (lhs: LineageGraph, rhs: LineageGraph) -> Bool { lhs.nodes == rhs.nodes }
    /// Hashes the graph's nodes.
    ///
    /// ```swift
    /// let graphs: Set<LineageGraph> = [folio.lineage]
    /// ```
    public func hash(into hasher: inout Hasher) { hasher.combine(nodes) }

    /// Whether an item of this name is in the graph.
    ///
    /// ```swift
    /// print(folio.lineage.contains("clean"))
    /// ```
    public func contains(_ name: String) -> Bool { positions[name] != nil }

    /// The inputs of `name` (empty for an unknown name).
    ///
    /// ```swift
    /// print(folio.lineage.inputs(of: "model"))   // ["clean", "config"]
    /// ```
    public func inputs(of name: String) -> [String] {
        positions[name].map { nodes[$0].inputs } ?? []
    }

    /// The items that list `name` among their inputs, in catalog order.
    ///
    /// ```swift
    /// print(folio.lineage.dependents(of: "clean"))   // ["model", "report"]
    /// ```
    public func dependents(of name: String) -> [String] {
        (dependentPositions[name] ?? []).map { nodes[$0].name }
    }

    /// Every item `name` was made from, directly or not, nearest first (each once).
    ///
    /// ```swift
    /// print(folio.lineage.ancestors(of: "report"))
    /// ```
    public func ancestors(of name: String) -> [String] {
        walk(from: name) { inputs(of: $0) }
    }

    /// Every item made from `name`, directly or not, nearest first (each once).
    ///
    /// ```swift
    /// print(folio.lineage.descendants(of: "raw"))
    /// ```
    public func descendants(of name: String) -> [String] {
        walk(from: name) { dependents(of: $0) }
    }

    private func walk(from start: String, next: (String) -> [String]) -> [String] {
        var seen: Set<String> = [start]
        var order = [String]()
        var queue = next(start)
        var head = 0
        while head < queue.count {
            let name = queue[head]
            head += 1
            guard seen.insert(name).inserted else { continue }
            order.append(name)
            queue.append(contentsOf: next(name))
        }
        return order
    }

    /// Graphviz text: `digraph lineage { "raw" -> "clean"; … }`.
    public var dot: String {
        var lines = ["digraph lineage {", "  rankdir=LR;"]
        for node in nodes {
            lines.append("  \(quoted(node.name));")
        }
        for node in nodes {
            for input in node.inputs { lines.append("  \(quoted(input)) -> \(quoted(node.name));") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Mermaid flowchart text (`flowchart LR` with one edge per input).
    public var mermaid: String {
        var ids = [String: String]()
        func id(_ name: String) -> String {
            if let existing = ids[name] { return existing }
            let new = "n\(ids.count)"
            ids[name] = new
            return new
        }
        var lines = ["flowchart LR"]
        for node in nodes {
            lines.append("  \(id(node.name))[\"\(node.name.replacingQuotes)\"]")
        }
        for node in nodes {
            for input in node.inputs {
                if ids[input] == nil { lines.append("  \(id(input))[\"\(input.replacingQuotes)\"]") }
                lines.append("  \(id(input)) --> \(id(node.name))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An indented tree: each item that nothing else was made from, with the items it
    /// was made from beneath it (`└─`), repeated subtrees marked `(see above)`, cycles
    /// (from hand-edited catalogs) marked `(cycle)`. Past 32 levels the indentation stops
    /// growing and lines show their level, so the text stays proportional to the graph.
    public var tree: String {
        // Names become numbers (nodes first, then inputs the graph does not hold), so the
        // walk below tests and marks arrays instead of hashing names.
        var numbers = positions
        var names = nodes.map(\.name)
        var inputNumbers = [[Int]]()
        inputNumbers.reserveCapacity(nodes.count)
        for node in nodes {
            var numbered = [Int]()
            numbered.reserveCapacity(node.inputs.count)
            for input in node.inputs {
                if let number = numbers[input] {
                    numbered.append(number)
                } else {
                    numbers[input] = names.count
                    numbered.append(names.count)
                    names.append(input)
                }
            }
            inputNumbers.append(numbered)
        }
        // A name's number is that of its (last) node, whose inputs are the name's, as
        // `inputs(of:)` has it: looked up once per node here, not at every visit.
        let lastNode = nodes.indices.map { positions[nodes[$0].name] ?? $0 }
        func inputs(of number: Int) -> [Int] {
            number < nodes.count ? inputNumbers[lastNode[number]] : []
        }
        var usedAsInput = [Bool](repeating: false, count: names.count)
        for numbered in inputNumbers { for number in numbered { usedAsInput[number] = true } }
        var printed = [Bool](repeating: false, count: names.count)
        var onPath = [Bool](repeating: false, count: names.count)
        var text = ""
        let indentLimit = 32

        struct Frame {
            var number: Int
            var inputs: [Int]
            var next = 0
            var prefix: String
            var depth: Int
        }

        func render(_ root: Int) {
            var stack = [Frame]()
            func enter(_ number: Int, prefix: String, isLast: Bool, depth: Int) {
                text += prefix
                if depth > 0 { text += isLast ? "└─ " : "├─ " }
                if depth > indentLimit { text += "(level \(depth)) " }
                text += names[number]
                if number >= nodes.count { text += " (missing)" }
                let inputs = inputs(of: number)
                if onPath[number] {
                    text += " (cycle)\n"
                    return
                }
                if printed[number] && !inputs.isEmpty {
                    text += " (see above)\n"
                    return
                }
                text += "\n"
                printed[number] = true
                onPath[number] = true
                let childPrefix = depth == 0 || depth >= indentLimit ? prefix : prefix + (isLast ? "   " : "│  ")
                stack.append(Frame(number: number, inputs: inputs, prefix: childPrefix, depth: depth))
            }
            enter(root, prefix: "", isLast: true, depth: 0)
            while let top = stack.indices.last {
                let frame = stack[top]
                if frame.next == frame.inputs.count {
                    onPath[frame.number] = false
                    stack.removeLast()
                    continue
                }
                stack[top].next += 1
                enter(frame.inputs[frame.next], prefix: frame.prefix, isLast: frame.next == frame.inputs.count - 1, depth: frame.depth + 1)
            }
        }
        for number in lastNode where !usedAsInput[number] { render(number) }
        // Items only reachable through cycles.
        for number in lastNode where !printed[number] { render(number) }
        return text
    }

    private func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension String {
    fileprivate var replacingQuotes: String { replacingOccurrences(of: "\"", with: "#quot;") }
}

extension DataFolio {
    /// The lineage of the current items.
    public var lineage: LineageGraph {
        LineageGraph(nodes: catalog.currentItems.map { LineageGraph.Node(name: $0.name, inputs: $0.inputs) })
    }

    /// The names of the items `name` was made from (its `inputs`, plus the legacy
    /// `models` list of old table entries, without duplicates).
    ///
    /// ```swift
    /// print(try folio.inputs(of: "model"))
    /// ```
    public func inputs(of name: String) throws(DataFolioError) -> [String] {
        try requireItem(name).inputs
    }

    /// The names of the items that list `name` as an input.
    ///
    /// ```swift
    /// print(try folio.dependents(of: "clean"))
    /// ```
    public func dependents(of name: String) throws(DataFolioError) -> [String] {
        _ = try requireItem(name)
        // One pass over the inputs, as the graph finds them, without building the graph.
        return catalog.currentItems.compactMap { $0.inputs.contains(name) ? $0.name : nil }
    }
}
