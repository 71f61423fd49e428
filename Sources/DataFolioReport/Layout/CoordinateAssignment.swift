/// Chooses horizontal positions for the ordered layers.
///
/// Each vertex would like to sit at the mean position of its neighbours in the layer
/// just placed; the layer is then placed as close to those wishes as possible (least
/// squares) while keeping its order and the minimum gaps. With the gaps folded into
/// offsets that is an isotonic regression, solved exactly by pooling adjacent
/// violators in linear time. Alternating sweeps down and up settle the drawing; bend
/// vertices weigh more, so long edges stay straight.
enum CoordinateAssignment {
    /// The width of a bend vertex (where a long edge crosses a layer).
    static let bendWidth = 2.0
    private static let bendGap = 4.0
    private static let passes = 8

    /// The horizontal centre of every vertex (any origin; the caller shifts the drawing).
    static func centers(_ graph: ProperGraph, widths: [Double], nodeGap: Double) -> [Double] {
        var x = [Double](repeating: 0, count: graph.vertexCount)
        for layer in graph.layers {
            var cursor = 0.0
            for (index, vertex) in layer.enumerated() {
                if index > 0 { cursor += gap(layer[index - 1], vertex, graph: graph, widths: widths, nodeGap: nodeGap) }
                x[vertex] = cursor
            }
        }
        guard graph.layers.count > 1 else { return x }
        for _ in 0..<passes {
            for layer in 1..<graph.layers.count {
                place(graph.layers[layer], toward: [graph.upper], graph: graph, widths: widths, nodeGap: nodeGap, x: &x)
            }
            for layer in stride(from: graph.layers.count - 2, through: 0, by: -1) {
                place(graph.layers[layer], toward: [graph.lower], graph: graph, widths: widths, nodeGap: nodeGap, x: &x)
            }
        }
        for layer in graph.layers {
            place(layer, toward: [graph.upper, graph.lower], graph: graph, widths: widths, nodeGap: nodeGap, x: &x)
        }
        return x
    }

    /// The smallest distance between the centres of two neighbours in a layer.
    private static func gap(_ left: Int, _ right: Int, graph: ProperGraph, widths: [Double], nodeGap: Double) -> Double {
        let space: Double
        switch (graph.isBend(left), graph.isBend(right)) {
        case (true, true): space = bendGap
        case (false, false): space = nodeGap
        default: space = nodeGap / 2
        }
        return widths[left] / 2 + space + widths[right] / 2
    }

    /// Places one layer as near as possible to the mean position of each vertex's
    /// neighbours in `toward`, keeping order and gaps.
    private static func place(
        _ layer: [Int], toward neighbourLists: [[[Int]]], graph: ProperGraph, widths: [Double], nodeGap: Double, x: inout [Double]
    ) {
        guard !layer.isEmpty else { return }
        // Offsets turn "x[i] - x[i-1] >= gap" into "y[i] >= y[i-1]" with y = x - offset.
        var offsets = [Double](repeating: 0, count: layer.count)
        for index in 1..<max(layer.count, 1) {
            offsets[index] = offsets[index - 1] + gap(layer[index - 1], layer[index], graph: graph, widths: widths, nodeGap: nodeGap)
        }
        var blocks = [(mean: Double, weight: Double, count: Int)]()
        blocks.reserveCapacity(layer.count)
        for (index, vertex) in layer.enumerated() {
            var sum = 0.0
            var count = 0
            for neighbours in neighbourLists {
                for other in neighbours[vertex] {
                    sum += x[other]
                    count += 1
                }
            }
            // A vertex without neighbours there stays where it is, but gives way easily.
            let wish = count > 0 ? sum / Double(count) : x[vertex]
            var weight = count > 0 ? 1.0 : 0.05
            if graph.isBend(vertex) { weight *= 4 }
            blocks.append((wish - offsets[index], weight, 1))
            while blocks.count > 1 && blocks[blocks.count - 2].mean > blocks[blocks.count - 1].mean {
                let last = blocks.removeLast()
                let previous = blocks.removeLast()
                let weight = previous.weight + last.weight
                blocks.append(((previous.mean * previous.weight + last.mean * last.weight) / weight, weight, previous.count + last.count))
            }
        }
        var index = 0
        for block in blocks {
            for _ in 0..<block.count {
                x[layer[index]] = block.mean + offsets[index]
                index += 1
            }
        }
    }
}
