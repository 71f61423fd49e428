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
        printError("error: " + message)
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
}

/// A command's own failure (bad arguments that the parser cannot see).
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
