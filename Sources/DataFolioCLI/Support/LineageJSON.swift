import DataFolio
import Foundation

/// `lineage --json`: one object per item, in catalog order.
enum LineageJSON {
    static func document(_ graph: LineageGraph, of folio: DataFolio) -> JSONValue {
        var types = [String: String]()
        for item in folio.items { types[item.name] = item.itemType }
        return .array(graph.nodes.map { node in
            [
                "name": .string(node.name),
                "type": types[node.name].map(JSONValue.string) ?? .null,
                "inputs": .array(node.inputs.map(JSONValue.string)),
                "dependents": .array(graph.dependents(of: node.name).map(JSONValue.string)),
            ]
        })
    }
}
