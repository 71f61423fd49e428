/// The colour of each item kind, for light and dark themes, shared by the lineage
/// graph and the report's cards.
enum KindPalette {
    struct Colors {
        var lightFill: String
        var lightStroke: String
        var darkFill: String
        var darkStroke: String
    }

    static func colors(_ kind: ReportItemKind) -> Colors {
        switch kind {
        case .table: Colors(lightFill: "#dbeafe", lightStroke: "#2563eb", darkFill: "#1e3a8a", darkStroke: "#60a5fa")
        case .referencedTable: Colors(lightFill: "#cffafe", lightStroke: "#0e7490", darkFill: "#164e63", darkStroke: "#22d3ee")
        case .array: Colors(lightFill: "#ffedd5", lightStroke: "#c2410c", darkFill: "#7c2d12", darkStroke: "#fb923c")
        case .json: Colors(lightFill: "#dcfce7", lightStroke: "#15803d", darkFill: "#14532d", darkStroke: "#4ade80")
        case .timestamp: Colors(lightFill: "#f1f5f9", lightStroke: "#475569", darkFill: "#334155", darkStroke: "#94a3b8")
        case .tensors: Colors(lightFill: "#ede9fe", lightStroke: "#6d28d9", darkFill: "#4c1d95", darkStroke: "#a78bfa")
        case .model: Colors(lightFill: "#fee2e2", lightStroke: "#b91c1c", darkFill: "#7f1d1d", darkStroke: "#f87171")
        case .pytorch: Colors(lightFill: "#fce7f3", lightStroke: "#be185d", darkFill: "#831843", darkStroke: "#f472b6")
        case .file: Colors(lightFill: "#fef9c3", lightStroke: "#a16207", darkFill: "#713f12", darkStroke: "#facc15")
        case .other: Colors(lightFill: "#f3f4f6", lightStroke: "#4b5563", darkFill: "#374151", darkStroke: "#9ca3af")
        }
    }

    /// CSS rules `selector(kind) { … }` for every kind, light theme then dark theme.
    static func rules(_ rule: (ReportItemKind, _ fill: String, _ stroke: String) -> String) -> (light: String, dark: String) {
        var light = ""
        var dark = ""
        for kind in ReportItemKind.allCases {
            let colors = colors(kind)
            light += rule(kind, colors.lightFill, colors.lightStroke)
            dark += rule(kind, colors.darkFill, colors.darkStroke)
        }
        return (light, dark)
    }
}
