import DataFolioJSON
import DataFolioNumPy
import DataFolioSupport

/// The contents of a `.safetensors` file: named tensors and a string-to-string metadata map.
///
/// The format is an 8-byte little-endian header length, a JSON header that gives each
/// tensor's dtype, shape and byte range, and the tensor data. Reading a file memory-maps
/// it, so the tensors share the file's pages instead of being copied; the header is
/// validated as the format's specification requires before any tensor is created.
///
/// ```swift
/// var file = SafetensorsFile()
/// file.tensors["embedding"] = try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float])
/// file.metadata["format"] = "pt"
/// try file.write(to: "weights.safetensors")
///
/// let loaded = try SafetensorsFile(contentsOf: "weights.safetensors")
/// print(loaded.tensors.names, loaded.metadata)
/// ```
public struct SafetensorsFile: Sendable, Equatable {
    /// The tensors, in the order of the file's header.
    public var tensors: TensorDictionary
    /// The free-form `__metadata__` map of the header.
    public var metadata: [String: String]

    /// The largest header accepted, as in the reference implementation (100 MB).
    public static let maximumHeaderSize = 100_000_000

    static let format = "safetensors"

    /// Creates file contents from tensors and metadata.
    ///
    /// ```swift
    /// let file = SafetensorsFile(tensors: weights, metadata: ["format": "pt"])
    /// let bytes = try file.serialized()
    /// ```
    public init(tensors: TensorDictionary = TensorDictionary(), metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads a `.safetensors` file by memory-mapping it; the tensors share the mapping.
    ///
    /// ```swift
    /// let file = try SafetensorsFile(contentsOf: "model.safetensors")   // memory-mapped
    /// print(file.tensors.names.prefix(3))
    /// ```
    ///
    /// - Throws: `DataFolioError` when the file cannot be read or breaks the format's rules.
    public init(contentsOf path: String) throws(DataFolioError) {
        try self.init(mapping: try MappedFile(path: path), path: path)
    }

    /// Decodes a mapped `.safetensors` file; the tensors share the mapping.
    package init(mapping file: MappedFile, path: String) throws(DataFolioError) {
        do {
            self = try SafetensorsFile.decode(file.bytes) { shape, dtype, offset, _ throws(DataFolioError) in
                try NDArray(shape: shape, dtype: dtype, mapping: file, offset: offset)
            }
        } catch {
            var located = error
            located.path = located.path ?? path
            throw located
        }
    }

    /// Decodes the bytes of a `.safetensors` file; the tensors are copied out of `bytes`.
    ///
    /// ```swift
    /// let file = try SafetensorsFile(bytes: downloaded)
    /// let embedding = file.tensors["embedding"]
    /// ```
    public init(bytes: [UInt8]) throws(DataFolioError) {
        var result: Result<SafetensorsFile, DataFolioError> = .failure(DataFolioError(.corruptData, ""))
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) {
                result = .success(try SafetensorsFile.decode(raw) { shape, dtype, offset, count throws(DataFolioError) in
                    try NDArray(shape: shape, dtype: dtype, bytes: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]))
                })
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    /// The bytes of the file.
    ///
    /// ```swift
    /// let bytes = try SafetensorsFile(tensors: weights).serialized()
    /// let again = try SafetensorsFile(bytes: bytes)
    /// ```
    ///
    /// - Throws: `DataFolioError` when a tensor's dtype has no safetensors code.
    public func serialized() throws(DataFolioError) -> [UInt8] {
        var sink = MemorySink()
        try encode(into: &sink)
        return sink.bytes
    }

    /// Writes the file into an open writer (which the caller finishes, for example to
    /// get the file's MD5).
    ///
    /// ```swift
    /// let output = MemoryOutput()
    /// try SafetensorsFile(tensors: weights).write(to: output)
    /// ```
    public func write(to writer: any ByteOutput) throws(DataFolioError) {
        var sink = OutputSink(writer: writer)
        try encode(into: &sink)
    }

    /// Writes the file, streaming tensor data to disk; the file at `path` is replaced
    /// atomically, and tensors memory-mapped from the old file stay valid (so a file
    /// can be rewritten from its own mapped tensors).
    ///
    /// ```swift
    /// try SafetensorsFile(tensors: weights).write(to: "weights.safetensors")
    /// ```
    ///
    /// - Parameters:
    ///   - path: Where to write the file.
    ///   - sync: flush the file to disk (`fsync`) before it replaces `path`.
    public func write(to path: String, sync: Bool = true) throws(DataFolioError) {
        var sink = try AtomicFileSink(path: path)
        do {
            try encode(into: &sink)
        } catch {
            sink.abandon()
            throw error
        }
        try sink.finish(sync: sync)
    }
}

// MARK: - Reading

extension SafetensorsFile {
    private struct TensorRecord {
        var name: String
        var dtype: DType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// Validates the header and builds each tensor with `makeArray(shape, dtype, absoluteOffset, byteCount)`.
    static func decode(
        _ bytes: UnsafeRawBufferPointer,
        makeArray: ([Int], DType, Int, Int) throws(DataFolioError) -> NDArray
    ) throws(DataFolioError) -> SafetensorsFile {
        var reader = ByteReader(bytes, format: format)
        guard bytes.count >= 8 else {
            throw DataFolioError.truncated(format, "the file holds \(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let declared = try reader.readLE(UInt64.self)
        guard declared <= UInt64(maximumHeaderSize) else {
            throw DataFolioError(
                .limitExceeded,
                "\(format): the header claims \(declared) bytes, more than the \(maximumHeaderSize)-byte limit. The file is damaged or not a safetensors file.")
        }
        let headerSize = Int(declared)
        guard headerSize <= reader.remaining else {
            throw DataFolioError.truncated(format, "the header claims \(headerSize) bytes but only \(reader.remaining) follow")
        }
        let header = try reader.readBytes(headerSize)
        guard header.first == UInt8(ascii: "{") else {
            throw DataFolioError.corrupt(format, "the header does not start with a JSON object")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: header, options: JSONParsingOptions(maximumDepth: 8, sourceName: "The safetensors header"))
        } catch {
            throw DataFolioError.corrupt(format, "the header is not valid JSON (\(error.message))")
        }
        guard case .object(let object) = json else {
            throw DataFolioError.corrupt(format, "the header is not a JSON object")
        }
        let dataStart = 8 + headerSize
        let dataSize = bytes.count - dataStart

        var metadata: [String: String] = [:]
        var records: [TensorRecord] = []
        records.reserveCapacity(object.count)
        for (name, value) in object {
            if name == "__metadata__" {
                metadata = try decodeMetadata(value)
            } else {
                records.append(try decodeRecord(name: name, value))
            }
        }

        // The data must be covered exactly: sorted by offset, each tensor begins where the
        // previous one ends, and the last one ends at the end of the file.
        let byOffset = records.indices.sorted { (records[$0].begin, records[$0].end) < (records[$1].begin, records[$1].end) }
        var expected = 0
        for index in byOffset {
            let record = records[index]
            guard record.begin == expected else {
                let problem = record.begin > expected ? "a gap before" : "an overlap with"
                throw DataFolioError.corrupt(format, "the data of tensor '\(record.name)' starts at \(record.begin) but the previous tensor ends at \(expected) (\(problem) it)")
            }
            expected = record.end
        }
        guard expected == dataSize else {
            throw DataFolioError(
                expected > dataSize ? .truncatedData : .corruptData,
                "\(format): the header describes \(expected) bytes of tensor data but the file holds \(dataSize). The file is truncated or damaged.")
        }

        var tensors = TensorDictionary()
        for record in records {
            tensors[record.name] = try makeArray(record.shape, record.dtype, dataStart + record.begin, record.end - record.begin)
        }
        return SafetensorsFile(tensors: tensors, metadata: metadata)
    }

    private static func decodeMetadata(_ value: JSONValue) throws(DataFolioError) -> [String: String] {
        if value.isNull { return [:] }
        guard case .object(let members) = value else {
            throw DataFolioError.corrupt(format, "__metadata__ is not a JSON object")
        }
        var metadata: [String: String] = [:]
        for (key, entry) in members {
            guard case .string(let text) = entry else {
                throw DataFolioError.corrupt(format, "the metadata value of '\(key)' is not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func decodeRecord(name: String, _ value: JSONValue) throws(DataFolioError) -> TensorRecord {
        guard case .object(let info) = value else {
            throw DataFolioError.corrupt(format, "the entry of tensor '\(name)' is not a JSON object")
        }
        guard case .string(let code)? = info["dtype"] else {
            throw DataFolioError.corrupt(format, "tensor '\(name)' has no dtype")
        }
        guard let dtype = DType(safetensorsCode: code) else {
            throw DataFolioError.unsupported(format, "tensor '\(name)' has dtype \(code), which has no NDArray equivalent; this dtype")
        }
        guard case .array(let shapeValues)? = info["shape"] else {
            throw DataFolioError.corrupt(format, "tensor '\(name)' has no shape")
        }
        var shape: [Int] = []
        shape.reserveCapacity(shapeValues.count)
        var elements = 1
        for dimension in shapeValues {
            guard case .int(let length) = dimension, length >= 0, let size = Int(exactly: length) else {
                throw DataFolioError.corrupt(format, "tensor '\(name)' has an invalid shape")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw DataFolioError.corrupt(format, "the shape of tensor '\(name)' overflows")
            }
            elements = product
            shape.append(size)
        }
        guard case .array(let offsets)? = info["data_offsets"], offsets.count == 2,
              case .int(let begin64) = offsets[0], case .int(let end64) = offsets[1],
              begin64 >= 0, end64 >= begin64, let begin = Int(exactly: begin64), let end = Int(exactly: end64)
        else {
            throw DataFolioError.corrupt(format, "tensor '\(name)' has invalid data_offsets")
        }
        let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, byteCount == end - begin else {
            throw DataFolioError.corrupt(
                format, "tensor '\(name)' of shape \(shape) and dtype \(code) needs \(overflow ? "more" : String(byteCount)) bytes but its data_offsets span \(end - begin)")
        }
        return TensorRecord(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }
}

// MARK: - Writing

extension SafetensorsFile {
    func encode(into sink: inout some ByteSink) throws(DataFolioError) {
        var codes: [String] = []
        codes.reserveCapacity(tensors.count)
        for entry in tensors {
            guard let code = entry.dtype.safetensorsCode else {
                throw DataFolioError(
                    .unsupportedFeature,
                    "Tensor '\(entry.name)' has dtype \(entry.dtype.name), which safetensors cannot store; convert it to a numeric dtype first.")
            }
            codes.append(code)
        }
        // Data is laid out by decreasing element size (stable), so that every tensor
        // starts at a multiple of its element size, as the reference writer does.
        let dataOrder = tensors.indices.sorted { a, b in
            let (sa, sb) = (tensors[a].dtype.itemSize, tensors[b].dtype.itemSize)
            return sa != sb ? sa > sb : a < b
        }
        var offsets = [(Int, Int)](repeating: (0, 0), count: tensors.count)
        var next = 0
        for index in dataOrder {
            offsets[index] = (next, next + tensors[index].byteCount)
            next += tensors[index].byteCount
        }

        var header = JSONObject()
        if !metadata.isEmpty {
            header["__metadata__"] = .object(JSONObject(metadata.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
        }
        for (index, entry) in tensors.enumerated() {
            header[entry.name] = .object([
                "dtype": .string(codes[index]),
                "shape": .array(entry.shape.map { .int(Int64($0)) }),
                "data_offsets": .array([.int(Int64(offsets[index].0)), .int(Int64(offsets[index].1))]),
            ])
        }
        var headerBytes = JSONValue.object(header).formattedBytes(indented: false)
        let padding = (8 - headerBytes.count % 8) % 8
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))

        var length = ByteWriter(capacity: 8)
        length.appendLE(UInt64(headerBytes.count))
        try sink.write(length.bytes)
        try sink.write(headerBytes)
        for index in dataOrder {
            let canonical = tensors[index].array.nativeByteOrder().rowMajor()
            try canonical.withUnsafeBytes { raw throws(DataFolioError) in try sink.write(raw) }
        }
    }
}
