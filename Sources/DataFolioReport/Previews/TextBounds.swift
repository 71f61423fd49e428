/// Shortening text for previews.
enum TextBounds {
    /// `text` cut to at most `limit` characters, ending in `…` when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        let head = text.prefix(limit + 1)
        if head.count <= limit { return text }
        return String(head.prefix(limit - 1)) + "…"
    }

    /// `text` cut to at most `limit` characters keeping its start and end (for names,
    /// where the end is often the telling part: `runs/…/config`).
    static func middleShortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 3 else { return text }
        let tail = (limit - 1) / 2
        let head = limit - 1 - tail
        return String(text.prefix(head)) + "…" + String(text.suffix(tail))
    }

    /// The beginning of `text` (at most `limit` characters, cut at a line end when
    /// one is near) and how many characters were left out.
    static func head(of text: String, limit: Int) -> (text: String, omitted: Int) {
        let total = text.count
        guard total > limit else { return (text, 0) }
        var kept = String(text.prefix(max(limit, 0)))
        if let lastBreak = kept.lastIndex(of: "\n"), kept.distance(from: lastBreak, to: kept.endIndex) < 200 {
            kept = String(kept[..<lastBreak])
        }
        return (kept, total - kept.count)
    }
}
