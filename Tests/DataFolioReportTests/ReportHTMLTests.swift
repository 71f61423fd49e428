import DataFolio
import DataFolioReport
import DataFolioTestSupport
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Report HTML and SVG")
struct ReportHTMLTests {
    static let hostile = "<script>alert('x')</script>\"&amp;\u{1}\u{FFFF}"

    @Test func escapingCoversEveryCharacterThatMatters() {
        #expect(Markup.escape("<b>\"a&b\"</b>'") == "&lt;b&gt;&quot;a&amp;b&quot;&lt;/b&gt;&#39;")
        #expect(Markup.escape("plain text, é ✓") == "plain text, é ✓")
        #expect(Markup.escape("tab\tnew\nline\r") == "tab\tnew\nline\r")
        #expect(Markup.escape("a\u{0}b\u{1B}c\u{FFFE}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        #expect(Markup.anchor("item", "runs/a b") == "item-runs_2f_a_20_b")
        #expect(Markup.anchor("item", "a_2f_") != Markup.anchor("item", "a/"))
        #expect(Markup.anchor("item", "x\"><script>").allSatisfy { $0.isLetter || $0.isNumber || "-._".contains($0) })
    }

    /// A report built by hand with hostile text everywhere users can put text.
    static var hostileModel: ReportModel {
        let name = "evil" + hostile
        return ReportModel(
            header: ReportHeader(title: hostile, location: hostile, metadata: [ReportField(key: hostile, value: hostile)]),
            items: [
                ReportItem(
                    name: name, kind: .table, description: hostile, inputs: [hostile, "json" + hostile], dependents: ["json" + hostile],
                    preview: .table(TablePreview(
                        rowCount: 1, columns: [TableColumnSummary(name: hostile, type: hostile, nullCount: 0, minimum: hostile, maximum: hostile)],
                        statisticsSource: .data, headRows: [[hostile]], note: hostile))),
                ReportItem(name: "json" + hostile, kind: .json, inputs: [name], preview: .json(JSONPreview(text: "{\"k\": \"</pre>\(hostile)\"}", typeName: hostile))),
                ReportItem(name: "file", kind: .file, preview: .file(FilePreview(category: hostile, fileName: hostile, content: .text(hostile, omittedBytes: 0)))),
                ReportItem(name: "model", kind: .model, preview: .model(ModelPreview(
                    modelType: hostile, hyperparameters: [ReportField(key: hostile, value: hostile)],
                    tensors: TensorListPreview(tensors: [TensorSummary(name: hostile, dtype: hostile, shape: [1], byteCount: 4)], totalCount: 1, totalBytes: 4)))),
                ReportItem(name: "unreadable", kind: .other, typeName: hostile, preview: .unavailable(hostile)),
            ],
            snapshots: [ReportSnapshot(
                name: hostile, timestamp: hostile, description: hostile, tags: [hostile], itemCount: 1,
                changes: ReportChanges(from: hostile, to: hostile, added: [hostile], metadataChanges: [ReportMetadataChange(key: hostile, old: hostile, new: nil)]))],
            notes: [hostile])
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        let html = Self.hostileModel.html()
        // The page's own script is the only one; no raw markup from the data survives.
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(!html.contains("alert('x')"))
        #expect(html.contains("&quot;&lt;/pre&gt;&lt;script&gt;"))
        #expect(!html.contains("\u{1}") && !html.contains("\u{FFFF}"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;amp;"))
        // The cycle between the two items is drawn, and the missing input shown as such.
        #expect(html.contains("dfl-back"))
        #expect(html.contains("dfl-k-missing"))

        // The standalone SVG of the same hostile names is well-formed XML.
        let svg = Self.hostileModel.lineage.svg()
        #expect(try Self.parsesAsXML(svg))
        #expect(!svg.contains("<script"))
    }

    static func parsesAsXML(_ text: String) throws -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        let ok = parser.parse()
        if !ok { Issue.record("XML error: \(String(describing: parser.parserError))") }
        return ok
    }

    @Test func pagesLoadNothingFromTheNetwork() throws {
        let temp = TemporaryFolder("report-offline")
        let folio = try TestFolios.demo(in: temp)
        for page in [try folio.report(), try folio.lineageDiagram().htmlDocument(title: "Lineage"), try folio.lineageDiagram().svg()] {
            // No element or style refers to anything outside the page; the only
            // pictures are data: URLs. (Locations such as file:///… appear as text.)
            let markup = page.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            for reference in ["=\"http", "='http", "=\"//", "@import", "<link", "<iframe", "<object", "<embed", "<base"] {
                #expect(!markup.contains(reference), "\(reference)")
            }
            for target in markup.components(separatedBy: "url(").dropFirst() {
                #expect(target.hasPrefix("#"))
            }
            for source in page.components(separatedBy: " src=\"").dropFirst() {
                #expect(source.hasPrefix("data:image/"))
            }
            for link in page.components(separatedBy: " href=\"").dropFirst() {
                #expect(link.hasPrefix("#"))
            }
        }
        let report = try folio.report()
        #expect(report.contains("Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"))
        #expect(report.contains("prefers-color-scheme:dark") && report.contains("@media print"))
        #expect(ReportModel.isReportPage(Array(report.utf8)))
        #expect(!ReportModel.isReportPage(Array("<!DOCTYPE html><title>mine</title>".utf8)))
        #expect(try Self.parsesAsXML(try folio.lineageDiagram().svg()))
    }

    @Test func everyItemHasACardAndAGraphNodeLinkingToIt() throws {
        let temp = TemporaryFolder("report-cards")
        let folio = try TestFolios.demo(in: temp)
        let html = try folio.report()
        for entry in folio.items {
            let anchor = Markup.anchor("item", entry.name)
            #expect(html.contains("<article class=\"card k-"))
            #expect(html.contains("id=\"\(anchor)\""), "card of \(entry.name)")
            #expect(html.contains("<a class=\"dfl-node dfl-k-") && html.contains("href=\"#\(anchor)\" data-name=\"\(entry.name)\""), "node of \(entry.name)")
        }
        // The filter box is there but hidden until the script shows it.
        #expect(html.contains("<input id=\"filter\" type=\"search\"") && html.contains("aria-label=\"Filter items\" hidden>"))
        // The lineage page and SVG draw the same nodes, without links.
        let svg = try folio.lineageDiagram().svg()
        #expect(svg.hasPrefix("<?xml") && !svg.contains("<a "))
        #expect(svg.components(separatedBy: "class=\"dfl-node ").count - 1 == folio.items.count)
        #expect(svg.contains("class=\"dfl-node dfl-k-table\" data-name=\"clean\""))
        #expect(svg.components(separatedBy: "<path class=\"dfl-edge").count - 1 == folio.items.reduce(0) { $0 + $1.inputs.count })
    }

    @Test func cyclesInACatalogAreDrawn() throws {
        // The catalog lets an item name inputs that are its own dependents.
        let temp = TemporaryFolder("report-cycle")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("a", 1, inputs: ["c"])
        try folio.add("b", 2, inputs: ["a"])
        try folio.add("c", 3, inputs: ["b", "gone"])
        try folio.add("d", 4)
        // An item listing itself: only a hand edit of the catalog can make one.
        let catalogURL = URL(fileURLWithPath: temp.path("f/items.json"))
        let edited = try String(contentsOf: catalogURL, encoding: .utf8)
            .replacingOccurrences(of: "\"name\": \"d\",", with: "\"name\": \"d\",\n      \"inputs\": [\"d\"],")
        try edited.write(to: catalogURL, atomically: true, encoding: .utf8)
        try folio.refresh()
        #expect(try folio.inputs(of: "d") == ["d"])
        let layout = try folio.lineageDiagram().layout()
        #expect(layout.edges.count == 5 && layout.edges.filter { $0.isReversed }.count == 1 && layout.edges.filter { $0.isSelfLoop }.count == 1)
        let html = try folio.report()
        #expect(html.contains("dfl-back") && html.contains("dfl-loop") && html.contains("gone (missing)"))
    }

    @Test func largeGraphsGetANoteInsteadOfADrawing() {
        let items = (0..<30).map { ReportItem(name: "i\($0)", kind: .json, inputs: $0 > 0 ? ["i\($0 - 1)"] : []) }
        let model = ReportModel(header: ReportHeader(title: "t", location: "/t"), items: items)
        #expect(model.html().contains("<svg"))
        let limited = model.html(graphNodeLimit: 20)
        #expect(!limited.contains("<svg xmlns") && limited.contains("not drawn here"))
    }

    @Test func twoThousandItemsStayUnderFiveMegabytes() throws {
        let large = try LargeFolio.shared()
        let bytes = large.html.utf8.count
        print("Report of \(large.itemCount) items: \(bytes) bytes (\(String(format: "%.2f", Double(bytes) / 1_048_576)) MB); folio built in \(large.buildTime), report in \(large.reportTime)")
        #expect(large.itemCount == 2_000)
        #expect(bytes < 5_000_000)
        // Every item has its card and its node; previews were shortened, not dropped.
        #expect(large.html.components(separatedBy: "<article class=\"card").count - 1 == 2_000)
        #expect(large.html.components(separatedBy: "class=\"dfl-node ").count - 1 == 2_000)
        #expect(large.html.contains("Previews are shortened"))
        #expect(large.html.contains("<img class=\"preview\""))
    }
}

/// The 2,000-item folio and its report, built once for the size test and the browser test.
enum LargeFolio {
    struct Built: Sendable {
        var folder: TemporaryFolder
        var html: String
        var itemCount: Int
        var buildTime: Duration
        var reportTime: Duration
    }

    private static let built: Result<Built, Error> = Result {
        let temp = TemporaryFolder.forTheWholeRun("report-large")
        let clock = ContinuousClock()
        var folio: DataFolio?
        let buildTime = try clock.measure { folio = try TestFolios.large(count: 2_000, in: temp) }
        guard let folio else { throw InteropError("the large folio was not built") }
        var html = ""
        let reportTime = try clock.measure { html = try folio.report() }
        return Built(folder: temp, html: html, itemCount: folio.items.count, buildTime: buildTime, reportTime: reportTime)
    }

    static func shared() throws -> Built { try built.get() }
}
