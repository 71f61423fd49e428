/// Orders the vertices of each layer to reduce edge crossings: alternate sweeps down
/// and up the layers, sorting each layer by the barycentre (mean position) of its
/// neighbours in the layer just fixed, keeping the best ordering seen.
enum CrossingReduction {
    /// Reorders `graph.layers` and returns the number of crossings of the result.
    static func order(_ graph: inout ProperGraph, sweeps: Int) -> Int {
        guard graph.layers.count > 1 else { return 0 }
        var position = [Int](repeating: 0, count: graph.vertexCount)
        func renumber(_ layer: Int) {
            for (index, vertex) in graph.layers[layer].enumerated() { position[vertex] = index }
        }
        for layer in graph.layers.indices { renumber(layer) }

        var best = graph.layers
        var bestCrossings = crossings(graph, position: position)
        var stale = 0
        var sweep = 0
        // The first sweep always runs and is kept unless it adds crossings: it also
        // centres trunks among their branches, which the initial order does not.
        while sweep < sweeps && (bestCrossings > 0 || sweep == 0) {
            sweep += 1
            for layer in 1..<graph.layers.count {
                sortLayer(&graph.layers[layer], by: graph.upper, position: position, realCount: graph.realCount)
                renumber(layer)
            }
            for layer in stride(from: graph.layers.count - 2, through: 0, by: -1) {
                sortLayer(&graph.layers[layer], by: graph.lower, position: position, realCount: graph.realCount)
                renumber(layer)
            }
            let current = crossings(graph, position: position)
            if current < bestCrossings || (sweep == 1 && current == bestCrossings) {
                bestCrossings = current
                best = graph.layers
                stale = 0
            } else {
                stale += 1
                if stale >= 3 { break }
            }
        }
        graph.layers = best
        return bestCrossings
    }

    /// Sorts a layer by the mean position of each vertex's neighbours; a vertex without
    /// neighbours keeps its current position as its key. Ties keep the current order.
    private static func sortLayer(_ layer: inout [Int], by neighbours: [[Int]], position: [Int], realCount: Int) {
        var keyed = [(key: Double, current: Int, vertex: Int)]()
        keyed.reserveCapacity(layer.count)
        for (index, vertex) in layer.enumerated() {
            let adjacent = neighbours[vertex]
            var key = Double(index)
            if !adjacent.isEmpty {
                var sum = 0
                for other in adjacent { sum += position[other] }
                key = Double(sum) / Double(adjacent.count)
            }
            keyed.append((key, index, vertex))
        }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.current < $1.current }
        layer = keyed.map(\.vertex)
        // Siblings share a key; a trunk passing on to lower layers goes in their middle,
        // so it runs straight down with its branches on both sides.
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
            if end - start > 2 {
                let group = layer[start..<end]
                let bends = group.filter { $0 >= realCount }
                if !bends.isEmpty && bends.count < group.count {
                    var others = group.filter { $0 < realCount }
                    others.insert(contentsOf: bends, at: others.count / 2)
                    layer.replaceSubrange(start..<end, with: others)
                }
            }
            start = end
        }
    }

    /// The number of crossings between all pairs of adjacent layers.
    static func crossings(_ graph: ProperGraph, position: [Int]) -> Int {
        var total = 0
        for layer in 0..<max(graph.layers.count - 1, 0) {
            total += crossings(between: graph.layers[layer], lowerCount: graph.layers[layer + 1].count, lower: graph.lower, position: position)
        }
        return total
    }

    /// Crossings between one layer and the next: the edges, sorted by their upper end
    /// and then their lower end, cross once for every inversion in the sequence of
    /// lower ends, counted with a Fenwick tree in O(E log V).
    private static func crossings(between upperLayer: [Int], lowerCount: Int, lower: [[Int]], position: [Int]) -> Int {
        guard lowerCount > 1 else { return 0 }
        var tree = [Int](repeating: 0, count: lowerCount + 1)
        var total = 0
        var inserted = 0
        var ends = [Int]()
        for vertex in upperLayer {
            ends.removeAll(keepingCapacity: true)
            for next in lower[vertex] { ends.append(position[next]) }
            ends.sort()
            for end in ends {
                // Edges already inserted whose lower end is to the right of this one cross it.
                var atMost = 0
                var index = end + 1
                while index > 0 {
                    atMost += tree[index]
                    index -= index & -index
                }
                total += inserted - atMost
                index = end + 1
                while index <= lowerCount {
                    tree[index] += 1
                    index += index & -index
                }
                inserted += 1
            }
        }
        return total
    }
}
