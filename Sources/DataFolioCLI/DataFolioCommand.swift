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
            InitCommand.self, DescribeCommand.self, ListCommand.self, ShowCommand.self, HeadCommand.self, AddCommand.self,
            ExportCommand.self, DeleteCommand.self, LineageCommand.self, ValidateCommand.self, SnapshotCommand.self,
            DemoCommand.self, ReportCommand.self,
        ])

    /// Runs the command; errors become one line on standard error and exit status 1.
    static func main() {
        let arguments = hoistingGlobalFolioOption(Array(CommandLine.arguments.dropFirst()))
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            // Parser errors: one line, a pointer to the help, status 1.
            let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Terminal.printError("error: " + message.replacingOccurrences(of: "Error: ", with: ""))
            Terminal.printError("See 'datafolio --help'.")
            Foundation.exit(1)
        }
        do {
            var runnable = command
            try runnable.run()
        } catch let error as DataFolioError {
            Terminal.fail(error.message)
        } catch let error as CommandFailure {
            Terminal.fail(error.message)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // Help and version requests surface here; ArgumentParser prints them.
            Self.exit(withError: error)
        }
    }

    /// `datafolio -f PATH <command> …`: the folio option may come before the command
    /// name; it is passed on through `DATAFOLIO_PATH`, which it overrides.
    static func hoistingGlobalFolioOption(_ arguments: [String]) -> [String] {
        var remaining = [String]()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if !argument.hasPrefix("-") { break }
            if argument == "-f" || argument == "--folio", index + 1 < arguments.count {
                setenv("DATAFOLIO_PATH", arguments[index + 1], 1)
                index += 2
                continue
            }
            if argument.hasPrefix("--folio=") {
                setenv("DATAFOLIO_PATH", String(argument.dropFirst(8)), 1)
                index += 1
                continue
            }
            remaining.append(argument)
            index += 1
        }
        return remaining + arguments[index...]
    }
}
