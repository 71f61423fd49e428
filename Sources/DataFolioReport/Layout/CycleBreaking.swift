/// Makes a graph acyclic by choosing edges to reverse.
///
/// Catalogs edited by hand can list an item among the inputs of its own inputs. The
/// greedy heuristic of Eades, Lin and Smyth orders the nodes so that few edges point
/// backward: sinks go to the end, sources to the front, and when neither exists the
/// node with the largest surplus of outgoing over incoming edges goes to the front.
/// Edges pointing backward in that order are reversed. An acyclic graph keeps every
/// edge as it is.
enum CycleBreaking {
    /// The indices (into `edges`) of the edges to reverse.
    static func edgesToReverse(nodeCount: Int, edges: [LayeredLayout.Edge]) -> Set<Int> {
        var outgoing = [[Int]](repeating: [], count: nodeCount)
        var incoming = [[Int]](repeating: [], count: nodeCount)
        var outDegree = [Int](repeating: 0, count: nodeCount)
        var inDegree = [Int](repeating: 0, count: nodeCount)
        for edge in edges {
            outgoing[edge.source].append(edge.target)
            incoming[edge.target].append(edge.source)
            outDegree[edge.source] += 1
            inDegree[edge.target] += 1
        }
        var removed = [Bool](repeating: false, count: nodeCount)
        var front = [Int]()
        var back = [Int]()
        var sinks = (0..<nodeCount).filter { outDegree[$0] == 0 }.reversed().map { $0 }
        var sources = (0..<nodeCount).filter { inDegree[$0] == 0 && outDegree[$0] > 0 }.reversed().map { $0 }
        var remaining = nodeCount

        func remove(_ node: Int) {
            removed[node] = true
            remaining -= 1
            for next in outgoing[node] where !removed[next] {
                inDegree[next] -= 1
                if inDegree[next] == 0 { sources.append(next) }
            }
            for previous in incoming[node] where !removed[previous] {
                outDegree[previous] -= 1
                if outDegree[previous] == 0 { sinks.append(previous) }
            }
        }

        while remaining > 0 {
            var progressed = false
            while let node = sinks.popLast() {
                guard !removed[node], outDegree[node] == 0 else { continue }
                back.append(node)
                remove(node)
                progressed = true
            }
            while let node = sources.popLast() {
                guard !removed[node], inDegree[node] == 0 else { continue }
                front.append(node)
                remove(node)
                progressed = true
            }
            if progressed || remaining == 0 { continue }
            // Only cycles are left: take the node whose edges point forward the most.
            var best = -1
            var bestSurplus = Int.min
            for node in 0..<nodeCount where !removed[node] {
                let surplus = outDegree[node] - inDegree[node]
                if surplus > bestSurplus {
                    best = node
                    bestSurplus = surplus
                }
            }
            guard best >= 0 else { break }
            front.append(best)
            remove(best)
        }

        var rank = [Int](repeating: 0, count: nodeCount)
        for (position, node) in (front + back.reversed()).enumerated() { rank[node] = position }
        var reversed = Set<Int>()
        for (index, edge) in edges.enumerated() where rank[edge.source] > rank[edge.target] {
            reversed.insert(index)
        }
        return reversed
    }
}
