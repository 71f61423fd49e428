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
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case tree, dot, mermaid
    }

    @OptionGroup var folioOptions: FolioOptions

    @Option(help: "Output format: tree, dot (Graphviz) or mermaid.")
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
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
