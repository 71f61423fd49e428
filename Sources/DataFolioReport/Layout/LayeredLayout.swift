/// A layered drawing of a directed graph, computed in the Sugiyama style: cycles are
/// broken by reversing a few edges, nodes are assigned to layers so that every edge
/// points downward, the order inside each layer is chosen to reduce edge crossings,
/// and x coordinates are chosen to keep edges short and straight.
///
/// Nodes are given by their widths (in points); edges by the indices of their ends.
/// Nodes without any edge are placed in rows below the drawing instead of widening
/// its first layer.
///
/// ```swift
/// let layout = LayeredLayout(
///     nodeWidths: [80, 80, 80],
///     edges: [.init(source: 0, target: 1), .init(source: 1, target: 2)])
/// print(layout.nodes[2].y > layout.nodes[0].y)   // true: edges go downward
/// print(layout.width, layout.height, layout.crossings)
/// ```
public struct LayeredLayout: Sendable {
    /// Sizes and spacing of the drawing.
    ///
    /// ```swift
    /// var options = LayeredLayout.Options()
    /// options.maximumLayerWidth = 6
    /// let layout = LayeredLayout(nodeWidths: widths, edges: edges, options: options)
    /// ```
    public struct Options: Sendable, Hashable {
        /// The height of every node.
        public var nodeHeight: Double = 34
        /// The smallest horizontal space between two nodes of a layer.
        public var nodeGap: Double = 20
        /// The vertical space between two layers (where edges run).
        public var layerGap: Double = 56
        /// The most real nodes in one layer; further nodes move to lower layers, which
        /// keeps a folio with hundreds of sibling items readable. `nil`: no limit.
        public var maximumLayerWidth: Int? = 10
        /// The width of the rows holding nodes without edges (at least the drawing's width).
        public var isolatedRowWidth: Double = 1000
        /// The space around the drawing.
        public var margin: Double = 16
        /// The most ordering sweeps (each one down and one up).
        public var orderingSweeps: Int = 12
        /// The most bend points inserted for edges spanning several layers; longer
        /// edges beyond the budget are drawn straight.
        public var bendBudget: Int = 60_000

        /// The default options.
        public init() {}
    }

    /// An edge from `source` (drawn above) to `target` (drawn below).
    ///
    /// ```swift
    /// let edge = LayeredLayout.Edge(source: 0, target: 1)
    /// ```
    public struct Edge: Sendable, Hashable {
        /// The index of the node the edge starts from.
        public var source: Int
        /// The index of the node the edge points to.
        public var target: Int

        /// An edge from `source` to `target`.
        public init(source: Int, target: Int) {
            self.source = source
            self.target = target
        }
    }

    /// A point of the drawing (y grows downward, as in SVG).
    ///
    /// ```swift
    /// let start = layout.edges[0].points.first ?? LayeredLayout.Point(x: 0, y: 0)
    /// ```
    public struct Point: Sendable, Hashable {
        /// The horizontal coordinate.
        public var x: Double
        /// The vertical coordinate.
        public var y: Double

        /// A point at (`x`, `y`).
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// Where a node was placed.
    ///
    /// ```swift
    /// for node in layout.nodes { print(node.layer, node.x, node.y) }
    /// ```
    public struct PlacedNode: Sendable, Hashable {
        /// The node's layer (0 is the top).
        public var layer: Int
        /// The node's position from the left inside its layer.
        public var order: Int
        /// The left edge.
        public var x: Double
        /// The top edge.
        public var y: Double
        /// The width (as given).
        public var width: Double
        /// The height (``Options/nodeHeight``).
        public var height: Double
        /// Whether the node has no edges and was placed in the rows below the drawing.
        public var isIsolated: Bool

        /// The horizontal centre.
        public var centerX: Double { x + width / 2 }
        /// The bottom edge.
        public var bottom: Double { y + height }
        /// The right edge.
        public var right: Double { x + width }
    }

    /// How an edge is drawn.
    ///
    /// ```swift
    /// for edge in layout.edges where edge.isReversed { print("cycle:", edge.source, "→", edge.target) }
    /// ```
    public struct RoutedEdge: Sendable, Hashable {
        /// The node the edge starts from (as given).
        public var source: Int
        /// The node the edge points to (as given).
        public var target: Int
        /// The points from the source's border to the target's border: first and last
        /// on the nodes, pairs in between where the edge crosses intermediate layers.
        public var points: [Point]
        /// Whether the edge was reversed to break a cycle (it points upward).
        public var isReversed: Bool
        /// Whether the edge starts and ends at the same node.
        public var isSelfLoop: Bool
        /// How many leading points this edge shares with edges listed before it: long
        /// edges from one node run down a common trunk, which a drawing needs to draw
        /// only once, starting this edge at point `sharedPointCount - 1` (0: nothing shared).
        public var sharedPointCount: Int = 0
    }

    /// Where each node was placed, in the order given.
    public let nodes: [PlacedNode]
    /// How each distinct edge is drawn (duplicates and edges to unknown nodes dropped).
    public let edges: [RoutedEdge]
    /// The width of the whole drawing, margins included.
    public let width: Double
    /// The height of the whole drawing, margins included.
    public let height: Double
    /// The number of layers holding connected nodes.
    public let layerCount: Int
    /// The number of edge crossings between adjacent layers after ordering.
    public let crossings: Int

    /// Lays out a graph.
    ///
    /// ```swift
    /// // 0 → 1 → 2, and 2 → 0 closing a cycle (drawn as a reversed, upward edge).
    /// let layout = LayeredLayout(nodeWidths: [90, 90, 90], edges: [
    ///     .init(source: 0, target: 1), .init(source: 1, target: 2), .init(source: 2, target: 0),
    /// ])
    /// print(layout.edges.filter(\.isReversed).count)   // 1
    /// ```
    ///
    /// - Parameters:
    ///   - nodeWidths: One width per node.
    ///   - edges: Edges between nodes; edges naming a node index out of range are ignored.
    ///   - options: Sizes and spacing.
    public init(nodeWidths: [Double], edges: [Edge], options: Options = Options()) {
        let count = nodeWidths.count
        let widths = nodeWidths.map { $0.isFinite && $0 > 0 ? $0 : 1 }

        // Distinct edges between known nodes, in the order given.
        var seen = Set<Edge>()
        var graphEdges = [Edge]()
        var selfLoops = [Int]()
        for edge in edges where edge.source >= 0 && edge.source < count && edge.target >= 0 && edge.target < count {
            guard seen.insert(edge).inserted else { continue }
            if edge.source == edge.target { selfLoops.append(edge.source) } else { graphEdges.append(edge) }
        }

        // 1. Cycle breaking.
        let reversed = CycleBreaking.edgesToReverse(nodeCount: count, edges: graphEdges)
        let acyclic = graphEdges.enumerated().map { index, edge in
            reversed.contains(index) ? Edge(source: edge.target, target: edge.source) : edge
        }

        // 2. Layer assignment (nodes without edges are set aside).
        var connected = [Bool](repeating: false, count: count)
        for edge in acyclic {
            connected[edge.source] = true
            connected[edge.target] = true
        }
        let layering = LayerAssignment.layers(
            nodeCount: count, edges: acyclic, included: connected, maximumWidth: options.maximumLayerWidth)

        // 3. Long edges become chains through one bend point per crossed layer.
        var proper = ProperGraph(layerOf: layering, edges: acyclic, realCount: count, bendBudget: options.bendBudget)

        // 4. Ordering inside layers.
        let crossings = CrossingReduction.order(&proper, sweeps: options.orderingSweeps)

        // 5. Coordinates.
        var vertexWidths = widths
        vertexWidths.append(contentsOf: repeatElement(CoordinateAssignment.bendWidth, count: proper.vertexCount - count))
        let xs = CoordinateAssignment.centers(proper, widths: vertexWidths, nodeGap: options.nodeGap)

        let layerStep = options.nodeHeight + options.layerGap
        var minLeft = Double.infinity
        var maxRight = -Double.infinity
        for layer in proper.layers {
            for vertex in layer {
                minLeft = min(minLeft, xs[vertex] - vertexWidths[vertex] / 2)
                maxRight = max(maxRight, xs[vertex] + vertexWidths[vertex] / 2)
            }
        }
        if !minLeft.isFinite {
            minLeft = 0
            maxRight = 0
        }
        let shift = options.margin - minLeft
        var placed = [PlacedNode](
            repeating: PlacedNode(layer: 0, order: 0, x: 0, y: 0, width: 0, height: options.nodeHeight, isIsolated: true),
            count: count)
        var positionOf = [Int](repeating: 0, count: proper.vertexCount)
        for (layerIndex, layer) in proper.layers.enumerated() {
            for (order, vertex) in layer.enumerated() {
                positionOf[vertex] = order
                guard vertex < count else { continue }
                placed[vertex] = PlacedNode(
                    layer: layerIndex, order: order, x: xs[vertex] - widths[vertex] / 2 + shift,
                    y: options.margin + Double(layerIndex) * layerStep, width: widths[vertex], height: options.nodeHeight,
                    isIsolated: false)
            }
        }
        let layeredCount = proper.layers.count
        var drawingWidth = layeredCount == 0 ? options.margin * 2 : maxRight - minLeft + options.margin * 2
        var bottom = layeredCount == 0 ? options.margin : options.margin + Double(layeredCount) * layerStep - options.layerGap

        // 6. Nodes without edges, in rows below.
        let rowWidth = max(drawingWidth - options.margin * 2, options.isolatedRowWidth)
        var rowLayer = layeredCount
        var cursorX = options.margin
        var rowTop = layeredCount == 0 ? options.margin : bottom + options.layerGap
        var rowOrder = 0
        var anyIsolated = false
        for node in 0..<count where !connected[node] {
            if rowOrder > 0 && cursorX + widths[node] > options.margin + rowWidth {
                rowLayer += 1
                rowTop += options.nodeHeight + options.nodeGap
                cursorX = options.margin
                rowOrder = 0
            }
            placed[node] = PlacedNode(
                layer: rowLayer, order: rowOrder, x: cursorX, y: rowTop, width: widths[node], height: options.nodeHeight,
                isIsolated: true)
            cursorX += widths[node] + options.nodeGap
            drawingWidth = max(drawingWidth, cursorX - options.nodeGap + options.margin)
            rowOrder += 1
            anyIsolated = true
        }
        if anyIsolated {
            bottom = rowTop + options.nodeHeight
            // Centre each row under the drawing.
            var rows = [Int: (nodes: [Int], right: Double)]()
            for node in 0..<count where !connected[node] {
                rows[placed[node].layer, default: ([], 0)].nodes.append(node)
                rows[placed[node].layer]?.right = placed[node].right
            }
            for row in rows.values {
                let slack = (drawingWidth - options.margin - row.right) / 2
                guard slack > 0 else { continue }
                for node in row.nodes { placed[node].x += slack }
            }
        }

        // 7. Edge routes.
        var routed = [RoutedEdge]()
        routed.reserveCapacity(graphEdges.count + selfLoops.count)
        let ports = EdgePorts(proper: proper, positionOf: positionOf)
        var drawnLinks = Set<Int64>()
        for (index, edge) in graphEdges.enumerated() {
            let chain = proper.chains[index]
            var points = [Point]()
            points.reserveCapacity(chain.count * 2)
            // The links into bend vertices already drawn by an earlier edge of the same trunk.
            var sharedLinks = 0
            var stillShared = true
            for step in 1..<chain.count {
                let link = Int64(chain[step - 1]) << 32 | Int64(chain[step])
                let isNew = drawnLinks.insert(link).inserted
                if stillShared && !isNew && proper.isBend(chain[step]) { sharedLinks += 1 } else { stillShared = false }
            }
            for (step, vertex) in chain.enumerated() {
                if step == 0 {
                    let top = placed[vertex]
                    points.append(Point(x: ports.outgoing(vertex, toward: chain[1], node: top), y: top.bottom))
                } else if step == chain.count - 1 {
                    let node = placed[vertex]
                    points.append(Point(x: ports.incoming(vertex, from: chain[step - 1], node: node), y: node.y))
                } else {
                    let layerTop = options.margin + Double(proper.layerOf[vertex]) * layerStep
                    points.append(Point(x: xs[vertex] + shift, y: layerTop))
                    points.append(Point(x: xs[vertex] + shift, y: layerTop + options.nodeHeight))
                }
            }
            let isReversed = reversed.contains(index)
            if isReversed { points.reverse() }
            // The source's point, then an entry and exit point per shared bend vertex.
            let shared = isReversed || sharedLinks == 0 ? 0 : 1 + 2 * sharedLinks
            routed.append(RoutedEdge(
                source: edge.source, target: edge.target, points: points, isReversed: isReversed, isSelfLoop: false, sharedPointCount: shared))
        }
        for node in selfLoops {
            let box = placed[node]
            let top = box.y + box.height * 0.3
            let low = box.y + box.height * 0.7
            let reach = box.right + 14
            routed.append(RoutedEdge(
                source: node, target: node,
                points: [Point(x: box.right, y: top), Point(x: reach, y: top), Point(x: reach, y: low), Point(x: box.right, y: low)],
                isReversed: false, isSelfLoop: true))
            drawingWidth = max(drawingWidth, reach + options.margin)
        }

        self.nodes = placed
        self.edges = routed
        self.width = drawingWidth
        self.height = bottom + options.margin
        self.layerCount = layeredCount
        self.crossings = crossings
    }
}

/// Where edges leave and enter nodes: spread along the bottom and top borders in the
/// order of their other ends, so parallel edges do not start from one point.
private struct EdgePorts {
    let proper: ProperGraph
    let positionOf: [Int]

    func outgoing(_ vertex: Int, toward next: Int, node: LayeredLayout.PlacedNode) -> Double {
        spread(proper.lower[vertex], picking: next, node: node)
    }

    func incoming(_ vertex: Int, from previous: Int, node: LayeredLayout.PlacedNode) -> Double {
        spread(proper.upper[vertex], picking: previous, node: node)
    }

    private func spread(_ neighbours: [Int], picking other: Int, node: LayeredLayout.PlacedNode) -> Double {
        guard neighbours.count > 1 else { return node.centerX }
        let sorted = neighbours.sorted { positionOf[$0] < positionOf[$1] }
        let slot = sorted.firstIndex(of: other) ?? 0
        // Ports use the middle 60% of the border so arrows stay clear of the corners.
        let usable = node.width * 0.6
        let step = usable / Double(sorted.count - 1)
        return node.centerX - usable / 2 + step * Double(slot)
    }
}
