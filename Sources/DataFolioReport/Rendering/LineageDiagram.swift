/// A drawing of which items were made from which: one box per item, coloured by kind,
/// with an arrow from each input down to what was made from it, laid out in layers
/// by ``LayeredLayout``. Inputs that name no item are drawn as dashed "missing" boxes;
/// edges reversed to draw a cycle are dashed.
///
/// ```swift
/// let diagram = LineageDiagram(nodes: [
///     .init(name: "raw", kind: .referencedTable),
///     .init(name: "clean", kind: .table, inputs: ["raw"]),
/// ])
/// let svg = diagram.svg()                        // a standalone SVG document
/// let page = diagram.htmlDocument(title: "Lineage")
/// ```
public struct LineageDiagram: Sendable {
    /// One item of the drawing.
    ///
    /// ```swift
    /// let node = LineageDiagram.Node(name: "model", kind: .model, inputs: ["clean", "config"])
    /// ```
    public struct Node: Sendable, Hashable {
        /// The item name.
        public var name: String
        /// Its kind (`nil`: unknown, drawn neutral).
        public var kind: ReportItemKind?
        /// The names of the items it was made from.
        public var inputs: [String]

        /// A node.
        public init(name: String, kind: ReportItemKind?, inputs: [String] = []) {
            self.name = name
            self.kind = kind
            self.inputs = inputs
        }
    }

    /// How the drawing looks.
    ///
    /// ```swift
    /// var options = LineageDiagram.Options()
    /// options.linksToCards = true    // each box links to `#item-<name>`
    /// ```
    public struct Options: Sendable, Hashable {
        /// Whether each box is a link to the item's card in a report (`#item-…`).
        public var linksToCards = false
        /// The most characters of a name shown in a box (the full name is its tooltip).
        public var labelCharacters = 28
        /// Whether to draw the colour legend above the graph.
        public var showsLegend = true
        /// Layout sizes and spacing.
        public var layout = LayeredLayout.Options()

        /// The default options.
        public init() {}
    }

    /// The items, in order.
    public var nodes: [Node]

    /// A diagram of these items.
    ///
    /// ```swift
    /// let diagram = LineageDiagram(nodes: [.init(name: "a", kind: .json), .init(name: "b", kind: .json, inputs: ["a"])])
    /// ```
    public init(nodes: [Node]) {
        self.nodes = nodes
    }

    /// The drawn boxes: the items, then one box per input that names no item.
    struct Box {
        var name: String
        var kind: ReportItemKind?
        var isMissing: Bool
        var label: String
        var width: Double
    }

    /// The boxes and edges of the graph, laid out.
    struct Drawing {
        var boxes: [Box]
        var layout: LayeredLayout
        var legendHeight: Double
    }

    func drawing(_ options: Options) -> Drawing {
        var boxes = [Box]()
        var index = [String: Int]()
        func label(_ name: String) -> (String, Double) {
            let text = TextBounds.middleShortened(name, to: max(options.labelCharacters, 4))
            return (text, min(max(Double(text.count) * 7.0 + 24, 64), Double(options.labelCharacters) * 7.0 + 24))
        }
        for node in nodes where index[node.name] == nil {
            index[node.name] = boxes.count
            let (text, width) = label(node.name)
            boxes.append(Box(name: node.name, kind: node.kind, isMissing: false, label: text, width: width))
        }
        var edges = [LayeredLayout.Edge]()
        for node in nodes {
            guard let target = index[node.name] else { continue }
            for input in node.inputs {
                let source: Int
                if let known = index[input] {
                    source = known
                } else {
                    source = boxes.count
                    index[input] = source
                    let (text, width) = label(input)
                    boxes.append(Box(name: input, kind: nil, isMissing: true, label: text, width: width))
                }
                edges.append(LayeredLayout.Edge(source: source, target: target))
            }
        }
        let layout = LayeredLayout(nodeWidths: boxes.map(\.width), edges: edges, options: options.layout)
        let kinds = Set(boxes.compactMap(\.kind))
        let legendHeight = options.showsLegend && (!kinds.isEmpty || boxes.contains(where: \.isMissing)) ? 30.0 : 0
        return Drawing(boxes: boxes, layout: layout, legendHeight: legendHeight)
    }

    /// The layout of the boxes (items first, in order, then missing inputs).
    ///
    /// ```swift
    /// let layout = diagram.layout()
    /// print(layout.width, layout.height)
    /// ```
    public func layout(_ options: Options = Options()) -> LayeredLayout {
        drawing(options).layout
    }

    /// The drawing as a standalone SVG document (it also works inline in HTML). Node
    /// boxes carry `data-name` and `data-kind`; edges carry `data-from` and `data-to`.
    ///
    /// ```swift
    /// try diagram.svg().write(toFile: "lineage.svg", atomically: true, encoding: .utf8)
    /// ```
    public func svg(_ options: Options = Options()) -> String {
        LineageSVG.render(drawing(options), options: options, standalone: true)
    }

    /// The drawing wrapped in a self-contained HTML page.
    ///
    /// ```swift
    /// let page = diagram.htmlDocument(title: "Lineage of churn-v3")
    /// ```
    public func htmlDocument(title: String, _ options: Options = Options()) -> String {
        let svg = LineageSVG.render(drawing(options), options: options, standalone: false)
        return ReportPage.lineageDocument(title: title, svg: svg, itemCount: nodes.count)
    }

    /// The SVG element for a report page.
    func inlineSVG(_ options: Options) -> String {
        LineageSVG.render(drawing(options), options: options, standalone: false)
    }
}
