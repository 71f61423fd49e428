import ArgumentParser
import DataFolio
import Foundation

@main
struct DataFolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datafolio",
        abstract: "Show, check and manage a data folio: the tables, arrays, JSON, models and files behind one analysis.",
        discussion: """
            The folio is taken from -f/--folio, else from $DATAFOLIO_PATH, else the current folder.
            Folios are shared with the Python datafolio package: both read and write the same folders.

            Examples:
              datafolio init runs/baseline -d "Baseline model"
              datafolio -f runs/baseline add results.json --name results --description "Scores"
              datafolio -f runs/baseline describe
              datafolio -f runs/baseline validate
            """,
        version: DataFolio.version,
        subcommands: [
            InitCommand.self, DescribeCommand.self, ListCommand.self, ShowCommand.self, AddCommand.self,
            ExportCommand.self, DeleteCommand.self, LineageCommand.self, ValidateCommand.self,
        ])

    /// Runs the command; errors become one line on standard error and exit status 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as DataFolioError {
            Terminal.fail(error.message)
        } catch let error as CommandFailure {
            Terminal.fail(error.message)
        } catch {
            exit(withError: error)
        }
    }
}
