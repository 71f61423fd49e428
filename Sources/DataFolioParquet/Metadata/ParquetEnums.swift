/// The physical (storage) type of a Parquet column.
///
/// Values the library does not know keep their raw number, so metadata from newer
/// writers still parses.
///
/// ```swift
/// if chunk.physicalType == .byteArray { print("variable-length values") }
/// ```
public struct ParquetPhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let boolean = Self(rawValue: 0)
    public static let int32 = Self(rawValue: 1)
    public static let int64 = Self(rawValue: 2)
    public static let int96 = Self(rawValue: 3)
    public static let float = Self(rawValue: 4)
    public static let double = Self(rawValue: 5)
    public static let byteArray = Self(rawValue: 6)
    public static let fixedLenByteArray = Self(rawValue: 7)

    public var description: String {
        switch rawValue {
        case 0: return "BOOLEAN"
        case 1: return "INT32"
        case 2: return "INT64"
        case 3: return "INT96"
        case 4: return "FLOAT"
        case 5: return "DOUBLE"
        case 6: return "BYTE_ARRAY"
        case 7: return "FIXED_LEN_BYTE_ARRAY"
        default: return "type #\(rawValue)"
        }
    }
}

/// How the values of a Parquet page are encoded.
///
/// ```swift
/// print(chunk.encodings.map(\.description))   // ["PLAIN", "RLE", "RLE_DICTIONARY"]
/// ```
public struct ParquetEncoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let plain = Self(rawValue: 0)
    public static let plainDictionary = Self(rawValue: 2)
    public static let rle = Self(rawValue: 3)
    public static let bitPacked = Self(rawValue: 4)
    public static let deltaBinaryPacked = Self(rawValue: 5)
    public static let deltaLengthByteArray = Self(rawValue: 6)
    public static let deltaByteArray = Self(rawValue: 7)
    public static let rleDictionary = Self(rawValue: 8)
    public static let byteStreamSplit = Self(rawValue: 9)

    public var description: String {
        switch rawValue {
        case 0: return "PLAIN"
        case 2: return "PLAIN_DICTIONARY"
        case 3: return "RLE"
        case 4: return "BIT_PACKED"
        case 5: return "DELTA_BINARY_PACKED"
        case 6: return "DELTA_LENGTH_BYTE_ARRAY"
        case 7: return "DELTA_BYTE_ARRAY"
        case 8: return "RLE_DICTIONARY"
        case 9: return "BYTE_STREAM_SPLIT"
        case 10: return "ALP"
        default: return "encoding #\(rawValue)"
        }
    }

    /// Whether data pages in this encoding refer to the dictionary page.
    var isDictionary: Bool { self == .plainDictionary || self == .rleDictionary }
}

/// The compression codec of a Parquet column chunk.
///
/// ```swift
/// let options = ParquetWriteOptions(compression: .zstd)
/// ```
public struct ParquetCompression: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// No compression.
    public static let uncompressed = Self(rawValue: 0)
    /// Snappy (the default of pyarrow and of this library's writer).
    public static let snappy = Self(rawValue: 1)
    /// gzip (DEFLATE in a gzip wrapper).
    public static let gzip = Self(rawValue: 2)
    /// LZO (not supported).
    public static let lzo = Self(rawValue: 3)
    /// Brotli (not supported).
    public static let brotli = Self(rawValue: 4)
    /// The deprecated Hadoop-framed LZ4.
    public static let lz4 = Self(rawValue: 5)
    /// Zstandard (the default of polars).
    public static let zstd = Self(rawValue: 6)
    /// Raw LZ4 blocks (what pyarrow writes for `compression="lz4"`).
    public static let lz4Raw = Self(rawValue: 7)

    public var description: String {
        switch rawValue {
        case 0: return "UNCOMPRESSED"
        case 1: return "SNAPPY"
        case 2: return "GZIP"
        case 3: return "LZO"
        case 4: return "BROTLI"
        case 5: return "LZ4"
        case 6: return "ZSTD"
        case 7: return "LZ4_RAW"
        default: return "codec #\(rawValue)"
        }
    }
}

/// The kind of a Parquet page.
struct PageType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    static let dataPage = Self(rawValue: 0)
    static let indexPage = Self(rawValue: 1)
    static let dictionaryPage = Self(rawValue: 2)
    static let dataPageV2 = Self(rawValue: 3)
}

/// Whether a schema node is required, optional or repeated.
enum Repetition: Int32, Sendable {
    case required = 0
    case optional = 1
    case repeated = 2
}

/// The legacy type annotations of a schema node.
enum ConvertedType: Int32, Sendable {
    case utf8 = 0
    case map = 1
    case mapKeyValue = 2
    case list = 3
    case enumeration = 4
    case decimal = 5
    case date = 6
    case timeMillis = 7
    case timeMicros = 8
    case timestampMillis = 9
    case timestampMicros = 10
    case uint8 = 11
    case uint16 = 12
    case uint32 = 13
    case uint64 = 14
    case int8 = 15
    case int16 = 16
    case int32 = 17
    case int64 = 18
    case json = 19
    case bson = 20
    case interval = 21
}
