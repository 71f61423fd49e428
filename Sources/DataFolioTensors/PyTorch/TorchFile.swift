import DataFolioNumPy
import DataFolioSupport
import DataFolioZip

/// Reads and writes PyTorch `.pt` files (the zip format of `torch.save`, PyTorch 1.6
/// and later) without Python.
///
/// Reading is data-only: the archive's pickle is interpreted by ``PickleReader``, which
/// never runs code; tensors are rebuilt from their storages (shared storages, views
/// with offsets and transposed strides become contiguous `NDArray`s with the right
/// values; storages stored in place share the file's memory map). Writing produces the
/// layout `torch.save` does, which `torch.load(path, weights_only=True)` loads.
///
/// ```swift
/// // A state dict:
/// var weights = TensorDictionary()
/// weights["fc.weight"] = try NDArray(shape: [2, 2], [1, 0, 0, 1] as [Float])
/// try TorchFile.write(.stateDictionary(weights), to: "model.pt")
///
/// // Any checkpoint structure:
/// let checkpoint = try TorchFile.read(at: "checkpoint.pt")
/// print(checkpoint["epoch"]?.intValue ?? 0, try checkpoint.stateDictionary().names)
/// ```
public enum TorchFile {
    static let format = "PyTorch"

    // MARK: Reading

    /// Reads a `.pt` file by memory-mapping it.
    ///
    /// ```swift
    /// let checkpoint = try TorchFile.read(at: "checkpoint.pt")
    /// print(checkpoint["epoch"]?.intValue ?? 0)
    /// ```
    ///
    /// - Throws: `DataFolioError` for damaged files, legacy (pre-1.6) or TorchScript
    ///   files, sparse or quantized tensors, and (unless
    ///   ``TorchReadOptions/allowsOpaqueObjects``) references to arbitrary Python objects.
    public static func read(at path: String, options: TorchReadOptions = TorchReadOptions()) throws(DataFolioError) -> TorchValue {
        try read(mapping: try MappedFile(path: path), path: path, options: options)
    }

    /// Decodes a mapped `.pt` file; tensors share the mapping.
    package static func read(mapping file: MappedFile, path: String, options: TorchReadOptions = TorchReadOptions()) throws(DataFolioError) -> TorchValue {
        do {
            try checkContainer(file.bytes)
            let archive = try ZipArchive(mapping: file)
            return try decode(archive, mappedFile: file, options: options)
        } catch {
            var located = error
            located.path = located.path ?? path
            throw located
        }
    }

    /// Reads the bytes of a `.pt` file.
    ///
    /// ```swift
    /// let value = try TorchFile.read(bytes: bytes, options: TorchReadOptions(allowsOpaqueObjects: true))
    /// ```
    public static func read(bytes: [UInt8], options: TorchReadOptions = TorchReadOptions()) throws(DataFolioError) -> TorchValue {
        try bytes.withUnsafeBytesTyped { raw throws(DataFolioError) in try checkContainer(raw) }
        let archive = try ZipArchive(bytes: bytes)
        return try decode(archive, mappedFile: nil, options: options)
    }

    /// Recognizes the files `torch.load` reads that are not zip archives.
    static func checkContainer(_ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B { return }
        if bytes.first == 0x80 || (bytes.count > 262 && Array(bytes[257..<262]) == Array("ustar".utf8)) {
            throw DataFolioError(
                .unsupportedFeature,
                "PyTorch: this file uses the legacy serialization of PyTorch before 1.6, which this library does not read. Load it with torch.load in a recent PyTorch and save it again (torch.save writes the zip format).")
        }
        throw DataFolioError.corrupt(format, "the file does not start with a zip archive header")
    }

    static func decode(_ archive: ZipArchive, mappedFile: MappedFile?, options: TorchReadOptions) throws(DataFolioError) -> TorchValue {
        guard let first = archive.entries.first, let prefix = first.name.split(separator: "/").first.map(String.init),
              first.name.contains("/")
        else {
            throw DataFolioError.corrupt(format, "the archive has no top-level folder")
        }
        guard let pickleEntry = archive.entry(named: "\(prefix)/data.pkl") else {
            if archive.entry(named: "\(prefix)/constants.pkl") != nil || archive.entries.contains(where: { $0.name.hasPrefix("\(prefix)/code/") }) {
                throw DataFolioError(
                    .unsupportedFeature,
                    "PyTorch: this is a TorchScript archive (torch.jit.save), which holds code. Save the model's state_dict() with torch.save to read its weights.")
            }
            throw DataFolioError.corrupt(format, "the archive has no \(prefix)/data.pkl record")
        }
        var bigEndian = false
        if let orderEntry = archive.entry(named: "\(prefix)/byteorder") {
            let text = String(decoding: try archive.contents(of: orderEntry, maximumSize: 16), as: UTF8.self)
            switch text.trimmingWhitespace {
            case "little": bigEndian = false
            case "big": bigEndian = true
            default: throw DataFolioError.corrupt(format, "the byteorder record says '\(text.prefix(16))'")
            }
        }
        let pickle = try archive.contents(of: pickleEntry, maximumSize: options.maximumPickleSize)
        let reader = PickleReader(
            limits: options.pickleLimits,
            globals: options.allowsOpaqueObjects ? .keepAsData : .allowOnly(TorchDecoder.allowedGlobals))
        let tree = try reader.read(pickle)

        var decoder = TorchDecoder(bigEndian: bigEndian) { key throws(DataFolioError) in
            guard let entry = archive.entry(named: "\(prefix)/data/\(key)") else {
                throw DataFolioError.corrupt(format, "the archive has no record for storage '\(key)'")
            }
            if let file = mappedFile, let range = archive.storedDataRange(of: entry) {
                return TorchRecord(mapping: file, offset: range.lowerBound, count: range.count)
            }
            return TorchRecord(bytes: try archive.contents(of: entry))
        }
        return try decoder.decode(tree)
    }

    // MARK: Writing

    /// Writes `value` as a `.pt` file in PyTorch's zip layout, streaming tensor data to
    /// disk; the file at `path` is replaced atomically, and tensors memory-mapped from
    /// the old file stay valid.
    ///
    /// ```swift
    /// try TorchFile.write(.stateDictionary(weights), to: "model.pt")
    /// ```
    public static func write(_ value: TorchValue, to path: String, options: TorchWriteOptions = TorchWriteOptions()) throws(DataFolioError) {
        let name = try archiveName(options.archiveName ?? defaultArchiveName(for: path))
        let sink = try AtomicFileSink(path: path)
        do {
            let zip = ZipWriter(writingTo: sink.writer, options: .pytorch)
            try encode(value, archiveName: name, into: zip)
            try zip.finish()
        } catch {
            sink.abandon()
            throw error
        }
        try sink.finish(sync: options.sync)
    }

    /// Streams `value` as a `.pt` file into an output (a file, a folio payload, memory).
    ///
    /// ```swift
    /// let output = MemoryOutput()
    /// try TorchFile.write(.stateDictionary(weights), to: output, archiveName: "net")
    /// ```
    public static func write(_ value: TorchValue, to writer: any ByteOutput, archiveName: String = "archive") throws(DataFolioError) {
        let name = try self.archiveName(archiveName)
        let zip = ZipWriter(writingTo: writer, options: .pytorch)
        try encode(value, archiveName: name, into: zip)
        try zip.finish()
    }

    /// The bytes of a `.pt` file holding `value`.
    ///
    /// ```swift
    /// let bytes = try TorchFile.serialized(.stateDictionary(weights))
    /// let back = try TorchFile.read(bytes: bytes).stateDictionary()
    /// ```
    public static func serialized(_ value: TorchValue, options: TorchWriteOptions = TorchWriteOptions()) throws(DataFolioError) -> [UInt8] {
        let name = try archiveName(options.archiveName ?? "archive")
        let zip = ZipWriter(options: .pytorch)
        try encode(value, archiveName: name, into: zip)
        return try zip.finish()
    }

    static func defaultArchiveName(for path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file.isEmpty ? "archive" : file }
        return String(file[..<dot])
    }

    static func archiveName(_ name: String) throws(DataFolioError) -> String {
        guard !name.isEmpty, !name.contains("/"), !name.contains("\\") else {
            throw DataFolioError(.invalidArgument, "The archive name '\(name)' must be a non-empty name without slashes.")
        }
        return name
    }

    /// The alignment of every record's data, which lets `torch.load(mmap=True)` map
    /// storages in place; PyTorch records it in `.storage_alignment`.
    static let storageAlignment = 64

    /// Adds the records of `value` to `zip` in the order `torch.save` writes them: the
    /// pickle, format and byte-order records, the storages, then version and id.
    static func encode(_ value: TorchValue, archiveName: String, into zip: ZipWriter) throws(DataFolioError) {
        var encoder = TorchEncoder()
        let tree = try encoder.encode(value)
        let pickle = try PickleWriter().serialize(tree)

        func record(_ name: String, _ bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
            try zip.addEntry(named: "\(archiveName)/\(name)", contents: bytes, method: .stored, alignment: storageAlignment)
        }
        func record(_ name: String, _ bytes: [UInt8]) throws(DataFolioError) {
            try zip.addEntry(named: "\(archiveName)/\(name)", contents: bytes, method: .stored, alignment: storageAlignment)
        }
        try record("data.pkl", pickle)
        try record(".format_version", Array("1".utf8))
        try record(".storage_alignment", Array(String(storageAlignment).utf8))
        try record("byteorder", Array("little".utf8))
        for (index, array) in encoder.storages.enumerated() {
            let canonical = array.nativeByteOrder().rowMajor()
            try canonical.withUnsafeBytes { raw throws(DataFolioError) in try record("data/\(index)", raw) }
        }
        try record("version", Array("3\n".utf8))
        try record(".data/serialization_id", Array(serializationID().utf8))
    }

    /// Forty decimal digits, as PyTorch records to tell saved files apart.
    static func serializationID() -> String {
        func twenty(_ value: UInt64) -> String {
            let digits = String(value)
            return String(repeating: "0", count: 20 - digits.count) + digits
        }
        return twenty(UInt64.random(in: 0...UInt64.max)) + twenty(UInt64.random(in: 0...UInt64.max))
    }
}

extension TorchValue {
    /// A state dict: an `OrderedDict` of tensors by name, as `nn.Module.state_dict()` returns.
    ///
    /// ```swift
    /// let value = TorchValue.stateDictionary(weights)   // an OrderedDict of tensors
    /// try TorchFile.write(value, to: "model.pt")
    /// ```
    public static func stateDictionary(_ tensors: TensorDictionary) -> TorchValue {
        .dict(TorchDictionary(tensors.map { TorchPair(.string($0.name), .tensor(TorchTensor($0.array))) }, isOrdered: true))
    }
}

extension Array where Element == UInt8 {
    func withUnsafeBytesTyped<R>(_ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        let result: Result<R, DataFolioError> = withUnsafeBytes { raw in
            do throws(DataFolioError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
