import DataFolioSupport

/// Writes ``PickleValue`` trees as Python pickles of protocol 2, the protocol
/// `torch.save` uses by default and every Python 3 can read.
///
/// Records of Python code (``PickleValue/global(module:name:)`` and
/// ``PickleValue/object(_:)``) are written back as the same references, so a value
/// read by ``PickleReader`` can be written again unchanged.
///
/// ```swift
/// let bytes = try PickleWriter().serialize(.dict(PickleDictionary([
///     PicklePair(.string("epoch"), .int(3)),
///     PicklePair(.string("loss"), .float(0.25)),
/// ])))
/// ```
public struct PickleWriter: Sendable {
    /// The deepest nesting written.
    public var maximumDepth: Int

    /// Creates a writer.
    ///
    /// ```swift
    /// let writer = PickleWriter(maximumDepth: 64)
    /// ```
    public init(maximumDepth: Int = 200) {
        self.maximumDepth = maximumDepth
    }

    /// The pickle of `value`: `PROTO 2`, the value, `STOP`.
    ///
    /// ```swift
    /// let bytes = try PickleWriter().serialize(.list([.int(1), .string("two")]))
    /// let back = try PickleReader().read(bytes)
    /// ```
    ///
    /// - Throws: `DataFolioError` when the value nests deeper than ``maximumDepth`` or
    ///   uses keyword arguments, which protocol 2 cannot express.
    public func serialize(_ value: PickleValue) throws(DataFolioError) -> [UInt8] {
        var encoder = PickleEncoder(maximumDepth: maximumDepth)
        encoder.out.append(PickleOpcode.proto)
        encoder.out.append(2)
        try encoder.save(value, depth: 0)
        encoder.out.append(PickleOpcode.stop)
        return encoder.out.bytes
    }
}

private struct PickleEncoder {
    typealias Op = PickleOpcode
    let maximumDepth: Int
    var out = ByteWriter(capacity: 1024)
    // Strings and globals repeat in tensor pickles ("storage", "cpu", the rebuild
    // function), so they are written once and fetched from the memo afterwards.
    var memo: [PickleValue: Int] = [:]
    static let batchSize = 1000

    init(maximumDepth: Int) {
        self.maximumDepth = maximumDepth
    }

    mutating func save(_ value: PickleValue, depth: Int) throws(DataFolioError) {
        guard depth <= maximumDepth else {
            throw DataFolioError(.limitExceeded, "Pickle: the value is nested more than \(maximumDepth) levels deep and cannot be written.")
        }
        let next = depth + 1
        switch value {
        case .null:
            out.append(Op.none)
        case .bool(let flag):
            out.append(flag ? Op.newTrue : Op.newFalse)
        case .int(let number):
            saveInteger(number)
        case .bigInteger(let number):
            saveLong(number.littleEndianBytes)
        case .float(let number):
            out.append(Op.binFloat)
            out.appendBE(number.bitPattern)
        case .complex(let real, let imaginary):
            try saveReduce(.global(module: "builtins", name: "complex"), [.float(real), .float(imaginary)], depth: next)
        case .string(let text):
            if fetch(value) { return }
            let utf8 = Array(text.utf8)
            guard utf8.count <= Int(UInt32.max) else {
                throw DataFolioError(.limitExceeded, "Pickle protocol 2 cannot hold a string of \(utf8.count) bytes.")
            }
            out.append(Op.binUnicode)
            out.appendLE(UInt32(truncatingIfNeeded: utf8.count))
            out.append(contentsOf: utf8)
            remember(value)
        case .bytes(let bytes):
            // Protocol 2 has no bytes opcode; Python writes a call that rebuilds them.
            if bytes.isEmpty {
                try saveReduce(.global(module: "builtins", name: "bytes"), [], depth: next)
            } else {
                let latin1 = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
                try saveReduce(.global(module: "_codecs", name: "encode"), [.string(latin1), .string("latin1")], depth: next)
            }
        case .byteArray(let bytes):
            try saveReduce(.global(module: "builtins", name: "bytearray"), bytes.isEmpty ? [] : [.bytes(bytes)], depth: next)
        case .list(let items):
            out.append(Op.emptyList)
            try appendItems(items, depth: next)
        case .tuple(let items):
            try saveTuple(items, depth: next)
        case .dict(let dictionary):
            if dictionary.isOrdered {
                try save(.global(module: "collections", name: "OrderedDict"), depth: next)
                out.append(Op.emptyTuple)
                out.append(Op.reduce)
            } else {
                out.append(Op.emptyDict)
            }
            try setItems(dictionary.entries, depth: next)
            if let state = dictionary.state {
                try save(state, depth: next)
                out.append(Op.build)
            }
        case .set(let items):
            try saveReduce(.global(module: "builtins", name: "set"), [.list(items)], depth: next)
        case .frozenSet(let items):
            try saveReduce(.global(module: "builtins", name: "frozenset"), [.list(items)], depth: next)
        case .global(let module, let name):
            if fetch(value) { return }
            let pythonTwoModule: String
            switch module {
            case "builtins": pythonTwoModule = "__builtin__"
            case "copyreg": pythonTwoModule = "copy_reg"
            default: pythonTwoModule = module
            }
            guard !pythonTwoModule.utf8.contains(0x0A), !name.utf8.contains(0x0A) else {
                throw DataFolioError(.invalidArgument, "A Python global name cannot contain a line break.")
            }
            out.append(Op.global)
            out.append(utf8: pythonTwoModule + "\n" + name + "\n")
            remember(value)
        case .object(let object):
            try save(object.callable, depth: next)
            try saveTuple(object.arguments, depth: next)
            switch object.construction {
            case .reduce, .instance:
                out.append(Op.reduce)
            case .newObject:
                guard object.keywordArguments.isEmpty else {
                    throw DataFolioError(.unsupportedFeature, "Pickle protocol 2 cannot express keyword arguments to a constructor.")
                }
                out.append(Op.newObj)
            }
            if !object.listItems.isEmpty { try appendItems(object.listItems, depth: next) }
            if !object.dictionaryItems.isEmpty { try setItems(object.dictionaryItems, depth: next) }
            if let state = object.state {
                try save(state, depth: next)
                out.append(Op.build)
            }
        case .persistentID(let id):
            try save(id, depth: next)
            out.append(Op.binPersID)
        }
    }

    mutating func fetch(_ value: PickleValue) -> Bool {
        guard let index = memo[value] else { return false }
        if index < 256 {
            out.append(Op.binGet)
            out.append(UInt8(index))
        } else {
            out.append(Op.longBinGet)
            out.appendLE(UInt32(index))
        }
        return true
    }

    mutating func remember(_ value: PickleValue) {
        guard memo.count < Int(UInt32.max) else { return }
        let index = memo.count
        memo[value] = index
        if index < 256 {
            out.append(Op.binPut)
            out.append(UInt8(index))
        } else {
            out.append(Op.longBinPut)
            out.appendLE(UInt32(index))
        }
    }

    mutating func saveInteger(_ number: Int64) {
        if number >= 0 && number <= 0xFF {
            out.append(Op.binInt1)
            out.append(UInt8(number))
        } else if number >= 0 && number <= 0xFFFF {
            out.append(Op.binInt2)
            out.appendLE(UInt16(number))
        } else if number >= Int64(Int32.min) && number <= Int64(Int32.max) {
            out.append(Op.binInt)
            out.appendLE(Int32(number))
        } else {
            saveLong(PickleBigInteger(number).littleEndianBytes)
        }
    }

    mutating func saveLong(_ bytes: [UInt8]) {
        if bytes.count < 256 {
            out.append(Op.long1)
            out.append(UInt8(bytes.count))
        } else {
            out.append(Op.long4)
            out.appendLE(Int32(truncatingIfNeeded: bytes.count))
        }
        out.append(contentsOf: bytes)
    }

    mutating func saveTuple(_ items: [PickleValue], depth: Int) throws(DataFolioError) {
        switch items.count {
        case 0:
            out.append(Op.emptyTuple)
        case 1...3:
            for item in items { try save(item, depth: depth) }
            out.append(Op.tuple1 + UInt8(items.count - 1))
        default:
            out.append(Op.mark)
            for item in items { try save(item, depth: depth) }
            out.append(Op.tuple)
        }
    }

    mutating func saveReduce(_ callable: PickleValue, _ arguments: [PickleValue], depth: Int) throws(DataFolioError) {
        try save(callable, depth: depth)
        try saveTuple(arguments, depth: depth)
        out.append(Op.reduce)
    }

    mutating func appendItems(_ items: [PickleValue], depth: Int) throws(DataFolioError) {
        var start = 0
        while start < items.count {
            let batch = items[start..<min(start + PickleEncoder.batchSize, items.count)]
            if batch.count == 1 {
                try save(batch[batch.startIndex], depth: depth)
                out.append(Op.append)
            } else {
                out.append(Op.mark)
                for item in batch { try save(item, depth: depth) }
                out.append(Op.appends)
            }
            start += batch.count
        }
    }

    mutating func setItems(_ entries: [PicklePair], depth: Int) throws(DataFolioError) {
        var start = 0
        while start < entries.count {
            let batch = entries[start..<min(start + PickleEncoder.batchSize, entries.count)]
            if batch.count == 1 {
                try save(batch[batch.startIndex].key, depth: depth)
                try save(batch[batch.startIndex].value, depth: depth)
                out.append(Op.setItem)
            } else {
                out.append(Op.mark)
                for pair in batch {
                    try save(pair.key, depth: depth)
                    try save(pair.value, depth: depth)
                }
                out.append(Op.setItems)
            }
            start += batch.count
        }
    }
}
