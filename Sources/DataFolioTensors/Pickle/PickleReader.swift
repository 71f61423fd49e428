import DataFolioSupport

/// A data-only reader of Python pickles (protocols 0 to 5).
///
/// Python's `pickle.load` runs whatever code a pickle names; this reader runs nothing.
/// It walks the opcodes with a bounded stack and memo and returns a ``PickleValue``
/// tree in which references to Python code are inert records. Hostile input gives a
/// `DataFolioError`, never a crash: every length is checked against the input,
/// values, memo entries and nesting depth are limited, and recursive structures are
/// refused.
///
/// ```swift
/// let value = try PickleReader().read(bytes)
///
/// // Refuse any Python global outside an allow-list instead of recording it:
/// let strict = PickleReader(globals: .allowOnly(["collections.OrderedDict"]))
/// ```
public struct PickleReader: Sendable {
    /// Bounds on the work and memory one pickle may cause.
    public struct Limits: Sendable {
        /// The deepest nesting of containers in the result.
        public var maximumDepth: Int
        /// The most values the pickle may create, and the most the result may hold
        /// once shared references are expanded.
        public var maximumValues: Int
        /// The most memo entries.
        public var maximumMemoEntries: Int

        /// Creates limits; the defaults suit state dicts and checkpoints.
        ///
        /// ```swift
        /// let reader = PickleReader(limits: PickleReader.Limits(maximumDepth: 50, maximumValues: 100_000))
        /// ```
        public init(maximumDepth: Int = 200, maximumValues: Int = 10_000_000, maximumMemoEntries: Int = 4_000_000) {
            self.maximumDepth = maximumDepth
            self.maximumValues = maximumValues
            self.maximumMemoEntries = maximumMemoEntries
        }
    }

    /// What to do with references to Python globals (classes and functions).
    public enum GlobalPolicy: Sendable {
        /// Keep every global as an inert ``PickleValue/global(module:name:)`` record.
        case keepAsData
        /// Refuse globals other than these `"module.name"` strings (and the pure-data
        /// constructors the reader understands itself) with an error.
        case allowOnly(Set<String>)
    }

    /// The pure-data constructors the reader turns into values instead of records.
    public static let dataConstructors: Set<String> = [
        "collections.OrderedDict", "builtins.set", "builtins.frozenset", "builtins.bytearray",
        "builtins.bytes", "builtins.complex", "_codecs.encode",
    ]

    /// The limits applied.
    public var limits: Limits
    /// The treatment of Python globals.
    public var globals: GlobalPolicy

    /// Creates a reader.
    ///
    /// ```swift
    /// let strict = PickleReader(globals: .allowOnly(["collections.OrderedDict", "torch._utils._rebuild_tensor_v2"]))
    /// ```
    public init(limits: Limits = Limits(), globals: GlobalPolicy = .keepAsData) {
        self.limits = limits
        self.globals = globals
    }

    /// Reads the pickle at the start of `bytes` (anything after its `STOP` is ignored).
    ///
    /// ```swift
    /// let value = try PickleReader().read(try archive.contents(named: "archive/data.pkl"))
    /// ```
    public func read(_ bytes: [UInt8]) throws(DataFolioError) -> PickleValue {
        var result: Result<PickleValue, DataFolioError> = .success(.null)
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) { result = .success(try read(raw)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Reads the pickle at the start of `bytes` (anything after its `STOP` is ignored).
    ///
    /// ```swift
    /// let value = try bytes.withUnsafeBytes { try PickleReader().read($0) }
    /// ```
    public func read(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) -> PickleValue {
        var machine = PickleMachine(bytes: bytes, reader: self)
        return try machine.run()
    }
}

// MARK: - The machine

/// The unpickling state: a stack of items, mark positions and a memo. Containers live
/// in an arena and are referred to by index, because pickles mutate containers after
/// creating and memoizing them, and because an arena frees a deeply nested structure
/// without recursion.
private struct PickleMachine {
    enum Item {
        case leaf(PickleValue)
        case node(Int)
    }

    struct ObjectNode {
        var callable: Item
        var arguments: [Item]
        var keywords: [(Item, Item)]
        var construction: PickleObject.Construction
        var state: Item?
        var listItems: [Item] = []
        var dictItems: [(Item, Item)] = []
    }

    enum Node {
        case list([Item])
        case tuple([Item])
        case dict([(Item, Item)], ordered: Bool, state: Item?)
        case set([Item])
        case frozenSet([Item])
        case object(ObjectNode)
        case persistent(Item)
        case moved
    }

    static let format = "Pickle"

    var reader: ByteReader
    let limits: PickleReader.Limits
    let allowed: Set<String>?
    var stack: [Item] = []
    var marks: [Int] = []
    var memo: [Int: Item] = [:]
    var nodes: [Node] = []
    var created = 0
    var produced = 0
    var visiting: [Bool] = []

    init(bytes: UnsafeRawBufferPointer, reader settings: PickleReader) {
        reader = ByteReader(bytes, format: PickleMachine.format)
        limits = settings.limits
        switch settings.globals {
        case .keepAsData: allowed = nil
        case .allowOnly(let names): allowed = names
        }
    }

    // MARK: Errors

    func corrupt(_ detail: String) -> DataFolioError {
        DataFolioError.corrupt(PickleMachine.format, detail)
    }

    func unsupported(_ detail: String) -> DataFolioError {
        DataFolioError.unsupported(PickleMachine.format, detail)
    }

    // MARK: Stack

    var base: Int { marks.last ?? 0 }

    mutating func count() throws(DataFolioError) {
        created += 1
        if created > limits.maximumValues {
            throw DataFolioError(
                .limitExceeded,
                "Pickle: the data creates more than \(limits.maximumValues) values. Raise PickleReader.Limits.maximumValues if the file is trusted.")
        }
    }

    mutating func push(_ value: PickleValue) throws(DataFolioError) {
        try count()
        stack.append(.leaf(value))
    }

    mutating func push(node: Node) throws(DataFolioError) {
        try count()
        nodes.append(node)
        stack.append(.node(nodes.count - 1))
    }

    mutating func pop() throws(DataFolioError) -> Item {
        guard stack.count > base else { throw corrupt("an opcode at offset \(reader.offset - 1) needs a value but the stack is empty") }
        return stack.removeLast()
    }

    func top() throws(DataFolioError) -> Item {
        guard stack.count > base, let last = stack.last else {
            throw corrupt("an opcode at offset \(reader.offset - 1) needs a value but the stack is empty")
        }
        return last
    }

    mutating func popMark() throws(DataFolioError) -> [Item] {
        guard let mark = marks.popLast() else {
            throw corrupt("an opcode at offset \(reader.offset - 1) needs a MARK but there is none")
        }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    // MARK: Reading helpers

    mutating func readLine() throws(DataFolioError) -> UnsafeRawBufferPointer {
        let start = reader.offset
        let bytes = reader.bytes
        var end = start
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        guard end < bytes.count else {
            throw DataFolioError.truncated(PickleMachine.format, "a text argument starting at offset \(start) has no end of line")
        }
        try reader.seek(to: end + 1)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    mutating func readLength(_ length: UInt64, _ what: String) throws(DataFolioError) -> Int {
        guard length <= UInt64(reader.remaining) else {
            throw DataFolioError.truncated(PickleMachine.format, "\(what) at offset \(reader.offset) claims \(length) bytes but only \(reader.remaining) remain")
        }
        return Int(length)
    }

    func utf8(_ bytes: UnsafeRawBufferPointer, _ what: String) throws(DataFolioError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw corrupt("\(what) before offset \(reader.offset) is not valid UTF-8")
        }
        return text
    }

    func decimal(_ line: UnsafeRawBufferPointer) -> String {
        String(decoding: line, as: UTF8.self).trimmingSpaces
    }

    mutating func memoIndex(_ index: Int) throws(DataFolioError) -> Item {
        guard let item = memo[index] else {
            throw corrupt("the memo has no entry \(index) (used at offset \(reader.offset))")
        }
        return item
    }

    mutating func memoize(_ index: Int) throws(DataFolioError) {
        guard index >= 0 else { throw corrupt("a negative memo index") }
        if memo[index] == nil && memo.count >= limits.maximumMemoEntries {
            throw DataFolioError(.limitExceeded, "Pickle: the data stores more than \(limits.maximumMemoEntries) memo entries.")
        }
        memo[index] = try top()
    }

    // MARK: Run

    mutating func run() throws(DataFolioError) -> PickleValue {
        typealias Op = PickleOpcode
        while true {
            let opcode = try reader.readUInt8()
            switch opcode {
            case Op.proto:
                let version = try reader.readUInt8()
                guard version <= 5 else { throw unsupported("protocol \(version) (newer than 5)") }
            case Op.frame:
                _ = try readLength(try reader.readLE(UInt64.self), "a frame")
            case Op.stop:
                let result = try pop()
                visiting = [Bool](repeating: false, count: nodes.count)
                var sizes = [Int](repeating: -1, count: nodes.count)
                _ = try expandedSize(result, depth: 0, sizes: &sizes)
                return try convert(result, depth: 0)
            case Op.mark:
                marks.append(stack.count)
            case Op.pop:
                if stack.count > base { stack.removeLast() } else { _ = try popMark() }
            case Op.popMark:
                _ = try popMark()
            case Op.dup:
                let item = try top()
                try count()
                stack.append(item)

            // Scalars
            case Op.none: try push(.null)
            case Op.newTrue: try push(.bool(true))
            case Op.newFalse: try push(.bool(false))
            case Op.binInt: try push(.int(Int64(try reader.readLE(Int32.self))))
            case Op.binInt1: try push(.int(Int64(try reader.readUInt8())))
            case Op.binInt2: try push(.int(Int64(try reader.readLE(UInt16.self))))
            case Op.long1:
                let length = try readLength(UInt64(try reader.readUInt8()), "LONG1")
                try push(integer(try reader.readArray(length)))
            case Op.long4:
                let declared = try reader.readLE(Int32.self)
                guard declared >= 0 else { throw corrupt("LONG4 has a negative length") }
                let length = try readLength(UInt64(declared), "LONG4")
                try push(integer(try reader.readArray(length)))
            case Op.binFloat:
                try push(.float(Double(bitPattern: try reader.readBE(UInt64.self))))
            case Op.int:
                let text = decimal(try readLine())
                if text == "00" { try push(.bool(false)) } else if text == "01" { try push(.bool(true)) } else {
                    try push(try parseInteger(text))
                }
            case Op.long:
                var text = decimal(try readLine())
                if text.hasSuffix("L") { text.removeLast() }
                try push(try parseInteger(text))
            case Op.float:
                let text = decimal(try readLine())
                guard let number = Double(text) else { throw corrupt("'\(text.prefix(40))' is not a float") }
                try push(.float(number))

            // Text and bytes
            case Op.binUnicode:
                let length = try readLength(UInt64(try reader.readLE(UInt32.self)), "a string")
                try push(.string(try utf8(try reader.readBytes(length), "a string")))
            case Op.shortBinUnicode:
                let length = try readLength(UInt64(try reader.readUInt8()), "a string")
                try push(.string(try utf8(try reader.readBytes(length), "a string")))
            case Op.binUnicode8:
                let length = try readLength(try reader.readLE(UInt64.self), "a string")
                try push(.string(try utf8(try reader.readBytes(length), "a string")))
            case Op.unicode:
                try push(.string(rawUnicodeEscape(try readLine())))
            case Op.binBytes:
                let length = try readLength(UInt64(try reader.readLE(UInt32.self)), "a bytes object")
                try push(.bytes(try reader.readArray(length)))
            case Op.shortBinBytes:
                let length = try readLength(UInt64(try reader.readUInt8()), "a bytes object")
                try push(.bytes(try reader.readArray(length)))
            case Op.binBytes8:
                let length = try readLength(try reader.readLE(UInt64.self), "a bytes object")
                try push(.bytes(try reader.readArray(length)))
            case Op.byteArray8:
                let length = try readLength(try reader.readLE(UInt64.self), "a bytearray")
                try push(.byteArray(try reader.readArray(length)))
            case Op.binString:
                let declared = try reader.readLE(Int32.self)
                guard declared >= 0 else { throw corrupt("BINSTRING has a negative length") }
                let length = try readLength(UInt64(declared), "a string")
                try push(legacyString(try reader.readArray(length)))
            case Op.shortBinString:
                let length = try readLength(UInt64(try reader.readUInt8()), "a string")
                try push(legacyString(try reader.readArray(length)))
            case Op.string:
                try push(legacyString(try unquote(try readLine())))

            // Containers
            case Op.emptyList: try push(node: .list([]))
            case Op.emptyTuple: try push(node: .tuple([]))
            case Op.emptyDict: try push(node: .dict([], ordered: false, state: nil))
            case Op.emptySet: try push(node: .set([]))
            case Op.list: try push(node: .list(try popMark()))
            case Op.tuple: try push(node: .tuple(try popMark()))
            case Op.frozenSet: try push(node: .frozenSet(try popMark()))
            case Op.tuple1, Op.tuple2, Op.tuple3:
                let size = Int(opcode - Op.tuple1) + 1
                guard stack.count - base >= size else { throw corrupt("TUPLE\(size) at offset \(reader.offset - 1) needs \(size) values") }
                let items = Array(stack[(stack.count - size)...])
                stack.removeLast(size)
                try push(node: .tuple(items))
            case Op.dict:
                try push(node: .dict(try pairs(try popMark(), "DICT"), ordered: false, state: nil))
            case Op.append:
                let value = try pop()
                try add(items: [value], to: try top(), "APPEND")
            case Op.appends:
                let values = try popMark()
                try add(items: values, to: try top(), "APPENDS")
            case Op.addItems:
                let values = try popMark()
                try add(items: values, to: try top(), "ADDITEMS")
            case Op.setItem:
                let value = try pop()
                let key = try pop()
                try set(pairs: [(key, value)], on: try top())
            case Op.setItems:
                let values = try popMark()
                try set(pairs: try pairs(values, "SETITEMS"), on: try top())

            // Memo
            case Op.binPut: try memoize(Int(try reader.readUInt8()))
            case Op.longBinPut: try memoize(Int(try reader.readLE(UInt32.self)))
            case Op.put:
                let text = decimal(try readLine())
                guard let index = Int(text) else { throw corrupt("'\(text.prefix(40))' is not a memo index") }
                try memoize(index)
            case Op.memoize: try memoize(memo.count)
            case Op.binGet:
                let item = try memoIndex(Int(try reader.readUInt8()))
                try count()
                stack.append(item)
            case Op.longBinGet:
                let item = try memoIndex(Int(try reader.readLE(UInt32.self)))
                try count()
                stack.append(item)
            case Op.get:
                let text = decimal(try readLine())
                guard let index = Int(text) else { throw corrupt("'\(text.prefix(40))' is not a memo index") }
                let item = try memoIndex(index)
                try count()
                stack.append(item)

            // References to Python code: recorded, never resolved.
            case Op.global:
                let module = try utf8(try readLine(), "a module name")
                let name = try utf8(try readLine(), "a global name")
                try push(try global(module, name))
            case Op.stackGlobal:
                guard case .leaf(.string(let name)) = try pop(), case .leaf(.string(let module)) = try pop() else {
                    throw corrupt("STACK_GLOBAL needs a module and a name string")
                }
                try push(try global(module, name))
            case Op.reduce:
                let arguments = try pop()
                let callable = try pop()
                try reduce(callable, arguments)
            case Op.newObj:
                let arguments = try pop()
                let cls = try pop()
                try push(node: .object(ObjectNode(
                    callable: cls, arguments: try tupleItems(arguments, "NEWOBJ"), keywords: [], construction: .newObject)))
            case Op.newObjEx:
                let keywords = try pop()
                let arguments = try pop()
                let cls = try pop()
                guard case .node(let index) = keywords, case .dict(let pairs, _, _) = nodes[index] else {
                    throw corrupt("NEWOBJ_EX needs a dict of keyword arguments")
                }
                try push(node: .object(ObjectNode(
                    callable: cls, arguments: try tupleItems(arguments, "NEWOBJ_EX"), keywords: pairs, construction: .newObject)))
            case Op.inst:
                let module = try utf8(try readLine(), "a module name")
                let name = try utf8(try readLine(), "a class name")
                let arguments = try popMark()
                let cls = try global(module, name)
                try count()
                try push(node: .object(ObjectNode(callable: .leaf(cls), arguments: arguments, keywords: [], construction: .instance)))
            case Op.obj:
                let items = try popMark()
                guard let cls = items.first else { throw corrupt("OBJ needs a class") }
                try push(node: .object(ObjectNode(callable: cls, arguments: Array(items.dropFirst()), keywords: [], construction: .instance)))
            case Op.build:
                let state = try pop()
                try build(try top(), state: state)
            case Op.binPersID:
                try push(node: .persistent(try pop()))
            case Op.persID:
                let line = try readLine()
                guard line.allSatisfy({ $0 < 0x80 }) else { throw corrupt("a persistent id is not ASCII") }
                try count()
                try push(node: .persistent(.leaf(.string(String(decoding: line, as: UTF8.self)))))

            case Op.ext1, Op.ext2, Op.ext4:
                throw unsupported("the extension registry (EXT opcodes), which names Python objects by number,")
            case Op.nextBuffer:
                throw unsupported("an out-of-band buffer (pickle protocol 5 NEXT_BUFFER)")
            case Op.readonlyBuffer:
                _ = try top()
            default:
                throw corrupt("unknown opcode 0x\(String(opcode, radix: 16)) at offset \(reader.offset - 1)")
            }
        }
    }

    // MARK: Opcode helpers

    func integer(_ bytes: [UInt8]) -> PickleValue {
        let big = PickleBigInteger(twosComplementLittleEndian: bytes)
        if let small = big.int64Value { return .int(small) }
        return .bigInteger(big)
    }

    func parseInteger(_ text: String) throws(DataFolioError) -> PickleValue {
        if let small = Int64(text) { return .int(small) }
        guard let big = PickleBigInteger(decimal: text) else { throw corrupt("'\(text.prefix(40))' is not an integer") }
        return .bigInteger(big)
    }

    /// Python 2 `str` data: text when it is UTF-8, bytes otherwise.
    func legacyString(_ bytes: [UInt8]) -> PickleValue {
        if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
        return .bytes(bytes)
    }

    /// Decodes a quoted Python 2 string literal (the `STRING` opcode).
    func unquote(_ line: UnsafeRawBufferPointer) throws(DataFolioError) -> [UInt8] {
        var bytes = Array(line)
        while let last = bytes.last, last == 0x0D || last == 0x20 { bytes.removeLast() }
        guard bytes.count >= 2, let quote = bytes.first, quote == 0x27 || quote == 0x22, bytes.last == quote else {
            throw corrupt("a STRING argument is not quoted")
        }
        let body = bytes[1..<(bytes.count - 1)]
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        while i < body.endIndex {
            let byte = body[i]
            i += 1
            guard byte == 0x5C, i < body.endIndex else {
                out.append(byte)
                continue
            }
            let escape = body[i]
            i += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "x"):
                guard i + 2 <= body.endIndex,
                      let value = UInt8(String(decoding: body[i..<(i + 2)], as: UTF8.self), radix: 16) else {
                    throw corrupt("a STRING argument has a bad \\x escape")
                }
                out.append(value)
                i += 2
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escape - 0x30)
                var digits = 1
                while digits < 3, i < body.endIndex, (0x30...0x37).contains(body[i]) {
                    value = value * 8 + Int(body[i] - 0x30)
                    i += 1
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            case 0x0A: break
            default: out.append(escape)
            }
        }
        return out
    }

    /// Decodes Python's `raw-unicode-escape` (the `UNICODE` opcode).
    func rawUnicodeEscape(_ line: UnsafeRawBufferPointer) -> String {
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < line.count {
            let byte = line[i]
            if byte == 0x5C, i + 1 < line.count, line[i + 1] == UInt8(ascii: "u") || line[i + 1] == UInt8(ascii: "U") {
                let digits = line[i + 1] == UInt8(ascii: "u") ? 4 : 8
                if i + 2 + digits <= line.count,
                   let value = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: line[(i + 2)..<(i + 2 + digits)]), as: UTF8.self), radix: 16) {
                    scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                    i += 2 + digits
                    continue
                }
            }
            scalars.append(Unicode.Scalar(byte))
            i += 1
        }
        return String(scalars)
    }

    func global(_ rawModule: String, _ name: String) throws(DataFolioError) -> PickleValue {
        // Protocol 2 pickles use Python 2 module names.
        let module: String
        switch rawModule {
        case "__builtin__": module = "builtins"
        case "copy_reg": module = "copyreg"
        default: module = rawModule
        }
        let full = "\(module).\(name)"
        if let allowed, !allowed.contains(full), !PickleReader.dataConstructors.contains(full) {
            throw DataFolioError(
                .unsupportedFeature,
                "Pickle: the data refers to the Python object '\(full)', which a data-only reader does not load. Only plain data and tensors can be read; if you trust the file, load it in Python and save it again with plain types.")
        }
        return .global(module: module, name: name)
    }

    func tupleItems(_ item: Item, _ opcode: String) throws(DataFolioError) -> [Item] {
        guard case .node(let index) = item, case .tuple(let items) = nodes[index] else {
            throw corrupt("\(opcode) needs a tuple of arguments")
        }
        return items
    }

    func pairs(_ items: [Item], _ opcode: String) throws(DataFolioError) -> [(Item, Item)] {
        guard items.count % 2 == 0 else { throw corrupt("\(opcode) has an odd number of keys and values") }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    mutating func add(items: [Item], to target: Item, _ opcode: String) throws(DataFolioError) {
        guard case .node(let index) = target else { throw corrupt("\(opcode) on a value that is not a container") }
        let isSetOpcode = opcode == "ADDITEMS"
        // The node is moved out while it changes, so its arrays are not copied.
        var node = nodes[index]
        nodes[index] = .moved
        defer { nodes[index] = node }
        switch node {
            case .list(var list) where !isSetOpcode:
                node = .moved
                list.append(contentsOf: items)
                node = .list(list)
            case .set(var set) where isSetOpcode:
                node = .moved
                set.append(contentsOf: items)
                node = .set(set)
            case .object(var object):
                node = .moved
                object.listItems.append(contentsOf: items)
                node = .object(object)
            default:
                throw corrupt("\(opcode) on a value that does not accept items")
        }
    }

    mutating func set(pairs: [(Item, Item)], on target: Item) throws(DataFolioError) {
        guard case .node(let index) = target else { throw corrupt("SETITEM on a value that is not a dict") }
        var node = nodes[index]
        nodes[index] = .moved
        defer { nodes[index] = node }
        switch node {
            case .dict(var entries, let ordered, let state):
                node = .moved
                entries.append(contentsOf: pairs)
                node = .dict(entries, ordered: ordered, state: state)
            case .object(var object):
                node = .moved
                object.dictItems.append(contentsOf: pairs)
                node = .object(object)
            default:
                throw corrupt("SETITEM on a value that is not a dict")
        }
    }

    mutating func build(_ target: Item, state: Item) throws(DataFolioError) {
        guard case .node(let index) = target else { throw unsupported("setting the state (BUILD) of a plain value") }
        var node = nodes[index]
        nodes[index] = .moved
        defer { nodes[index] = node }
        switch node {
            case .dict(let entries, let ordered, _):
                node = .dict(entries, ordered: ordered, state: state)
            case .object(var object):
                node = .moved
                object.state = state
                node = .object(object)
            default:
                throw unsupported("setting the state (BUILD) of a list, tuple or set")
        }
    }

    /// `REDUCE`: pure-data constructors become values; anything else a record.
    mutating func reduce(_ callable: Item, _ argumentsItem: Item) throws(DataFolioError) {
        let arguments = try tupleItems(argumentsItem, "REDUCE")
        if case .leaf(.global(let module, let name)) = callable,
           let value = try constructData("\(module).\(name)", arguments) {
            switch value {
            case .leaf(let leaf): try push(leaf)
            case .node: stack.append(value)
            }
            return
        }
        try push(node: .object(ObjectNode(callable: callable, arguments: arguments, keywords: [], construction: .reduce)))
    }

    func leaf(_ item: Item) -> PickleValue? {
        if case .leaf(let value) = item { return value }
        return nil
    }

    func sequence(_ item: Item) -> [Item]? {
        guard case .node(let index) = item else { return nil }
        switch nodes[index] {
        case .list(let items), .tuple(let items), .set(let items), .frozenSet(let items): return items
        default: return nil
        }
    }

    mutating func constructData(_ name: String, _ arguments: [Item]) throws(DataFolioError) -> Item? {
        switch name {
        case "collections.OrderedDict":
            if arguments.isEmpty {
                try count()
                nodes.append(.dict([], ordered: true, state: nil))
                return .node(nodes.count - 1)
            }
            guard arguments.count == 1, let items = sequence(arguments[0]) else { return nil }
            var entries: [(Item, Item)] = []
            for item in items {
                guard let pair = sequence(item), pair.count == 2 else { return nil }
                entries.append((pair[0], pair[1]))
            }
            try count()
            nodes.append(.dict(entries, ordered: true, state: nil))
            return .node(nodes.count - 1)
        case "builtins.set", "builtins.frozenset":
            let items: [Item]
            if arguments.isEmpty {
                items = []
            } else if arguments.count == 1, let elements = sequence(arguments[0]) {
                items = elements
            } else {
                return nil
            }
            try count()
            nodes.append(name == "builtins.set" ? .set(items) : .frozenSet(items))
            return .node(nodes.count - 1)
        case "builtins.bytearray", "builtins.bytes":
            var bytes: [UInt8] = []
            if arguments.count == 1, case .bytes(let data)? = leaf(arguments[0]) {
                bytes = data
            } else if !arguments.isEmpty {
                return nil
            }
            return .leaf(name == "builtins.bytes" ? .bytes(bytes) : .byteArray(bytes))
        case "_codecs.encode":
            guard arguments.count == 2, case .string(let text)? = leaf(arguments[0]),
                  case .string(let encoding)? = leaf(arguments[1]) else { return nil }
            switch encoding.lowercased() {
            case "latin1", "latin-1", "iso-8859-1":
                var bytes: [UInt8] = []
                bytes.reserveCapacity(text.unicodeScalars.count)
                for scalar in text.unicodeScalars {
                    guard scalar.value < 256 else { throw corrupt("bytes encoded as latin-1 contain a character above U+00FF") }
                    bytes.append(UInt8(scalar.value))
                }
                return .leaf(.bytes(bytes))
            case "utf-8", "utf8":
                return .leaf(.bytes(Array(text.utf8)))
            default:
                return nil
            }
        case "builtins.complex":
            func number(_ item: Item) -> Double? {
                switch leaf(item) {
                case .float(let value)?: return value
                case .int(let value)?: return Double(value)
                case .bool(let flag)?: return flag ? 1 : 0
                default: return nil
                }
            }
            if arguments.isEmpty { return .leaf(.complex(real: 0, imaginary: 0)) }
            guard arguments.count <= 2, let real = number(arguments[0]) else { return nil }
            var imaginary = 0.0
            if arguments.count == 2 {
                guard let value = number(arguments[1]) else { return nil }
                imaginary = value
            }
            return .leaf(.complex(real: real, imaginary: imaginary))
        default:
            return nil
        }
    }

    // MARK: Conversion to values

    /// The number of values `item` becomes once shared references are expanded,
    /// computed once per node so that a pickle that doubles a list forty times is
    /// refused before any work is done. Also enforces the depth limit and refuses cycles.
    mutating func expandedSize(_ item: Item, depth: Int, sizes: inout [Int]) throws(DataFolioError) -> Int {
        guard case .node(let index) = item else { return 1 }
        if sizes[index] >= 0 { return sizes[index] }
        guard depth < limits.maximumDepth else {
            throw DataFolioError(
                .limitExceeded,
                "Pickle: the data is nested more than \(limits.maximumDepth) levels deep. Raise PickleReader.Limits.maximumDepth if the file is trusted.")
        }
        guard !visiting[index] else { throw unsupported("a container that contains itself") }
        visiting[index] = true
        defer { visiting[index] = false }
        var children: [Item] = []
        switch nodes[index] {
        case .list(let items), .tuple(let items), .set(let items), .frozenSet(let items):
            children = items
        case .dict(let entries, _, let state):
            children = entries.flatMap { [$0.0, $0.1] } + (state.map { [$0] } ?? [])
        case .persistent(let id):
            children = [id]
        case .object(let object):
            children = [object.callable] + object.arguments + object.keywords.flatMap { [$0.0, $0.1] }
                + (object.state.map { [$0] } ?? []) + object.listItems + object.dictItems.flatMap { [$0.0, $0.1] }
        case .moved:
            throw corrupt("an internal inconsistency while reading")
        }
        var total = 1
        for child in children {
            total += try expandedSize(child, depth: depth + 1, sizes: &sizes)
            if total > limits.maximumValues {
                throw DataFolioError(
                    .limitExceeded,
                    "Pickle: the data expands to more than \(limits.maximumValues) values through shared references. Raise PickleReader.Limits.maximumValues if the file is trusted.")
            }
        }
        sizes[index] = total
        return total
    }

    mutating func produce() throws(DataFolioError) {
        produced += 1
        if produced > limits.maximumValues {
            throw DataFolioError(
                .limitExceeded,
                "Pickle: the data expands to more than \(limits.maximumValues) values through shared references. Raise PickleReader.Limits.maximumValues if the file is trusted.")
        }
    }

    mutating func convert(_ item: Item, depth: Int) throws(DataFolioError) -> PickleValue {
        try produce()
        switch item {
        case .leaf(let value):
            return value
        case .node(let index):
            guard depth < limits.maximumDepth else {
                throw DataFolioError(
                    .limitExceeded,
                    "Pickle: the data is nested more than \(limits.maximumDepth) levels deep. Raise PickleReader.Limits.maximumDepth if the file is trusted.")
            }
            guard !visiting[index] else {
                throw unsupported("a container that contains itself")
            }
            visiting[index] = true
            defer { visiting[index] = false }
            let next = depth + 1
            switch nodes[index] {
            case .list(let items): return .list(try convert(items, depth: next))
            case .tuple(let items): return .tuple(try convert(items, depth: next))
            case .set(let items): return .set(unique(try convert(items, depth: next)))
            case .frozenSet(let items): return .frozenSet(unique(try convert(items, depth: next)))
            case .dict(let entries, let ordered, let state):
                let converted = try convert(entries, depth: next)
                var stateValue: PickleValue?
                if let state { stateValue = try convert(state, depth: next) }
                return .dict(PickleDictionary(converted, isOrdered: ordered, state: stateValue))
            case .persistent(let id):
                return .persistentID(try convert(id, depth: next))
            case .object(let object):
                var stateValue: PickleValue?
                if let state = object.state { stateValue = try convert(state, depth: next) }
                return .object(PickleObject(
                    callable: try convert(object.callable, depth: next),
                    arguments: try convert(object.arguments, depth: next),
                    keywordArguments: try convert(object.keywords, depth: next),
                    construction: object.construction,
                    state: stateValue,
                    listItems: try convert(object.listItems, depth: next),
                    dictionaryItems: try convert(object.dictItems, depth: next)))
            case .moved:
                throw corrupt("an internal inconsistency while reading")
            }
        }
    }

    mutating func convert(_ items: [Item], depth: Int) throws(DataFolioError) -> [PickleValue] {
        var values: [PickleValue] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try convert(item, depth: depth)) }
        return values
    }

    /// Converts dictionary entries; a repeated key keeps its first position and takes the last value, as in Python.
    mutating func convert(_ pairs: [(Item, Item)], depth: Int) throws(DataFolioError) -> [PicklePair] {
        var entries: [PicklePair] = []
        entries.reserveCapacity(pairs.count)
        var positions: [PickleValue: Int] = [:]
        for (keyItem, valueItem) in pairs {
            let key = try convert(keyItem, depth: depth)
            let value = try convert(valueItem, depth: depth)
            if let position = positions[key] {
                entries[position].value = value
            } else {
                positions[key] = entries.count
                entries.append(PicklePair(key, value))
            }
        }
        return entries
    }

    func unique(_ values: [PickleValue]) -> [PickleValue] {
        var seen = Set<PickleValue>()
        return values.filter { seen.insert($0).inserted }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\r" || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\r" || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
