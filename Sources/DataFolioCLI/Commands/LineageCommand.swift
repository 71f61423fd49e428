import ArgumentParser
import DataFolio
import Foundation

struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Show which items were made from which.",
        discussion: """
            Examples:
              datafolio lineage
              datafolio lineage --format dot | dot -Tpng > lineage.png
              datafolio lineage --format mermaid
              datafolio lineage --format svg > lineage.svg
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case tree, dot, mermaid, svg, html
    }

    @OptionGroup var folioOptions: FolioOptions

    @Option(help: "Output format: tree, dot (Graphviz), mermaid, svg (a layered drawing) or html (the drawing in a page).")
    var format: Format = .tree

    @Flag(help: "Print JSON: [{\"name\", \"type\", \"inputs\", \"dependents\"}] in catalog order.")
    var json = false

    func run() throws {
        let folio = try folioOptions.open(readOnly: true)
        let graph = folio.lineage
        if json {
            Terminal.printJSON(LineageJSON.document(graph, of: folio))
            return
        }
        let text: String
        switch format {
        case .tree: text = graph.tree
        case .dot: text = graph.dot
        case .mermaid: text = graph.mermaid
        case .svg: text = try ReportOutput.lineageSVG(folio)
        case .html: text = try ReportOutput.lineageHTML(folio)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
