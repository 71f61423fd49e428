import Foundation

/// The one error type thrown by every DataFolio module.
///
/// An error has a ``code`` that programs can switch on and a ``message`` written for
/// the person at the keyboard: what went wrong, and what to do about it. The advice
/// part is also available as a ``remedy``, so a program (the `datafolio` command, for
/// one) can give it in its own words.
///
/// ```swift
/// do {
///     let run = try folio.get("run", as: RunSettings.self)
/// } catch where error.code == .itemNotFound {
///     print("no run recorded yet")
/// } catch {
///     print(error.localizedDescription)   // the message, not Foundation's generic text
/// }
/// ```
///
/// Codes are extensible: a module can add its own with `static let` in an extension
/// of ``Code``.
public struct DataFolioError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable identifier, e.g. `"itemNotFound"`; also used in JSON output of the CLI.
        public let rawValue: String

        /// Creates a code with a stable identifier.
        public init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

    }

    /// What the person can do about an error, independent of how it is phrased: the
    /// library words it in API terms (``advice``), the `datafolio` command in its flags.
    /// (A class, so that the error stays small: typed errors are copied often.)
    ///
    /// ```swift
    /// if error.remedy == .overwrite { try folio.add("x", table, overwrite: true) }
    /// ```
    public final class Remedy: Hashable, Sendable {
        /// A stable identifier, e.g. `"overwrite"`.
        public let rawValue: String
        /// The advice in the library's terms, e.g. "Pass overwrite: true to replace it."
        public let advice: String

        /// Creates a remedy with a stable identifier and its advice.
        public init(_ rawValue: String, advice: String) {
            self.rawValue = rawValue
            self.advice = advice
        }

        public static func == (lhs: Remedy, rhs: Remedy) -> Bool { lhs.rawValue == rhs.rawValue }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    }

    // One reference: typed errors are copied through every `throws(DataFolioError)`
    // frame, and a one-word error is the cheapest (and most robust) to pass.
    private var storage: Storage

    private final class Storage: Sendable {
        let code: Code
        let problem: String
        let remedy: Remedy?
        let path: String?
        let location: Location?

        init(code: Code, problem: String, remedy: Remedy?, path: String?, location: Location?) {
            self.code = code
            self.problem = problem
            self.remedy = remedy
            self.path = path
            self.location = location
        }
    }

    /// What kind of failure this is.
    public var code: Code {
        get { storage.code }
        set { storage = Storage(code: newValue, problem: problem, remedy: remedy, path: path, location: location) }
    }
    /// What went wrong, without advice.
    public var problem: String {
        get { storage.problem }
        set { storage = Storage(code: code, problem: newValue, remedy: remedy, path: path, location: location) }
    }
    /// What to do about it, when there is a standard remedy.
    public var remedy: Remedy? {
        get { storage.remedy }
        set { storage = Storage(code: code, problem: problem, remedy: newValue, path: path, location: location) }
    }
    /// The file, folder or item the error is about, when there is one.
    public var path: String? {
        get { storage.path }
        set { storage = Storage(code: code, problem: problem, remedy: remedy, path: newValue, location: location) }
    }
    /// Where in the data the error is, for errors about one value of a file (a CSV field,
    /// a JSON member): programs use it to word their own advice.
    public var location: Location? {
        get { storage.location }
        set { storage = Storage(code: code, problem: problem, remedy: remedy, path: path, location: newValue) }
    }

    /// The place in a data file an error is about: which line, which column, which value.
    ///
    /// A command-line tool can turn it into advice in its own words, for example
    /// "pass `--dtype zip=string`" where the library's message names the API option:
    ///
    /// ```swift
    /// do {
    ///     while let batch = try reader.next() { try sink.write(batch) }
    /// } catch {
    ///     if let column = error.location?.column, let line = error.location?.line {
    ///         print("line \(line): '\(error.location?.value ?? "")' does not fit column \(column)")
    ///     }
    /// }
    /// ```
    public struct Location: Sendable, Hashable {
        /// The 1-based line of the input where the value starts.
        public var line: Int?
        /// The name of the column (or field) holding the value.
        public var column: String?
        /// The value's text as it appears in the input (shortened when very long).
        public var value: String?

        /// Creates a location; every part is optional.
        public init(line: Int? = nil, column: String? = nil, value: String? = nil) {
            self.line = line
            self.column = column
            self.value = value
        }
    }

    /// Creates an error.
    ///
    /// ```swift
    /// throw DataFolioError(.invalidArgument, "The shape has a negative size.", path: "weights.npy")
    /// ```
    ///
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: What went wrong (and, when `remedy` is `nil`, what to do).
    ///   - path: The file or object the error is about, if any.
    ///   - remedy: A standard remedy, whose advice is appended to the message.
    ///   - location: Where in the data the error is, for errors about one value.
    public init(_ code: Code, _ message: String, path: String? = nil, remedy: Remedy? = nil, location: Location? = nil) {
        storage = Storage(code: code, problem: message, remedy: remedy, path: path, location: location)
    }

    /// The whole text: the problem, then the advice.
    public var message: String {
        get {
            guard let remedy else { return problem }
            return problem + " " + remedy.advice
        }
        set {
            storage = Storage(code: code, problem: newValue, remedy: nil, path: path, location: location)
        }
    }

    public static func == (lhs: DataFolioError, rhs: DataFolioError) -> Bool {
        lhs.code == rhs.code && lhs.problem == rhs.problem && lhs.remedy == rhs.remedy && lhs.path == rhs.path
            && lhs.location == rhs.location
    }

    public var description: String { message }

    /// The message, so that `localizedDescription` (what most logging prints) says what
    /// happened.
    public var errorDescription: String? { message }
    /// The advice, when there is a standard remedy.
    public var recoverySuggestion: String? { remedy?.advice }
}

extension DataFolioError.Code {
    // Input data (files, bytes) that cannot be understood.
    /// The bytes end before the structure they describe is complete.
    public static let truncatedData = Self("truncatedData")
    /// The bytes contradict the format's rules (bad magic, lying length, bad checksum).
    public static let corruptData = Self("corruptData")
    /// The data is valid but uses a feature this library does not handle.
    public static let unsupportedFeature = Self("unsupportedFeature")
    /// A size or count in the data exceeds what this library accepts.
    public static let limitExceeded = Self("limitExceeded")

    // Caller mistakes.
    /// An argument is out of range or inconsistent with another.
    public static let invalidArgument = Self("invalidArgument")
    /// A value cannot be converted to or from the requested Swift type.
    public static let typeMismatch = Self("typeMismatch")

    // File system.
    /// A file or folder does not exist.
    public static let fileNotFound = Self("fileNotFound")
    /// A file system call failed (permissions, disk full, …).
    public static let ioFailure = Self("ioFailure")

    // Concurrent writers.
    /// A conditional write was refused because the object changed (or appeared) since it
    /// was read: another writer got there first. Re-read and try again.
    public static let preconditionFailed = Self("preconditionFailed")
}

extension DataFolioError {
    /// A truncated-input error for a format: "<format>: <what> ends early …".
    public static func truncated(_ format: String, _ detail: String) -> DataFolioError {
        DataFolioError(.truncatedData, "\(format): \(detail). The file is truncated or damaged.")
    }

    /// A corrupt-input error for a format.
    public static func corrupt(_ format: String, _ detail: String) -> DataFolioError {
        DataFolioError(.corruptData, "\(format): \(detail). The file is damaged or not a \(format) file.")
    }

    /// An unsupported-feature error for a format.
    public static func unsupported(_ format: String, _ detail: String) -> DataFolioError {
        DataFolioError(.unsupportedFeature, "\(format): \(detail) is not supported.")
    }
}
