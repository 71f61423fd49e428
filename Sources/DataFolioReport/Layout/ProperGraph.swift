/// A layered graph whose edges all join adjacent layers: an edge spanning several
/// layers becomes a chain through one bend vertex per layer it crosses. Long edges
/// leaving the same node share their bend vertices, so an item used by many later
/// items sends one trunk down that branches where its dependents are, instead of a
/// bundle of parallel lines.
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
        var trunk = [Int: [Int: Int]]()   // source → layer → shared bend vertex
        var linked = Set<Int64>()
        for edge in edges {
            let top = nodeLayers[edge.source]
            let bottom = nodeLayers[edge.target]
            let crossed = bottom - top - 1
            var chain = [edge.source]
            if crossed > 0 {
                let fresh = (top + 1..<bottom).filter { trunk[edge.source]?[$0] == nil }.count
                guard fresh <= budget else {
                    // Beyond the budget: drawn straight, left out of ordering.
                    chains.append([edge.source, edge.target])
                    continue
                }
                budget -= fresh
                chain.reserveCapacity(crossed + 2)
                for layer in (top + 1)..<bottom {
                    if let shared = trunk[edge.source]?[layer] {
                        chain.append(shared)
                        continue
                    }
                    let vertex = layerOf.count
                    layerOf.append(layer)
                    upper.append([])
                    lower.append([])
                    layers[layer].append(vertex)
                    trunk[edge.source, default: [:]][layer] = vertex
                    chain.append(vertex)
                }
            } else if crossed < 0 {
                chains.append([edge.source, edge.target])
                continue
            }
            chain.append(edge.target)
            for index in 1..<chain.count {
                let (a, b) = (chain[index - 1], chain[index])
                // Shared trunk segments are linked once; parallel edges between two
                // nodes keep one link each.
                if isBend(a) || isBend(b) {
                    guard linked.insert(Int64(a) << 32 | Int64(b)).inserted else { continue }
                }
                lower[a].append(b)
                upper[b].append(a)
            }
            chains.append(chain)
        }
    }
}
