import DataFolio
import Foundation

/// Writing to the terminal.
enum Terminal {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints `error: <message>` on standard error and exits with status 1.
    static func fail(_ message: String) -> Never {
        printError(errorLabel + " " + message)
        exit(1)
    }

    /// Whether standard input is a terminal a person can answer on.
    static var canAsk: Bool { isatty(STDIN_FILENO) != 0 }

    /// Asks a yes/no question on standard error (so standard output stays clean) and
    /// reads the answer; anything but `y`/`yes` is no.
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data((question + " [y/N] ").utf8))
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Prints a JSON value (2-space indented) on standard output.
    static func printJSON(_ value: JSONValue) {
        print(value.formatted())
    }

    /// A library error in the command line's words: the problem, then the remedy with
    /// this command's flags instead of API names.
    static func message(for error: DataFolioError) -> String {
        guard let remedy = error.remedy else { return error.problem }
        return error.problem + " " + (advice[remedy.rawValue] ?? remedy.advice)
    }

    private static let advice: [String: String] = [
        "overwrite": "Pass --overwrite to replace it.",
        "reload": "Run the command again if it still makes sense.",
        "allowExistingFolder": "Choose an empty or new folder, or pass --allow-existing to create the folio there anyway.",
        "createFolio": "Create one with 'datafolio init LOCATION', or pass -f LOCATION.",
        "chooseAnotherName": "Choose another name, or delete the existing one first.",
        "validate": "Run 'datafolio validate' to list damaged items.",
        "openWritable": "This command only reads the folio.",
        "changeTheFolio": "Leave out --snapshot to change the folio itself.",
        "createSnapshot": "Create one with 'datafolio snapshot create NAME'.",
        "registerAlias": "Register one with 'datafolio folios alias NAME PATH'.",
    ]
}

/// A command's own failure (bad arguments that the parser cannot see).
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Names given to options that take one or more names (`--inputs a,b --inputs c`).
enum NameList {
    /// The names in repeated, comma-separated values, trimmed, without empties or repeats.
    static func parse(_ values: [String]) -> [String] {
        var names = [String]()
        for value in values {
            for part in value.split(separator: ",") {
                let name = part.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty && !names.contains(name) { names.append(name) }
            }
        }
        return names
    }
}
