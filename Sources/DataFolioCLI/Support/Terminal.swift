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
