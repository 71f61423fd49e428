import DataFolioSupport

/// The footer of a Parquet file: schema, row groups and key-value metadata.
///
/// ```swift
/// let reader = try ParquetReader(path: "table.parquet")
/// print(reader.metadata.createdBy ?? "?")        // "parquet-cpp-arrow version 26.0.1"
/// print(reader.metadata.rowGroups.count)
/// ```
public struct ParquetFileMetadata: Sendable, Equatable {
    /// The format version the writer declared (1 or 2).
    public var version: Int32 = 1
    /// The flattened schema, root first.
    var schema: [SchemaElement] = []
    /// The number of rows in the file.
    public var rowCount: Int64 = 0
    /// The row groups, in file order.
    public var rowGroups: [ParquetRowGroup] = []
    /// Key-value metadata (`pandas`, `ARROW:schema`, …), in file order.
    public var keyValueMetadata: [ParquetKeyValue] = []
    /// The application that wrote the file, e.g. `"parquet-cpp-arrow version 26.0.1"`.
    public var createdBy: String?
    /// Whether the writer declared type-defined column orders (which make min/max trustworthy).
    var hasColumnOrders = false
    /// Whether the footer says the file is encrypted.
    var isEncrypted = false

    init() {}

    /// The value stored under `key`, if any.
    ///
    /// ```swift
    /// let pandasJSON = reader.metadata.value(forKey: "pandas")
    /// ```
    public func value(forKey key: String) -> String? {
        keyValueMetadata.first { $0.key == key }?.value
    }

    /// Parses a footer (the Thrift bytes between the column chunks and the trailing length).
    init(parsing bytes: UnsafeRawBufferPointer) throws(DataFolioError) {
        var reader = ThriftCompactReader(bytes)
        var metadata = ParquetFileMetadata()
        var sawSchema = false
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: metadata.version = try r.readI32(field.type)
            case 2:
                sawSchema = true
                metadata.schema = try r.readStructList(field.type) { (r: inout ThriftCompactReader) throws(DataFolioError) in
                    try SchemaElement(from: &r)
                }
            case 3: metadata.rowCount = try r.readI64(field.type)
            case 4:
                metadata.rowGroups = try r.readStructList(field.type) { (r: inout ThriftCompactReader) throws(DataFolioError) in
                    try ParquetRowGroup(from: &r)
                }
            case 5:
                metadata.keyValueMetadata = try r.readStructList(field.type) {
                    (r: inout ThriftCompactReader) throws(DataFolioError) in
                    try ParquetKeyValue(from: &r)
                }
            case 6: metadata.createdBy = try r.readString(field.type)
            case 7:
                metadata.hasColumnOrders = true
                try r.skip(field.type)
            case 8:
                metadata.isEncrypted = true
                try r.skip(field.type)
            default: try r.skip(field.type)
            }
        }
        guard sawSchema, !metadata.schema.isEmpty else {
            throw DataFolioError.corrupt("Parquet", "the footer has no schema")
        }
        guard metadata.rowCount >= 0 else {
            throw DataFolioError.corrupt("Parquet", "the footer declares a negative row count (\(metadata.rowCount))")
        }
        self = metadata
    }

    /// Encodes the footer.
    func serialized() -> [UInt8] {
        var writer = ThriftCompactWriter(capacity: 1024)
        writer.i32Field(1, version)
        writer.listField(2, .structure, schema) { w, e in e.write(to: &w) }
        writer.i64Field(3, rowCount)
        writer.listField(4, .structure, rowGroups) { w, g in g.write(to: &w) }
        if !keyValueMetadata.isEmpty {
            writer.listField(5, .structure, keyValueMetadata) { w, kv in kv.write(to: &w) }
        }
        if let createdBy { writer.stringField(6, createdBy) }
        if hasColumnOrders {
            // One TypeDefinedOrder per leaf column: min/max follow each type's natural order.
            let leaves = schema.dropFirst().filter { ($0.numChildren ?? 0) == 0 }.count
            writer.listField(7, .structure, Array(repeating: 0, count: leaves)) { w, _ in
                w.structField(1) { _ in }
            }
        }
        writer.out.append(0)
        return writer.bytes
    }
}
