/// The one error type thrown by every DataFolio module.
///
/// An error has a ``code`` that programs can switch on and a ``message`` written for
/// the person at the keyboard: what went wrong, and what to do about it.
///
/// ```swift
/// do {
///     let run: RunSettings = try folio.get("run")
/// } catch let error as DataFolioError where error.code == .itemNotFound {
///     print(error.message)   // "No item named 'run' in this folio. …"
/// }
/// ```
///
/// Codes are extensible: a module can add its own with `static let` in an extension
/// of ``Code``.
public struct DataFolioError: Error, Sendable, Equatable, CustomStringConvertible {
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

    /// What kind of failure this is.
    public var code: Code
    /// A sentence (or a few) that says what went wrong and what to do.
    public var message: String
    /// The file, folder or item the error is about, when there is one.
    public var path: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
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
