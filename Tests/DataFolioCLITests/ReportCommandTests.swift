import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("The report and lineage drawing commands")
struct ReportCommandTests {
    static func folio(in temp: TemporaryFolder) throws -> String {
        let path = temp.path("f")
        let folio = try DataFolio(at: path)
        try folio.add("raw", ["rows": 3], description: "Raw <data>")
        try folio.add("clean", try Table([Column(name: "x", [1, 2, 3] as [Int64])]), inputs: ["raw"])
        return path
    }

    @Test func reportGoesToReportHTMLInTheCurrentFolder() throws {
        let temp = TemporaryFolder("cli-report")
        let folio = try Self.folio(in: temp)
        let result = try CLI.run(["-f", folio, "report"], in: temp.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("✓ Wrote a report of 2 items to report.html ("))
        let html = try String(contentsOfFile: temp.path("report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("Raw &lt;data&gt;") && html.contains("<svg"))
        // A report it wrote is replaced without asking.
        #expect(try CLI.run(["-f", folio, "report"], in: temp.path).status == 0)
    }

    @Test func reportRefusesToReplaceOtherFiles() throws {
        let temp = TemporaryFolder("cli-report-other")
        let folio = try Self.folio(in: temp)
        try Data("my notes".utf8).write(to: temp.url.appendingPathComponent("notes.html"))
        let refused = try CLI.run(["-f", folio, "report", "--to", "notes.html"], in: temp.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already exists and is not a DataFolio report; pass --force"))
        #expect(try String(contentsOfFile: temp.path("notes.html"), encoding: .utf8) == "my notes")
        let forced = try CLI.run(["-f", folio, "report", "--to", "notes.html", "--force"], in: temp.path)
        #expect(forced.status == 0)
        // Never through a link.
        try FileManager.default.createSymbolicLink(atPath: temp.path("link.html"), withDestinationPath: temp.path("notes.html"))
        let linked = try CLI.run(["-f", folio, "report", "--to", "link.html", "--force"], in: temp.path)
        #expect(linked.status == 1 && linked.stderr.contains("symbolic link"))
        let missingFolder = try CLI.run(["-f", folio, "report", "--to", temp.path("nope/r.html")])
        #expect(missingFolder.status == 1 && missingFolder.stderr.contains("does not exist"))
    }

    @Test func reportOfASnapshot() throws {
        let temp = TemporaryFolder("cli-report-snapshot")
        let path = try Self.folio(in: temp)
        let folio = try DataFolio(at: path)
        try folio.createSnapshot("v1", capture: [])
        try folio.add("later", 1)
        let result = try CLI.run(["-f", path, "report", "--snapshot", "v1", "--to", temp.path("v1.html")])
        #expect(result.status == 0)
        let html = try String(contentsOfFile: temp.path("v1.html"), encoding: .utf8)
        #expect(html.contains("<small>snapshot v1</small>") && !html.contains("data-name=\"later\""))
        let unknown = try CLI.run(["-f", path, "report", "--snapshot", "v9", "--to", temp.path("v9.html")])
        #expect(unknown.status == 1 && !FileManager.default.fileExists(atPath: temp.path("v9.html")))
    }

    @Test func openSaysSoWhenNoOpenerExists() throws {
        let temp = TemporaryFolder("cli-report-open")
        let folio = try Self.folio(in: temp)
        try FileManager.default.createDirectory(atPath: temp.path("empty-bin"), withIntermediateDirectories: true)
        let result = try CLI.run(["-f", folio, "report", "--open"], in: temp.path, environment: ["PATH": temp.path("empty-bin")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("found to open the report; open ") && result.stderr.contains("report.html in a browser"))
        // With an opener, it is called with the report's path.
        let opener = temp.path("bin/xdg-open")
        try FileManager.default.createDirectory(atPath: temp.path("bin"), withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho \"$1\" > \"\(temp.path("opened.txt"))\"\n".utf8).write(to: URL(fileURLWithPath: opener))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: opener)
        #if os(Linux)
        let opened = try CLI.run(["-f", folio, "report", "--open"], in: temp.path, environment: ["PATH": temp.path("bin")])
        #expect(opened.status == 0 && opened.stdout.contains("Opened it with xdg-open."))
        #expect(try String(contentsOfFile: temp.path("opened.txt"), encoding: .utf8).hasSuffix("report.html\n"))
        #endif
    }

    @Test func lineageAsSVGAndHTML() throws {
        let temp = TemporaryFolder("cli-lineage-svg")
        let folio = try Self.folio(in: temp)
        let svg = try CLI.run(["-f", folio, "lineage", "--format", "svg"])
        #expect(svg.status == 0)
        #expect(svg.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.stdout.contains("data-name=\"raw\"") && svg.stdout.contains("data-from=\"raw\" data-to=\"clean\""))
        #expect(!svg.stdout.contains("<html"))
        let html = try CLI.run(["-f", folio, "lineage", "--format", "html"])
        #expect(html.status == 0)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("<h1>Lineage of f</h1>") && html.stdout.contains("<svg"))
    }
}
