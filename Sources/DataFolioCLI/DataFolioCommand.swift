import ArgumentParser
import DataFolio
#if canImport(DataFolioS3)
import DataFolioS3
#endif
import Foundation

@main
struct DataFolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datafolio",
        abstract: "Show, check and manage a data folio: the tables, arrays, JSON, models and files behind one analysis.",
        discussion: """
            The folio is taken from -a/--alias (a name in the folio registry), else
            -f/--folio, else $DATAFOLIO_PATH, else the current folder. Folios are shared
            with the Python datafolio package: both read and write the same folders, and
            the same registry of aliases ($DATAFOLIO_HOME, default ~/.datafolio).
            The global options may also follow the command name.

            Examples:
              datafolio init runs/baseline -d "Baseline model" --alias baseline
              datafolio -a baseline add results.json --name results --description "Scores"
              datafolio -f runs/baseline describe
              datafolio find 'cells*' --type table
              datafolio --generate-completion-script zsh > _datafolio
            """,
        version: DataFolio.version,
        subcommands: [
            InitCommand.self, DescribeCommand.self, ListCommand.self, ShowCommand.self, HeadCommand.self, AddCommand.self,
            ExportCommand.self, DeleteCommand.self, LineageCommand.self, ValidateCommand.self, SnapshotCommand.self,
            DemoCommand.self, ReportCommand.self,
            CatCommand.self, EditCommand.self, ArchiveCommand.self, UnarchiveCommand.self, MetaCommand.self,
            CopyCommand.self, PushCommand.self, PullCommand.self, FindCommand.self, FoliosCommand.self, CacheCommand.self,
        ])

    // Global options: they are moved after the command name (or, for --color, read)
    // before parsing, so the commands see them; declared here for the help and for shell
    // completion, which completes them before the command name.
    @OptionGroup(title: "Global options") var folioOptions: FolioOptions

    @Option(name: .customLong("color"), help: "When to colour the output: auto (a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorMode?

    /// Runs the command; errors become one line on standard error and exit status 1.
    static func main() {
        #if canImport(DataFolioS3)
        RemoteStorage.register()
        #endif
        var arguments = Array(CommandLine.arguments.dropFirst())
        // Completion requests from the shell pass the words being completed as they are.
        if arguments.first != "---completion" {
            do {
                if let mode = try ColorMode.extract(from: &arguments) { Terminal.colorMode = mode }
            } catch let error as CommandFailure {
                Terminal.fail(error.message)
            } catch {
                Terminal.fail("\(error)")
            }
            arguments = GlobalOptions.hoisted(arguments)
        }
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            // Parser errors: one line, a suggestion for a mistyped command, a pointer to the help.
            let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Terminal.printError(Terminal.errorLabel + " " + message.replacingOccurrences(of: "Error: ", with: ""))
            if let suggestion = CommandSuggestions.suggestion(for: arguments) { Terminal.printError(suggestion) }
            Terminal.printError("See 'datafolio --help'.")
            Foundation.exit(1)
        }
        do {
            var runnable = command
            try runnable.run()
            RecentFolios.record()
        } catch let error as DataFolioError {
            Terminal.fail(Terminal.message(for: error))
        } catch let error as CommandFailure {
            Terminal.fail(error.message)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // Help and version requests surface here; ArgumentParser prints them.
            Self.exit(withError: error)
        }
    }
}

/// Options every command takes, which may also come before the command name
/// (`datafolio -f runs/a describe`).
enum GlobalOptions {
    /// Moves leading `-f PATH` / `--folio PATH` / `--folio=PATH` and `-a ALIAS` /
    /// `--alias ALIAS` / `--alias=ALIAS` after the command, where the command's own option
    /// group parses them.
    static func hoisted(_ arguments: [String]) -> [String] {
        var global = [String]()
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-") {
            let argument = arguments[index]
            if ["-f", "--folio", "-a", "--alias"].contains(argument), index + 1 < arguments.count {
                global += [argument, arguments[index + 1]]
                index += 2
            } else if argument.hasPrefix("--folio=") || argument.hasPrefix("--alias=") {
                global.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !global.isEmpty else { return arguments }
        var rest = Array(arguments[index...])
        if rest.isEmpty { return arguments }
        if let terminator = rest.firstIndex(of: "--") {
            rest.insert(contentsOf: global, at: terminator)
        } else {
            rest += global
        }
        return rest
    }
}

/// "Did you mean …?" for a mistyped command name.
enum CommandSuggestions {
    static func suggestion(for arguments: [String]) -> String? {
        var commands = DataFolioCommand.configuration.subcommands
        for argument in arguments where !argument.hasPrefix("-") {
            let names = commands.map { $0.configuration.commandName ?? "" }
            if let match = commands.first(where: { $0.configuration.commandName == argument }) {
                commands = match.configuration.subcommands
                if commands.isEmpty { return nil }
                continue
            }
            let nearest = NameSuggestions.nearest(to: argument, among: names)
            guard !nearest.isEmpty else { return nil }
            return "Did you mean " + nearest.map { "'\($0)'" }.joined(separator: " or ") + "?"
        }
        return nil
    }
}
