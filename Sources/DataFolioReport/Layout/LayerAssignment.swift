/// Assigns each node of an acyclic graph to a layer so that every edge points to a
/// lower layer.
///
/// Nodes are placed as high as their inputs allow (longest path from the sources),
/// moving further down when a layer already holds the most nodes allowed. Then nodes
/// with more outgoing than incoming edges are pulled down next to what was made from
/// them, which shortens edges (a settings item used by a late step sits just above it).
enum LayerAssignment {
    /// The layer of every node (`-1` for nodes not `included`), numbered without gaps from 0.
    static func layers(nodeCount: Int, edges: [LayeredLayout.Edge], included: [Bool], maximumWidth: Int?) -> [Int] {
        var predecessors = [[Int]](repeating: [], count: nodeCount)
        var successors = [[Int]](repeating: [], count: nodeCount)
        var inDegree = [Int](repeating: 0, count: nodeCount)
        for edge in edges {
            successors[edge.source].append(edge.target)
            predecessors[edge.target].append(edge.source)
            inDegree[edge.target] += 1
        }

        // Kahn's algorithm, always taking the earliest ready node in the order given:
        // catalogs list a pipeline's items together, so each pipeline is placed whole
        // before the next, and pipelines stack as blocks when layers fill up.
        var order = [Int]()
        order.reserveCapacity(nodeCount)
        var ready = MinHeap()
        for node in 0..<nodeCount where included[node] && inDegree[node] == 0 { ready.push(node) }
        while let node = ready.pop() {
            order.append(node)
            for next in successors[node] {
                inDegree[next] -= 1
                if inDegree[next] == 0 { ready.push(next) }
            }
        }

        let capacity = maximumWidth.map { max($0, 1) } ?? Int.max
        var layer = [Int](repeating: -1, count: nodeCount)
        var counts = [Int]()
        func occupancy(_ index: Int) -> Int { index < counts.count ? counts[index] : 0 }
        func place(_ node: Int, at index: Int) {
            while counts.count <= index { counts.append(0) }
            counts[index] += 1
            layer[node] = index
        }

        for node in order {
            var index = 0
            for previous in predecessors[node] { index = max(index, layer[previous] + 1) }
            while occupancy(index) >= capacity { index += 1 }
            place(node, at: index)
        }

        // Pull nodes down toward their successors when that shortens edges overall.
        for node in order.reversed() where successors[node].count > predecessors[node].count {
            var limit = Int.max
            for next in successors[node] { limit = min(limit, layer[next] - 1) }
            let current = layer[node]
            guard limit > current else { continue }
            var target = limit
            while target > current && occupancy(target) >= capacity { target -= 1 }
            guard target > current else { continue }
            counts[current] -= 1
            place(node, at: target)
        }

        // Renumber without empty layers.
        var renumbered = [Int](repeating: -1, count: counts.count)
        var next = 0
        for (index, count) in counts.enumerated() where count > 0 {
            renumbered[index] = next
            next += 1
        }
        return layer.map { $0 < 0 ? -1 : renumbered[$0] }
    }
}

/// A binary min-heap of node indices.
struct MinHeap {
    private var items = [Int]()

    mutating func push(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[parent] > items[child] else { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = parent * 2 + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
