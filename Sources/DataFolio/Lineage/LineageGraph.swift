import Foundation
import DataFolioSupport

/// Which items were made from which: every current item with the names of its inputs.
///
/// ```swift
/// let graph = folio.lineage
/// print(graph.inputs(of: "model"))      // ["clean", "config"]
/// print(graph.dependents(of: "clean"))  // ["model", "report"]
/// print(graph.mermaid)
/// ```
public struct LineageGraph: Sendable, Hashable {
    /// Each item and its inputs, in catalog order.
    public var nodes: [(name: String, inputs: [String])]

    public static func == (lhs: LineageGraph, rhs: LineageGraph) -> Bool {
        lhs.nodes.count == rhs.nodes.count && zip(lhs.nodes, rhs.nodes).allSatisfy { $0.name == $1.name && $0.inputs == $1.inputs }
    }

    public func hash(into hasher: inout Hasher) {
        for node in nodes {
            hasher.combine(node.name)
            hasher.combine(node.inputs)
        }
    }

    /// The inputs of `name` (empty for an unknown name).
    public func inputs(of name: String) -> [String] {
        nodes.first { $0.name == name }?.inputs ?? []
    }

    /// The items that list `name` among their inputs, in catalog order.
    public func dependents(of name: String) -> [String] {
        nodes.filter { $0.inputs.contains(name) }.map(\.name)
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
    /// was made from beneath it (`└─`), repeated subtrees marked `(see above)`.
    public var tree: String {
        let known = Set(nodes.map(\.name))
        let usedAsInput = Set(nodes.flatMap(\.inputs))
        let roots = nodes.map(\.name).filter { !usedAsInput.contains($0) }
        var lines = [String]()
        var printed = Set<String>()
        func walk(_ name: String, prefix: String, isLast: Bool, depth: Int, path: Set<String>) {
            let connector = depth == 0 ? "" : (isLast ? "└─ " : "├─ ")
            var label = name
            if !known.contains(name) { label += " (missing)" }
            let inputs = inputs(of: name)
            if path.contains(name) {
                lines.append(prefix + connector + label + " (cycle)")
                return
            }
            if printed.contains(name) && !inputs.isEmpty {
                lines.append(prefix + connector + label + " (see above)")
                return
            }
            lines.append(prefix + connector + label)
            printed.insert(name)
            let childPrefix = depth == 0 ? "" : prefix + (isLast ? "   " : "│  ")
            for (i, input) in inputs.enumerated() {
                walk(input, prefix: childPrefix, isLast: i == inputs.count - 1, depth: depth + 1, path: path.union([name]))
            }
        }
        for root in roots { walk(root, prefix: "", isLast: true, depth: 0, path: []) }
        // Items only reachable through cycles.
        for node in nodes where !printed.contains(node.name) {
            walk(node.name, prefix: "", isLast: true, depth: 0, path: [])
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
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
        LineageGraph(nodes: catalog.currentItems.map { ($0.name, $0.inputs) })
    }

    /// The names of the items `name` was made from (its `inputs`, plus the legacy
    /// `models` list of old table entries, without duplicates).
    public func inputs(of name: String) throws(DataFolioError) -> [String] {
        try requireItem(name).inputs
    }

    /// The names of the items that list `name` as an input.
    public func dependents(of name: String) throws(DataFolioError) -> [String] {
        _ = try requireItem(name)
        return lineage.dependents(of: name)
    }
}
