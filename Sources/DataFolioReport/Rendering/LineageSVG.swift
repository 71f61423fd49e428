/// Writes a laid-out lineage drawing as SVG.
enum LineageSVG {
    static func render(_ drawing: LineageDiagram.Drawing, options: LineageDiagram.Options, standalone: Bool) -> String {
        let layout = drawing.layout
        let margin = options.layout.margin
        let legend = legendMarkup(drawing, margin: margin)
        let width = max(layout.width, legend.width + margin * 2)
        let height = layout.height + drawing.legendHeight
        let n = Markup.number
        let itemCount = drawing.boxes.filter { !$0.isMissing }.count

        var out = String()
        out.reserveCapacity(512 + drawing.boxes.count * 360 + layout.edges.count * 200)
        if standalone { out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" }
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dfl\" width=\"\(n(width))\" height=\"\(n(height))\" "
        out += "viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"dfl-title\">\n"
        out += "<title id=\"dfl-title\">Lineage of \(itemCount) item\(itemCount == 1 ? "" : "s")</title>\n"
        out += "<style>" + style + "</style>\n"
        out += "<defs><marker id=\"dfl-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
        out += "<path class=\"dfl-arrowhead\" d=\"M0,0L10,5L0,10z\"/></marker></defs>\n"
        out += legend.markup
        // A legend wider than the graph: centre the graph under it.
        let shift = (width - layout.width) / 2
        out += "<g transform=\"translate(\(n(shift)),\(n(drawing.legendHeight)))\">\n<g class=\"dfl-edges\">\n"
        for edge in layout.edges {
            guard edge.points.count >= 2 else { continue }
            let from = Markup.escape(drawing.boxes[edge.source].name)
            let to = Markup.escape(drawing.boxes[edge.target].name)
            var classes = "dfl-edge"
            if edge.isReversed { classes += " dfl-back" }
            if edge.isSelfLoop { classes += " dfl-loop" }
            out += "<path class=\"\(classes)\" data-from=\"\(from)\" data-to=\"\(to)\" d=\"\(path(edge))\" marker-end=\"url(#dfl-arrow)\"/>\n"
        }
        out += "</g>\n<g class=\"dfl-nodes\">\n"
        for (index, box) in drawing.boxes.enumerated() {
            let placed = layout.nodes[index]
            let name = Markup.escape(box.name)
            let kindName = box.isMissing ? "missing" : (box.kind?.rawValue ?? "other")
            let kindLabel = box.isMissing ? "missing: no item has this name" : (box.kind?.displayName ?? "unknown kind")
            let classes = "dfl-node dfl-k-\(kindName)"
            let link = options.linksToCards && !box.isMissing
            out += link ? "<a class=\"\(classes)\" href=\"#\(Markup.anchor("item", box.name))\"" : "<g class=\"\(classes)\""
            out += " data-name=\"\(name)\" data-kind=\"\(kindName)\">"
            out += "<title>\(name) (\(kindLabel))</title>"
            out += "<rect x=\"\(n(placed.x))\" y=\"\(n(placed.y))\" width=\"\(n(placed.width))\" height=\"\(n(placed.height))\" rx=\"6\"/>"
            out += "<text x=\"\(n(placed.centerX))\" y=\"\(n(placed.y + placed.height / 2))\">\(Markup.escape(box.label))</text>"
            out += link ? "</a>\n" : "</g>\n"
        }
        out += "</g>\n</g>\n</svg>\n"
        return out
    }

    /// A smooth path through the edge's points: vertical runs through crossed layers
    /// stay straight; the spans between layers are cubic curves leaving and entering
    /// vertically.
    static func path(_ edge: LayeredLayout.RoutedEdge) -> String {
        let n = Markup.number
        // A shared trunk was drawn with an earlier edge; start where this one leaves it.
        let points = Array(edge.points.dropFirst(max(edge.sharedPointCount - 1, 0)))
        var d = "M\(n(points[0].x)),\(n(points[0].y))"
        if edge.isSelfLoop, points.count == 4 {
            d += "C\(n(points[1].x)),\(n(points[1].y)) \(n(points[2].x)),\(n(points[2].y)) \(n(points[3].x)),\(n(points[3].y))"
            return d
        }
        var index = 1
        while index < points.count {
            let a = points[index - 1]
            var b = points[index]
            if a.x == b.x {
                // One line for a straight vertical run, however many layers it crosses.
                while index + 1 < points.count && points[index + 1].x == a.x {
                    index += 1
                    b = points[index]
                }
                d += "L\(n(b.x)),\(n(b.y))"
            } else {
                let middle = (a.y + b.y) / 2
                d += "C\(n(a.x)),\(n(middle)) \(n(b.x)),\(n(middle)) \(n(b.x)),\(n(b.y))"
            }
            index += 1
        }
        return d
    }

    /// A row of colour swatches for the kinds present.
    private static func legendMarkup(_ drawing: LineageDiagram.Drawing, margin: Double) -> (markup: String, width: Double) {
        guard drawing.legendHeight > 0 else { return ("", 0) }
        let present = Set(drawing.boxes.filter { !$0.isMissing }.map { $0.kind?.rawValue ?? "other" })
        var entries = ReportItemKind.allCases.filter { present.contains($0.rawValue) }.map { ($0.rawValue, $0.displayName) }
        if drawing.boxes.contains(where: \.isMissing) { entries.append(("missing", "missing input")) }
        let n = Markup.number
        var out = "<g class=\"dfl-legend\">"
        var x = margin
        for (kind, label) in entries {
            out += "<g class=\"dfl-k-\(kind)\"><rect x=\"\(n(x))\" y=\"9\" width=\"14\" height=\"12\" rx=\"3\"/>"
            out += "<text x=\"\(n(x + 19))\" y=\"15\">\(Markup.escape(label))</text></g>"
            x += 19 + Double(label.count) * 6.6 + 16
        }
        out += "</g>\n"
        return (out, x - margin)
    }

    static let style: String = {
        let kinds = KindPalette.rules { kind, fill, stroke in ".dfl-k-\(kind.rawValue) rect{fill:\(fill);stroke:\(stroke)}" }
        return """
            .dfl{font:12px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif}\
            .dfl text{fill:#111827;dominant-baseline:central}\
            .dfl-nodes text{text-anchor:middle}\
            .dfl-legend text{fill:#374151}\
            .dfl rect{stroke-width:1.5}\
            .dfl-edge{fill:none;stroke:#94a3b8;stroke-width:1.4}\
            .dfl-back{stroke:#dc2626;stroke-dasharray:5 4}\
            .dfl-arrowhead{fill:#94a3b8}\
            .dfl-k-missing rect{fill:none;stroke:#9ca3af;stroke-dasharray:4 3}\
            .dfl-k-missing text{fill:#6b7280;font-style:italic}\
            \(kinds.light)\
            a.dfl-node:hover rect,a.dfl-node:focus rect{stroke-width:3}\
            .dfl-dim{opacity:.15}\
            @media screen and (prefers-color-scheme:dark){.dfl text{fill:#e5e7eb}.dfl-legend text{fill:#d1d5db}\
            .dfl-edge{stroke:#64748b}.dfl-arrowhead{fill:#64748b}.dfl-back{stroke:#f87171}\
            \(kinds.dark)\
            .dfl-k-missing rect{fill:none;stroke:#6b7280}}\
            @media print{.dfl text{fill:#111827}.dfl-dim{opacity:1}}
            """
    }()
}
