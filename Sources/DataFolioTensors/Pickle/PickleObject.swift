/// An object a pickle constructs by calling Python code: recorded, never built.
///
/// For `os.system('ls')` pickled as a `REDUCE`, ``callable`` is
/// `.global(module: "os", name: "system")` and ``arguments`` is `[.string("ls")]`.
public struct PickleObject: Sendable, Hashable {
    /// How the pickle asks for the object to be made.
    public enum Construction: Sendable, Hashable {
        /// `callable(*arguments)` (the `REDUCE` opcode).
        case reduce
        /// `cls.__new__(cls, *arguments, **keywordArguments)` (`NEWOBJ`, `NEWOBJ_EX`).
        case newObject
        /// A class instance of protocols 0 and 1 (`INST`, `OBJ`).
        case instance
    }

    /// The class or function, usually a ``PickleValue/global(module:name:)``.
    public var callable: PickleValue
    /// The positional arguments.
    public var arguments: [PickleValue]
    /// The keyword arguments (`NEWOBJ_EX` only).
    public var keywordArguments: [PicklePair]
    /// How the object is made.
    public var construction: Construction
    /// The state passed to `__setstate__` (the `BUILD` opcode), if any.
    public var state: PickleValue?
    /// Items the pickle appends to the object (`APPEND`, `APPENDS`).
    public var listItems: [PickleValue]
    /// Items the pickle stores into the object (`SETITEM`, `SETITEMS`).
    public var dictionaryItems: [PicklePair]

    /// Creates an object record.
    ///
    /// ```swift
    /// let record = PickleObject(callable: .global(module: "argparse", name: "Namespace"), keywordArguments: [PicklePair(.string("lr"), .float(0.01))])
    /// ```
    public init(
        callable: PickleValue, arguments: [PickleValue] = [], keywordArguments: [PicklePair] = [],
        construction: Construction = .reduce, state: PickleValue? = nil,
        listItems: [PickleValue] = [], dictionaryItems: [PicklePair] = []
    ) {
        self.callable = callable
        self.arguments = arguments
        self.keywordArguments = keywordArguments
        self.construction = construction
        self.state = state
        self.listItems = listItems
        self.dictionaryItems = dictionaryItems
    }

    /// `"module.name"` of the callable when it is a global.
    public var callableName: String? {
        if case .global(let module, let name) = callable { return "\(module).\(name)" }
        return nil
    }
}
