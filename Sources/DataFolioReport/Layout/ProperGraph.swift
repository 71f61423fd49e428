/// A layered graph whose edges all join adjacent layers: an edge spanning several
/// layers becomes a chain through one bend vertex per layer it crosses.
///
/// Vertices `0..<realCount` are the graph's nodes (those not in a layer have layer
/// `-1`); the rest are bend vertices.
struct ProperGraph {
    /// The vertices of each layer, in drawing order from the left.
    var layers: [[Int]]
    /// The layer of each vertex.
    private(set) var layerOf: [Int]
    /// The neighbours of each vertex in the layer above.
    private(set) var upper: [[Int]]
    /// The neighbours of each vertex in the layer below.
    private(set) var lower: [[Int]]
    /// For each edge, its vertices from the upper end to the lower end.
    private(set) var chains: [[Int]]
    /// The number of graph nodes (the first vertices).
    let realCount: Int

    var vertexCount: Int { layerOf.count }

    func isBend(_ vertex: Int) -> Bool { vertex >= realCount }

    /// Builds the proper graph of `edges` (each pointing to a lower layer).
    init(layerOf nodeLayers: [Int], edges: [LayeredLayout.Edge], realCount: Int, bendBudget: Int) {
        self.realCount = realCount
        layerOf = nodeLayers
        upper = [[Int]](repeating: [], count: realCount)
        lower = [[Int]](repeating: [], count: realCount)
        let layerCount = (nodeLayers.max() ?? -1) + 1
        layers = [[Int]](repeating: [], count: layerCount)
        for (node, layer) in nodeLayers.enumerated() where layer >= 0 { layers[layer].append(node) }
        chains = []
        chains.reserveCapacity(edges.count)
        var budget = max(bendBudget, 0)
        for edge in edges {
            let top = nodeLayers[edge.source]
            let bottom = nodeLayers[edge.target]
            let crossed = bottom - top - 1
            guard crossed >= 0, crossed <= budget else {
                // Beyond the budget (or not layered): drawn straight, left out of ordering.
                chains.append([edge.source, edge.target])
                continue
            }
            budget -= crossed
            var chain = [edge.source]
            chain.reserveCapacity(crossed + 2)
            for step in 0..<crossed {
                let vertex = layerOf.count
                layerOf.append(top + 1 + step)
                upper.append([])
                lower.append([])
                layers[top + 1 + step].append(vertex)
                chain.append(vertex)
            }
            chain.append(edge.target)
            for index in 1..<chain.count {
                lower[chain[index - 1]].append(chain[index])
                upper[chain[index]].append(chain[index - 1])
            }
            chains.append(chain)
        }
    }
}
