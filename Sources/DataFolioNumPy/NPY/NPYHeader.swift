import DataFolioSupport

/// The header of a `.npy` file: what the array is (dtype, shape, memory order) and
/// where its data starts.
///
/// Read a header alone to describe an array without loading it, or build one to
/// stream an array's bytes yourself.
///
/// ```swift
/// let header = try NPYHeader(contentsOfNPY: "embeddings.npy")
/// print(header.dtype, header.shape, header.dataOffset)   // float32 [1000, 768] 128
///
/// let bytes = try NPYHeader(dtype: .float32, shape: [3, 4]).encoded()   // 128 bytes
/// ```
public struct NPYHeader: Sendable, Hashable {
    /// The first six bytes of every `.npy` file.
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Headers longer than this are refused when reading. numpy writes a few hundred
    /// bytes at most for the dtypes this library supports.
    public static let maximumHeaderLength = 1 << 20

    /// numpy aligns the start of the data to this many bytes.
    static let alignment = 64

    /// numpy pads the header with room for the growing axis to reach this many digits.
    static let growthAxisDigits = 21

    /// The element type (`descr`).
    public let dtype: DType
    /// The dimensions (`shape`); `[]` for a 0-d array.
    public let shape: [Int]
    /// The memory order of the data (`fortran_order`).
    public let order: NDArray.Order
    /// The format version.
    public let version: NPYFormatVersion
    /// The offset of the first data byte: the length of the whole header.
    public let dataOffset: Int
    /// The number of elements.
    public let elementCount: Int
    /// The number of data bytes that follow the header.
    public let dataByteCount: Int

    /// Describes an array to write, picking the oldest version that can hold the
    /// header unless `version` is given (as `np.save` does).
    ///
    /// ```swift
    /// let header = try NPYHeader(dtype: .float32, shape: [1000, 768])
    /// print(header.dataOffset, header.dataByteCount)   // 128 3072000
    /// ```
    ///
    /// - Throws: `DataFolioError` for bfloat16 (numpy has no such dtype), a negative
    ///   or overflowing shape, or a header the requested version cannot hold.
    public init(dtype: DType, shape: [Int], order: NDArray.Order = .rowMajor, version: NPYFormatVersion? = nil) throws(DataFolioError) {
        let (count, bytes) = try NDArray.elementCount(shape, itemSize: dtype.itemSize)
        guard let descriptor = dtype.numpyDescriptor else {
            throw DataFolioError(
                .unsupportedFeature,
                "NPY: numpy has no \(dtype.name) dtype, so a \(dtype.name) array cannot be saved as .npy. Convert it to float32 first, or save it as safetensors or a PyTorch file.")
        }
        // numpy records Fortran order only for arrays that are not also C-contiguous:
        // with at most one dimension longer than 1, or no elements, both layouts hold
        // the same bytes and it writes False.
        let isFortran = order == .columnMajor && shape.count > 1 && count > 0 && shape.filter({ $0 != 1 }).count > 1
        let text = NPYHeader.dictionaryText(descriptor: descriptor, fortranOrder: isFortran, shape: shape)
        let chosen = try NPYHeader.chooseVersion(for: text, requested: version)
        self.dtype = dtype
        self.shape = shape
        self.order = isFortran ? .columnMajor : .rowMajor
        self.version = chosen
        self.dataOffset = NPYHeader.encodedLength(textByteCount: NPYHeader.textBytes(text, version: chosen)?.count ?? 0, version: chosen)
        self.elementCount = count
        self.dataByteCount = bytes
    }

    /// Describes `array` as `np.save` would write it.
    ///
    /// ```swift
    /// let header = try NPYHeader(describing: embeddings)
    /// let prefix = try header.encoded()   // write these bytes, then the array's
    /// ```
    public init(describing array: NDArray, version: NPYFormatVersion? = nil) throws(DataFolioError) {
        try self.init(dtype: array.dtype, shape: array.shape, order: array.order, version: version)
    }

    /// Parses the header at the start of `bytes`, which may also hold the data.
    ///
    /// ```swift
    /// let header = try npy.withUnsafeBytes { try NPYHeader(parsing: $0) }
    /// print(header.shape)
    /// ```
    ///
    /// - Throws: `DataFolioError` when the bytes are not a `.npy` header, end before
    ///   the header does, or describe something this library cannot read.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        var reader = ByteReader(bytes, format: "NPY")
        let (version, length) = try NPYHeader.readPrefix(&reader)
        let prefixLength = reader.offset
        guard length <= reader.remaining else {
            throw DataFolioError.truncated(
                "NPY", "the header is \(length) bytes long but only \(reader.remaining) bytes follow its length field")
        }
        let text = try reader.readBytes(length)
        let literal = try PythonLiteral.parse(text, encoding: version.isUTF8 ? .utf8 : .latin1)
        let (dtype, fortran, shape) = try NPYHeader.fields(of: literal)
        let counts: (count: Int, bytes: Int)
        do {
            counts = try NDArray.elementCount(shape, itemSize: dtype.itemSize)
        } catch {
            throw DataFolioError(.limitExceeded, "NPY: the header's shape \(shape) of \(dtype.name) elements is larger than memory can address. The file is damaged.")
        }
        self.dtype = dtype
        self.shape = shape
        self.order = fortran ? .columnMajor : .rowMajor
        self.version = version
        self.dataOffset = prefixLength + length
        self.elementCount = counts.count
        self.dataByteCount = counts.bytes
    }

    /// The number of leading bytes that hold the whole header, read from the first
    /// ``minimumPrefixLength`` bytes of a file (the magic string, version and length).
    static func headerLength(fromPrefix bytes: UnsafeRawBufferPointer) throws(DataFolioError) -> Int {
        var reader = ByteReader(bytes, format: "NPY")
        let (_, length) = try readPrefix(&reader)
        return reader.offset + length
    }

    /// Enough bytes to learn the header length of any version.
    static let minimumPrefixLength = 12

    static func readPrefix(_ reader: inout ByteReader) throws(DataFolioError) -> (NPYFormatVersion, Int) {
        guard reader.remaining >= 8 else {
            throw DataFolioError.truncated("NPY", "the file is only \(reader.remaining) bytes long, shorter than the 8-byte magic string and version")
        }
        let magic = try reader.readBytes(6)
        guard magic.elementsEqual(NPYHeader.magic) else {
            throw DataFolioError.corrupt("NPY", "the file does not start with the .npy magic string \"\\x93NUMPY\"")
        }
        let major = try reader.readUInt8()
        let minor = try reader.readUInt8()
        guard let version = NPYFormatVersion(major: major, minor: minor) else {
            throw DataFolioError(
                .unsupportedFeature,
                "NPY: format version \(major).\(minor) is not supported; versions 1.0, 2.0 and 3.0 are. Save the array again with numpy's default settings.")
        }
        let length = version == .v1 ? Int(try reader.readLE(UInt16.self)) : Int(try reader.readLE(UInt32.self))
        guard length <= maximumHeaderLength else {
            throw DataFolioError(
                .limitExceeded,
                "NPY: the header claims to be \(length) bytes long, more than the \(maximumHeaderLength) bytes this library accepts. The file is damaged or not a .npy file.")
        }
        return (version, length)
    }

    static func fields(of literal: PythonLiteral) throws(DataFolioError) -> (DType, Bool, [Int]) {
        guard case .dictionary = literal else {
            throw DataFolioError.corrupt("NPY", "the header is \(literal.typeName), not a dict")
        }
        guard let descr = literal.value(forKey: "descr") else {
            throw DataFolioError.corrupt("NPY", "the header has no 'descr' key")
        }
        guard let fortranValue = literal.value(forKey: "fortran_order") else {
            throw DataFolioError.corrupt("NPY", "the header has no 'fortran_order' key")
        }
        guard let shapeValue = literal.value(forKey: "shape") else {
            throw DataFolioError.corrupt("NPY", "the header has no 'shape' key")
        }
        let dtype: DType
        switch descr {
        case .string(let text):
            dtype = try DType(numpyDescriptor: text)
        case .list:
            throw DataFolioError(
                .unsupportedFeature,
                "NPY: structured arrays (dtypes with named fields) are not supported. In Python, save each field as its own array (for example `arr['x']`).")
        case .tuple:
            throw DataFolioError(
                .unsupportedFeature,
                "NPY: sub-array dtypes are not supported. In Python, save the array with a plain dtype and the sub-array dimensions folded into its shape.")
        default:
            throw DataFolioError.corrupt("NPY", "the header's 'descr' is \(descr.typeName), not a dtype string")
        }
        guard case .boolean(let fortran) = fortranValue else {
            throw DataFolioError.corrupt("NPY", "the header's 'fortran_order' is \(fortranValue.typeName), not True or False")
        }
        guard case .tuple(let dimensions) = shapeValue else {
            throw DataFolioError.corrupt("NPY", "the header's 'shape' is \(shapeValue.typeName), not a tuple of integers")
        }
        var shape: [Int] = []
        shape.reserveCapacity(dimensions.count)
        for dimension in dimensions {
            guard case .integer(let length) = dimension else {
                throw DataFolioError.corrupt("NPY", "the header's 'shape' holds \(dimension.typeName), not only integers")
            }
            guard length >= 0 else {
                throw DataFolioError.corrupt("NPY", "the header's 'shape' has the negative dimension \(length)")
            }
            shape.append(length)
        }
        return (dtype, fortran, shape)
    }

    // MARK: Writing

    /// The header dict as `np.save` prints it: keys sorted, `repr` values, a trailing
    /// `", }"`, then spaces that leave room for the growing axis to reach 21 digits.
    static func dictionaryText(descriptor: String, fortranOrder: Bool, shape: [Int]) -> String {
        var shapeText = "("
        for (index, dimension) in shape.enumerated() {
            if index > 0 { shapeText += ", " }
            shapeText += String(dimension)
        }
        shapeText += shape.count == 1 ? ",)" : ")"
        var text = "{'descr': \(pythonRepr(descriptor)), 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
        if let growing = fortranOrder ? shape.last : shape.first {
            text += String(repeating: " ", count: max(0, growthAxisDigits - String(growing).count))
        }
        return text
    }

    /// Python's `repr` of a string: single quotes unless the text holds a single quote
    /// and no double quote, with backslash escapes for the quote, backslashes and
    /// control characters.
    static func pythonRepr(_ string: String) -> String {
        let quote: Character = string.contains("'") && !string.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if Character(scalar) == quote {
                    result += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result.append(quote)
        return result
    }

    /// The header text encoded for `version`, or `nil` when a Latin-1 version cannot
    /// hold it.
    static func textBytes(_ text: String, version: NPYFormatVersion) -> [UInt8]? {
        if version.isUTF8 { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < 256 else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    /// The total header length for text of `textByteCount` bytes: magic, version,
    /// length field, text, a newline, and spaces up to the next 64-byte boundary. Like
    /// numpy, a header that would end exactly on a boundary gets 64 more bytes.
    static func encodedLength(textByteCount: Int, version: NPYFormatVersion) -> Int {
        let unpadded = 8 + version.lengthFieldSize + textByteCount + 1
        return unpadded + alignment - unpadded % alignment
    }

    static func chooseVersion(for text: String, requested: NPYFormatVersion?) throws(DataFolioError) -> NPYFormatVersion {
        func fits(_ version: NPYFormatVersion) -> Bool {
            guard let bytes = textBytes(text, version: version) else { return false }
            let stored = encodedLength(textByteCount: bytes.count, version: version) - 8 - version.lengthFieldSize
            return stored <= version.maximumHeaderLength
        }
        if let requested {
            guard fits(requested) else {
                throw DataFolioError(
                    .invalidArgument,
                    "NPY: the header does not fit format version \(requested) (it is too long, or needs UTF-8 which only 3.0 allows). Let the writer choose the version.")
            }
            return requested
        }
        for version in NPYFormatVersion.allCases where fits(version) { return version }
        throw DataFolioError(.limitExceeded, "NPY: the header is longer than any .npy format version can hold.")
    }

    /// The header bytes, ending with the newline that puts the data on a 64-byte
    /// boundary, identical to what `np.save` writes for the same array.
    ///
    /// ```swift
    /// let bytes = try NPYHeader(dtype: .int64, shape: [10]).encoded()
    /// print(bytes.count % 64)   // 0: the data starts aligned
    /// ```
    ///
    /// - Throws: `DataFolioError` when a header read from a file no longer fits its
    ///   version once written in numpy's layout (only possible for absurd shapes).
    public func encoded() throws(DataFolioError) -> [UInt8] {
        // bfloat16 headers are refused at creation and never parsed, so the
        // descriptor exists.
        let descriptor = dtype.numpyDescriptor ?? ""
        let text = NPYHeader.dictionaryText(descriptor: descriptor, fortranOrder: order == .columnMajor, shape: shape)
        let version = try NPYHeader.chooseVersion(for: text, requested: version)
        let textBytes = NPYHeader.textBytes(text, version: version) ?? Array(text.utf8)
        let total = NPYHeader.encodedLength(textByteCount: textBytes.count, version: version)
        var writer = ByteWriter(capacity: total)
        writer.append(contentsOf: NPYHeader.magic)
        writer.append(version.major)
        writer.append(version.minor)
        let stored = total - 8 - version.lengthFieldSize
        if version == .v1 {
            writer.appendLE(UInt16(truncatingIfNeeded: stored))
        } else {
            writer.appendLE(UInt32(truncatingIfNeeded: stored))
        }
        writer.append(contentsOf: textBytes)
        writer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: total - writer.count - 1))
        writer.append(UInt8(ascii: "\n"))
        return writer.bytes
    }
}
