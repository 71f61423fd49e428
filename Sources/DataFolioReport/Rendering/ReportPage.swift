extension ReportModel {
    /// The report as one self-contained HTML page: style, script and pictures are
    /// inline and nothing is loaded from the network (a Content-Security-Policy
    /// forbids it), so the file can be mailed, attached to a CI run or kept in the
    /// folio. It follows the reader's light or dark setting, prints cleanly, and is
    /// fully readable with scripts off (the script only adds the filter box).
    ///
    /// ```swift
    /// let html = try ReportModel(folio: folio).html()
    /// try html.write(toFile: "report.html", atomically: true, encoding: .utf8)
    /// ```
    public func html(graph options: LineageDiagram.Options? = nil, graphNodeLimit: Int = ReportLimits().graphNodes) -> String {
        var page = ReportPage()
        page.document(self, graph: options, graphNodeLimit: graphNodeLimit)
        return page.out
    }
}

extension ReportModel {
    /// Whether the first bytes of a file are those of a page this module wrote (a
    /// report or a lineage page), so a command may replace it without asking.
    ///
    /// ```swift
    /// let head = Array(try Data(contentsOf: url).prefix(1024))
    /// if ReportModel.isReportPage(head) { /* safe to overwrite */ }
    /// ```
    public static func isReportPage(_ head: [UInt8]) -> Bool {
        let text = String(decoding: head.prefix(2048), as: UTF8.self)
        return text.hasPrefix("<!DOCTYPE html>") && text.contains("<meta name=\"generator\" content=\"\(ReportPage.generator)\">")
    }
}

/// Writes report pages.
struct ReportPage {
    var out = String()

    /// The page's `generator` meta value, by which a command recognises a report it may replace.
    static let generator = "DataFolio report"

    /// The lineage drawing alone in a page.
    static func lineageDocument(title: String, svg: String, itemCount: Int) -> String {
        var page = ReportPage()
        page.head(title: title)
        page.out += "<body>\n<div class=\"wrap\"><h1>\(Markup.escape(title))</h1>"
        page.out += "<p class=\"note\">\(itemCount) item\(itemCount == 1 ? "" : "s"); arrows point from inputs to what was made from them.</p>\n"
        page.out += "<div class=\"graph\">\n" + svg + "</div></div>\n</body>\n</html>\n"
        return page.out
    }

    mutating func head(title: String) {
        out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Nothing may come from the network: only inline style and script, and data: pictures.
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        out += "<meta name=\"generator\" content=\"\(ReportPage.generator)\">\n"
        out += "<title>\(Markup.escape(title))</title>\n<style>\n" + ReportStyle.css + "</style>\n</head>\n"
    }

    mutating func document(_ model: ReportModel, graph options: LineageDiagram.Options?, graphNodeLimit: Int) {
        let header = model.header
        out.reserveCapacity(16_384 + model.items.count * 2_400)
        head(title: "Folio " + header.title + (header.snapshot.map { " — snapshot " + $0 } ?? ""))
        out += "<body>\n<header class=\"wrap\">\n"
        out += "<h1>\(Markup.escape(header.title))"
        if let snapshot = header.snapshot { out += " <small>snapshot \(Markup.escape(snapshot))</small>" }
        out += "</h1>\n<p class=\"where\">\(Markup.escape(header.location))</p>\n<ul class=\"counts\">"
        out += "<li><b>\(model.items.count)</b> item\(model.items.count == 1 ? "" : "s")</li>"
        for (kind, count) in model.countsByKind {
            out += "<li class=\"k-\(kind.rawValue)\"><span class=\"badge\">\(Markup.escape(kind.displayName))</span>\(count)</li>"
        }
        out += "<li><b>\(model.snapshots.count)</b> snapshot\(model.snapshots.count == 1 ? "" : "s")</li>"
        if let size = header.totalSize { out += "<li><b>\(ByteSize.text(size))</b> of data</li>" }
        if let revision = header.revision { out += "<li>revision \(revision)</li>" }
        out += "</ul>\n"
        if !header.metadata.isEmpty {
            out += "<details class=\"metadata\" open><summary>Metadata (\(header.metadata.count))</summary><dl>"
            for field in header.metadata {
                out += "<dt>\(Markup.escape(field.key))</dt><dd><code>\(Markup.escape(field.value))</code></dd>"
            }
            out += "</dl></details>\n"
        }
        out += "</header>\n"
        out += "<nav class=\"bar\"><div class=\"wrap\"><a href=\"#lineage\">Lineage</a><a href=\"#items\">Items</a>"
        out += "<a href=\"#snapshots\">Snapshots</a>"
        out += "<input id=\"filter\" type=\"search\" placeholder=\"Filter by name, kind or text (kind:table)\" aria-label=\"Filter items\" hidden>"
        out += "<span id=\"filter-count\" aria-live=\"polite\"></span></div></nav>\n<main class=\"wrap\">\n"

        out += "<section id=\"lineage\"><h2>Lineage</h2>\n"
        if model.items.isEmpty {
            out += "<p class=\"note\">This folio has no items yet.</p>\n"
        } else if model.items.count > graphNodeLimit {
            out += "<p class=\"note\">The graph of \(model.items.count) items is not drawn here (the report draws up to \(graphNodeLimit)); "
            out += "<code>datafolio lineage --format svg</code> draws it on its own.</p>\n"
        } else {
            var graphOptions = options ?? LineageDiagram.Options()
            graphOptions.linksToCards = true
            out += "<p class=\"note\">Arrows point from inputs to what was made from them; click a box to see the item.</p>\n"
            out += "<div class=\"graph\">\n" + model.lineage.inlineSVG(graphOptions) + "</div>\n"
        }
        out += "</section>\n"

        let known = Set(model.items.map(\.name))
        out += "<section id=\"items\"><h2>Items</h2>\n<div class=\"cards\">\n"
        for item in model.items {
            var card = ItemCard(known: known)
            card.render(item)
            out += card.out
        }
        out += "</div>\n</section>\n"

        out += "<section id=\"snapshots\"><h2>Snapshots</h2>\n"
        var timeline = SnapshotTimeline(known: known)
        timeline.render(model.snapshots, pending: model.changesSinceNewestSnapshot)
        out += timeline.out
        out += "</section>\n</main>\n<footer class=\"wrap\">"
        var made = "Made"
        if let generator = header.generator { made += " by " + Markup.escape(generator) }
        if let time = header.generatedAt { made += " at <time datetime=\"\(Markup.escape(time))\">\(Markup.escape(time))</time>" }
        out += made + "."
        for note in model.notes { out += " " + Markup.escape(note) }
        out += "</footer>\n<script>\n" + ReportStyle.script + "</script>\n</body>\n</html>\n"
    }
}
