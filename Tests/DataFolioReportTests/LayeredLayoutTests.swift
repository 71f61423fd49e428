import DataFolioReport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Layered layout")
struct LayeredLayoutTests {
    typealias Edge = LayeredLayout.Edge

    /// A random acyclic graph: each node takes up to `maxInputs` inputs among earlier nodes
    /// (mostly recent ones, as pipelines do).
    static func randomDAG(nodes: Int, maxInputs: Int, seed: UInt64) -> [Edge] {
        var random = SeededRandom(seed: seed)
        var edges = [Edge]()
        for node in 1..<nodes {
            let inputs = Int(random.next() % UInt64(maxInputs + 1))
            for _ in 0..<inputs {
                let reach = min(node, 12)
                let source = node - 1 - Int(random.next() % UInt64(reach))
                edges.append(Edge(source: source, target: node))
            }
        }
        return edges
    }

    static func widths(_ count: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in 64 + Double(random.next() % 160) }
    }

    /// Checks the properties every drawing must have.
    static func checkDrawing(_ layout: LayeredLayout, edges: [Edge], sourceLocation: SourceLocation = #_sourceLocation) {
        // No two boxes overlap.
        let nodes = layout.nodes
        for a in 0..<nodes.count {
            for b in (a + 1)..<nodes.count {
                let p = nodes[a]
                let q = nodes[b]
                let overlaps = p.x < q.right && q.x < p.right && p.y < q.bottom && q.y < p.bottom
                #expect(!overlaps, "nodes \(a) and \(b) overlap", sourceLocation: sourceLocation)
            }
        }
        // Everything inside the drawing.
        for node in nodes {
            #expect(node.x >= 0 && node.right <= layout.width && node.y >= 0 && node.bottom <= layout.height, sourceLocation: sourceLocation)
        }
        // Every distinct edge is routed; forward edges run downward from the bottom of
        // their source to the top of their target.
        let distinct = Set(edges)
        #expect(layout.edges.count == distinct.count, sourceLocation: sourceLocation)
        for edge in layout.edges where !edge.isSelfLoop {
            let source = nodes[edge.source]
            let target = nodes[edge.target]
            let points = edge.isReversed ? Array(edge.points.reversed()) : edge.points
            let upper = edge.isReversed ? target : source
            let lower = edge.isReversed ? source : target
            #expect(lower.layer > upper.layer, "edge \(edge.source)→\(edge.target) does not go down a layer", sourceLocation: sourceLocation)
            #expect(points.first?.y == upper.bottom && points.last?.y == lower.y, sourceLocation: sourceLocation)
            for (a, b) in zip(points, points.dropFirst()) {
                #expect(b.y >= a.y, "edge \(edge.source)→\(edge.target) goes up", sourceLocation: sourceLocation)
            }
            for point in points {
                #expect(point.x >= 0 && point.x <= layout.width && point.y >= 0 && point.y <= layout.height, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func chainGoesStraightDown() {
        let edges = (0..<4).map { Edge(source: $0, target: $0 + 1) }
        let layout = LayeredLayout(nodeWidths: Array(repeating: 80, count: 5), edges: edges)
        #expect(layout.nodes.map{ $0.layer } == [0, 1, 2, 3, 4])
        #expect(layout.layerCount == 5)
        #expect(layout.crossings == 0)
        #expect(layout.edges.allSatisfy { !$0.isReversed })
        // A chain is drawn as a straight vertical line.
        #expect(Set(layout.nodes.map{ $0.centerX }).count == 1)
        Self.checkDrawing(layout, edges: edges)
    }

    @Test func randomGraphsHaveNoOverlapsAndEdgesGoDown() {
        for seed in UInt64(1)...12 {
            let count = 5 + Int(seed) * 9
            let edges = Self.randomDAG(nodes: count, maxInputs: 3, seed: seed)
            let layout = LayeredLayout(nodeWidths: Self.widths(count, seed: seed), edges: edges)
            #expect(layout.edges.allSatisfy { !$0.isReversed }, "an acyclic graph keeps every edge as it is")
            Self.checkDrawing(layout, edges: edges)
        }
    }

    @Test func longEdgesPassBetweenNodes() {
        // 0 → 1 → 2 → 3 and a long edge 0 → 3 that must cross layers 1 and 2 beside the chain.
        let edges = [Edge(source: 0, target: 1), Edge(source: 1, target: 2), Edge(source: 2, target: 3), Edge(source: 0, target: 3)]
        let layout = LayeredLayout(nodeWidths: [80, 80, 80, 80], edges: edges)
        let long = layout.edges[3]
        #expect(long.points.count == 6)   // two ends plus an entry and exit point in each crossed layer
        for point in long.points.dropFirst().dropLast() {
            for node in layout.nodes {
                let inside = point.x > node.x && point.x < node.right && point.y > node.y && point.y < node.bottom
                #expect(!inside)
            }
        }
        Self.checkDrawing(layout, edges: edges)
    }

    @Test func orderingRemovesAvoidableCrossings() {
        // Two parents listed in the opposite order of their children: one crossing unless reordered.
        let edges = [Edge(source: 0, target: 3), Edge(source: 1, target: 2)]
        let widths: [Double] = [80, 80, 80, 80]
        var options = LayeredLayout.Options()
        options.orderingSweeps = 0
        #expect(LayeredLayout(nodeWidths: widths, edges: edges, options: options).crossings == 1)
        #expect(LayeredLayout(nodeWidths: widths, edges: edges).crossings == 0)

        // On random graphs the sweeps never make things worse, and usually help a lot.
        var before = 0
        var after = 0
        for seed in UInt64(20)...30 {
            let edges = Self.randomDAG(nodes: 60, maxInputs: 3, seed: seed)
            let widths = Self.widths(60, seed: seed)
            let unordered = LayeredLayout(nodeWidths: widths, edges: edges, options: options).crossings
            let ordered = LayeredLayout(nodeWidths: widths, edges: edges).crossings
            #expect(ordered <= unordered)
            before += unordered
            after += ordered
        }
        #expect(after * 2 < before, "crossings \(before) → \(after)")
    }

    @Test func cyclesAreDrawnWithReversedEdges() {
        // 0 → 1 → 2 → 0, a two-node cycle 3 ⇄ 4 hanging off it, and a self-loop on 5.
        let edges = [
            Edge(source: 0, target: 1), Edge(source: 1, target: 2), Edge(source: 2, target: 0),
            Edge(source: 2, target: 3), Edge(source: 3, target: 4), Edge(source: 4, target: 3),
            Edge(source: 5, target: 5), Edge(source: 1, target: 5),
        ]
        let layout = LayeredLayout(nodeWidths: Array(repeating: 90, count: 6), edges: edges)
        let reversed = layout.edges.filter(\.isReversed)
        #expect(reversed.count == 2, "one edge per cycle is reversed")
        #expect(layout.edges.filter { $0.isSelfLoop }.count == 1)
        // A reversed edge still starts at its source and ends at its target: it points up.
        for edge in reversed {
            let first = edge.points.first?.y ?? 0
            let last = edge.points.last?.y ?? 0
            #expect(first == layout.nodes[edge.source].y && last == layout.nodes[edge.target].bottom)
        }
        Self.checkDrawing(layout, edges: edges)
    }

    @Test func denseCyclesTerminate() {
        // Every node an input of every other: the worst a hand-edited catalog can do.
        var edges = [Edge]()
        for a in 0..<30 { for b in 0..<30 where a != b { edges.append(Edge(source: a, target: b)) } }
        let layout = LayeredLayout(nodeWidths: Array(repeating: 70, count: 30), edges: edges)
        #expect(layout.edges.count == edges.count)
        #expect(layout.edges.filter { $0.isReversed }.count == 30 * 29 / 2)
        Self.checkDrawing(layout, edges: edges)
    }

    @Test func wideLayersAreSplit() {
        // One input with 150 dependents: at most 10 boxes per layer.
        let edges = (1...150).map { Edge(source: 0, target: $0) }
        let layout = LayeredLayout(nodeWidths: Array(repeating: 100, count: 151), edges: edges)
        var perLayer = [Int: Int]()
        for node in layout.nodes { perLayer[node.layer, default: 0] += 1 }
        #expect(perLayer.values.allSatisfy { $0 <= 10 })
        #expect(layout.width < 2_600)
        Self.checkDrawing(layout, edges: edges)
    }

    @Test func nodesWithoutEdgesGoInRowsBelow() {
        let edges = [Edge(source: 0, target: 1)]
        let layout = LayeredLayout(nodeWidths: Array(repeating: 120, count: 40), edges: edges)
        #expect(!layout.nodes[0].isIsolated && !layout.nodes[1].isIsolated)
        let isolated = layout.nodes.dropFirst(2)
        #expect(isolated.allSatisfy { $0.isIsolated })
        #expect(isolated.allSatisfy { $0.y > layout.nodes[1].bottom })
        #expect(layout.width <= 1_000 + 2 * 16 + 1)
        Self.checkDrawing(layout, edges: edges)
    }

    @Test func badEdgesAreIgnored() {
        let edges = [Edge(source: 0, target: 1), Edge(source: 0, target: 1), Edge(source: -1, target: 0), Edge(source: 0, target: 7)]
        let layout = LayeredLayout(nodeWidths: [50, .nan, -3], edges: edges)
        #expect(layout.edges.count == 1)
        #expect(layout.nodes[1].width == 1 && layout.nodes[2].width == 1)
        #expect(LayeredLayout(nodeWidths: [], edges: []).nodes.isEmpty)
    }

    @Test func twoHundredItemsStayReadable() {
        // A 200-item folio: 20 runs of a 9-step pipeline sharing two inputs, plus loose items.
        var edges = [Edge]()
        var names = 2
        for _ in 0..<20 {
            let base = names
            edges.append(Edge(source: 0, target: base))
            edges.append(Edge(source: 1, target: base + 1))
            for step in 2..<9 {
                edges.append(Edge(source: base + step - 1, target: base + step))
                if step % 3 == 0 { edges.append(Edge(source: base + step - 2, target: base + step)) }
            }
            names += 9
        }
        let count = 200
        let widths = Self.widths(count, seed: 200)
        let clock = ContinuousClock()
        var layout: LayeredLayout?
        let elapsed = clock.measure { layout = LayeredLayout(nodeWidths: widths, edges: edges) }
        guard let layout else { return }
        Self.checkDrawing(layout, edges: edges)
        #expect(layout.width < 4_000, "width \(layout.width)")
        #expect(layout.height < 3_000, "height \(layout.height)")
        let random = Self.randomDAG(nodes: count, maxInputs: 3, seed: 201)
        var randomLayout: LayeredLayout?
        let randomElapsed = clock.measure { randomLayout = LayeredLayout(nodeWidths: widths, edges: random) }
        if let randomLayout {
            Self.checkDrawing(randomLayout, edges: random)
            #expect(randomLayout.width < 6_000, "width \(randomLayout.width)")
        }
        print("Layout of 200 nodes: pipelines \(elapsed) (\(Int(layout.width))×\(Int(layout.height)), \(layout.crossings) crossings); "
            + "random graph \(randomElapsed) (\(Int(randomLayout?.width ?? 0))×\(Int(randomLayout?.height ?? 0)), \(randomLayout?.crossings ?? 0) crossings)")
    }
}
