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

    /// The width to fit output to: `$COLUMNS`, else the terminal's width when standard
    /// output is one, else 120.
    static var width: Int {
        if let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? ""), columns > 0 { return columns }
        var size = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 120
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
        if remedy.rawValue == "csvColumnType" {
            // The column is known, so the flag can be given whole.
            let argument = shellWord((error.location?.column ?? "COLUMN") + "=string")
            return error.problem + " Pass --dtype \(argument) (or another type that holds the value) to choose the column's type."
        }
        return error.problem + " " + (advice[remedy.rawValue] ?? remedy.advice)
    }

    /// `text` as one word for a POSIX shell: as it is when that is safe, else single-quoted.
    static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_-.,=/:@+%".unicodeScalars.contains(scalar))
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
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
