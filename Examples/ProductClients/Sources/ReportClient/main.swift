import DataFolio
import DataFolioReport
import Foundation

// The HTML report of a small folio.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-client-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }
do {
    let folio = try DataFolio(at: folder.path)
    try folio.add("raw", try Table([Column(name: "x", [1, 2] as [Int64])]))
    try folio.add("summary", json: ["mean": 1.5], inputs: ["raw"])
    let html = try folio.report()
    let svg = try folio.lineageDiagram().svg()
    guard html.contains("summary"), svg.contains("<svg") else {
        print("ReportClient: the report misses the items or the lineage drawing")
        exit(1)
    }
    print("ReportClient: ok (\(html.utf8.count) bytes of HTML)")
} catch {
    print("ReportClient: \(error.localizedDescription)")
    exit(1)
}
