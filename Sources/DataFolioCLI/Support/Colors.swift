import ArgumentParser
import Foundation

/// When output is coloured: `--color auto|always|never` (anywhere on the command line),
/// and the `NO_COLOR` convention (https://no-color.org): with `auto`, colours only go to a
/// terminal, and not at all when `NO_COLOR` is set to anything but the empty string.
enum ColorMode: String, CaseIterable, ExpressibleByArgument {
    case auto, always, never

    /// Removes `--color MODE` / `--color=MODE` from the arguments (before a `--`) and
    /// returns the last mode given.
    static func extract(from arguments: inout [String]) throws -> ColorMode? {
        var mode: ColorMode?
        var kept = [String]()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                kept += arguments[index...]
                break
            }
            var value: String?
            if argument == "--color" {
                guard index + 1 < arguments.count else { throw CommandFailure("--color needs a value: auto, always or never.") }
                value = arguments[index + 1]
                index += 2
            } else if argument.hasPrefix("--color=") {
                value = String(argument.dropFirst("--color=".count))
                index += 1
            } else {
                kept.append(argument)
                index += 1
                continue
            }
            guard let parsed = value.flatMap(ColorMode.init(rawValue:)) else {
                throw CommandFailure("--color takes auto, always or never, not '\(value ?? "")'.")
            }
            mode = parsed
        }
        arguments = kept
        return mode
    }
}

/// Terminal text styles (SGR codes).
enum TextStyle: String {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case magenta = "35"
    case cyan = "36"
}

extension Terminal {
    nonisolated(unsafe) static var colorMode = ColorMode.auto

    /// Whether text written to standard output (or standard error) gets colours.
    static func usesColor(standardError: Bool = false) -> Bool {
        switch colorMode {
        case .always: return true
        case .never: return false
        case .auto: return standardError ? autoColorOnStandardError : autoColorOnStandardOutput
        }
    }

    // Worked out once: neither the environment nor the streams change while a command runs,
    // and a listing asks for every line.
    private static let autoColorOnStandardOutput = autoColor(STDOUT_FILENO)
    private static let autoColorOnStandardError = autoColor(STDERR_FILENO)

    private static func autoColor(_ stream: Int32) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(stream) != 0
    }

    /// `text` in `styles` when the stream gets colours, else as it is.
    static func paint(_ text: String, _ styles: TextStyle..., standardError: Bool = false) -> String {
        guard !styles.isEmpty, !text.isEmpty, usesColor(standardError: standardError) else { return text }
        return "\u{1B}[" + styles.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    /// The `error:` prefix of messages on standard error.
    static var errorLabel: String { paint("error:", .bold, .red, standardError: true) }
}
