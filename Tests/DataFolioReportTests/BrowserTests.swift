import DataFolio
import DataFolioReport
import DataFolioTestSupport
import Foundation
import Testing

/// The report opened in a real browser: headless Chromium renders it, runs its script,
/// and hands back the resulting DOM or a screenshot. One browser launch per test.
@Suite("Report in Chromium", .serialized, .browser)
struct BrowserTests {
    static func demoReport(in temp: TemporaryFolder) throws -> (folio: DataFolio, page: URL) {
        let folio = try TestFolios.demo(in: temp)
        let page = temp.url.appendingPathComponent("report.html")
        try Data(try folio.report().utf8).write(to: page)
        return (folio, page)
    }

    @Test func renderedPageShowsEveryItemTheGraphAndTableRowsAndFilters() throws {
        let temp = TemporaryFolder("browser-dom")
        let (folio, report) = try Self.demoReport(in: temp)
        // Once loaded, type two queries into the filter box and note what it reported.
        let probe = """
            <script>addEventListener('load',function(){var box=document.getElementById('filter');\
            var count=document.getElementById('filter-count');\
            box.value='kind:json';box.dispatchEvent(new Event('input'));\
            document.body.setAttribute('data-by-kind',count.textContent);\
            box.value='READINGS';box.dispatchEvent(new Event('input'));\
            document.body.setAttribute('data-by-text',count.textContent);});</script>
            """
        let page = temp.url.appendingPathComponent("report-probe.html")
        let html = try String(contentsOf: report, encoding: .utf8)
        try Data(html.replacingOccurrences(of: "</body>", with: probe + "</body>").utf8).write(to: page)
        let output = try Chromium.run(["--dump-dom"], page: page)
        #expect(output.status == 0)
        let dom = output.stdout
        #expect(dom.contains("</html>"), "the browser printed no page")
        for entry in folio.items {
            #expect(dom.contains("data-name=\"\(entry.name)\" data-kind="), "card or node of \(entry.name)")
            #expect(dom.contains(">\(entry.name)</a></h3>"), "card title of \(entry.name)")
        }
        // The lineage graph is inline SVG with one box per item.
        #expect(dom.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dfl\""))
        #expect(dom.components(separatedBy: "class=\"dfl-node ").count - 1 == folio.items.count)
        // The first rows of the stored table.
        #expect(dom.contains("<td title=\"2025-11-26T12:00:00Z\">2025-11-26T12:00:00Z</td>"))
        #expect(dom.contains("<td>2.25</td><td title=\"2025-11-26T13:00:00Z\">"))
        #expect(dom.contains("<td class=\"null\">null</td>"))
        // The script ran: it showed the filter box, which narrows cards by kind and by
        // text (descriptions of raw and clean mention readings) and dims the other nodes.
        #expect(dom.contains("<input id=\"filter\" type=\"search\""))
        #expect(!dom.contains("aria-label=\"Filter items\" hidden"))
        let total = folio.items.count
        #expect(dom.contains("data-by-kind=\"3 of \(total) items\""))
        #expect(dom.contains("data-by-text=\"2 of \(total) items\""))
        #expect(dom.contains("data-name=\"clean\" data-kind=\"table\">"))
        #expect(dom.contains("data-name=\"settings\" data-kind=\"json\" hidden=\"\">"))
        #expect(dom.contains("class=\"dfl-node dfl-k-json dfl-dim\""))
        #expect(dom.contains("class=\"dfl-node dfl-k-table\" href=\"#item-clean\""))
    }

    @Test func screenshotIsNotBlank() throws {
        let temp = TemporaryFolder("browser-shot")
        let (_, page) = try Self.demoReport(in: temp)
        let shot = temp.url.appendingPathComponent("shot.png")
        let output = try Chromium.run(["--screenshot=\(shot.path)", "--window-size=1280,1600"], page: page)
        #expect(output.status == 0)
        let image = try PNGImage(decoding: Array(try Data(contentsOf: shot)))
        #expect(image.width == 1280 && image.height == 1600)
        let counts = image.colorCounts
        let background = counts.max { $0.value < $1.value }?.value ?? 0
        // Text, kind colours and the graph: many colours, and much of the page not background.
        #expect(counts.count > 50, "\(counts.count) colours")
        #expect(Double(image.pixels.count - background) / Double(image.pixels.count) > 0.05)
        if let keep = ProcessInfo.processInfo.environment["DATAFOLIO_REPORT_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
        }
    }

    @Test func twoThousandItemReportRenderTime() throws {
        let large = try LargeFolio.shared()
        // The same report, with a probe that forces style and layout once loaded and
        // records the time since navigation started.
        let probe = """
            <script>addEventListener('load',function(){document.body.getBoundingClientRect();\
            var h=document.documentElement.scrollHeight;\
            document.body.setAttribute('data-render-ms',String(Math.round(performance.now())));\
            document.body.setAttribute('data-height',String(h));});</script>
            """
        let page = large.folder.url.appendingPathComponent("report-probe.html")
        try Data(large.html.replacingOccurrences(of: "</body>", with: probe + "</body>").utf8).write(to: page)
        let output = try Chromium.run(["--dump-dom"], page: page)
        #expect(output.status == 0)
        let dom = output.stdout
        let milliseconds = dom.components(separatedBy: "data-render-ms=\"").dropFirst().first?.prefix { $0.isNumber }
        #expect(milliseconds != nil, "the probe did not run")
        #expect(dom.components(separatedBy: "<article class=\"card").count - 1 == 2_000)
        print("Chromium: report of 2,000 items (\(large.html.utf8.count) bytes) loaded, styled and laid out in \(milliseconds ?? "?") ms; "
            + "browser process \(String(format: "%.2f", output.seconds)) s in all")
    }
}
